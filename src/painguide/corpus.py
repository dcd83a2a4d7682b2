"""Load and validate ``corpus/*.md``: YAML front matter plus Markdown sections.

Example::

    docs = load_corpus(Path("corpus"))   # raises CorpusError naming file and field
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

from painguide.errors import CorpusError
from painguide.types import Document, Review, Section, Source

log = logging.getLogger(__name__)

TOPICS: frozenset[str] = frozenset(
    {
        "understanding-pain",
        "why-exercise-helps",
        "exercising-safely",
        "back-pain",
        "other-conditions",
        "safety-and-help",
    }
)
AUDIENCES: frozenset[str] = frozenset({"general", "clinician"})
REQUIRED_FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "topic",
    "summary",
    "audience",
    "reading_level_max",
    "last_reviewed",
    "sources",
)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
SECTION_SPLIT = re.compile(r"^##\s+(.+?)\s*$", re.M)
ALSO_ASKED = re.compile(r"\A[ \t]*Also asked:[ \t]*(.*?)[ \t]*(?:\n|\Z)", re.I)
REVIEW_FIELDS: tuple[str, ...] = ("reviewed_by", "date", "checked")


def _parse_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    import yaml

    match = FRONT_MATTER.match(text)
    if not match:
        raise CorpusError(path, "front matter", "the file must start with a '---' YAML block")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise CorpusError(path, "front matter", f"invalid YAML ({exc})") from exc
    if not isinstance(meta, dict):
        raise CorpusError(path, "front matter", "must be a YAML mapping of fields")
    return meta, match.group(2)


def _require_str(path: Path, meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CorpusError(path, key, "missing or empty; it must be a non-empty text")
    return value.strip()


def _parse_sources(path: Path, raw: object) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        raise CorpusError(path, "sources", "every document needs at least one source")
    out = []
    for i, item in enumerate(raw):
        where = f"sources[{i}]"
        if not isinstance(item, dict):
            raise CorpusError(path, where, "each source must have title, publisher and year")
        for key in ("title", "publisher"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise CorpusError(path, f"{where}.{key}", "missing or empty")
        year = item.get("year")
        if not isinstance(year, int) or not 1900 <= year <= 2100:
            raise CorpusError(path, f"{where}.year", "must be a four-digit year")
        url = item.get("url")
        if url is not None and (not isinstance(url, str) or not url.startswith("http")):
            raise CorpusError(path, f"{where}.url", "must start with http(s):// or be left out")
        out.append(Source(item["title"].strip(), item["publisher"].strip(), year, url))
    return tuple(out)


def _parse_reviews(path: Path, raw: object) -> tuple[Review, ...]:
    """``reviews:`` records; optional for now (lint warns when missing)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CorpusError(path, "reviews", "must be a list of {reviewed_by, date, checked}")
    out = []
    for i, item in enumerate(raw):
        where = f"reviews[{i}]"
        if not isinstance(item, dict):
            raise CorpusError(path, where, "each review needs reviewed_by, date and checked")
        for key in ("reviewed_by", "checked"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise CorpusError(path, f"{where}.{key}", "missing or empty; it must be a text")
        date = item.get("date")
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CorpusError(path, f"{where}.date", "must be a date like 2026-12-02") from exc
        if not isinstance(date, dt.date):
            raise CorpusError(path, f"{where}.date", "must be a date like 2026-12-02")
        unknown = sorted(set(item) - set(REVIEW_FIELDS))
        if unknown:
            raise CorpusError(path, f"{where}.{unknown[0]}", f"unknown field; use {REVIEW_FIELDS}")
        out.append(Review(item["reviewed_by"].strip(), date.isoformat(), item["checked"].strip()))
    return tuple(out)


def split_also_asked(text: str) -> tuple[tuple[str, ...], str]:
    """Take an ``Also asked: a; b`` first line off a section's text: (phrasings, rest)."""
    match = ALSO_ASKED.match(text)
    if not match:
        return (), text
    phrasings = tuple(p.strip() for p in match.group(1).split(";") if p.strip())
    return phrasings, text[match.end() :].strip()


def parse_sections(body: str) -> tuple[Section, ...]:
    """Split a Markdown body into its ``##`` sections (text before the first is dropped)."""
    parts = SECTION_SPLIT.split(body)
    sections = []
    for i in range(1, len(parts), 2):
        also, text = split_also_asked(parts[i + 1].strip())
        sections.append(Section(heading=parts[i].strip(), text=text, also_asked=also))
    return tuple(sections)


def front_matter_hash(meta: dict[str, Any]) -> str:
    """A digest of every front-matter field (dates and nesting included), for re-syncing."""
    canonical = json.dumps(meta, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def parse_document(path: Path, text: str | None = None) -> Document:
    """Parse and validate one corpus file; raise CorpusError naming the field at fault."""
    text = path.read_text(encoding="utf-8") if text is None else text
    meta, body = _parse_front_matter(path, text)
    missing = [k for k in REQUIRED_FIELDS if k not in meta]
    if missing:
        raise CorpusError(path, missing[0], "required field is missing")
    doc_id = _require_str(path, meta, "id")
    if not ID_PATTERN.match(doc_id):
        raise CorpusError(path, "id", f"'{doc_id}' must be kebab-case (a-z, 0-9, hyphens)")
    if doc_id != path.stem:
        raise CorpusError(path, "id", f"'{doc_id}' must equal the file name '{path.stem}'")
    topic = _require_str(path, meta, "topic")
    if topic not in TOPICS:
        raise CorpusError(path, "topic", f"'{topic}' is not one of {sorted(TOPICS)}")
    audience = _require_str(path, meta, "audience")
    if audience not in AUDIENCES:
        raise CorpusError(path, "audience", f"'{audience}' is not one of {sorted(AUDIENCES)}")
    level = meta.get("reading_level_max")
    if not isinstance(level, int | float) or not 1 <= level <= 16:
        raise CorpusError(path, "reading_level_max", "must be a grade number from 1 to 16")
    reviewed = meta.get("last_reviewed")
    if isinstance(reviewed, str):
        try:
            reviewed = dt.date.fromisoformat(reviewed)
        except ValueError as exc:
            raise CorpusError(path, "last_reviewed", "must be a date like 2026-11-25") from exc
    if not isinstance(reviewed, dt.date):
        raise CorpusError(path, "last_reviewed", "must be a date like 2026-11-25")
    sections = parse_sections(body)
    if not sections:
        raise CorpusError(path, "body", "needs '## ' sections, starting with '## Key points'")
    for sec in sections:
        if not sec.text:
            raise CorpusError(path, f"section '{sec.heading}'", "is empty")
    return Document(
        id=doc_id,
        title=_require_str(path, meta, "title"),
        topic=topic,
        summary=_require_str(path, meta, "summary"),
        audience=audience,
        reading_level_max=float(level),
        last_reviewed=reviewed.isoformat(),
        sources=_parse_sources(path, meta.get("sources")),
        sections=sections,
        path=str(path),
        body=body,
        reviews=_parse_reviews(path, meta.get("reviews")),
        meta_hash=front_matter_hash(meta),
    )


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The corpus Markdown files, sorted for stable ordering."""
    if not corpus_dir.is_dir():
        raise CorpusError(corpus_dir, "corpus_dir", "folder not found; set PAINGUIDE_CORPUS_DIR")
    return sorted(p for p in corpus_dir.glob("*.md") if not p.name.startswith(("_", ".")))


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Load every document, failing on the first malformed one or on duplicate ids."""
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for path in corpus_files(corpus_dir):
        doc = parse_document(path)
        if doc.id in seen:
            raise CorpusError(path, "id", f"duplicate id '{doc.id}' (also in {seen[doc.id]})")
        seen[doc.id] = str(path)
        docs.append(doc)
    if not docs:
        raise CorpusError(corpus_dir, "corpus_dir", "holds no .md documents")
    log.info("loaded %d corpus documents from %s", len(docs), corpus_dir)
    return docs


def corpus_hash(docs: list[Document]) -> str:
    """A hash of the whole corpus (every front-matter field and the text), kept in the manifest.

    Any edit to a document's front matter or body changes it, so a plain ``painguide ingest``
    re-syncs the index instead of reporting "unchanged".
    """
    h = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.id):
        for part in (doc.id, doc.meta_hash, doc.body):
            h.update(part.encode())
            h.update(b"\x1f")
    return h.hexdigest()[:16]
