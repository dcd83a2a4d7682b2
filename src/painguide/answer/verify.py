"""The support test shared by the grounding verifier and the evaluation's grounding metric.

A sentence is *supported* by a passage when all of these hold:

* meaning: its embedding is close to the closest passage sentence (cosine >= SIM_MIN);
* words: most of its content words occur in the passage (share >= OVERLAP_MIN);
* nothing new: at most MAX_NOVEL content words that are absent from the passage and the
  question (a near-copy that swaps "hypoalgesia" for "hyperalgesia" fails here);
* figures: every number in it occurs in the passage.

Thresholds were chosen on the hand-labelled pairs in ``tests/unit/test_verify.py``.

Example::

    check = support(sentence, passage_text, passage_vectors, embeddings)
    check.supported, check.similarity, check.overlap, check.novel
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from painguide.text import content_terms

if TYPE_CHECKING:
    import numpy as np

    from painguide.embeddings import SentenceEmbeddings

SIM_MIN = 0.72  # paraphrases of a passage sentence score about 0.75-0.95 with MiniLM
OVERLAP_MIN = 0.5  # share of the sentence's content words found in the passage
MAX_NOVEL = 1  # content words allowed that neither passage nor question contains
CLOSE_PARAPHRASE_SIM = 0.88  # a sentence this close in meaning may reword a little more
MAX_NOVEL_CLOSE = 2  # new words allowed for such a close paraphrase ("dials down" for "turns down")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_CITATION = re.compile(r"\s*\[(\d+)\]")
# Words an answer may add without adding a claim.
_FREE = set(
    content_terms(
        "answer general generally often usually many people person someone may might can "
        "help helps helpful important good way ways thing things also however overall short "
        "simply mean means means research studies study show shows shown says said source "
        "sources guide example instance"
    )
)


@dataclass(frozen=True)
class SupportCheck:
    """Why a sentence is, or is not, supported by a passage."""

    supported: bool
    similarity: float
    overlap: float
    novel: tuple[str, ...]
    missing_numbers: tuple[str, ...]


def strip_citations(sentence: str) -> tuple[str, list[int]]:
    """The sentence without its [n] markers, and the numbers it cited."""
    nums = [int(n) for n in _CITATION.findall(sentence)]
    return _CITATION.sub("", sentence).strip(), nums


def support(
    sentence: str,
    passage: str,
    passage_vectors: np.ndarray,
    embeddings: SentenceEmbeddings,
    question: str = "",
    sentence_vector: np.ndarray | None = None,
) -> SupportCheck:
    """Apply the support test of this module to one sentence and one cited passage."""
    text, _ = strip_citations(sentence)
    vec = sentence_vector if sentence_vector is not None else embeddings.encode([text])[0]
    sim = float((passage_vectors @ vec).max()) if len(passage_vectors) else 0.0
    terms = content_terms(text)
    passage_terms = set(content_terms(passage))
    allowed = passage_terms | set(content_terms(question)) | _FREE
    overlap = sum(1 for t in terms if t in passage_terms) / max(len(terms), 1)
    novel = tuple(dict.fromkeys(t for t in terms if t not in allowed))
    passage_numbers = set(_NUMBER.findall(passage))
    missing = tuple(n for n in _NUMBER.findall(text) if n not in passage_numbers)
    swapped = any(_near_miss(t, passage_terms) for t in novel)
    allowed_novel = MAX_NOVEL_CLOSE if sim >= CLOSE_PARAPHRASE_SIM else MAX_NOVEL
    ok = (
        sim >= SIM_MIN
        and overlap >= OVERLAP_MIN
        and len(novel) <= allowed_novel
        and not missing
        and not swapped
    )
    return SupportCheck(ok, round(sim, 4), round(overlap, 4), novel, missing)


def _shared_prefix(a: str, b: str) -> int:
    """Length of the common beginning of two words."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _near_miss(term: str, passage_terms: set[str]) -> bool:
    """A new word spelled almost like a passage word: "hyperalgesia" for "hypoalgesia"."""
    from rapidfuzz.distance import Levenshtein

    if len(term) < 7:
        return False
    return any(
        abs(len(term) - len(p)) <= 2
        and 0 < Levenshtein.distance(term, p) <= 2
        # "respond" / "respons" are one word in two forms, not a swapped claim
        and _shared_prefix(term, p) < min(len(term), len(p)) - 2
        for p in passage_terms
        if len(p) >= 7
    )


def split_answer_sentences(text: str) -> list[str]:
    """Split an answer into sentences, each keeping the [n] markers that follow it."""
    text = text.strip()
    if not text:
        return []
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'(])|(?<=\])\s+(?=[A-Z\"'(])|\n+", text)
    return [p.strip() for p in parts if p and p.strip()]
