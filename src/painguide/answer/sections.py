"""The corpus seen as questions and answers: every ``##`` section is a question with its answer.

The corpus is written so that each section heading is a question people ask and the section's
opening sentences answer it. :class:`SectionIndex` groups the indexed chunks back into sections,
embeds each heading (and each "Also asked" wording) once, and scores how well a question matches
each section, so the composer can answer with a section's opening, in the order it was written.

Example::

    sections = SectionIndex.build(kb, cache_dir=Path(".painguide/cache"))
    scores = sections.heading_scores(query_vector)     # one score per section
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from painguide.text import STOPWORDS, content_terms, words

if TYPE_CHECKING:
    import numpy as np

    from painguide.retrieval import KnowledgeBase

KEY_POINTS = "key points"
LIBRARY_DEFAULT_SUBJECTS = frozenset({"back pain"})  # most pages are about it: never "other"
# Treatments most pages mention in passing: a heading naming them is not about another subject.
EVERYDAY_TREATMENTS = frozenset({"physiotherapy", "stretching", "painkillers", "scans"})
COMMON_WORD_CHUNKS = 25  # a word in at least this many passages is everyday library wording
SYNONYM_SIMILARITY = 0.7  # a word this close to an everyday library word means the same
TITLE_WEIGHT = 10  # a subject named in a page's title outweighs any number of its headings
WORD_VECTOR_CACHE = 4096  # single-word vectors kept (cleared when full)


@dataclass(frozen=True)
class SectionSentence:
    """One sentence of a section, with where it is stored (for its vector and citation)."""

    text: str
    chunk_id: str
    index: int  # position in the chunk's sentences


@dataclass
class SectionInfo:
    """One ``##`` section reassembled from its chunks."""

    doc_id: str
    title: str
    heading: str
    also_asked: tuple[str, ...]
    chunk_ids: list[str] = field(default_factory=list)
    sentences: list[SectionSentence] = field(default_factory=list)
    order: int = 0  # position of the section in its document (Key points is 0)

    @property
    def is_key_points(self) -> bool:
        """Whether this is the document's Key points list."""
        return self.heading.strip().lower().startswith(KEY_POINTS)

    def match_texts(self) -> list[str]:
        """Wordings a question is compared with: the heading (the title for Key points) and
        every "Also asked" line."""
        first = self.title if self.is_key_points else self.heading
        return [first, *self.also_asked]


class SectionIndex:
    """Sections of the indexed corpus with embedded headings, built once per knowledge base."""

    def __init__(self, sections: list[SectionInfo], vectors: np.ndarray, owners: list[int]) -> None:
        import numpy as np

        self.sections = sections
        self.vectors = vectors
        self.owners = np.asarray(owners, dtype=np.int64)
        dim = vectors.shape[1] if vectors.ndim == 2 else 0
        self.opening_vectors = np.zeros((0, dim), dtype=np.float32)
        self.opening_owners = np.zeros(0, dtype=np.int64)
        self.by_chunk = {cid: i for i, s in enumerate(sections) for cid in s.chunk_ids}
        self.key_points_of = {s.doc_id: i for i, s in enumerate(sections) if s.is_key_points}
        self._subjects: dict[int, frozenset[str]] = {}
        self._about: dict[str, list[str]] = {}
        self._forms: dict[int, frozenset[str]] = {}
        self._body: dict[int, frozenset[str]] = {}
        self._common: tuple[list[str], np.ndarray | None] | None = None
        self._word_vectors: dict[str, np.ndarray] = {}
        self._page_words: dict[str, str] = {}
        self.heading_terms = [frozenset(content_terms(" ".join(s.match_texts()))) for s in sections]

    def page_words(self, doc_id: str) -> str:
        """A page's title, wordings and sentences as normalised tokens, space-padded, so a
        phrase is found with ``f" {phrase} " in page_words(doc)``; computed once per page."""
        if doc_id not in self._page_words:
            from painguide.answer.coverage import normalise_tokens

            self._page_words[doc_id] = (
                " "
                + " ".join(
                    " ".join(normalise_tokens(t))
                    for info in self.sections
                    if info.doc_id == doc_id
                    for t in [info.title, *info.match_texts(), *(x.text for x in info.sentences)]
                )
                + " "
            )
        return self._page_words[doc_id]

    def subjects_of(self, idx: int) -> frozenset[str]:
        """Conditions, body parts and specific treatments a section's heading (or, for Key
        points, title) names: "What is recovery like after back surgery?" is about surgery."""
        if idx < 0:
            return frozenset()
        if idx not in self._subjects:
            from painguide.answer.coverage import find_subjects

            info = self.sections[idx]
            text = info.title if info.is_key_points else info.heading
            self._subjects[idx] = frozenset(
                s.name
                for s in find_subjects(text)
                if s.name not in LIBRARY_DEFAULT_SUBJECTS and s.name not in EVERYDAY_TREATMENTS
            )
        return self._subjects[idx]

    def docs_about(self, name: str) -> list[str]:
        """Pages about the named subject: a phrase of it in the title first, then in the most
        headings and Also-asked wordings ("tendonitis" is asked on the tendon pain page)."""
        if name not in self._about:
            from painguide.answer.coverage import normalise_tokens, subject_phrases

            phrases = [f" {p} " for p in subject_phrases(name)]

            def has(text: str) -> bool:
                padded = f" {' '.join(normalise_tokens(text))} "
                return any(p in padded for p in phrases)

            counts: dict[str, int] = {}
            for info in self.sections:
                wordings = [] if info.is_key_points else info.match_texts()
                hits = sum(has(t) for t in wordings) + (
                    TITLE_WEIGHT * has(info.title) if info.is_key_points else 0
                )
                if hits:
                    counts[info.doc_id] = counts.get(info.doc_id, 0) + hits
            self._about[name] = sorted(counts, key=lambda d: -counts[d])
        return self._about[name]

    def body_terms(self, idx: int) -> frozenset[str]:
        """Content words of a section's heading, Also-asked wordings and sentences."""
        if idx not in self._body:
            info = self.sections[idx]
            text = " ".join([*info.match_texts(), *(s.text for s in info.sentences)])
            self._body[idx] = frozenset(content_terms(text))
        return self._body[idx]

    def forms_of(self, idx: int) -> frozenset[str]:
        """The question forms (definition, how-to, yes/no ...) its heading and Also-asked
        wordings ask in; empty for Key points, which answer no one question."""
        if idx not in self._forms:
            from painguide.answer.qtype import question_type

            info = self.sections[idx]
            texts = [] if info.is_key_points else info.match_texts()
            self._forms[idx] = frozenset(question_type(t) for t in texts) - {"other"}
        return self._forms[idx]

    @classmethod
    def build(cls, kb: KnowledgeBase, cache_dir: Path | None = None) -> SectionIndex:
        """Group chunks into sections (in document order) and embed their match wordings."""
        sections: list[SectionInfo] = []
        where: dict[tuple[str, str], int] = {}
        doc_sections: dict[str, int] = {}
        for chunk in sorted(kb.chunks, key=lambda c: (c.doc_id, c.position)):
            key = (chunk.doc_id, chunk.section)
            if key not in where:
                extra = kb.extras.get(chunk.id, {})
                asked = tuple(
                    a.strip() for a in str(extra.get("also_asked", "")).split(";") if a.strip()
                )
                where[key] = len(sections)
                order = doc_sections.get(chunk.doc_id, 0)
                doc_sections[chunk.doc_id] = order + 1
                sections.append(
                    SectionInfo(chunk.doc_id, chunk.title, chunk.section, asked, order=order)
                )
            info = sections[where[key]]
            info.chunk_ids.append(chunk.id)
            info.sentences.extend(
                SectionSentence(s, chunk.id, i) for i, s in enumerate(chunk.sentences)
            )
        texts: list[str] = []
        owners: list[int] = []
        for i, info in enumerate(sections):
            for text in info.match_texts():
                texts.append(text)
                owners.append(i)
        vectors = kb.embeddings.cached_encode(texts, cache_dir)
        index = cls(sections, vectors, owners)
        index.build_openings(kb)
        return index

    def build_openings(self, kb: KnowledgeBase, n: int = 3) -> None:
        """Stack the vectors of each section's first ``n`` sentences (one matrix product per
        question instead of a loop over sections)."""
        import numpy as np

        rows, owners = [], []
        for i, info in enumerate(self.sections):
            for sent in info.sentences[:n]:
                vec = self.sentence_vector(kb, sent)
                if vec is not None:
                    rows.append(vec)
                    owners.append(i)
        dim = self.vectors.shape[1] if len(self.vectors) else 0
        self.opening_vectors = np.asarray(rows, dtype=np.float32).reshape(-1, dim)
        self.opening_owners = np.asarray(owners, dtype=np.int64)

    def has_common_synonym(self, word: str, kb: KnowledgeBase) -> bool:
        """Whether the library says ``word`` mostly with a common word of the same meaning
        ("workout" for exercise, "stroll" for walk): then ``word`` names no special topic."""
        import numpy as np

        if self._common is None:
            counts: Counter[str] = Counter()
            for chunk in kb.chunks:
                counts.update({w for w in words(chunk.text) if w.isalpha() and len(w) >= 4})
            common = sorted(w for w, n in counts.items() if n >= COMMON_WORD_CHUNKS)
            common = [w for w in common if w not in STOPWORDS]
            vecs = kb.embeddings.cached_encode(common, kb.cache_dir) if common else None
            self._common = (common, vecs)
        common, vecs = self._common
        if vecs is None or word in common:
            return False
        if word not in self._word_vectors:
            if len(self._word_vectors) >= WORD_VECTOR_CACHE:
                self._word_vectors.clear()
            self._word_vectors[word] = np.asarray(kb.embeddings.encode([word]))[0]
        return bool(float(np.max(vecs @ self._word_vectors[word])) >= SYNONYM_SIMILARITY)

    def heading_scores(self, vector: np.ndarray) -> np.ndarray:
        """Best cosine similarity between ``vector`` and each section's match wordings."""
        import numpy as np

        sims = self.vectors @ vector
        best = np.full(len(self.sections), -1.0, dtype=np.float32)
        np.maximum.at(best, self.owners, sims)
        return best

    def opening_scores(self, vector: np.ndarray) -> np.ndarray:
        """Best cosine similarity between ``vector`` and each section's opening sentences."""
        import numpy as np

        best = np.full(len(self.sections), -1.0, dtype=np.float32)
        if len(self.opening_vectors):
            np.maximum.at(best, self.opening_owners, self.opening_vectors @ vector)
        return best

    def sentence_vector(self, kb: KnowledgeBase, sent: SectionSentence) -> np.ndarray | None:
        """The stored vector of one section sentence, if the index has it."""
        vecs = kb.sentence_vectors.get(sent.chunk_id)
        if vecs is None or sent.index >= len(vecs):
            return None
        return vecs[sent.index]


def section_index(kb: KnowledgeBase) -> SectionIndex:
    """The knowledge base's section index (built on first use, then kept with it)."""
    cached = kb.derived.get("sections")
    if cached is None:
        cached = SectionIndex.build(kb, kb.cache_dir)
        kb.derived["sections"] = cached
    return cached
