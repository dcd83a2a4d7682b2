"""Follow-up resolution: a short or referring message borrows salient terms of recent turns.

Shared by the UI, the HTTP API and evaluations, so all resolve follow-ups the same way.

Example::

    resolve_followup("how long does that last?", [Turn("user", "why does exercise help pain?")])
    # -> "how long does that last? exercise help pain"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from painguide.text import STOPWORDS, words

MAX_HISTORY_TURNS = 20  # turns kept from a conversation; older ones are dropped
MAX_TURN_CHARS = 2_000  # characters kept per earlier turn
SHORT_MESSAGE_WORDS = 6  # content words at or below which a message is treated as a follow-up
BORROWED_TERMS = 8  # salient words carried over from earlier user turns
MAX_CHAIN = 6  # earlier user turns walked back through to find the question that set the topic
_REFERS_BACK = re.compile(
    r"\b(it|that|this|those|these|they|them|there|same|instead|what about|how about|"
    r"and if|what if|and for)\b",
    re.I,
)
_POINTS_BACK = re.compile(r"\b(it|that|this|those|these|them)\b", re.I)
_GENERIC = STOPWORDS | {
    "help",
    "helps",
    "work",
    "works",
    "good",
    "bad",
    "okay",
    "normal",
    "best",
    "safe",
    "hurt",
    "hurts",
    "happen",
    "happens",
    "long",
    "last",
    "lasts",
    "start",
    "feel",
    "make",
    "does",
    "do",
    "can",
    "should",
    "would",
    "could",
    "why",
    "how",
    "what",
    "when",
}


def normalise_history(history: Sequence[Any] | None) -> list[Any]:
    """Bounded list of Turn objects from dicts or Turns (roles: user, assistant)."""
    from painguide.safety.router import Turn

    turns: list[Turn] = []
    for item in list(history or [])[-MAX_HISTORY_TURNS:]:
        if isinstance(item, Turn):
            turns.append(Turn(item.role, item.content[:MAX_TURN_CHARS]))
        elif isinstance(item, dict):
            role = str(item.get("role", "user"))
            content = item.get("content", "")
            if isinstance(content, list):  # Gradio "messages" may hold content parts
                content = " ".join(
                    str(p.get("text", p)) if isinstance(p, dict) else str(p) for p in content
                )
            if role in {"user", "assistant"} and content:
                turns.append(Turn(role, str(content)[:MAX_TURN_CHARS]))
    return turns


def is_followup(message: str) -> bool:
    """A message that only makes sense with the conversation before it."""
    content = [w for w in words(message) if w not in _GENERIC]
    return len(content) <= SHORT_MESSAGE_WORDS and (
        bool(_REFERS_BACK.search(message)) or len(content) <= 2
    )


def resolve_followup(
    message: str, history: Sequence[Any], force: bool = False, name_subjects: bool = False
) -> str:
    """The retrieval query for ``message`` given earlier turns (unchanged if standalone).

    ``force`` borrows context even from a message that looks standalone; the pipeline uses it
    when the message alone finds nothing relevant ("How quickly should I build up?").
    ``name_subjects`` names each earlier condition or body part in full; the pipeline uses it
    when the borrowed words alone find nothing relevant ("can I take anything for it?" after
    "my back hurts").
    """
    turns = normalise_history(history)
    users = [t.content for t in turns if t.role == "user"]
    if not users or not (force or is_followup(message)):
        return message
    own = set(words(message))
    # walk back through earlier follow-ups to the last standalone question: a chain of
    # "why?" / "how often?" keeps the topic of the question that started it
    sources: list[str] = []
    for earlier in reversed(users):
        sources.append(earlier)
        if not is_followup(earlier) or len(sources) >= MAX_CHAIN:
            break
    borrowed: list[str] = []
    for earlier in sources:
        for w in words(earlier):
            if w not in _GENERIC and w not in own and w not in borrowed and len(w) > 2:
                borrowed.append(w)
    if not borrowed:
        return message
    if name_subjects:
        borrowed = _with_subject_names(sources, borrowed, own)
    if not force and names_new_subject(message, sources):
        borrowed = _for_new_subject(message, sources, borrowed)
    return f"{message} {' '.join(borrowed[:BORROWED_TERMS])}"


def _with_subject_names(sources: list[str], borrowed: list[str], own: set[str]) -> list[str]:
    """The borrowed words with each earlier condition or body part named in full, next to
    the word that named it: "my back hurts" then "can I take anything for it?" asks about
    "back pain", not about "back" alone."""
    from painguide.answer.coverage import find_subjects

    out = list(borrowed)
    for text in sources:
        for s in find_subjects(text):
            if s.category == "treatment" or s.phrase.split()[-1] not in out:
                continue
            at = out.index(s.phrase.split()[-1]) + 1
            for w in s.name.split():
                if w not in out and w not in own:
                    out.insert(at, w)
                    at += 1
    return out


def _for_new_subject(message: str, sources: list[str], borrowed: list[str]) -> list[str]:
    """What a follow-up naming a new subject keeps of the earlier turns. A new treatment
    keeps only the earlier condition or body part ("what about heat?" after "should I stay in
    bed with my bad back?" -> "back"); a new condition or body part keeps the rest and drops
    the old one ("what about my knees?" after "is walking good for back pain?" -> "walking")."""
    from painguide.answer.coverage import find_subjects

    new_treatment = any(s.category == "treatment" for s in find_subjects(message))
    earlier = [s for text in sources for s in find_subjects(text) if s.category != "treatment"]
    if new_treatment:
        kept = [s.phrase for s in earlier if s.phrase not in message.lower()]
        return [p for i, p in enumerate(kept) if p not in kept[:i]]
    old = {w for s in earlier for w in s.phrase.split()} | {"pain", "ache", "aches"}
    return [w for w in borrowed if w not in old]


def names_new_subject(message: str, earlier: Sequence[str]) -> bool:
    """Whether a follow-up names a condition, body part or treatment that none of the earlier
    user turns named ("what about heat?" after asking about bed rest), without pointing back
    at the earlier subject ("with that"): it moves the conversation to the new subject rather
    than asking more about the last answer's page."""
    from painguide.answer.coverage import find_subjects

    named = {s.name for s in find_subjects(message)}
    if not named or _POINTS_BACK.search(message):  # "would tai chi help with that?" asks
        return False  # about the earlier subject: tai chi for the knee the last turn named
    before = {s.name for text in earlier for s in find_subjects(text)}
    return bool(named - before)
