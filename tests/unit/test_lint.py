"""Tests for ``painguide.lint`` (the corpus gate) and ``painguide corpus lint``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from painguide import lint as lint_mod
from painguide.cli import main
from painguide.config import Settings, get_settings
from painguide.lint import MIN_SECTION_WORDS, LintReport, lint_corpus

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
TODAY = dt.date(2026, 11, 25)

KEY_POINTS = """## Key points

- Pain is the body's alarm. It tells you to take care.
- An alarm can be loud when there is no harm at all.
- Gentle moves each day help the alarm calm down.
- Start with a small amount and add a bit more each week.
- Ask a nurse or a doctor if you are not sure what to do.
"""

SECTION_TWO = """## How to start

Pick a walk that feels easy. Do it most days of the week. If it feels fine, add two more
minutes next week. If it flares up, go back to the last amount that felt fine. It is fine
to feel a bit sore. That does not mean you have done harm. Keep a note of what you did.
"""

SECTION_THREE = """## When to get help

Most back pain gets better with time and gentle moves. Some signs need help the same day.
If you feel numb between the legs, or you cannot pee, call for help now. If the pain keeps
you up all night and you feel unwell, see a doctor soon. Your nurse can help you plan.
"""


def doc_text(
    doc_id: str,
    *,
    reviewed: str = "2026-06-01",
    level: float = 8,
    sources: str = '  - title: "Back pain"\n    publisher: "NICE"\n    year: 2016\n',
    body: str | None = None,
) -> str:
    """A document that passes every lint check unless a keyword changes it."""
    meta = (
        f"---\nid: {doc_id}\ntitle: Test {doc_id}\ntopic: back-pain\n"
        f"summary: A short test summary.\naudience: general\nreading_level_max: {level}\n"
        f"last_reviewed: {reviewed}\nsources:\n{sources}---\n\n"
    )
    return meta + (body if body is not None else f"{KEY_POINTS}\n{SECTION_TWO}\n{SECTION_THREE}")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A tmp corpus holding one good document (``good-doc``)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good-doc.md").write_text(doc_text("good-doc"), encoding="utf-8")
    return folder


def add(folder: Path, name: str, text: str) -> Path:
    """Write one file into the tmp corpus."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_for(report: LintReport, path: Path) -> list[str]:
    """Problems that name ``path``."""
    return [p for p in report.problems if str(path) in p]


def assert_only_file_fails(report: LintReport, path: Path, pattern: str) -> None:
    """Every problem names ``path``; at least one matches ``pattern``."""
    assert report.problems, f"{path.name}: lint found no problem"
    others = [p for p in report.problems if str(path) not in p]
    assert not others, f"{path.name}: problems that do not name the file: {others}"
    assert any(re.search(pattern, p) for p in report.problems), (
        f"{path.name}: no problem matches {pattern!r}: {report.problems}"
    )


# --- the good cases ---------------------------------------------------------------------


def test_tmp_good_document_has_no_problem(corpus: Path) -> None:
    report = lint_corpus(corpus, chunk_max_words=180, today=TODAY)
    assert report.problems == [], report.problems
    assert [s.id for s in report.stats] == ["good-doc"], report.stats
    assert 0 < report.stats[0].grade <= 8, f"grade of the good doc: {report.stats[0].grade}"


def test_committed_corpus_passes_with_zero_problems() -> None:
    report = lint_corpus(CORPUS, chunk_max_words=Settings(_env_file=None).chunk_max_words)
    assert report.problems == [], "\n".join(report.problems)
    table = report.table()
    files = sorted(p.stem for p in CORPUS.glob("*.md") if not p.name.startswith(("_", ".")))
    assert {s.id for s in report.stats} == set(files), "stats must cover every document"
    for doc_id in files:
        assert re.search(rf"^{re.escape(doc_id)}\s", table, re.M), f"{doc_id} not in the table"
    match = re.search(rf"^{len(files)} documents, \d+ words, median grade (\d+\.\d)", table, re.M)
    assert match, f"no summary line with a median grade in:\n{table}"
    grades = sorted(s.grade for s in report.stats)
    assert float(match.group(1)) == round(grades[len(grades) // 2], 1), table
    assert table.rstrip().endswith("0 problem(s)"), table


# --- one test per bad case --------------------------------------------------------------


def test_invalid_front_matter(corpus: Path) -> None:
    bad = add(corpus, "bad-yaml.md", "---\nid: bad-yaml\ntitle: [unclosed\n---\n" + KEY_POINTS)
    report = lint_corpus(corpus, today=TODAY)
    assert_only_file_fails(report, bad, r"field 'front matter'")


def test_missing_front_matter(corpus: Path) -> None:
    bad = add(corpus, "no-meta.md", KEY_POINTS + SECTION_TWO)
    report = lint_corpus(corpus, today=TODAY)
    assert_only_file_fails(report, bad, r"field 'front matter'")


def test_duplicate_ids(tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # id must equal the file stem, so duplicates need two folders; corpus_files is patched
    other = tmp_path / "other"
    other.mkdir()
    first = corpus / "good-doc.md"
    second = add(other, "good-doc.md", doc_text("good-doc"))
    monkeypatch.setattr(lint_mod, "corpus_files", lambda _dir: [first, second])
    report = lint_corpus(corpus, today=TODAY)
    dups = [p for p in report.problems if "duplicate id" in p]
    assert len(dups) == 1, report.problems
    assert dups[0].startswith(str(second)) and str(first) in dups[0], dups[0]


def test_id_not_matching_file_name(corpus: Path) -> None:
    bad = add(corpus, "wrong-name.md", doc_text("right-name"))
    report = lint_corpus(corpus, today=TODAY)
    assert_only_file_fails(report, bad, r"field 'id'.*wrong-name")


def test_no_sources(corpus: Path) -> None:
    bad = add(corpus, "no-sources.md", doc_text("no-sources", sources="  []\n"))
    report = lint_corpus(corpus, today=TODAY)
    assert_only_file_fails(report, bad, r"field 'sources'")


def test_last_reviewed_older_than_24_months(corpus: Path) -> None:
    bad = add(corpus, "stale-doc.md", doc_text("stale-doc", reviewed="2024-11-24"))
    report = lint_corpus(corpus, today=TODAY)
    assert_only_file_fails(report, bad, r"last_reviewed 2024-11-24 is older than 24 months")
    fresh = lint_corpus(corpus, today=dt.date(2026, 11, 24))  # exactly 730 days: still fine
    assert problems_for(fresh, bad) == [], fresh.problems


def test_last_reviewed_in_the_future(corpus: Path) -> None:
    bad = add(corpus, "future-doc.md", doc_text("future-doc", reviewed="2026-12-01"))
    report = lint_corpus(corpus, today=TODAY)
    assert_only_file_fails(report, bad, r"in the future")


def test_reading_grade_above_reading_level_max(corpus: Path) -> None:
    dense = (
        "Contemporary neurophysiological investigations consistently demonstrate that "
        "persistent musculoskeletal nociception substantially reorganises supraspinal "
        "processing, predisposing individuals to hypervigilance, catastrophisation and "
        "generalised hypersensitivity throughout multidimensional rehabilitation programmes. "
    )
    body = "## Key points\n\n" + dense * 2 + "\n\n## Mechanisms\n\n" + dense * 2
    bad = add(corpus, "hard-words.md", doc_text("hard-words", level=6, body=body))
    report = lint_corpus(corpus, today=TODAY)
    assert_only_file_fails(report, bad, r"reading grade \d+\.\d is above reading_level_max 6")
    stats = {s.id: s for s in report.stats}
    assert stats["hard-words"].grade > 12, f"grade of the polysyllabic text: {stats['hard-words']}"
    assert "hard-words" in report.table() and " !" in report.table(), report.table()


def test_key_points_not_first(corpus: Path) -> None:
    body = SECTION_TWO.replace("## How to start", "## Overview") + "\n" + KEY_POINTS
    bad = add(corpus, "no-key-points.md", doc_text("no-key-points", body=body))
    report = lint_corpus(corpus, today=TODAY)
    assert_only_file_fails(report, bad, r"first section must be '## Key points'")


def test_section_under_40_words(corpus: Path) -> None:
    body = KEY_POINTS + "\n## Too short\n\nThis part has only a few words in it.\n"
    bad = add(corpus, "short-part.md", doc_text("short-part", body=body))
    report = lint_corpus(corpus, today=TODAY)
    assert_only_file_fails(
        report, bad, rf"section 'Too short' has 9 words \(at least {MIN_SECTION_WORDS}\)"
    )


def test_chunk_over_the_limit(corpus: Path) -> None:
    long_para = " ".join(["We walk a bit each day and rest when we need to."] * 8)  # 96 words
    body = KEY_POINTS + "\n## Long part\n\n" + long_para + "\n"
    bad = add(corpus, "long-chunk.md", doc_text("long-chunk", body=body))
    report = lint_corpus(corpus, chunk_max_words=80, today=TODAY)
    assert_only_file_fails(report, bad, r"chunk 'long-chunk#long-part' has 96 words \(limit 80\)")


def test_link_to_missing_corpus_document(corpus: Path) -> None:
    body = (
        KEY_POINTS.replace("Pain is the body's alarm.", "Pain is the [alarm](good-doc.md).")
        + "\n"
        + SECTION_TWO.replace("Pick a walk", "See [pacing](./no-such-doc.md#plan). Pick a walk")
    )
    bad = add(corpus, "bad-link.md", doc_text("bad-link", body=body))
    report = lint_corpus(corpus, today=TODAY)
    assert_only_file_fails(report, bad, r"no corpus document has id 'no-such-doc'")
    assert not any("good-doc" in p for p in report.problems), report.problems


def test_missing_corpus_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    report = lint_corpus(missing, today=TODAY)
    assert len(report.problems) == 1 and str(missing) in report.problems[0], report.problems


def test_empty_corpus_folder(tmp_path: Path) -> None:
    report = lint_corpus(tmp_path, today=TODAY)
    assert report.problems == [f"{tmp_path}: no .md documents"], report.problems


def test_all_problems_are_collected(corpus: Path) -> None:
    a = add(corpus, "wrong-name.md", doc_text("right-name"))
    b = add(corpus, "stale-doc.md", doc_text("stale-doc", reviewed="2020-01-01"))
    report = lint_corpus(corpus, today=TODAY)
    assert problems_for(report, a) and problems_for(report, b), report.problems


# --- the CLI ----------------------------------------------------------------------------


@pytest.fixture()
def fresh_settings() -> Iterator[None]:
    """Clear the cached settings before and after (they read PAINGUIDE_* once)."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_cli_lint_fails_on_a_bad_corpus(
    corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fresh_settings: None,
) -> None:
    bad = add(corpus, "short-part.md", doc_text("short-part", body=KEY_POINTS + "## X\n\nTiny.\n"))
    monkeypatch.setenv("PAINGUIDE_CORPUS_DIR", str(corpus))
    code = main(["corpus", "lint"])
    out, err = capsys.readouterr()
    assert code == 1, f"painguide corpus lint on {corpus} returned {code}; stderr: {err}"
    assert f"FAIL {bad}" in err, err
    assert "good-doc" in out and "1 problem(s)" in out, out


def test_cli_lint_passes_on_the_committed_corpus(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fresh_settings: None,
) -> None:
    monkeypatch.setenv("PAINGUIDE_CORPUS_DIR", str(CORPUS))
    code = main(["corpus", "lint"])
    out, err = capsys.readouterr()
    assert code == 0, f"painguide corpus lint on {CORPUS} returned {code}; stderr: {err}"
    assert "0 problem(s)" in out and "FAIL" not in err, (out, err)
