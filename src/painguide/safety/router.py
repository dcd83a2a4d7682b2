"""The safety router: rules with negation scope and question/report detection, plus semantic
similarity to curated exemplar reports, over the whole conversation.

Example::

    router = SafetyRouter(embeddings)
    result = router.route("I've gone numb between my legs", history=[])
    result.decision.route   # 'emergency'
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from painguide.safety.rules import SEVERITY, SafetyData, load_safety_data
from painguide.text import clean_text
from painguide.types import RouteDecision

if TYPE_CHECKING:
    import numpy as np

    from painguide.embeddings import SentenceEmbeddings

log = logging.getLogger(__name__)

SAFETY_SCAN_CHARS = 20_000  # longest text the rules read; longer input is cut, never skipped
HISTORY_TURNS = 12  # earlier user turns re-checked for red flags
# Similarity to an exemplar report needed to escalate, per route; chosen on the project's own
# safety dataset (evals/datasets/safety.jsonl), never on the external material.
SEMANTIC_THRESHOLD: dict[str, float] = {
    "emergency": 0.72,
    "crisis": 0.70,
    "urgent": 0.74,
    "out_of_scope": 0.74,
}
SEMANTIC_MARGIN = 0.05  # how much closer to a report than to any benign "asking" exemplar

_SENTENCE = re.compile(r"(?<=[.!?;\n])\s+|\s*\n\s*")
_EDU_START = re.compile(
    r"^(what|what's|whats|how|why|when|which|where|who|are|is|can|could|does|do|should|"
    r"would|will|tell me|explain|define|describe|list|any|at what point|in what)\b"
)
_EDU_CUES = re.compile(r"\b(signs? of|symptoms? of|red flags?|what happens|meaning of|mean by)\b")
_QUESTION_SELF = re.compile(
    r"\b(should i|can i|could i|do i|would i|will i|must i|i should|i need to|should we|"
    r"need i|i go|i call|i worry|i be worried|i get help|i see)\b"
)
_FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|myself|mine|we|our|us)\b")
_INJECTION = re.compile(
    r"(ignore|disregard|forget|override|bypass|skip)\W+(?:\w+\W+){0,4}?(instructions?|rules|"
    r"prompts?|guidelines|directions|programming|guardrails|safety)|"
    r"(system|initial|hidden|developer|original|secret)\s+(prompt|instructions|message)|"
    r"(reveal|print|show|repeat|output|display|leak|dump|tell me)\W+(?:\w+\W+){0,3}?"
    r"(instructions|prompt|configuration|config|settings|api ?key|secrets?|rules)|"
    r"\byou are now\b|\bfrom now on,? you\b|\bnew instructions\b|\bpretend (to be|you are|you're)\b|"
    r"\brole-?play\b|\bjailbreak|\bdeveloper mode\b|\bdo anything now\b|\bdan mode\b|"
    r"\b(no|without) (restrictions|filters|rules|limits)\b|\bact as (an? )?(?!physio)\w+|"
    r"\bsimulate\b|\bunfiltered\b|\bstay in character\b"
)
_OFF_TOPIC = re.compile(
    r"\b(write|compose|generate|make)\b\W+(?:\w+\W+){0,3}?(poem|song|story|essay|haiku|joke|"
    r"code|program|script|function|limerick|rap|tweet|email)\b|"
    r"\b(python|javascript|typescript|java|sql|html|css|regex|c\+\+)\b|"
    r"\b(who won|world cup|election|president|prime minister|stock|bitcoin|crypto|weather|"
    r"capital of|translate|homework|football|movie|film|recipe|lyrics)\b"
)


@dataclass(frozen=True)
class Turn:
    """One conversation turn."""

    role: str
    content: str


@dataclass(frozen=True)
class RouterResult:
    """The decision, the cleaned query for retrieval, and whether the message is health related."""

    decision: RouteDecision
    query: str
    health_related: bool
    vector: Any = None  # the query's embedding when the router computed it
    escalations: tuple[RouteDecision, ...] = ()


@dataclass(frozen=True)
class _Finding:
    route: str
    rule: str
    evidence: str
    score: float | None = None


class SafetyRouter:
    """Routes a message (and its conversation) to a route of the safety brief."""

    def __init__(
        self, embeddings: SentenceEmbeddings | None = None, data: SafetyData | None = None
    ) -> None:
        self.data = data or load_safety_data()
        self.embeddings = embeddings
        lex = self.data.lexicon
        self._replace = {str(k).lower(): str(v) for k, v in (lex.get("replace") or {}).items()}
        self._fuzzy = [str(w) for w in lex.get("fuzzy_targets") or []]
        self._cues = sorted((str(c) for c in lex.get("negation_cues") or []), key=len, reverse=True)
        self._pseudo = [str(p) for p in lex.get("pseudo_negations") or []]
        self._breakers = {str(b) for b in lex.get("scope_breakers") or []}
        self._window = int(lex.get("negation_window", 5))
        self._health = [str(h).lower() for h in lex.get("health_terms") or []]
        self._reasons = {c.id: c.reason for c in self.data.categories}
        self._cat_route = {c.id: c.route for c in self.data.categories}
        self._report_vecs: np.ndarray | None = None
        self._ask_vecs: np.ndarray | None = None
        self._report_cat: list[str] = []
        self._report_text: list[str] = []
        if embeddings is not None:
            texts = []
            for cat in self.data.categories:
                for rep in cat.reports:
                    texts.append(self.normalise(rep))
                    self._report_cat.append(cat.id)
                    self._report_text.append(rep)
            self._report_vecs = embeddings.encode(texts)
            self._ask_vecs = embeddings.encode([self.normalise(a) for a in self.data.asking])

    # --- normalisation ---------------------------------------------------------------
    def normalise(self, text: str) -> str:
        """Lower case, slang mapped, misspelt red-flag words corrected."""
        from rapidfuzz.distance import DamerauLevenshtein

        text = clean_text(text).lower().replace("’", "'").replace("‘", "'")
        out = []
        for tok in re.findall(r"[\w'/+-]+|[^\w\s]", text):
            low = tok.lower()
            if low in self._replace:
                out.append(self._replace[low])
                continue
            if len(low) >= 6 and low.isalpha() and low not in self._fuzzy:
                best = None
                for target in self._fuzzy:
                    limit = 2 if len(target) >= 10 else 1
                    if abs(len(target) - len(low)) <= limit and (
                        DamerauLevenshtein.distance(low, target) <= limit
                    ):
                        best = target
                        break
                out.append(best or low)
                continue
            out.append(low)
        joined = " ".join(out)
        return re.sub(r"\s+([,.!?;:])", r"\1", joined)

    def sentences(self, normalised: str) -> list[str]:
        """Split normalised text into sentences (newlines and ; also end one)."""
        parts = [p.strip() for p in _SENTENCE.split(normalised) if p and p.strip()]
        return parts or [normalised]

    # --- question / negation -----------------------------------------------------------
    def is_educational(self, sentence: str) -> bool:
        """A question ABOUT a symptom with no first-person report in it."""
        s = sentence.strip()
        if not (_EDU_START.match(s) or _EDU_CUES.search(s)):
            return False
        return not _FIRST_PERSON.search(_QUESTION_SELF.sub(" ", s))

    def is_negated(self, sentence: str, start: int) -> bool:
        """True when a negation cue governs the words at ``start`` (NegEx-style scope)."""
        before = sentence[:start]
        for phrase in self._pseudo:
            before = before.replace(phrase, " ")
        toks = re.findall(r"[\w']+|[,;:]", before)
        window: list[str] = []
        for tok in reversed(toks):
            if tok in self._breakers or tok in {";", ":"}:
                break
            window.append(tok)
            if len([t for t in window if t not in {","}]) >= self._window + 2:
                break
        text = " ".join(reversed(window))
        return any(re.search(rf"(^|\s){re.escape(c)}(\s|$)", text) for c in self._cues)

    def _sentence_negated(self, sentence: str) -> bool:
        return self.is_negated(sentence, len(sentence))

    # --- detection ---------------------------------------------------------------------
    def _rule_findings(self, sentence: str, routes: set[str]) -> list[_Finding]:
        found = []
        educational = self.is_educational(sentence)
        for rule in self.data.rules:
            if rule.route not in routes:
                continue
            for pat in rule.patterns:
                for m in pat.finditer(sentence):
                    if rule.route in SEVERITY and rule.route != "out_of_scope" and educational:
                        continue
                    if rule.route != "out_of_scope" and self.is_negated(sentence, m.start()):
                        continue
                    found.append(_Finding(rule.route, rule.id, m.group(0)))
                    break
                else:
                    continue
                break
        return found

    def _semantic_findings(
        self, sentences: list[str], vecs: np.ndarray, routes: set[str]
    ) -> list[_Finding]:
        if self._report_vecs is None or self._ask_vecs is None:
            return []
        found = []
        sims = vecs @ self._report_vecs.T
        asks = (vecs @ self._ask_vecs.T).max(axis=1)
        for i, sentence in enumerate(sentences):
            j = int(sims[i].argmax())
            cat = self._report_cat[j]
            route = self._cat_route[cat]
            best = float(sims[i, j])
            if route not in routes or best < SEMANTIC_THRESHOLD.get(route, 1.0):
                continue
            if best - float(asks[i]) < SEMANTIC_MARGIN:
                continue
            if route != "out_of_scope" and (
                self.is_educational(sentence) or self._sentence_negated(sentence)
            ):
                continue
            found.append(_Finding(route, cat, f"similar to: {self._report_text[j]}", best))
        return found

    def _escalations(
        self, sentences: list[str], vecs: np.ndarray | None, routes: set[str]
    ) -> list[_Finding]:
        found: list[_Finding] = []
        for s in sentences:
            found.extend(self._rule_findings(s, routes))
        if vecs is not None:
            found.extend(self._semantic_findings(sentences, vecs, routes))
        return found

    def health_related(self, normalised: str) -> bool:
        """Whether the text is about health at all (decides no_content versus off_topic)."""
        words = set(re.findall(r"[a-z][a-z'-]*", normalised))
        for term in self._health:
            if " " in term:
                if term in normalised:
                    return True
            elif term in words or any(w.startswith(term) for w in words if len(term) >= 5):
                return True
        return False

    # --- the public entry point ---------------------------------------------------------
    def route(self, message: str, history: list[Turn] | tuple[Turn, ...] = ()) -> RouterResult:
        """Route the message in the context of earlier turns. Raises on internal faults;
        the pipeline turns any exception into the safe generic response (fail closed)."""
        raw = clean_text(message)[:SAFETY_SCAN_CHARS]
        if not raw:
            return RouterResult(
                RouteDecision("off_topic", "empty_input", "", reason="The message was empty."),
                "",
                False,
            )
        norm = self.normalise(raw)
        sentences = self.sentences(norm)
        texts = list(dict.fromkeys([*sentences, norm]))
        vecs = self.embeddings.encode(texts) if self.embeddings is not None else None
        sent_vecs = vecs[: len(sentences)] if vecs is not None else None
        message_vec = vecs[texts.index(norm)] if vecs is not None else None
        severe = {"emergency", "crisis", "urgent"}
        findings = self._escalations(sentences, sent_vecs, severe)
        turn_of: dict[int, int] = {id(f): 0 for f in findings}
        user_turns = [t for t in history if t.role == "user"][-HISTORY_TURNS:]
        for back, turn in enumerate(reversed(user_turns), start=1):
            h_norm = self.normalise(turn.content[:SAFETY_SCAN_CHARS])
            h_sent = self.sentences(h_norm)
            h_vecs = self.embeddings.encode(h_sent) if self.embeddings is not None else None
            for f in self._escalations(h_sent, h_vecs, severe):
                findings.append(f)
                turn_of[id(f)] = back
        escalations = tuple(
            RouteDecision(
                f.route,  # type: ignore[arg-type]
                f.rule if turn_of[id(f)] == 0 else f"earlier_turn:{f.rule}",
                f.evidence,
                category=f.rule,
                reason=self._reasons.get(f.rule, ""),
                turn=turn_of[id(f)],
                score=f.score,
            )
            for f in findings
        )
        health = self.health_related(norm)
        if escalations:
            top = max(
                escalations,
                key=lambda d: (SEVERITY[d.route], d.route == "crisis", -d.turn, d.score is None),
            )
            return RouterResult(top, raw, True, message_vec, escalations)
        query = raw
        if _INJECTION.search(norm):
            kept = [s for s in sentences if not _INJECTION.search(s)]
            rest = " ".join(kept)
            if kept and self.health_related(rest) and len(rest.split()) >= 3:
                query = rest
                message_vec = None  # the query changed; the pipeline embeds it again
            else:
                m = _INJECTION.search(norm)
                return RouterResult(
                    RouteDecision(
                        "off_topic", "instruction_change_attempt", m.group(0) if m else ""
                    ),
                    raw,
                    health,
                )
        scope = self._escalations(self.sentences(self.normalise(query)), None, {"out_of_scope"})
        if not scope and sent_vecs is not None and query == raw:
            scope = self._semantic_findings(sentences, sent_vecs, {"out_of_scope"})
        if scope:
            f = scope[0]
            return RouterResult(
                RouteDecision("out_of_scope", f.rule, f.evidence, category=f.rule, score=f.score),
                query,
                True,
                message_vec,
            )
        m = _OFF_TOPIC.search(norm)
        if m and not health:
            return RouterResult(
                RouteDecision("off_topic", "not_health_related", m.group(0)), query, False
            )
        rule = "injection_ignored" if query != raw else "no_flag"
        return RouterResult(RouteDecision("answer", rule), query, health, message_vec)
