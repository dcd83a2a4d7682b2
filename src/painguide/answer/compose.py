"""The default answer engine: an extractive composer that needs no LLM and no network.

It picks the corpus sentences that best answer the question, removes near-duplicates, orders
them (direct answer first, then the why, then what to do) and cites every sentence.

Example::

    draft = compose(question, retrieval, kb, max_sentences=5)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from painguide.text import content_terms
from painguide.types import Citation, Hit

if TYPE_CHECKING:
    import numpy as np

    from painguide.retrieval import KnowledgeBase, RetrievalResult

DUPLICATE_SIMILARITY = 0.85  # sentences closer than this say the same thing twice
MMR_LAMBDA = 0.75  # relevance versus novelty when picking the next sentence
KEEP_RATIO = 0.72  # a sentence must score at least this share of the best sentence's score
MIN_WORDS = 5  # shorter fragments read badly out of context
PASSAGES_USED = 4  # chunks the composer reads sentences from
DEFINITION_BONUS = 0.08  # for "what is X?": prefer the sentence that says what X means
KEY_POINTS_BONUS = 0.06  # key points are written to stand alone as answers
FOLLOWUP_WEIGHT = 0.5  # share of a follow-up's own words in sentence scoring
# Sentences that lean on a previous sentence read badly alone.
_DANGLING = re.compile(r"^(this|that|these|those|it|they|he|she|also|but|so|and|or|then)\b", re.I)
# Cross-references to other pages ("You can read more in ...") say nothing on their own.
_REFERRAL = re.compile(
    r"\b(read|learn|find out) more\b|\byou can read about\b|\bsee the (guide|page)", re.I
)
# "What is X?" is best answered by a sentence that defines something.
_WHAT_IS = re.compile(r"^\s*(what|whats|what's)\s+(is|are|does)\b|\bmeaning of\b|\bdefin", re.I)
_DEFINES = re.compile(
    r"\b(means|is when|refers to|is called|are called|call this|is a name for|"
    r"is the (name|term))\b",
    re.I,
)
_ACTION = re.compile(
    r"\b(try|start|begin|aim|plan|keep|build|ease|stop|see|ask|call|talk|choose|pick|use|"
    r"take|walk|rest|add|increase|reduce|can help|it helps to)\b",
    re.I,
)
_WHY = re.compile(r"\b(because|so that|which means|this means|due to|reason|why|how)\b", re.I)


@dataclass(frozen=True)
class Draft:
    """A composed answer: text with [n] markers, its citations and the passages used."""

    text: str
    sentences: tuple[tuple[str, int], ...]  # (sentence, citation number)
    citations: tuple[Citation, ...]
    passages: tuple[dict[str, Any], ...]


def _role(sentence: str) -> int:
    """0 = direct answer or fact, 1 = explanation, 2 = what to do."""
    if _ACTION.search(sentence) and not _WHY.search(sentence):
        return 2
    if _WHY.search(sentence):
        return 1
    return 0


def compose(
    question: str,
    retrieval: RetrievalResult,
    kb: KnowledgeBase,
    max_sentences: int = 5,
    followup: str | None = None,
) -> Draft:
    """Build a cited extractive answer from the retrieved chunks.

    For a follow-up, ``question`` is the resolved query (it carries the topic) and
    ``followup`` the person's own words ("how long does that last?"): sentences are scored
    against both, so the answer says how long, not just something about the topic.
    """

    hits = list(retrieval.hits[:PASSAGES_USED])
    qvec = retrieval.query_vector
    fvec = kb.embeddings.query_vector(followup) if followup and followup != question else None
    q_terms = set(content_terms(question))
    asks_definition = bool(_WHAT_IS.search(followup or question))
    candidates: list[tuple[float, int, int, str, np.ndarray]] = []
    for rank, hit in enumerate(hits):
        vecs = kb.sentence_vectors.get(hit.chunk.id)
        if vecs is None or len(vecs) != len(hit.chunk.sentences):
            continue
        sims = vecs @ qvec
        if fvec is not None:
            sims = (1 - FOLLOWUP_WEIGHT) * sims + FOLLOWUP_WEIGHT * (vecs @ fvec)
        for i, sent in enumerate(hit.chunk.sentences):
            if len(sent.split()) < MIN_WORDS or sent.endswith(":") or _REFERRAL.search(sent):
                continue
            overlap = len(q_terms & set(content_terms(sent))) / max(len(q_terms), 1)
            score = float(sims[i]) + 0.25 * overlap - 0.03 * rank
            if _DANGLING.match(sent):
                score -= 0.15
            if asks_definition and _DEFINES.search(sent):
                score += DEFINITION_BONUS
            if hit.chunk.section.lower().startswith("key points"):
                score += KEY_POINTS_BONUS
            candidates.append((score, rank, i, sent, vecs[i]))
    if not candidates:
        return Draft("", (), (), ())
    candidates.sort(key=lambda c: -c[0])
    best = candidates[0][0]
    chosen: list[tuple[float, int, int, str, np.ndarray]] = []
    pool = [c for c in candidates if c[0] >= best * KEEP_RATIO]
    while pool and len(chosen) < max_sentences:

        def mmr(c: tuple[float, int, int, str, np.ndarray]) -> float:
            if not chosen:
                return c[0]
            redundancy = max(float(c[4] @ s[4]) for s in chosen)
            return MMR_LAMBDA * c[0] - (1 - MMR_LAMBDA) * redundancy

        pick = max(pool, key=mmr)
        pool.remove(pick)
        if chosen and max(float(pick[4] @ s[4]) for s in chosen) >= DUPLICATE_SIMILARITY:
            continue
        chosen.append(pick)
    lead, rest = chosen[0], chosen[1:]
    # direct answer first, then the why, then what to do; within a role keep corpus order
    rest.sort(key=lambda c: (_role(c[3]), c[1], c[2]))
    ordered = [lead, *rest]
    numbers: dict[int, int] = {}
    sentences: list[tuple[str, int]] = []
    for _, rank, _, sent, _ in ordered:
        n = numbers.setdefault(rank, len(numbers) + 1)
        sentences.append((sent, n))
    citations, passages = _citations(hits, numbers, kb)
    text = " ".join(f"{s} [{n}]" for s, n in sentences)
    return Draft(text, tuple(sentences), citations, passages)


def _citations(
    hits: list[Hit], numbers: dict[int, int], kb: KnowledgeBase
) -> tuple[tuple[Citation, ...], tuple[dict[str, Any], ...]]:
    citations, passages = [], []
    for rank, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        chunk = hits[rank].chunk
        sources = tuple(kb.doc_sources(chunk.doc_id))
        citations.append(
            Citation(
                n=n,
                doc_id=chunk.doc_id,
                title=chunk.title,
                section=chunk.section,
                chunk_id=chunk.id,
                sources=sources,
                reviews=tuple(kb.doc_reviews(chunk.doc_id)),
            )
        )
        passages.append(
            {
                "n": n,
                "chunk_id": chunk.id,
                "doc_id": chunk.doc_id,
                "title": chunk.title,
                "section": chunk.section,
                "text": chunk.text,
                "score": round(hits[rank].score, 4),
            }
        )
    return tuple(citations), tuple(passages)
