"""``painguide corpus lint``: a real gate on the corpus, naming the file and the reason.

Fails on: invalid or missing front matter; duplicate ids; id not matching the file name;
no sources; ``last_reviewed`` in the future; reading grade above the document's
``reading_level_max``; missing ``## Key points`` first; a section under 40 words; a chunk over
the chunk limit; links to corpus documents that do not exist; and the section-shape and
safety rules of ``painguide.lint_rules`` (heading-question, first-sentence, key-term,
key-points, also-asked, emergency-wording, exception-group; each defined there).

Warns (fails only with ``strict``) on: ``last_reviewed`` older than 24 months as of the
``as_of`` date (default today; tests pin it, so no test fails on a calendar date); no
``reviews:`` record in the front matter.

Example::

    report = lint_corpus(Path("corpus"), chunk_max_words=180, today=dt.date(2026, 12, 2))
    print(report.table()); assert not report.failed(strict=False)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from painguide.chunking import chunk_document, split_sentences
from painguide.corpus import corpus_files, parse_document
from painguide.errors import CorpusError
from painguide.lint_rules import (
    check_emergency_wording,
    check_exception_groups,
    check_key_points,
    check_section_shape,
    section_frequencies,
)
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
    warnings: list[str] = field(default_factory=list)

    def failed(self, strict: bool = False) -> bool:
        """True when there are problems (or, with ``strict``, warnings)."""
        return bool(self.problems or (strict and self.warnings))

    def rule_counts(self) -> dict[str, int]:
        """Problems per named rule (``[rule]`` in the message), for the summary."""
        counts: dict[str, int] = {}
        for p in self.problems:
            m = re.search(r"\[([a-z-]+)\]", p)
            key = m.group(1) if m else "other"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))

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
        if self.problems:
            per_rule = ", ".join(f"{k} {v}" for k, v in self.rule_counts().items())
            files = len({p.split(": ", 1)[0] for p in self.problems})
            lines.append(f"problems by rule: {per_rule}; in {files} file(s)")
        lines.append(f"{len(self.warnings)} warning(s)")
        lines.append(f"{len(self.problems)} problem(s)")
        return "\n".join(lines)


def lint_document(
    doc: Document,
    chunk_max_words: int,
    today: dt.date,
    known_ids: set[str],
    freq: dict[str, int] | None = None,
) -> tuple[list[str], DocStats, list[str]]:
    """Problems of one parsed document, its figures and its warnings."""
    problems: list[str] = []
    where = doc.path
    if doc.sections[0].heading.strip().lower() != "key points":
        problems.append(f"{where}: the first section must be '## Key points'")
    problems.extend(f"{where}: {p}" for p in _rule_problems(doc, freq or {}))
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
    warnings = _review_warnings(doc, today) + _answer_type_warnings(doc)
    reviewed = dt.date.fromisoformat(doc.last_reviewed)
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
    stats = DocStats(doc.id, doc.topic, len(text.split()), grade, doc.reading_level_max)
    return problems, stats, warnings


def _rule_problems(doc: Document, freq: dict[str, int]) -> list[str]:
    """The section-shape and safety rules of ``lint_rules``."""
    out: list[str] = []
    for sec in doc.sections:
        if sec.heading.strip().lower() == "key points":
            out.extend(check_key_points(sec))
        else:
            out.extend(check_section_shape(sec, freq))
    out.extend(check_emergency_wording(doc))
    out.extend(check_exception_groups(doc))
    return out


def _answer_type_warnings(doc: Document) -> list[str]:
    """[answer-type] A heading that asks "what is", "how long" or a yes/no question should be
    answered in kind by its first sentence (the composer leads with it): a definition, a
    quantity (first two sentences) or a stance. Uses the composer's own checks; a warning,
    because a program reads kinds of answer only roughly."""
    from painguide.answer.qtype import answer_matches_type, question_type

    out = []
    for sec in doc.sections[1:]:
        qtype = question_type(sec.heading)
        if qtype not in ("definition", "quantity", "yesno"):
            continue
        if not answer_matches_type(qtype, split_sentences(sec.text)[:2]):
            kind = {"definition": "a definition", "quantity": "a number with its unit"}
            out.append(
                f"{doc.path}: [answer-type] section '{sec.heading}' asks for "
                f"{kind.get(qtype, 'a yes, no or it-depends stance')}; its first sentence "
                "does not give one"
            )
    return out


def _review_warnings(doc: Document, as_of: dt.date) -> list[str]:
    """Due-for-review and missing review record: warnings, not errors."""
    out = []
    reviewed = dt.date.fromisoformat(doc.last_reviewed)
    if (as_of - reviewed).days > MAX_REVIEW_AGE_DAYS:
        out.append(
            f"{doc.path}: last_reviewed {doc.last_reviewed} is older than 24 months "
            f"as of {as_of.isoformat()}: due for review"
        )
    if not doc.reviews:
        out.append(f"{doc.path}: no 'reviews:' record in the front matter (who checked what)")
    return out


def lint_corpus(
    corpus_dir: Path, chunk_max_words: int = 180, today: dt.date | None = None
) -> LintReport:
    """Lint every document (collecting all problems rather than stopping at the first).

    ``today`` is the as-of date for the review-age warning (default: the real date).
    """
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
    freq = section_frequencies(docs)
    for doc in docs:
        problems, stats, warnings = lint_document(doc, chunk_max_words, today, known, freq)
        report.problems.extend(problems)
        report.warnings.extend(warnings)
        report.stats.append(stats)
    if not files:
        report.problems.append(f"{corpus_dir}: no .md documents")
    return report
