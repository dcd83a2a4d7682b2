"""Hybrid retrieval: dense (Chroma) plus lexical (BM25), fused by reciprocal rank fusion.

Example::

    kb = KnowledgeBase.load(settings)
    result = HybridRetriever(kb, settings).search("why does exercise help back pain")
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from painguide.text import STOPWORDS, content_terms, without_interjection, words
from painguide.types import Chunk, Hit

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np

    from painguide.config import Settings
    from painguide.embeddings import SentenceEmbeddings
    from painguide.index import ChromaIndex

log = logging.getLogger(__name__)

RRF_K = 60  # the usual reciprocal-rank-fusion constant (Cormack et al. 2009)
DENSE_WEIGHT = 1.0  # chunk-level dense, sentence-level dense and BM25 count equally
SENTENCE_WEIGHT = 1.0
BM25_WEIGHT = 1.0
CONTEXT_WEIGHT = 1.0  # documents the previous answer quoted, for follow-ups
SENTENCES_PER_CHUNK_CANDIDATE = 3  # sentence hits fetched per chunk candidate wanted
# Question types whose answer is a kind of quantity: the lexical query asks for that kind,
# so "how long does that last?" looks for minutes and weeks rather than "long-term pain".
ANSWER_TYPE_TERMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bhow long\b", re.I), "minutes hours days weeks months"),
    (re.compile(r"\bhow (often|many times)\b", re.I), "times week days per"),
    (re.compile(r"\bhow much\b", re.I), "minutes amount week"),
)
# an earlier answer's sentence "restates" a corpus sentence this similar (all-MiniLM-L6-v2
# cosine; paraphrases of one fact score about 0.7-0.9, different facts on one topic 0.4-0.6)
RESTATED_SIMILARITY = 0.7
RESTATED_SENTENCES = 6  # sentences of the earlier answer read (its opening carries the topic)
MIN_CORRECTABLE_LEN = 4  # shorter unknown words are left alone ("pt", "gp")
# Real-word slips: a correctly spelt word typed for another, told apart by the word after it
# ("loosing weight" is "losing weight"). Spelling correction never touches a real word, so
# these are fixed by context; each pattern needs that context word to fire.
_WEIGHT = (
    r"(?=\s+(?:some\s+|a\s+(?:bit|little|lot)\s+(?:of\s+)?|the\s+)?"
    r"(?:weight|pounds|stone|kilos|kg|lbs)\b)"
)
REAL_WORD_SLIPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bloosing" + _WEIGHT, re.I), "losing"),
    (re.compile(r"\bloose" + _WEIGHT, re.I), "lose"),
    (re.compile(r"\bloosed" + _WEIGHT, re.I), "lost"),
    # clipped names of a profession the pages spell out ("a physio or a chiro")
    (re.compile(r"\bchiros\b", re.I), "chiropractors"),
    (re.compile(r"\bchiro\b", re.I), "chiropractor"),
)
MIN_COMPOUND_PART = 4  # "corestability" splits into "core stability"; "bedrest" does not split
# Contractions typed without the apostrophe are words, not misspellings ("shouldnt" is not
# "shoulder"); they are left alone.
BARE_CONTRACTIONS = frozenset(
    [
        "dont",
        "doesnt",
        "didnt",
        "cant",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "wont",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "havent",
        "hasnt",
        "hadnt",
        "mustnt",
        "neednt",
        "im",
        "ive",
        "youre",
        "youve",
        "theyre",
        "theyve",
        "thats",
        "whats",
        "hows",
        "wheres",
        "theres",
        "heres",
        "lets",
        "itll",
        "ill",
        "youll",
        "theyll",
        "shes",
        "hes",
        "weve",
    ]
)


@dataclass
class KnowledgeBase:
    """Everything served from the index: chunks, BM25, sentence vectors, document facts."""

    index: ChromaIndex
    embeddings: SentenceEmbeddings
    chunks: list[Chunk]
    extras: dict[str, dict[str, Any]]
    sentence_vectors: dict[str, np.ndarray]
    manifest: dict[str, Any]
    bm25: Any = None
    by_id: dict[str, Chunk] = field(default_factory=dict)
    vocabulary: frozenset[str] = frozenset()
    chunk_terms: dict[str, frozenset[str]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    _sentence_docs: dict[str, str] = field(default_factory=dict)
    _sentence_count: int = -1
    _sources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _reviews: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _topics: dict[str, list[str]] | None = None
    cache_dir: Path | None = None  # where derived vectors (section headings) are cached
    derived: dict[str, Any] = field(default_factory=dict)  # built on first use (sections)

    @classmethod
    def load(cls, index: ChromaIndex, embeddings: SentenceEmbeddings) -> KnowledgeBase:
        """Read chunks and sentence vectors from the index and build BM25 in memory."""
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
        start = time.perf_counter()
        chunks, extras = index.load_chunks()
        vectors = index.load_sentence_vectors()
        import math

        tokenised = [content_terms(f"{c.title} {c.section} {c.text}") or ["_"] for c in chunks]
        bm25 = bm25s.BM25()
        bm25.index(tokenised, show_progress=False)
        df: dict[str, int] = {}
        for toks in tokenised:
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        n_chunks = max(len(chunks), 1)
        idf = {t: math.log(1 + n_chunks / d) for t, d in df.items()}
        kb = cls(
            index=index,
            embeddings=embeddings,
            chunks=chunks,
            extras=extras,
            sentence_vectors=vectors,
            manifest=index.manifest() or {},
            bm25=bm25,
            by_id={c.id: c for c in chunks},
            vocabulary=frozenset(
                w for c in chunks for w in words(f"{c.title} {c.section} {c.text}")
            ),
            chunk_terms={c.id: frozenset(t) for c, t in zip(chunks, tokenised, strict=True)},
            idf=idf,
        )
        log.info(
            "knowledge base loaded: %d chunks, %d documents in %.2fs",
            len(chunks),
            len(kb.doc_ids()),
            time.perf_counter() - start,
        )
        return kb

    @property
    def sentence_count(self) -> int:
        """Number of indexed sentences (counted once)."""
        if self._sentence_count < 0:
            self._sentence_count = sum(len(v) for v in self.sentence_vectors.values())
        return self._sentence_count

    def doc_ids(self) -> list[str]:
        """Distinct document ids in index order."""
        return list(dict.fromkeys(c.doc_id for c in self.chunks))

    def docs_quoted_in(self, text: str) -> frozenset[str]:
        """Documents whose sentences appear verbatim in ``text`` (an earlier answer)."""
        return self._quoted(text)[0]

    def _quoted(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """Documents and corpus sentences quoted verbatim in ``text``."""
        if not text:
            return frozenset(), frozenset()
        if not self._sentence_docs:
            for c in self.chunks:
                for sent in c.sentences:
                    self._sentence_docs.setdefault(sent, c.doc_id)
                    # an answer may quote "No, most people ..." as "Most people ..."
                    self._sentence_docs.setdefault(without_interjection(sent), c.doc_id)
        docs, sentences = set(), set()
        for part in re.split(r"\s*\[\d+\]\s*", text):
            quoted = re.sub(r"^[-*]\s+", "", part.strip())
            doc = self._sentence_docs.get(quoted)
            if doc:
                docs.add(doc)
                sentences.add(quoted)
        return frozenset(docs), frozenset(sentences)

    def docs_restated_in(self, text: str) -> frozenset[str]:
        """Documents an earlier answer drew on without quoting them word for word (an LLM's
        rephrasing, or a reply a clinician wrote): each of its sentences counts for the
        document holding the nearest corpus sentence, when that one says nearly the same."""
        return self._restated(text)[0]

    def _restated(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """Documents and corpus sentences that the sentences of ``text`` restate."""
        import numpy as np

        from painguide.chunking import split_sentences

        sents = [s for s in split_sentences(re.sub(r"\s*\[\d+\]", "", text)) if len(s) > 15]
        if not sents or not self.sentence_vectors:
            return frozenset(), frozenset()
        if "restate" not in self.derived:
            ids = [cid for cid in self.sentence_vectors if cid in self.by_id]
            matrix = np.concatenate([self.sentence_vectors[cid] for cid in ids])
            owner = [  # one (document, sentence) per vector row, whatever the lengths
                (self.by_id[cid].doc_id, (self.by_id[cid].sentences[i : i + 1] or [""])[0])
                for cid in ids
                for i in range(len(self.sentence_vectors[cid]))
            ]
            self.derived["restate"] = (matrix, owner)
        matrix, owner = self.derived["restate"]
        sims = self.embeddings.encode(sents[:RESTATED_SENTENCES]) @ matrix.T
        near = [
            owner[int(i)]
            for i, row in zip(sims.argmax(axis=1), sims, strict=True)
            if row[int(i)] >= RESTATED_SIMILARITY
        ]
        return frozenset(d for d, _ in near), frozenset(s for _, s in near)

    def said_in(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """What an earlier answer drew on: its documents and the corpus sentences it said.

        Sentences quoted word for word count first; an answer quoting none (an LLM's
        rephrasing, a reply someone else wrote) counts the corpus sentences it restates."""
        docs, sentences = self._quoted(text)
        return (docs, sentences) if docs else self._restated(text)

    def doc_sources(self, doc_id: str) -> list[dict[str, Any]]:
        """The sources of a document, as stored with its chunks."""
        import json

        if not self._sources:
            for c in self.chunks:
                if c.doc_id not in self._sources:
                    self._sources[c.doc_id] = list(
                        json.loads(self.extras[c.id].get("sources", "[]"))
                    )
        return self._sources.get(doc_id, [])

    def doc_reviews(self, doc_id: str) -> list[dict[str, Any]]:
        """The review records of a document (who checked what, when), as stored with its chunks."""
        import json

        if not self._reviews:
            for c in self.chunks:
                if c.doc_id not in self._reviews:
                    self._reviews[c.doc_id] = list(
                        json.loads(self.extras[c.id].get("reviews") or "[]")
                    )
        return self._reviews.get(doc_id, [])

    def topics(self) -> dict[str, list[str]]:
        """Document titles grouped by topic (for the no-content message; computed once)."""
        if self._topics is not None:
            return self._topics
        out: dict[str, list[str]] = {}
        seen: set[str] = set()
        for c in self.chunks:
            if c.doc_id in seen:
                continue
            seen.add(c.doc_id)
            out.setdefault(str(self.extras[c.id].get("topic", "")), []).append(c.title)
        self._topics = out
        return out


@dataclass(frozen=True)
class RetrievalResult:
    """Fused hits plus the facts the router and evaluations need."""

    hits: tuple[Hit, ...]
    best_dense: float
    query_vector: Any
    timings_ms: dict[str, float]
    lexical_support: float = 0.0
    corrected_query: str = ""

    def doc_ids(self) -> list[str]:
        """Documents in rank order, each once."""
        return list(dict.fromkeys(h.chunk.doc_id for h in self.hits))


def _english_words(embeddings: Any) -> frozenset[str]:
    """Real words the tokenizer knows (an empty set for an embedding model without one)."""
    known = getattr(embeddings, "known_words", None)
    return known() if callable(known) else frozenset()


def _is_english(token: str, english: frozenset[str]) -> bool:
    """A real word, or the plural of one the tokenizer knows ("planks" is not a slip for
    "plans")."""
    return token in english or (
        token.endswith("s")
        and (token[:-1] in english or (token.endswith("es") and token[:-2] in english))
    )


def _swapped_corpus_word(token: str, vocab: frozenset[str]) -> bool:
    """Whether swapping two neighbouring letters gives a corpus word: "hurst" is a real word
    but here a typo for "hurts", the commonest slip of the fingers."""
    for i in range(len(token) - 1):
        if token[i] != token[i + 1]:
            swapped = token[:i] + token[i + 1] + token[i] + token[i + 2 :]
            if swapped in vocab:
                return True
    return False


class HybridRetriever:
    """Dense + BM25 retrieval fused with RRF; ``mode`` 'dense' or 'bm25' gives baselines."""

    def __init__(
        self,
        kb: KnowledgeBase,
        candidate_k: int = 20,
        mode: str = "hybrid",
    ) -> None:
        if mode not in {"hybrid", "dense", "bm25"}:
            raise ValueError(f"unknown retrieval mode {mode!r}; use hybrid, dense or bm25")
        self.kb = kb
        self.candidate_k = candidate_k
        self.mode = mode
        self._bm25_lock = threading.Lock()  # bm25s keeps scratch state; one query at a time

    @classmethod
    def from_settings(cls, kb: KnowledgeBase, settings: Settings) -> HybridRetriever:
        """Build with the configured candidate depth."""
        return cls(kb, candidate_k=settings.candidate_k)

    def correct_spelling(self, query: str) -> str:
        """Replace words unknown to the corpus by the nearest corpus word (1-2 edits)."""
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        vocab = self.kb.vocabulary
        if not vocab:
            return query
        english = _english_words(getattr(self.kb, "embeddings", None))
        slipped = query
        for pattern, meant in REAL_WORD_SLIPS:
            slipped = pattern.sub(meant, slipped)
        changed = slipped != query
        out = []
        for token in words(slipped):
            if (
                len(token) < MIN_CORRECTABLE_LEN
                or token in vocab
                or token in STOPWORDS
                or token in BARE_CONTRACTIONS
                or (_is_english(token, english) and not _swapped_corpus_word(token, vocab))
            ):
                out.append(token)
                continue
            limit = 1 if len(token) < 7 else 2
            found = process.extract(
                token, vocab, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=None
            )
            # "unlearn" is not a misspelling of "learn": never just drop a prefix or suffix
            found = [m for m in found if not (token.endswith(m[0]) or token.startswith(m[0]))]
            if found:
                out.append(self._best_correction(token, [(str(m[0]), int(m[1])) for m in found]))
                changed = True
            elif (split := split_compound(token, vocab)) is not None:
                out.append(split)
                changed = True
            else:
                out.append(token)
        return " ".join(out) if changed else query

    def _best_correction(self, token: str, found: list[tuple[str, int]]) -> str:
        """Among equally close corpus words, the one sharing the longest start with the typed
        word, then the commoner one ("disk" -> "disc", not "risk"); ties never depend on the
        order of a set, so the same query is corrected the same way in every process."""
        idf = self.kb.idf

        def shared_start(word: str) -> int:
            n = 0
            while n < min(len(word), len(token)) and word[n] == token[n]:
                n += 1
            return n

        return min(found, key=lambda m: (m[1], -shared_start(m[0]), idf.get(m[0], 99.0), m[0]))[0]

    def sentence_dense(self, vector: np.ndarray) -> list[tuple[str, float]]:
        """Chunks ranked by their best-matching sentence (sentence-level dense search)."""
        k = min(self.candidate_k * SENTENCES_PER_CHUNK_CANDIDATE, self.kb.sentence_count)
        best: dict[str, float] = {}
        for sid, sim in self.kb.index.query(vector, k, sentences=True):
            cid = sid.rsplit("::", 1)[0]
            if sim > best.get(cid, -1.0):
                best[cid] = sim
        return sorted(best.items(), key=lambda kv: -kv[1])[: self.candidate_k]

    def dense(self, vector: np.ndarray) -> list[tuple[str, float]]:
        """Dense candidates from Chroma: (chunk id, cosine similarity)."""
        k = min(self.candidate_k, len(self.kb.chunks))
        return self.kb.index.query(vector, k)

    def lexical(self, query: str) -> list[tuple[str, float]]:
        """BM25 candidates: (chunk id, score), zero scores dropped."""
        import numpy as np

        terms = content_terms(query)
        if not terms:
            return []
        with self._bm25_lock:
            scores = self.kb.bm25.get_scores(terms)
        k = min(self.candidate_k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.kb.chunks[i].id, float(scores[i])) for i in top if scores[i] > 0]

    def search(
        self,
        query: str,
        k: int = 4,
        vector: np.ndarray | None = None,
        prefer_docs: frozenset[str] = frozenset(),
    ) -> RetrievalResult:
        """Top ``k`` chunks for the query, fused, with per-stage timings.

        ``prefer_docs`` (documents the conversation is already about) adds one more ranked
        list to the fusion: their chunks in dense order, so a follow-up stays on topic.
        """
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        corrected = self.correct_spelling(query) if self.mode == "hybrid" else query
        if vector is None or corrected != query:
            vector = self.kb.embeddings.query_vector(corrected)
        t1 = time.perf_counter()
        timings["embed_ms"] = (t1 - t0) * 1000
        dense = self.dense(vector) if self.mode != "bm25" else []
        sentence = self.sentence_dense(vector) if self.mode == "hybrid" else []
        t2 = time.perf_counter()
        timings["dense_ms"] = (t2 - t1) * 1000
        lexical = self.lexical(with_answer_type(corrected)) if self.mode != "dense" else []
        t3 = time.perf_counter()
        timings["bm25_ms"] = (t3 - t2) * 1000
        context = [(cid, sim) for cid, sim in dense if cid.split("#")[0] in prefer_docs]
        hits = fuse(dense, lexical, self.kb.by_id, sentence, context)[:k]
        timings["fusion_ms"] = (time.perf_counter() - t3) * 1000
        best = max((s for _, s in dense), default=0.0)
        if self.mode == "bm25":
            best = _best_dense_for(self.kb, vector, [h.chunk.id for h in hits])
        return RetrievalResult(
            tuple(hits), best, vector, timings, self.lexical_support(corrected, hits), corrected
        )

    def lexical_support(self, query: str, hits: list[Hit]) -> float:
        """IDF-weighted share of the query's content words found in the best passage.

        Short technical queries ("what is doms") embed poorly but match a rare corpus word;
        this lets them pass the relevance floor while off-corpus words ("shingles") do not.
        """
        terms = set(content_terms(query))
        if not terms or not hits:
            return 0.0
        idf = self.kb.idf
        default = max(idf.values(), default=1.0)
        total = sum(idf.get(t, default) for t in terms)
        best = 0.0
        for hit in hits[:3]:
            have = self.kb.chunk_terms.get(hit.chunk.id, frozenset())
            best = max(best, sum(idf.get(t, default) for t in terms if t in have) / total)
        return best


def split_compound(token: str, vocab: frozenset[str]) -> str | None:
    """Two corpus words typed as one ("corestability" -> "core stability"), when exactly one
    split into parts of at least MIN_COMPOUND_PART letters works; otherwise None."""
    splits = [
        f"{token[:i]} {token[i:]}"
        for i in range(MIN_COMPOUND_PART, len(token) - MIN_COMPOUND_PART + 1)
        if token[:i] in vocab and token[i:] in vocab
    ]
    return splits[0] if len(splits) == 1 else None


def with_answer_type(query: str) -> str:
    """The lexical query with words for the kind of answer asked for, and "long" dropped from
    "how long" (it otherwise matches "long-term" and "long-lasting")."""
    extra = [terms for pattern, terms in ANSWER_TYPE_TERMS if pattern.search(query)]
    if not extra:
        return query
    return re.sub(r"\bhow long\b", "how", query, flags=re.I) + " " + " ".join(extra)


def fuse(
    dense: list[tuple[str, float]],
    lexical: list[tuple[str, float]],
    by_id: dict[str, Chunk],
    sentence: list[tuple[str, float]] | None = None,
    context: list[tuple[str, float]] | None = None,
) -> list[Hit]:
    """Reciprocal rank fusion of the ranked lists into Hits, best first."""
    scores: dict[str, float] = {}
    for r, (cid, _) in enumerate(context or []):
        scores[cid] = scores.get(cid, 0.0) + CONTEXT_WEIGHT / (RRF_K + r + 1)
    for r, (cid, _) in enumerate(sentence or []):
        scores[cid] = scores.get(cid, 0.0) + SENTENCE_WEIGHT / (RRF_K + r + 1)
    dense_rank = {cid: r for r, (cid, _) in enumerate(dense)}
    bm25_rank = {cid: r for r, (cid, _) in enumerate(lexical)}
    dense_score = dict(dense)
    bm25_score = dict(lexical)
    for cid, r in dense_rank.items():
        scores[cid] = scores.get(cid, 0.0) + DENSE_WEIGHT / (RRF_K + r + 1)
    for cid, r in bm25_rank.items():
        scores[cid] = scores.get(cid, 0.0) + BM25_WEIGHT / (RRF_K + r + 1)
    ordered = sorted(scores, key=lambda c: (-scores[c], c))
    return [
        Hit(
            chunk=by_id[cid],
            score=scores[cid],
            dense=dense_score.get(cid),
            bm25=bm25_score.get(cid),
            rank_dense=dense_rank.get(cid),
            rank_bm25=bm25_rank.get(cid),
        )
        for cid in ordered
        if cid in by_id
    ]


def _best_dense_for(kb: KnowledgeBase, vector: np.ndarray, ids: list[str]) -> float:
    """Best sentence-level similarity among chunks (used when dense search is off)."""
    best = 0.0
    for cid in ids:
        vecs = kb.sentence_vectors.get(cid)
        if vecs is not None and len(vecs):
            best = max(best, float((vecs @ vector).max()))
    return best
