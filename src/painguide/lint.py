"""``painguide corpus lint``: a real gate on the corpus, naming the file and the reason.

Fails on: invalid or missing front matter; duplicate ids; id not matching the file name;
no sources; ``last_reviewed`` older than 24 months; reading grade above the document's
``reading_level_max``; missing ``## Key points`` first; a section under 40 words; a chunk over
the chunk limit; links to corpus documents that do not exist.

Example::

    report = lint_corpus(Path("corpus"), chunk_max_words=180)
    print(report.table()); assert not report.problems
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from painguide.chunking import chunk_document
from painguide.corpus import corpus_files, parse_document
from painguide.errors import CorpusError
from painguide.readability import grade_level, plain_text
from painguide.types import Document

MAX_REVIEW_AGE_DAYS = 730  # 24 months: content older than this must be re-reviewed
MIN_SECTION_WORDS = 40  # shorter sections make poor stand-alone passages
_DOC_LINK = re.compile(r"\]\(([^)#\s]+?)\.md(?:#[^)]*)?\)")


@dataclass
class DocStats:
    """Per-document figures for the summary table."""

    id: str
    topic: str
    words: int
    grade: float
    max_grade: float


@dataclass
class LintReport:
    """Problems found and per-document figures."""

    problems: list[str] = field(default_factory=list)
    stats: list[DocStats] = field(default_factory=list)

    def table(self) -> str:
        """Summary table: documents, words, grade per document, topics covered."""
        lines = [f"{'document':44s} {'topic':20s} {'words':>6s} {'grade':>6s}"]
        for s in sorted(self.stats, key=lambda s: (s.topic, s.id)):
            flag = " !" if s.grade > s.max_grade else ""
            lines.append(f"{s.id:44s} {s.topic:20s} {s.words:6d} {s.grade:6.1f}{flag}")
        if self.stats:
            grades = sorted(s.grade for s in self.stats)
            median = grades[len(grades) // 2]
            topics = sorted({s.topic for s in self.stats})
            lines.append(
                f"\n{len(self.stats)} documents, {sum(s.words for s in self.stats)} words, "
                f"median grade {median:.1f}, max grade {grades[-1]:.1f}; "
                f"{len(topics)} topics: {', '.join(topics)}"
            )
        lines.append(f"{len(self.problems)} problem(s)")
        return "\n".join(lines)


def lint_document(
    doc: Document, chunk_max_words: int, today: dt.date, known_ids: set[str]
) -> tuple[list[str], DocStats]:
    """Problems of one parsed document and its figures."""
    problems: list[str] = []
    where = doc.path
    if doc.sections[0].heading.strip().lower() != "key points":
        problems.append(f"{where}: the first section must be '## Key points'")
    for sec in doc.sections:
        n = len(sec.text.split())
        if n < MIN_SECTION_WORDS:
            problems.append(
                f"{where}: section '{sec.heading}' has {n} words (at least {MIN_SECTION_WORDS})"
            )
    for chunk in chunk_document(doc, chunk_max_words):
        n = len(chunk.text.split())
        if n > chunk_max_words:
            problems.append(
                f"{where}: chunk '{chunk.id}' has {n} words (limit {chunk_max_words}); "
                "split the paragraph"
            )
    reviewed = dt.date.fromisoformat(doc.last_reviewed)
    if (today - reviewed).days > MAX_REVIEW_AGE_DAYS:
        problems.append(f"{where}: last_reviewed {doc.last_reviewed} is older than 24 months")
    if reviewed > today:
        problems.append(f"{where}: last_reviewed {doc.last_reviewed} is in the future")
    for target in _DOC_LINK.findall(doc.body):
        stem = Path(target).stem
        if "/" not in target.strip("./") and stem not in known_ids:
            problems.append(
                f"{where}: link to '{target}.md' but no corpus document has id '{stem}'"
            )
    text = plain_text(doc.body)
    grade = grade_level(text)
    if grade > doc.reading_level_max:
        problems.append(
            f"{where}: reading grade {grade:.1f} is above reading_level_max "
            f"{doc.reading_level_max:g}; use shorter sentences and plainer words"
        )
    return problems, DocStats(doc.id, doc.topic, len(text.split()), grade, doc.reading_level_max)


def lint_corpus(
    corpus_dir: Path, chunk_max_words: int = 180, today: dt.date | None = None
) -> LintReport:
    """Lint every document (collecting all problems rather than stopping at the first)."""
    today = today or dt.date.today()
    report = LintReport()
    docs: list[Document] = []
    seen: dict[str, str] = {}
    try:
        files = corpus_files(corpus_dir)
    except CorpusError as exc:
        report.problems.append(str(exc))
        return report
    for path in files:
        try:
            doc = parse_document(path)
        except CorpusError as exc:
            report.problems.append(f"{exc.path}: field '{exc.field}': {exc.problem}")
            continue
        if doc.id in seen:
            report.problems.append(f"{path}: duplicate id '{doc.id}' (also in {seen[doc.id]})")
            continue
        seen[doc.id] = str(path)
        docs.append(doc)
    known = set(seen)
    for doc in docs:
        problems, stats = lint_document(doc, chunk_max_words, today, known)
        report.problems.extend(problems)
        report.stats.append(stats)
    if not files:
        report.problems.append(f"{corpus_dir}: no .md documents")
    return report
