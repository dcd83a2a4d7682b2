"""Dev-set manifest validation, row locators and cache rebuilding, on small synthetic data."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from painguide.safety.devset import (
    CACHE_ENV,
    DEFAULT_CACHE,
    DevsetError,
    build_cache_from_mirror,
    default_cache,
    extract_text,
    load_devset,
    manifest_hash,
    parse_dialogtxt,
    read_manifest,
    text_sha256,
    write_manifest,
)

COMMIT = "0" * 40


def _item(item_id: str, text: str, label: str = "answer", row: str = "csv:0/msg") -> dict[str, str]:
    return {
        "id": item_id,
        "text": text,
        "label": label,
        "source": "example/repo",
        "commit": COMMIT,
        "path": "data.csv",
        "row": row,
        "licence": "test-only",
        "labeller": "unit test",
        "label_basis": "written for the test",
    }


def _write_cache(path: Path, items: list[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")


@pytest.fixture
def items() -> list[dict[str, str]]:
    return [
        _item("t-1", "My knee aches after a long walk."),
        _item("t-2", "I keep thinking everyone would be better off without me.", "crisis"),
    ]


def test_load_devset_accepts_a_matching_cache(tmp_path: Path, items: list[dict[str, str]]) -> None:
    manifest, cache = tmp_path / "manifest.jsonl", tmp_path / "cache.jsonl"
    write_manifest(items, manifest)
    _write_cache(cache, items)
    loaded = load_devset(cache, manifest)
    assert [(d.id, d.label, d.text) for d in loaded] == [
        (i["id"], i["label"], i["text"]) for i in items
    ], f"loaded items differ from {items}"
    first = json.loads(manifest.read_text().splitlines()[0])
    assert "text" not in first, f"manifest line carries text: {first}"
    assert first["sha256"] == text_sha256(items[0]["text"]), f"bad sha256 in {first}"


def test_load_devset_names_changed_and_missing_items(
    tmp_path: Path, items: list[dict[str, str]]
) -> None:
    manifest, cache = tmp_path / "manifest.jsonl", tmp_path / "cache.jsonl"
    write_manifest(items, manifest)
    changed = [dict(items[0], text=items[0]["text"] + "!")]
    _write_cache(cache, changed)
    with pytest.raises(DevsetError) as err:
        load_devset(cache, manifest)
    message = str(err.value)
    assert "text changed: t-1" in message, f"changed item not named in: {message}"
    assert "missing from cache: t-2" in message, f"missing item not named in: {message}"


def test_load_devset_names_items_not_in_the_manifest(
    tmp_path: Path, items: list[dict[str, str]]
) -> None:
    manifest, cache = tmp_path / "manifest.jsonl", tmp_path / "cache.jsonl"
    write_manifest(items[:1], manifest)
    _write_cache(cache, items)
    with pytest.raises(DevsetError, match="not in manifest: t-2"):
        load_devset(cache, manifest)


def test_manifest_rejects_unknown_labels(tmp_path: Path) -> None:
    manifest, cache = tmp_path / "manifest.jsonl", tmp_path / "cache.jsonl"
    bad = [_item("t-9", "Hello there", "maybe")]
    write_manifest(bad, manifest)
    _write_cache(cache, bad)
    with pytest.raises(DevsetError, match="unknown label 'maybe'"):
        load_devset(cache, manifest)


def test_manifest_hash_changes_with_a_label(tmp_path: Path, items: list[dict[str, str]]) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_manifest(items, a)
    write_manifest([items[0], dict(items[1], label="crisis_history")], b)
    assert manifest_hash(a) == manifest_hash(a), "hash is not deterministic"
    assert manifest_hash(a) != manifest_hash(b), "relabelling an item did not change the hash"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("csv:0/title+body", "Sore back after lifting"),
        ("csv:0/title+body@0:4", "Sore"),
        ("csv:1/posts/pylist:1", "second post"),
        ("csv:2/dialogue/turn:patient:1", "no, no chest pain"),
    ],
)
def test_extract_text_applies_row_locators(row: str, expected: str) -> None:
    records = [
        {"title": "Sore back", "body": "after   lifting"},
        {"posts": "['first post', 'second post']"},
        {"dialogue": "[doctor] pain? [patient] knee [doctor] chest? [patient] no, no chest pain"},
    ]
    text = extract_text(records, row)
    assert text == expected, f"{row!r} gave {text!r}"


DIALOG_TXT = """id=1
https://example.org/q/1

Description
Cough for a week?

Dialogue
Patient:
I have had a cough
for a week.
Doctor:
Rest and fluids.
Patient:
Thanks, no fever.

id=2
https://example.org/q/2

Description
Chest feels tight

Dialogue
Patient:
My chest feels tight [and] sore.
Doctor:
Please call now.
"""


def test_parse_dialogtxt_reads_blocks_and_patient_turns() -> None:
    records = parse_dialogtxt(DIALOG_TXT)
    assert [r["id"] for r in records] == ["1", "2"], f"ids from {records!r}"
    assert records[0]["url"] == "https://example.org/q/1", records[0]
    assert records[0]["description"] == "Cough for a week?", records[0]
    got = [
        extract_text(records, "dialogtxt:0/dialogue/turn:patient:0"),
        extract_text(records, "dialogtxt:0/dialogue/turn:patient:1"),
        extract_text(records, "dialogtxt:1/dialogue/turn:patient:0@0:18"),
        extract_text(records, "dialogtxt:1/dialogue/turn:doctor:0"),
    ]
    assert got == [
        "I have had a cough for a week.",
        "Thanks, no fever.",
        "My chest feels tig",
        "Please call now.",
    ], f"patient and doctor turns of {DIALOG_TXT!r} read as {got!r}"


def test_build_cache_from_mirror_reproduces_the_text(tmp_path: Path) -> None:
    repo = tmp_path / "mirror" / "example+repo" / "repo"
    work = tmp_path / "work"
    work.mkdir()
    (work / "data.csv").write_text("msg\nMy ankle swelled after a run.\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    commit = _commit_data([*GIT, f"--git-dir={repo}", f"--work-tree={work}"])
    _assert_rebuilt(tmp_path, "My ankle swelled after a run.", commit)


GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]


def _commit_data(git: list[str]) -> str:
    """Commit data.csv with the given git command line; return the commit hash."""
    subprocess.run([*git, "add", "data.csv"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data"], check=True)
    return subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def _assert_rebuilt(tmp_path: Path, text: str, commit: str) -> None:
    """The cache rebuilt from ``tmp_path/mirror`` holds the committed text."""
    item = dict(_item("t-1", text), commit=commit)
    manifest, out = tmp_path / "manifest.jsonl", tmp_path / "rebuilt.jsonl"
    write_manifest([item], manifest)
    assert build_cache_from_mirror(tmp_path / "mirror", manifest, out) == 1
    loaded = load_devset(out, manifest)
    assert loaded[0].text == text, f"rebuilt text {loaded[0].text!r} != {text!r}"


def test_build_cache_reads_a_checkout_snapshot(tmp_path: Path) -> None:
    """Some fetched snapshots are a checkout (``repo/.git``), not a bare repository."""
    repo = tmp_path / "mirror" / "example+repo" / "repo"
    repo.mkdir(parents=True)
    (repo / "data.csv").write_text("msg\nI hide the marks with long sleeves.\n", encoding="utf-8")
    git = [*GIT, "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    _assert_rebuilt(tmp_path, "I hide the marks with long sleeves.", _commit_data(git))


def test_default_cache_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, items: list[dict[str, str]]
) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    assert default_cache() == DEFAULT_CACHE, default_cache()
    manifest, cache = tmp_path / "manifest.jsonl", tmp_path / "branch-cache.jsonl"
    write_manifest(items, manifest)
    _write_cache(cache, items)
    monkeypatch.setenv(CACHE_ENV, str(cache))
    assert default_cache() == cache, default_cache()
    assert len(load_devset(manifest_path=manifest)) == len(items), f"{CACHE_ENV} not read"


def test_committed_manifest_is_well_formed() -> None:
    manifest = Path(__file__).resolve().parents[2] / "evals/datasets/devset/manifest.jsonl"
    entries = read_manifest(manifest)
    labels = {e["label"] for e in entries}
    sources = {e["source"] for e in entries}
    assert len(entries) >= 1500, f"{manifest} has only {len(entries)} items"
    assert len(sources) >= 5, f"{manifest} draws on only {sorted(sources)}"
    assert {"crisis", "emergency", "urgent", "answer", "off_topic"} <= labels, f"labels {labels}"
    bad = [
        e["id"]
        for e in entries
        if not re.fullmatch(r"[0-9a-f]{40}", e["commit"])
        or not re.fullmatch(r"[0-9a-f]{64}", e["sha256"])
        or "text" in e
    ]
    assert not bad, f"malformed manifest entries (commit, sha256 or text field): {bad[:5]}"


def test_held_apart_vignettes_are_well_formed_and_not_training_data() -> None:
    """The clinician vignettes (SOURCES.md source 10) are measured, not trained on: none of
    their ids or texts may also sit in the training manifest, whose hash the model records."""
    root = Path(__file__).resolve().parents[2] / "evals/datasets/devset"
    held = read_manifest(root / "manifest-vignettes.jsonl")
    train = read_manifest(root / "manifest.jsonl")
    assert len(held) >= 60, f"only {len(held)} held-apart vignettes"
    assert {"emergency", "urgent", "answer"} <= {e["label"] for e in held}, "labels missing"
    shared_ids = {e["id"] for e in held} & {e["id"] for e in train}
    shared_text = {e["sha256"] for e in held} & {e["sha256"] for e in train}
    assert not shared_ids, f"held-apart ids also in the training manifest: {sorted(shared_ids)[:5]}"
    assert not shared_text, f"held-apart texts also in the training manifest: {len(shared_text)}"
    bad = [e["id"] for e in held if not re.fullmatch(r"jsonl:\d+/question@0:\d+", e["row"])]
    assert not bad, f"vignette rows not first-sentence spans of a question: {bad[:5]}"


def test_manifest_label_wins_over_a_stale_cache_label(
    tmp_path: Path, items: list[dict[str, str]]
) -> None:
    """A relabel edits only the manifest: the old cache still loads, with the new label."""
    manifest, cache = tmp_path / "manifest.jsonl", tmp_path / "cache.jsonl"
    _write_cache(cache, items)
    relabelled = [items[0], dict(items[1], label="crisis_history")]
    write_manifest(relabelled, manifest)
    loaded = load_devset(cache, manifest)
    assert [d.label for d in loaded] == ["answer", "crisis_history"], (
        f"labels {[d.label for d in loaded]} for manifest {relabelled}"
    )
