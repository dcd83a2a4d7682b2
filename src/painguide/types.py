"""Frozen value objects that flow through the pipeline, and the answer contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

Route = Literal[
    "answer", "no_content", "emergency", "urgent", "crisis", "out_of_scope", "off_topic"
]
ROUTES: tuple[str, ...] = get_args(Route)
SAFETY_ROUTES: frozenset[str] = frozenset({"emergency", "urgent", "crisis"})


@dataclass(frozen=True)
class Source:
    """A public reference a document is based on."""

    title: str
    publisher: str
    year: int
    url: str | None = None

    def label(self) -> str:
        """Short human-readable reference."""
        return f"{self.title} ({self.publisher}, {self.year})"


@dataclass(frozen=True)
class Review:
    """One review record from a document's ``reviews:`` front matter (who checked what, when).

    ``reviewed_by`` is a role, never a person's name; ``date`` is an ISO date.
    """

    reviewed_by: str
    date: str
    checked: str

    def as_dict(self) -> dict[str, str]:
        """Plain form used in chunk metadata and citations."""
        return {"reviewed_by": self.reviewed_by, "date": self.date, "checked": self.checked}


@dataclass(frozen=True)
class Section:
    """One ``##`` section of a document.

    ``also_asked`` holds the other wordings of the heading's question from an optional
    ``Also asked: a; b`` line directly under the heading; that line is not part of ``text``.
    """

    heading: str
    text: str
    also_asked: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A validated corpus document."""

    id: str
    title: str
    topic: str
    summary: str
    audience: str
    reading_level_max: float
    last_reviewed: str
    sources: tuple[Source, ...]
    sections: tuple[Section, ...]
    path: str
    body: str
    reviews: tuple[Review, ...] = ()
    meta_hash: str = ""  # digest of the whole front matter: any field change re-syncs the index


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: part of one section, never spanning two."""

    id: str
    doc_id: str
    title: str
    section: str
    text: str
    sentences: tuple[str, ...]
    content_hash: str
    position: int
    also_asked: tuple[str, ...] = ()  # the section's other question wordings (for matching)

    def embed_text(self) -> str:
        """Text given to the embedding model: title and heading add context."""
        return f"{self.title}. {self.section}. {self.text}"


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its scores."""

    chunk: Chunk
    score: float
    dense: float | None = None
    bm25: float | None = None
    rank_dense: int | None = None
    rank_bm25: int | None = None


@dataclass(frozen=True)
class Citation:
    """A numbered citation in an answer."""

    n: int
    doc_id: str
    title: str
    section: str
    chunk_id: str
    sources: tuple[dict[str, Any], ...]
    reviews: tuple[dict[str, Any], ...] = ()  # the document's review records (who checked what)


@dataclass(frozen=True)
class RouteDecision:
    """Where the router sent a message, and why (for audits)."""

    route: Route
    rule: str
    evidence: str = ""
    category: str = ""
    reason: str = ""
    turn: int = 0
    score: float | None = None


@dataclass(frozen=True)
class Answer:
    """The answer contract shared by the UI, the HTTP API, the CLI and evaluations."""

    route: Route
    answer: str
    citations: tuple[Citation, ...] = ()
    passages: tuple[dict[str, Any], ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    decision: RouteDecision | None = None
    engine: str = "extractive"
    retrieved_ids: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    query: str = ""
    notice: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (the documented contract)."""
        data = asdict(self)
        data["citations"] = [asdict(c) for c in self.citations]
        data["passages"] = list(self.passages)
        data["retrieved_ids"] = list(self.retrieved_ids)
        data["removed"] = list(self.removed)
        return data
