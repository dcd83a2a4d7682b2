"""Sentence- and section-level corpus rules used by ``painguide corpus lint``.

Every rule returns messages ``"[rule-name] what is wrong; what to do"``; ``lint.py`` adds the
file name. The rules and their exact definitions:

``heading-question``
    Every ``##`` heading except ``Key points`` ends with ``?`` (a question a person asks).

``first-sentence``
    The first sentence under a heading must stand alone when quoted: it may not open with a
    word pointing back to text not shown (``BANNED_OPENERS``: This, These, That, It, They,
    Also, So, But, And, However, Another, Such, Here; "It depends" is allowed, being a stance),
    may not be filler (``FILLER``: "... a plain idea with a long name", "studies give a rough
    guide", ...), and may not be a cross-reference as the answer (a Markdown link, or "read
    more", "the page on", "see ...").

``key-term``
    The heading's key term appears in the section's first two sentences. Key term: the
    heading's content words (not in ``STOPWORDS``) reduced to a stem (``stem``: lower case,
    a plural/-ing/-ed/-ly ending removed, then the first 6 letters); of those, the ones the
    section body also uses (phrasing words such as "matter" that the body never uses are not
    the subject; if the body uses none, all count), ordered by how many sections of the whole
    linted corpus contain the stem, rarest first. The two rarest are the key terms, and at
    least one must appear (as a stem) in sentences 1-2. On the corpus of 2026-12-02 this
    flags 4 sections in 4 of 53 documents, each a real miss, so it is an error, not a warning.

``key-points``
    ``## Key points`` has 3 to 5 bullets, none opening with a banned opener.

``also-asked``
    An ``Also asked:`` line holds lower-case phrasings separated by ``;``, no final full stop.

``emergency-wording`` (issue 16 item 2)
    A sentence (a list item counts as a sentence; headings do not) that names a cauda equina
    sign must, in the same sentence, carry emergency-level wording. Signs
    (``CES_SIGNS``): numbness, tingling or lost feeling together with the saddle area
    (saddle, genitals, between the legs, inner thighs, back passage, anus, around the bottom
    or buttocks); new or lost bladder or bowel control (a bladder/bowel/urine word together
    with new, sudden, loss, lose, trouble, problem, difficulty, can't, cannot, unable); weakness,
    numbness, tingling or sciatica in both legs (or sciatica on both sides). Emergency wording
    (``EMERGENCY``): "emergency" (not negated as in "not an emergency"), 999, 911, 112, A&E or
    ambulance. "Quickly", "urgent", "straight away" alone are not enough: they do not say
    where to go.

``exception-group`` (issue 16 item 2)
    When a document names an exception group outside its Key points (``EXCEPTION_GROUPS``:
    osteoporosis or weak bones, a spinal fracture, pregnancy), a Key point that gives
    permission in general terms (``PERMISSIVE``: "is fine", "is safe", "not dangerous",
    "has not been shown to cause", "does not cause/damage/harm", "no need to", ...) must
    either name one of the document's exception groups or be limited (``LIMITED``: most,
    many, usually, often, some, unless, except, for people with, if you have ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from painguide.chunking import split_sentences
from painguide.types import Document, Section

BANNED_OPENERS: frozenset[str] = frozenset(
    {"This", "These", "That", "It", "They", "Also", "So", "But", "And", "However", "Another",
     "Such", "Here"}
)  # fmt: skip
FILLER: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.I)
    for p in (
        r"\bwith a long name\b",
        r"\b(?:a|an) (?:plain|simple) idea\b",
        r"^studies give a rough guide\b",
        r"^(?:good|great) question\b",
        r"^(?:let's|let us) (?:look|start|see)\b",
        r"^(?:in )?this (?:page|section)\b",
        r"^there are (?:many|several|a few|some) (?:things|ways|ideas)\b[^.]*\.$",
    )
)
CROSS_REFERENCE = re.compile(
    r"\]\(|\b(?:read more|find out more|you can read|the page on|see the page|see \[|"
    r"is covered (?:in|on))\b",
    re.I,
)
STOPWORDS: frozenset[str] = frozenset(
    """a an the and or but if of to in on at for from with by about as into after before over
    under up down out off than then so too very my me i you your we our it its is are was were
    be been being am do does did doing done can could should would will shall may might must
    what why how when where which who whom whose there here this that these those not no any
    some all more most much many long often get got make makes made mean means one just still
    need needs really say says tell show go goes come bit else while yet alone whole always
    during""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z]+")

EMERGENCY = re.compile(r"\b(?:emergency|999|911|112|A&E|ambulance)\b", re.I)
NOT_EMERGENCY = re.compile(
    r"\b(?:not|never|isn't|is not|rarely)\s+(?:usually\s+|always\s+|often\s+)?"
    r"(?:an?\s+)?(?:medical\s+)?emergency\b",
    re.I,
)
_NUMB = (
    r"\b(?:numb\w*|tingl\w*|pins and needles|loss of feeling|lost feeling|no feeling|"
    r"can't feel|cannot feel|less feeling|changed feeling|altered feeling)"
)
_SADDLE = (
    r"\b(?:saddle|genital\w*|between (?:the|your) legs|inner thighs?|back passage|"
    r"anus|around (?:the |your )?(?:bottom|buttocks?|back passage))"
)
_BLADDER = r"\b(?:bladder|bowels?|urine|urinat\w*|pee|peeing|wee|poo|incontinen\w*)\b"
_TROUBLE = (
    r"\b(?:new|sudden\w*|loss|lose|losing|lost|trouble|problems?|difficult\w*|"
    r"can't|cannot|unable)\b"
)
CES_SIGNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "numbness in the saddle area": (re.compile(_NUMB, re.I), re.compile(_SADDLE, re.I)),
    "new bladder or bowel trouble": (re.compile(_BLADDER, re.I), re.compile(_TROUBLE, re.I)),
    "symptoms in both legs": (
        re.compile(r"\bboth legs\b|\bboth sides\b", re.I),
        re.compile(r"\b(?:weak\w*|numb\w*|tingl\w*|sciatica|pins and needles)\b", re.I),
    ),
}
EXCEPTION_GROUPS: dict[str, re.Pattern[str]] = {
    "osteoporosis": re.compile(r"\bosteoporo\w*|\b(?:weak|thin|fragile|brittle) bones\b", re.I),
    "spinal fracture": re.compile(r"\bfractur\w*|\bbroken (?:bone|back|vertebra)\w*", re.I),
    "pregnancy": re.compile(r"\bpregnan\w*", re.I),
}
PERMISSIVE = re.compile(
    r"\b(?:is|are|be|feels?) (?:fine|safe|ok|okay|harmless|not dangerous|not harmful|"
    r"not bad)\b|\bha(?:s|ve) not been shown to\b|\b(?:does|do|did|will|cannot|can't) not? ?"
    r"(?:cause|damage|harm|injure)\b|\bno need to\b|\bnothing to (?:fear|worry)\b",
    re.I,
)
LIMITED = re.compile(
    r"\b(?:most|many|usually|often|generally|typically|some|unless|except|for people with|"
    r"if you have|if you are|people who have)\b",
    re.I,
)


def stem(word: str) -> str:
    """A crude stem: lower case, one common ending removed, first 6 letters."""
    w = word.lower().removesuffix("'s")
    for suffix in ("ing", "ed", "es", "ly", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    return w[:6]


def stems(text: str) -> set[str]:
    """Stems of every word in ``text``."""
    return {stem(w) for w in _WORD.findall(text.lower())}


def heading_stems(heading: str) -> list[str]:
    """Content-word stems of a heading, in order, without repeats."""
    out: list[str] = []
    for word in _WORD.findall(heading.lower()):
        s = stem(word)
        if word not in STOPWORDS and len(word) > 2 and s not in out:
            out.append(s)
    return out


def section_frequencies(docs: Iterable[Document]) -> dict[str, int]:
    """How many sections (heading plus text) of the corpus contain each stem."""
    freq: dict[str, int] = {}
    for doc in docs:
        for sec in doc.sections:
            for s in stems(f"{sec.heading} {sec.text}"):
                freq[s] = freq.get(s, 0) + 1
    return freq


def key_terms(heading: str, freq: dict[str, int], body: str = "", n: int = 2) -> list[str]:
    """The heading's ``n`` rarest content stems that the section body also uses.

    Heading words the body never uses ("matter", "say", "yet") are phrasing, not the subject;
    when the body uses none of the heading's words, all content stems are candidates.
    """
    content = heading_stems(heading)
    used = stems(body)
    candidates = [s for s in content if s in used] or content
    return sorted(candidates, key=lambda s: freq.get(s, 0))[:n]


def _opener_problem(sentence: str) -> str | None:
    words = sentence.lstrip("\"'(*_").split()
    first = words[0].strip(",.:;!?\"'") if words else ""
    if first in BANNED_OPENERS and not sentence.startswith("It depends"):
        return f"opens with '{first}', which points back to text not shown; name the subject"
    for pattern in FILLER:
        if pattern.search(sentence):
            return f"is filler ('{pattern.pattern}'); answer the heading directly"
    return None


def check_section_shape(sec: Section, freq: dict[str, int]) -> list[str]:
    """Heading form, first sentence and key term of one non-Key-points section."""
    out: list[str] = []
    if not sec.heading.rstrip().endswith("?"):
        out.append(f"[heading-question] heading '{sec.heading}' must be a question ending in '?'")
    sentences = split_sentences(sec.text)
    if not sentences:
        return out
    first = sentences[0]
    problem = _opener_problem(first)
    if problem:
        out.append(f"[first-sentence] section '{sec.heading}': first sentence {problem}")
    if CROSS_REFERENCE.search(_first_raw_sentence(sec.text)):
        out.append(
            f"[first-sentence] section '{sec.heading}': first sentence is a cross-reference; "
            "answer the question first and link later"
        )
    terms = key_terms(sec.heading, freq, sec.text)
    if terms and not set(terms) & stems(" ".join(sentences[:2])):
        out.append(
            f"[key-term] section '{sec.heading}': none of its key terms {terms} is in the "
            "first two sentences; name the heading's subject early"
        )
    out.extend(_also_asked_problems(sec))
    return out


def _raw_first_block(text: str) -> str:
    return re.split(r"\n\s*\n", text.strip(), maxsplit=1)[0]


def _first_raw_sentence(text: str) -> str:
    """The first sentence with its Markdown kept (links are lost in ``split_sentences``)."""
    block = _raw_first_block(text)
    block = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", block)
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z\"'(\[])", block)
    return block[: match.start()] if match else block


def _also_asked_problems(sec: Section) -> list[str]:
    out = []
    for phrase in sec.also_asked:
        if phrase != phrase.lower() or phrase.endswith("."):
            out.append(
                f"[also-asked] section '{sec.heading}': '{phrase}' must be lower case "
                "with no full stop"
            )
    return out


def check_key_points(sec: Section) -> list[str]:
    """3-5 bullets, each able to stand alone."""
    bullets = [ln for ln in sec.text.splitlines() if re.match(r"^\s*[-*+]\s+", ln)]
    out = []
    if not 3 <= len(bullets) <= 5:
        out.append(f"[key-points] has {len(bullets)} bullets; use 3 to 5")
    for bullet in bullets:
        first = (split_sentences(bullet) or [""])[0]
        problem = _opener_problem(first) if first else None
        if problem:
            out.append(f"[key-points] '{first[:60]}...' {problem}")
    return out


def ces_signs(sentence: str) -> list[str]:
    """Names of the cauda equina signs a sentence mentions."""
    return [name for name, pats in CES_SIGNS.items() if all(p.search(sentence) for p in pats)]


def has_emergency_wording(sentence: str) -> bool:
    """True when the sentence says emergency care (not 'not an emergency')."""
    return bool(EMERGENCY.search(NOT_EMERGENCY.sub(" ", sentence)))


def check_emergency_wording(doc: Document) -> list[str]:
    """Every sentence naming a cauda equina sign says emergency in that sentence."""
    out = []
    for sec in doc.sections:
        for sentence in split_sentences(sec.text):
            signs = ces_signs(sentence)
            if signs and not has_emergency_wording(sentence):
                out.append(
                    f"[emergency-wording] section '{sec.heading}': '{sentence}' names "
                    f"{', '.join(signs)} without emergency wording in the same sentence "
                    "(say: call your local emergency number or go to an emergency department now)"
                )
    return out


def exception_groups(doc: Document) -> list[str]:
    """Exception groups the document names outside its Key points."""
    rest = " ".join(f"{s.heading} {s.text}" for s in doc.sections if s.heading != "Key points")
    return [name for name, pat in EXCEPTION_GROUPS.items() if pat.search(rest)]


def check_exception_groups(doc: Document) -> list[str]:
    """A permissive Key point names the document's exception group or is limited."""
    groups = exception_groups(doc)
    key = next((s for s in doc.sections if s.heading == "Key points"), None)
    if not groups or key is None:
        return []
    out = []
    for sentence in split_sentences(key.text):
        named = any(EXCEPTION_GROUPS[g].search(sentence) for g in groups)
        if PERMISSIVE.search(sentence) and not named and not LIMITED.search(sentence):
            out.append(
                f"[exception-group] Key point '{sentence}' reads as advice for everyone, but the "
                f"document names {', '.join(groups)}; name the group or limit the point"
            )
    return out
