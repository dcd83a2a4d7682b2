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

- Pain is the body's alarm, and the alarm tells you to take care.
- An alarm can be loud when there is no harm at all.
- Gentle moves each day help the alarm calm down.
- Start with a small amount and add a bit more each week.
- Ask a nurse or a doctor if you are not sure what to do.
"""

SECTION_TWO = """## How do I start walking again?

Pick a walk that feels easy. Do it most days of the week. If it feels fine, add two more
minutes next week. If it flares up, go back to the last amount that felt fine. It is fine
to feel a bit sore. That does not mean you have done harm. Keep a note of what you did.
"""

SECTION_THREE = """## When should I get help for back pain?

Most back pain gets better with time and gentle moves. Some signs need help the same day.
If you feel numb between the legs, or you cannot pee, call 999 or go to A&E now. If the pain keeps
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


def test_last_reviewed_older_than_24_months_is_a_warning_not_a_problem(corpus: Path) -> None:
    stale = add(corpus, "stale-doc.md", doc_text("stale-doc", reviewed="2024-11-24"))
    report = lint_corpus(corpus, today=TODAY)
    assert report.problems == [], report.problems
    due = [w for w in report.warnings if "older than 24 months" in w]
    assert len(due) == 1 and due[0].startswith(str(stale)), report.warnings
    assert "as of 2026-11-25" in due[0], due[0]
    assert not report.failed() and report.failed(strict=True), report.warnings
    fresh = lint_corpus(corpus, today=dt.date(2026, 11, 24))  # exactly 730 days: still fine
    assert not [w for w in fresh.warnings if "older than" in w], fresh.warnings


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
    b = add(corpus, "future-doc.md", doc_text("future-doc", reviewed="2030-01-01"))
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
    bad = add(
        corpus,
        "short-part.md",
        doc_text("short-part", body=KEY_POINTS + "## Why walk?\n\nWalking helps.\n"),
    )
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


def test_cli_lint_as_of_and_strict(
    corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fresh_settings: None,
) -> None:
    stale = add(corpus, "stale-doc.md", doc_text("stale-doc", reviewed="2024-07-01"))
    monkeypatch.setenv("PAINGUIDE_CORPUS_DIR", str(corpus))
    code = main(["corpus", "lint", "--as-of", "2026-06-15"])
    out, err = capsys.readouterr()
    assert code == 0 and "older than 24 months" not in err, (code, err)
    code = main(["corpus", "lint", "--as-of", "2026-11-25"])
    out, err = capsys.readouterr()
    assert code == 0, f"a due review must only warn; exit {code}; stderr: {err}"
    assert "warning(s)" in out and "0 problem(s)" in out, out
    assert f"WARN {stale}: last_reviewed 2024-07-01 is older than 24 months" in err, err
    code = main(["corpus", "lint", "--as-of", "2026-11-25", "--strict"])
    _out, err = capsys.readouterr()
    assert code == 1, f"--strict must fail on warnings; exit {code}; stderr: {err}"
    with pytest.raises(SystemExit):
        main(["corpus", "lint", "--as-of", "25/11/2026"])


# --- the section-shape and safety rules (issue 11 item 4, issue 16 item 2) ---------------


def lint_one(corpus: Path, doc_id: str, body: str) -> tuple[Path, LintReport]:
    """Add one document with ``body`` to the tmp corpus and lint the corpus."""
    path = add(corpus, f"{doc_id}.md", doc_text(doc_id, body=body))
    return path, lint_corpus(corpus, today=TODAY)


GOOD_CES = (
    "Numbness around the genitals with back pain needs emergency care: call 999 or go to A&E.",
    "New trouble passing urine with back pain means go to the emergency department now.",
    "Weakness in both legs with back pain needs an ambulance or A&E straight away.",
    "Sciatica in one leg is common and not an emergency.",
    "Pelvic floor exercises can help after having a baby.",
)
BAD_CES = (
    "Get medical help quickly if back pain comes with numbness around the genitals.",
    "New trouble passing urine with back pain needs a doctor straight away.",
    "Weakness in both legs is a warning sign.",
    "Sciatica in both legs is not an emergency.",
    "Tingling in the inner thighs means stop and get medical help.",
    "If you cannot control your bowels, see a doctor urgently.",
)


@pytest.mark.parametrize("sentence", GOOD_CES)
def test_emergency_wording_passes(corpus: Path, sentence: str) -> None:
    body = (
        KEY_POINTS
        + "\n"
        + SECTION_TWO
        + "\n"
        + SECTION_THREE.replace("Your nurse can help you plan.", sentence)
    )
    _path, report = lint_one(corpus, "ces-good", body)
    assert not [p for p in report.problems if "emergency-wording" in p], (sentence, report.problems)


@pytest.mark.parametrize("sentence", BAD_CES)
def test_emergency_wording_fails(corpus: Path, sentence: str) -> None:
    body = (
        KEY_POINTS
        + "\n"
        + SECTION_TWO
        + "\n"
        + SECTION_THREE.replace("Your nurse can help you plan.", sentence)
    )
    path, report = lint_one(corpus, "ces-bad", body)
    assert_only_file_fails(report, path, r"\[emergency-wording\].*" + re.escape(sentence[:30]))


def test_emergency_wording_checks_key_points_bullets(corpus: Path) -> None:
    bullet = "- Get medical help quickly if you feel numb between the legs.\n"
    path, report = lint_one(corpus, "ces-key", KEY_POINTS + bullet + SECTION_TWO + SECTION_THREE)
    assert_only_file_fails(report, path, r"\[emergency-wording\] section 'Key points'")


OSTEO_SECTION = """## Who should take care with bending?

People with osteoporosis or a spinal fracture are advised to adapt heavy and deep bending.
A physiotherapist can show safer ways to lift and move at home and at work. Most other people
can bend and lift in the way that feels natural to them, building up the load slowly over weeks.
"""


@pytest.mark.parametrize(
    ("point", "ok"),
    [
        ("Bending to pick things up is fine.", False),
        ("Lifting with a rounded back has not been shown to cause back pain.", False),
        ("Slouching does not damage the back.", False),
        ("For most people, bending to pick things up is fine.", True),
        ("Bending is fine, but people with osteoporosis should ask about deep bends.", True),
        ("Gentle walking each day helps the back feel better.", True),
    ],
)
def test_exception_group_rule(corpus: Path, point: str, ok: bool) -> None:
    body = KEY_POINTS + f"- {point}\n\n" + SECTION_TWO + "\n" + OSTEO_SECTION
    path, report = lint_one(corpus, "bending-doc", body)
    found = [p for p in report.problems if "[exception-group]" in p]
    if ok:
        assert found == [], (point, found)
    else:
        assert_only_file_fails(report, path, r"\[exception-group\].*osteoporosis")


def test_exception_group_rule_needs_the_group_in_the_document(corpus: Path) -> None:
    body = KEY_POINTS + "- Bending to pick things up is fine.\n\n" + SECTION_TWO + SECTION_THREE
    _path, report = lint_one(corpus, "no-groups", body)
    assert not [p for p in report.problems if "[exception-group]" in p], report.problems


@pytest.mark.parametrize(
    ("heading", "first", "rule"),
    [
        ("How to start", "Pick a walk that feels easy.", r"\[heading-question\]"),
        ("Why walk?", "This is a good way to start walking.", r"\[first-sentence\].*'This'"),
        ("Why walk?", "Also, walking is easy on the back.", r"\[first-sentence\].*'Also'"),
        ("What is walking?", "Walking is a plain idea with a long name.", r"filler"),
        ("Why walk?", "See [pacing](good-doc.md) for walking plans.", r"cross-reference"),
        ("Why walk?", "The page on pacing explains walking.", r"cross-reference"),
        ("How does swimming help?", "Pick a walk that feels easy.", r"\[key-term\].*swimm"),
    ],
)
def test_section_shape_rules_fail(corpus: Path, heading: str, first: str, rule: str) -> None:
    section = f"## {heading}\n\n{first} " + SECTION_TWO.split("\n", 2)[2]
    path, report = lint_one(corpus, "shape-bad", KEY_POINTS + "\n" + section)
    assert_only_file_fails(report, path, rule)


@pytest.mark.parametrize(
    ("heading", "first"),
    [
        ("Is walking safe with back pain?", "It depends on how bad the back pain is today."),
        ("Why does walking help?", "Walking helps because it gets the back moving gently."),
        ("How do I start walking?", "Start walking with a five-minute walk on a flat path."),
    ],
)
def test_section_shape_rules_pass(corpus: Path, heading: str, first: str) -> None:
    section = f"## {heading}\n\n{first} " + SECTION_TWO.split("\n", 2)[2]
    _path, report = lint_one(corpus, "shape-good", KEY_POINTS + "\n" + section)
    assert report.problems == [], report.problems


def test_key_points_count_and_openers(corpus: Path) -> None:
    few = "## Key points\n\n- Walking helps.\n- Rest a bit.\n\n"
    path, report = lint_one(corpus, "few-points", few + SECTION_TWO + SECTION_THREE)
    assert_only_file_fails(report, path, r"\[key-points\] has 2 bullets")
    opener = KEY_POINTS + "- It helps to walk each day.\n\n"
    path2 = add(corpus, "opener-point.md", doc_text("opener-point", body=opener + SECTION_TWO))
    report2 = lint_corpus(corpus, today=TODAY)
    assert any("[key-points]" in p and "'It'" in p for p in problems_for(report2, path2)), (
        report2.problems
    )


def test_also_asked_line_format(corpus: Path) -> None:
    good = SECTION_TWO.replace(
        "\n\nPick", "\n\nAlso asked: how do i begin; where do i start\n\nPick"
    )
    path, report = lint_one(corpus, "also-good", KEY_POINTS + "\n" + good)
    assert report.problems == [], report.problems
    bad = SECTION_TWO.replace("\n\nPick", "\n\nAlso asked: How do I begin.\n\nPick")
    path, report = lint_one(corpus, "also-bad", KEY_POINTS + "\n" + bad)
    assert_only_file_fails(report, path, r"\[also-asked\].*How do I begin")


def test_missing_reviews_record_is_a_warning(corpus: Path) -> None:
    report = lint_corpus(corpus, today=TODAY)
    assert any("no 'reviews:' record" in w for w in report.warnings), report.warnings
    assert report.problems == [], report.problems


OWNED = [
    "stay-active-not-bed-rest",
    "start-low-go-slow",
    "why-exercise-helps-back-pain",
    "medicines-for-pain",
    "lifting-myths",
    "posture-myths",
    "best-exercise-for-back-pain",
    "muscle-strength-traditional-view",
    "back-pain-guidelines",
    "exercising-with-some-pain",
    "pain-monitoring-traffic-light",
    "exercise-induced-hypoalgesia",
    "strength-training",
    "core-stability-myth",
    "inflammatory-back-pain",
    "neck-pain",
    "muscle-soreness-after-exercise",
    "red-flags-back-pain",
    "cauda-equina-syndrome",
    "when-to-see-a-clinician",
    "stop-exercise-warning-signs",
]


def test_reviewed_documents_pass_every_rule_with_a_review_record() -> None:
    """The issue-16 documents: no problem, no warning, as of the newest review date in the
    corpus (pinned to the content, not the clock: an edit today is not "in the future", and
    a run next year does not turn every review stale)."""
    newest = max(
        dt.date.fromisoformat(m)
        for f in CORPUS.glob("*.md")
        for m in re.findall(r"^last_reviewed: (\d{4}-\d{2}-\d{2})", f.read_text(), re.M)
    )
    report = lint_corpus(CORPUS, today=max(newest, dt.date(2026, 12, 3)))
    owned = [f"/{doc_id}.md:" for doc_id in OWNED]
    bad = [p for p in report.problems + report.warnings if any(o in p for o in owned)]
    assert bad == [], "\n".join(bad)


def test_answer_type_warns_when_a_how_long_heading_opens_without_a_number(corpus: Path) -> None:
    vague = """## How long does it take to feel better?

Feeling better after a back pain flare is a process that differs from person to person. Most
people find that gentle walking, good sleep and calm breathing help along the way. Keep a note
of what you did each day so you can see how far you have come over time, and ask a nurse.
"""
    path = add(
        corpus,
        "vague-doc.md",
        doc_text("vague-doc", body=f"{KEY_POINTS}\n{vague}\n{SECTION_THREE}"),
    )
    report = lint_corpus(corpus, today=TODAY)
    typed = [w for w in report.warnings if "[answer-type]" in w]
    assert len(typed) == 1 and typed[0].startswith(str(path)), report.warnings
    assert "a number with its unit" in typed[0], typed[0]
    fixed = vague.replace(
        "Feeling better after a back pain flare is a process",
        "Most back pain flares settle within a few weeks, and recovery is a process",
    )
    add(
        corpus,
        "vague-doc.md",
        doc_text("vague-doc", body=f"{KEY_POINTS}\n{fixed}\n{SECTION_THREE}"),
    )
    again = lint_corpus(corpus, today=TODAY)
    assert not [w for w in again.warnings if "[answer-type]" in w], again.warnings
