"""Answer-shape scores: does the answer read as one a person understands at first read?

Each function scores one answer; the runner averages them per dataset:

- ``coverage.lead``: share of ``must_mention`` terms found in the first two sentences;
- ``answer.dangling_opener_rate``: answers with a sentence that opens with a word pointing back
  ("This", "It", "Also" ...) to a sentence the answer does not show just before it;
- ``answer.repeated_sentence_rate``: answers that say the same thing twice;
- ``answer.type_match``: the lead gives the asked-for kind of answer (a quantity for "how long",
  a stance for "should I", a definition for "what is"): the composer's own checks;
- ``answer.off_subject_rate``: questions about a subject the library lacks answered as if it
  were covered (no "Pain Guide has no page on ..." and an ordinary answer route).

Example::

    shape = AnswerShape.from_chunks(kb.chunks)
    shape.dangling("It helps. [1]")   # 1.0: "It" points back to nothing shown
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from painguide.answer.compose import DANGLING
from painguide.answer.notices import NO_PAGE
from painguide.answer.qtype import answer_matches_type, question_types
from painguide.answer.verify import split_answer_sentences, strip_citations
from painguide.text import content_terms, without_interjection

if TYPE_CHECKING:
    from painguide.types import Chunk

SCORED_TYPES = ("definition", "quantity", "yesno")  # types whose answer a program can check
REPEAT_OVERLAP = 0.7  # Jaccard overlap of content words at which two sentences say one thing
_NO_PAGE_MARK = NO_PAGE.split("{", 1)[0].strip().lower()  # "pain guide has no page on"


def answer_sentences(answer: str) -> list[str]:
    """The answer's sentences without citation markers or bullet dashes."""
    out = []
    for part in split_answer_sentences(answer):
        text, _ = strip_citations(part)
        text = re.sub(r"^[-*]\s+", "", text).strip()
        if text:
            out.append(text)
    return out


class AnswerShape:
    """Scores that need to know which corpus sentence follows which."""

    def __init__(self, previous: dict[str, str]) -> None:
        self.previous = previous  # corpus sentence -> the sentence written just before it

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> AnswerShape:
        """Learn sentence order from the indexed chunks."""
        previous: dict[str, str] = {}
        for chunk in chunks:
            for before, sent in zip(chunk.sentences, chunk.sentences[1:], strict=False):
                previous.setdefault(sent, before)
        return cls(previous)

    def dangling(self, answer: str) -> float:
        """1.0 if a sentence opens by pointing back to a sentence not shown just before it."""
        sents = answer_sentences(answer)
        for i, sent in enumerate(sents):
            if not DANGLING.match(sent):
                continue
            before = self.previous.get(sent)
            # the sentence before is shown even when its leading "Yes," or "No," was dropped
            # (a lead answering a question that is not yes/no)
            if i == 0 or before is None or _bare(sents[i - 1]) != _bare(before):
                return 1.0
        return 0.0


def _bare(sentence: str) -> str:
    return without_interjection(sentence)


def repeated(answer: str) -> float:
    """1.0 if two sentences of the answer say the same thing."""
    seen: list[set[str]] = []
    for sent in answer_sentences(answer):
        terms = set(content_terms(sent))
        if not terms:
            continue
        for other in seen:
            if len(terms & other) / len(terms | other) >= REPEAT_OVERLAP:
                return 1.0
        seen.append(terms)
    return 0.0


def lead_coverage(answer: str, must_mention: Iterable[str]) -> float | None:
    """Share of must-mention terms found in the first two sentences (None when none asked)."""
    terms = [t.lower() for t in must_mention]
    if not terms:
        return None
    lead = " ".join(answer_sentences(answer)[:2]).lower()
    return sum(t in lead for t in terms) / len(terms)


def type_match(question: str, answer: str) -> float | None:
    """1.0 if the answer's lead gives the kind of answer the question asks for: a definition,
    a quantity or a stance (None for other questions: reasons and steps are not checkable)."""
    qtype = question_types(question)[0]
    if qtype not in SCORED_TYPES:
        return None
    return float(answer_matches_type(qtype, answer_sentences(answer)))


def off_subject(route: str, answer: str) -> float:
    """1.0 if a question about a subject the library lacks was answered as if covered."""
    return float(route == "answer" and _NO_PAGE_MARK not in answer.lower())
