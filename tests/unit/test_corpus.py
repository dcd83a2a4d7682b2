"""Tests for ``painguide.corpus``: parsing and validating corpus documents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from painguide import corpus as corpus_mod
from painguide.corpus import REQUIRED_FIELDS, load_corpus, parse_document
from painguide.errors import CorpusError
from painguide.types import Source

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"

BODY = """
Text before the first section is dropped.

## Key points

- Moving gently is usually safe.
- Pain does not always mean harm.

## Why it helps

Exercise calms a sensitive nervous system. See [pacing](pacing.md) for more.

## What to try

Start low and go slow.
"""


def base_meta(doc_id: str = "gentle-moves") -> dict[str, Any]:
    """Front matter of a valid document with the given id."""
    return {
        "id": doc_id,
        "title": "Gentle moves",
        "topic": "exercising-safely",
        "summary": "Gentle movement is usually safe and helpful.",
        "audience": "general",
        "reading_level_max": 8,
        "last_reviewed": "2026-06-01",
        "sources": [
            {
                "title": "Back pain guideline",
                "publisher": "NICE",
                "year": 2016,
                "url": "https://www.nice.org.uk/guidance/ng59",
            },
            {"title": "Pacing review", "publisher": "Clin J Pain", "year": 2013},
        ],
    }


def render(meta: dict[str, Any], body: str = BODY) -> str:
    """A corpus file from front matter and a Markdown body."""
    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n" + body


def write(folder: Path, name: str, text: str) -> Path:
    """Write one corpus file and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def expect_error(path: Path, field: str) -> CorpusError:
    """Parse ``path``, require a CorpusError naming the file and ``field``."""
    with pytest.raises(CorpusError) as info:
        parse_document(path)
    err = info.value
    message = str(err)
    assert str(path) in message, f"message for {path.name} does not name the file: {message}"
    assert f"'{field}'" in message, f"message for {path.name} does not name {field!r}: {message}"
    assert err.field == field, f"{path.name}: field {err.field!r}, wanted {field!r}"
    return err


# --- a valid document -------------------------------------------------------------------


def test_valid_document_loads_fields_sections_and_sources(tmp_path: Path) -> None:
    path = write(tmp_path, "gentle-moves.md", render(base_meta()))
    doc = parse_document(path)
    assert doc.id == "gentle-moves", doc
    assert doc.title == "Gentle moves", doc
    assert doc.topic == "exercising-safely", doc
    assert doc.summary == "Gentle movement is usually safe and helpful.", doc
    assert doc.audience == "general", doc
    assert doc.reading_level_max == 8.0 and isinstance(doc.reading_level_max, float), doc
    assert doc.last_reviewed == "2026-06-01", doc
    assert doc.path == str(path), doc
    headings = [s.heading for s in doc.sections]
    assert headings == ["Key points", "Why it helps", "What to try"], headings
    assert doc.sections[0].text.startswith("- Moving gently"), doc.sections[0]
    assert doc.sections[2].text == "Start low and go slow.", doc.sections[2]
    assert all("dropped" not in s.text for s in doc.sections), doc.sections
    assert doc.sources == (
        Source("Back pain guideline", "NICE", 2016, "https://www.nice.org.uk/guidance/ng59"),
        Source("Pacing review", "Clin J Pain", 2013, None),
    ), doc.sources


def test_unquoted_yaml_date_and_float_level_are_accepted(tmp_path: Path) -> None:
    text = render(base_meta()).replace("'2026-06-01'", "2026-06-01")
    text = text.replace("reading_level_max: 8", "reading_level_max: 7.5")
    assert "last_reviewed: 2026-06-01\n" in text, text
    meta = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(meta["last_reviewed"], dt.date), meta
    doc = parse_document(write(tmp_path, "gentle-moves.md", text))
    assert doc.last_reviewed == "2026-06-01", doc
    assert doc.reading_level_max == 7.5, doc


def test_parse_document_accepts_text_argument(tmp_path: Path) -> None:
    path = tmp_path / "gentle-moves.md"  # never written: the text is passed in
    doc = parse_document(path, render(base_meta()))
    assert doc.id == "gentle-moves", doc


def test_load_corpus_returns_sorted_documents_and_ignores_underscore_files(
    tmp_path: Path,
) -> None:
    write(tmp_path, "zeta-doc.md", render(base_meta("zeta-doc")))
    write(tmp_path, "alpha-doc.md", render(base_meta("alpha-doc")))
    write(tmp_path, "_draft.md", "not a corpus document at all")
    write(tmp_path, "notes.txt", "ignored too")
    docs = load_corpus(tmp_path)
    assert [d.id for d in docs] == ["alpha-doc", "zeta-doc"], [d.id for d in docs]


# --- malformed documents ----------------------------------------------------------------


def test_missing_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "gentle-moves.md", "# Gentle moves\n\n## Key points\n\nText.\n")
    expect_error(path, "front matter")


def test_invalid_yaml(tmp_path: Path) -> None:
    text = "---\nid: gentle-moves\ntitle: [unclosed\n---\n" + BODY
    path = write(tmp_path, "gentle-moves.md", text)
    err = expect_error(path, "front matter")
    assert "invalid YAML" in str(err), str(err)


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "gentle-moves.md", "---\n- just\n- a list\n---\n" + BODY)
    expect_error(path, "front matter")


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
def test_each_required_field_missing(tmp_path: Path, field: str) -> None:
    meta = base_meta()
    del meta[field]
    path = write(tmp_path, "gentle-moves.md", render(meta))
    err = expect_error(path, field)
    assert "missing" in err.problem, f"missing {field}: {err.problem}"


@pytest.mark.parametrize("field", ["title", "summary", "topic", "audience"])
def test_empty_text_field(tmp_path: Path, field: str) -> None:
    meta = base_meta()
    meta[field] = "   "
    path = write(tmp_path, "gentle-moves.md", render(meta))
    expect_error(path, field)


@pytest.mark.parametrize("bad_id", ["Gentle-Moves", "gentle_moves", "gentle--moves", "-gentle"])
def test_id_not_kebab_case(tmp_path: Path, bad_id: str) -> None:
    path = write(tmp_path, f"{bad_id}.md", render(base_meta(bad_id)))
    err = expect_error(path, "id")
    assert "kebab-case" in err.problem, f"id {bad_id!r}: {err.problem}"


def test_id_not_equal_to_file_stem(tmp_path: Path) -> None:
    path = write(tmp_path, "gentle-moves-two.md", render(base_meta("gentle-moves")))
    err = expect_error(path, "id")
    assert "gentle-moves-two" in err.problem, err.problem


def test_unknown_topic(tmp_path: Path) -> None:
    meta = base_meta()
    meta["topic"] = "astrology"
    path = write(tmp_path, "gentle-moves.md", render(meta))
    err = expect_error(path, "topic")
    assert "astrology" in err.problem, err.problem


def test_bad_audience(tmp_path: Path) -> None:
    meta = base_meta()
    meta["audience"] = "children"
    path = write(tmp_path, "gentle-moves.md", render(meta))
    err = expect_error(path, "audience")
    assert "children" in err.problem, err.problem


@pytest.mark.parametrize("level", ["eight", "8", None, [8], 0, 17])
def test_reading_level_max_not_a_grade_number(tmp_path: Path, level: object) -> None:
    meta = base_meta()
    meta["reading_level_max"] = level
    path = write(tmp_path, "gentle-moves.md", render(meta))
    expect_error(path, "reading_level_max")


@pytest.mark.parametrize("reviewed", ["last month", "2026-13-45", "25/11/2026", 2026, None])
def test_last_reviewed_not_a_date(tmp_path: Path, reviewed: object) -> None:
    meta = base_meta()
    meta["last_reviewed"] = reviewed
    path = write(tmp_path, "gentle-moves.md", render(meta))
    expect_error(path, "last_reviewed")


@pytest.mark.parametrize("sources", [[], None, "NICE 2016", {"title": "x"}])
def test_sources_empty_or_not_a_list(tmp_path: Path, sources: object) -> None:
    meta = base_meta()
    meta["sources"] = sources
    path = write(tmp_path, "gentle-moves.md", render(meta))
    expect_error(path, "sources")


@pytest.mark.parametrize("key", ["title", "publisher", "year"])
def test_source_missing_title_publisher_or_year(tmp_path: Path, key: str) -> None:
    meta = base_meta()
    del meta["sources"][1][key]
    path = write(tmp_path, "gentle-moves.md", render(meta))
    expect_error(path, f"sources[1].{key}")


@pytest.mark.parametrize("year", [1800, 20166, "2016", 2016.5])
def test_source_bad_year(tmp_path: Path, year: object) -> None:
    meta = base_meta()
    meta["sources"][0]["year"] = year
    path = write(tmp_path, "gentle-moves.md", render(meta))
    expect_error(path, "sources[0].year")


def test_source_that_is_not_a_mapping(tmp_path: Path) -> None:
    meta = base_meta()
    meta["sources"] = ["NICE guideline 2016"]
    path = write(tmp_path, "gentle-moves.md", render(meta))
    expect_error(path, "sources[0]")


@pytest.mark.parametrize("url", ["www.nice.org.uk", "ftp://nice.org.uk/x", 42])
def test_source_bad_url(tmp_path: Path, url: object) -> None:
    meta = base_meta()
    meta["sources"][0]["url"] = url
    path = write(tmp_path, "gentle-moves.md", render(meta))
    expect_error(path, "sources[0].url")


def test_body_without_sections(tmp_path: Path) -> None:
    path = write(tmp_path, "gentle-moves.md", render(base_meta(), "Just prose, no headings.\n"))
    expect_error(path, "body")


def test_empty_section(tmp_path: Path) -> None:
    body = "## Key points\n\n- One point.\n\n## Empty\n\n## Last\n\nSome text.\n"
    path = write(tmp_path, "gentle-moves.md", render(base_meta(), body))
    expect_error(path, "section 'Empty'")


def test_duplicate_ids_across_two_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # id must equal the file stem, so two files with one id can only come from two folders;
    # corpus_files is patched to hand both to load_corpus (the defence-in-depth branch).
    first = tmp_path / "a"
    second = tmp_path / "b"
    first.mkdir()
    second.mkdir()
    one = write(first, "gentle-moves.md", render(base_meta()))
    two = write(second, "gentle-moves.md", render(base_meta()))
    monkeypatch.setattr(corpus_mod, "corpus_files", lambda _dir: [one, two])
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    message = str(info.value)
    assert str(two) in message, f"duplicate id message does not name {two}: {message}"
    assert str(one) in message, f"duplicate id message does not name {one}: {message}"
    assert "'id'" in message and "duplicate" in message, message


def test_load_corpus_reports_the_malformed_file(tmp_path: Path) -> None:
    write(tmp_path, "alpha-doc.md", render(base_meta("alpha-doc")))
    meta = base_meta("beta-doc")
    meta["topic"] = "astrology"
    bad = write(tmp_path, "beta-doc.md", render(meta))
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    assert info.value.path == bad and info.value.field == "topic", str(info.value)


def test_empty_corpus_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    message = str(info.value)
    assert str(tmp_path) in message and "'corpus_dir'" in message, message


def test_missing_corpus_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(CorpusError) as info:
        load_corpus(missing)
    message = str(info.value)
    assert str(missing) in message and "'corpus_dir'" in message, message


# --- the committed corpus ---------------------------------------------------------------


def test_every_committed_document_loads() -> None:
    docs = load_corpus(CORPUS)
    files = sorted(p.stem for p in CORPUS.glob("*.md") if not p.name.startswith(("_", ".")))
    assert [d.id for d in docs] == files, "documents loaded differ from corpus/*.md"
    for doc in docs:
        headings = [s.heading for s in doc.sections]
        assert len(doc.sections) >= 4, f"{doc.path}: only {len(doc.sections)} sections {headings}"
        assert headings[0] == "Key points", f"{doc.path}: first section is {headings[0]!r}"


# --- review records, Also asked lines and the front-matter hash -------------------------

REVIEW = {
    "reviewed_by": "Pain Guide content editor (not a clinician)",
    "date": "2026-12-02",
    "checked": "Each claim checked against the cited sources.",
}


def test_reviews_are_parsed(tmp_path: Path) -> None:
    meta = base_meta()
    meta["reviews"] = [dict(REVIEW)]
    doc = parse_document(write(tmp_path, "gentle-moves.md", render(meta)))
    assert [r.as_dict() for r in doc.reviews] == [REVIEW], doc.reviews


def test_reviews_are_optional_for_now(tmp_path: Path) -> None:
    doc = parse_document(write(tmp_path, "gentle-moves.md", render(base_meta())))
    assert doc.reviews == (), doc.reviews


@pytest.mark.parametrize(
    ("reviews", "field"),
    [
        ("checked by the editor", "reviews"),
        ({"reviewed_by": "editor"}, "reviews"),
        (["editor, 2026"], "reviews[0]"),
        ([{**REVIEW, "reviewed_by": ""}], "reviews[0].reviewed_by"),
        ([{k: v for k, v in REVIEW.items() if k != "checked"}], "reviews[0].checked"),
        ([{**REVIEW, "date": "last week"}], "reviews[0].date"),
        ([{**REVIEW, "date": None}], "reviews[0].date"),
        ([REVIEW, {**REVIEW, "signed": True}], "reviews[1].signed"),
    ],
)
def test_malformed_reviews_name_file_and_field(tmp_path: Path, reviews: object, field: str) -> None:
    meta = base_meta()
    meta["reviews"] = reviews
    expect_error(write(tmp_path, "gentle-moves.md", render(meta)), field)


def test_also_asked_line_is_stripped_and_kept_as_section_metadata(tmp_path: Path) -> None:
    body = BODY.replace(
        "## Why it helps\n\n",
        "## Why it helps\n\nAlso asked: does exercise help pain; why does moving help\n",
    )
    doc = parse_document(write(tmp_path, "gentle-moves.md", render(base_meta(), body)))
    sec = doc.sections[1]
    assert sec.also_asked == ("does exercise help pain", "why does moving help"), sec
    assert sec.text.startswith("Exercise calms"), f"Also asked line left in the text: {sec.text!r}"
    assert "Also asked" not in sec.text, sec.text
    assert doc.sections[2].also_asked == (), doc.sections[2]


def test_a_section_holding_only_an_also_asked_line_is_empty(tmp_path: Path) -> None:
    body = "## Key points\n\n- One point.\n\n## Empty?\n\nAlso asked: a; b\n\n## Last\n\nText.\n"
    expect_error(write(tmp_path, "gentle-moves.md", render(base_meta(), body)), "section 'Empty?'")


FRONT_MATTER_EDITS: dict[str, object] = {
    "title": "Gentle moves for a sore back",
    "topic": "back-pain",
    "summary": "Gentle movement helps most back pain.",
    "audience": "clinician",
    "reading_level_max": 7,
    "last_reviewed": "2026-07-01",
    "sources": [{"title": "Another source", "publisher": "WHO", "year": 2023}],
    "reviews": [REVIEW],
    "id": "gentle-moves",  # unchanged value: the one field whose hash must stay put
}


@pytest.mark.parametrize("field", sorted(FRONT_MATTER_EDITS))
def test_every_front_matter_field_changes_the_corpus_and_chunk_hashes(
    tmp_path: Path, field: str
) -> None:
    from painguide.chunking import chunk_document
    from painguide.corpus import corpus_hash

    before = parse_document(write(tmp_path, "gentle-moves.md", render(base_meta())))
    meta = base_meta()
    meta[field] = FRONT_MATTER_EDITS[field]
    after = parse_document(write(tmp_path, "gentle-moves.md", render(meta)))
    same = field == "id"
    assert (corpus_hash([before]) == corpus_hash([after])) is same, f"corpus hash, edit {field}"
    old = [c.content_hash for c in chunk_document(before)]
    new = [c.content_hash for c in chunk_document(after)]
    assert (old == new) is same, f"chunk hashes after editing {field}: {old} -> {new}"
    if not same:
        assert all(a != b for a, b in zip(old, new, strict=True)), (field, old, new)


def test_an_also_asked_edit_changes_the_chunk_hash(tmp_path: Path) -> None:
    from painguide.chunking import chunk_document

    before = parse_document(write(tmp_path, "gentle-moves.md", render(base_meta())))
    body = BODY.replace("## What to try\n\n", "## What to try\n\nAlso asked: how do i begin\n")
    after = parse_document(write(tmp_path, "gentle-moves.md", render(base_meta(), body)))
    old = {c.section: c for c in chunk_document(before)}
    new = {c.section: c for c in chunk_document(after)}
    assert new["What to try"].also_asked == ("how do i begin",), new["What to try"]
    assert old["What to try"].content_hash != new["What to try"].content_hash
    assert old["Why it helps"].content_hash == new["Why it helps"].content_hash
