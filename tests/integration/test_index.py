"""The embedded Chroma index: build, incremental sync, manifest rebuilds, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from painguide.errors import CorpusError
from painguide.ingest import index_is_current, ingest
from tests.conftest import CORPUS, make_settings

pytestmark = pytest.mark.integration


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("pacing", "flare-ups", "sciatica"):
        shutil.copy(CORPUS / f"{name}.md", folder / f"{name}.md")
    return folder


def test_incremental_sync_embeds_only_what_changed(small_corpus: Path, tmp_path: Path) -> None:
    s = make_settings(corpus_dir=small_corpus, index_dir=tmp_path / "idx")
    first = ingest(s)
    assert first.rebuilt and first.added > 5 and first.updated == 0
    again = ingest(s)
    assert (again.added, again.updated, again.deleted) == (0, 0, 0), again
    assert again.unchanged == first.added
    assert index_is_current(s)
    doc = small_corpus / "pacing.md"
    doc.write_text(doc.read_text().replace("boom", "Boom", 1))
    assert not index_is_current(s)
    changed = ingest(s)
    assert changed.updated >= 1 and changed.added == 0 and changed.deleted == 0, changed
    (small_corpus / "flare-ups.md").unlink()
    removed = ingest(s)
    assert removed.deleted >= 3 and removed.added == 0, removed


def test_manifest_mismatch_forces_a_rebuild(small_corpus: Path, tmp_path: Path) -> None:
    s = make_settings(corpus_dir=small_corpus, index_dir=tmp_path / "idx")
    ingest(s)
    other = s.model_copy(update={"chunk_max_words": 120})
    report = ingest(other)
    assert report.rebuilt and any("pg_chunking" in r for r in report.reasons), report


def test_malformed_document_leaves_the_existing_index_serving(
    small_corpus: Path, tmp_path: Path
) -> None:
    from painguide.pipeline import PainGuide

    s = make_settings(corpus_dir=small_corpus, index_dir=tmp_path / "idx")
    ingest(s)
    before = PainGuide.from_settings(s).ask("what is pacing?")
    assert before.route == "answer"
    bad = small_corpus / "broken-doc.md"
    bad.write_text("---\nid: broken-doc\ntitle: Broken\n---\n\n## Key points\n\n- text\n")
    with pytest.raises(CorpusError) as err:
        ingest(s)
    assert "broken-doc.md" in str(err.value) and "topic" in str(err.value), str(err.value)
    after = PainGuide.from_settings(s).ask("what is pacing?")
    assert after.route == "answer" and after.citations == before.citations


def test_cli_ingest_reports_a_malformed_file_clearly(
    small_corpus: Path, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    from painguide.cli import main
    from painguide.config import get_settings

    (small_corpus / "x.md").write_text("no front matter here")
    monkeypatch.setenv("PAINGUIDE_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("PAINGUIDE_INDEX_DIR", str(tmp_path / "idx"))
    get_settings.cache_clear()
    try:
        code = main(["ingest"])
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert code == 2 and "x.md" in err and "front matter" in err, err


def test_missing_index_says_what_to_do(tmp_path: Path) -> None:
    from painguide.errors import IndexMissingError
    from painguide.pipeline import PainGuide

    with pytest.raises(IndexMissingError) as err:
        PainGuide.from_settings(make_settings(index_dir=tmp_path / "none"))
    assert "painguide ingest" in str(err.value)


def test_every_front_matter_edit_reaches_the_index_with_a_plain_ingest(tmp_path: Path) -> None:
    """Issue 13: sources, topic, summary, last_reviewed and reviews edits are re-synced."""
    import json
    import re

    from painguide.index import ChromaIndex

    folder = tmp_path / "corpus"
    folder.mkdir()
    doc = folder / "pacing.md"
    shutil.copy(CORPUS / "pacing.md", doc)
    s = make_settings(corpus_dir=folder, index_dir=tmp_path / "idx")
    first = ingest(s)
    n = first.added
    review = (
        'reviews:\n  - reviewed_by: "Test editor role"\n    date: 2026-12-01\n'
        '    checked: "Checked in a test."\n'
    )
    edits: list[tuple[str, Any, Any]] = [
        (
            "summary",
            lambda t: re.sub(r"^summary: .*$", "summary: A new summary.", t, flags=re.M),
            lambda m: m["summary"] == "A new summary.",
        ),
        (
            "topic",
            lambda t: re.sub(r"^topic: .*$", "topic: back-pain", t, flags=re.M),
            lambda m: m["topic"] == "back-pain",
        ),
        (
            "last_reviewed",
            lambda t: re.sub(r"^last_reviewed: .*$", "last_reviewed: 2026-01-02", t, flags=re.M),
            lambda m: m["last_reviewed"] == "2026-01-02",
        ),
        (
            "sources",
            lambda t: t.replace(
                "sources:\n",
                'sources:\n  - title: "Added source"\n    publisher: "Test"\n    year: 2020\n',
                1,
            ),
            lambda m: json.loads(m["sources"])[0]["title"] == "Added source",
        ),
        (
            "reviews",
            lambda t: re.sub(r"^reviews:\n(?:  .*\n)*", "", t, flags=re.M).replace(
                "\n---\n", "\n" + review + "---\n", 1
            ),
            lambda m: json.loads(m["reviews"])[0]["reviewed_by"] == "Test editor role",
        ),
    ]
    for field, change, check in edits:
        doc.write_text(change(doc.read_text(encoding="utf-8")), encoding="utf-8")
        assert not index_is_current(s), f"index still 'current' after editing {field}"
        report = ingest(s)
        assert report.updated == n and report.added == 0, f"edit of {field}: {report}"
        _chunks, extras = ChromaIndex.from_settings(s).load_chunks()
        bad = [cid for cid, meta in extras.items() if not check(meta)]
        assert not bad, f"after editing {field}, stale metadata in {bad}"


def test_a_synced_index_finds_what_a_fresh_build_finds(tmp_path: Path) -> None:
    """The passages found do not depend on the index's history: after an edit and its revert
    are synced, sentence and chunk searches rank exactly as in a freshly built index (with
    Chroma's default HNSW settings they did not, and held-back figures moved by a point)."""
    import json

    from painguide.embeddings import load_embeddings
    from painguide.index import ChromaIndex

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    synced = make_settings(corpus_dir=corpus, index_dir=tmp_path / "synced")
    ingest(synced)
    docs = [corpus / "pacing.md", corpus / "neck-pain.md", corpus / "sciatica.md"]
    before = {d: d.read_text() for d in docs}
    for d in docs:
        d.write_text(before[d].rstrip() + " Move a little every day.\n")
    assert ingest(synced).updated >= 3
    for d in docs:
        d.write_text(before[d])
    ingest(synced)
    fresh = make_settings(corpus_dir=corpus, index_dir=tmp_path / "fresh")
    assert ingest(fresh).rebuilt
    model = load_embeddings(fresh.embedding_model, fresh.torch_threads)
    golden = Path(__file__).parents[2] / "evals" / "datasets" / "questions.jsonl"
    rows = [json.loads(line) for line in golden.read_text().splitlines()]
    questions = [r["question"] for r in rows if "question" in r][:40]  # not conversation rows
    a, b = ChromaIndex.from_settings(synced), ChromaIndex.from_settings(fresh)
    for q in questions:
        vec = model.query_vector(q)
        for sentences, k in ((True, 60), (False, 20)):
            got, want = a.query(vec, k, sentences=sentences), b.query(vec, k, sentences=sentences)
            # the same score at every rank (two texts may tie, in either order)
            gaps = [abs(x[1] - y[1]) for x, y in zip(got, want, strict=True)]
            assert max(gaps) < 1e-5, (q, sentences, got[:5], want[:5])
            assert got[:10] == want[:10] or max(gaps[:10]) < 1e-6, (q, sentences)
