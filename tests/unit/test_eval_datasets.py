"""Tests for ``painguide.evals.datasets`` and the committed evaluation datasets."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from painguide.errors import DatasetError
from painguide.evals.datasets import EvalItem, load_dataset
from painguide.types import ROUTES

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "evals" / "datasets"
CORPUS = ROOT / "corpus"

QUESTION = {
    "id": "q-1",
    "question": "what is pacing?",
    "expected_route": "answer",
    "expected_doc_ids": ["pacing"],
    "must_mention": ["boom"],
    "note": "plain question",
    "tags": ["smoke"],
}
CONVERSATION = {
    "id": "c-1",
    "messages": [
        {"role": "user", "content": "why does exercise help pain?"},
        {"role": "assistant", "content": "It calms a sensitive nervous system."},
        {"role": "user", "content": "how long does that last?"},
    ],
    "expected_route": "answer",
    "expected_doc_ids": ["exercise-induced-hypoalgesia"],
}


def write_jsonl(path: Path, lines: list[str]) -> Path:
    """Write raw lines (already JSON or deliberately not) to a .jsonl file."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def row(**fields: Any) -> str:
    """A JSON line: QUESTION with fields overridden (None removes a field)."""
    data = {**QUESTION, **fields}
    return json.dumps({k: v for k, v in data.items() if v is not None})


def expect_error(path: Path, line: int) -> str:
    """load_dataset must fail with a message naming ``path`` and ``line``."""
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), f"wanted {path.name}:{line}, got: {message}"
    return message


# --- valid items ------------------------------------------------------------------------


def test_question_and_messages_items_load(tmp_path: Path) -> None:
    lines = [json.dumps(QUESTION), "", json.dumps(CONVERSATION)]
    path = write_jsonl(tmp_path / "mixed.jsonl", lines)
    items = load_dataset(path)
    assert [i.id for i in items] == ["q-1", "c-1"], items
    q, c = items
    assert q == EvalItem(
        id="q-1",
        dataset="mixed",
        message="what is pacing?",
        history=(),
        expected_route="answer",
        expected_doc_ids=("pacing",),
        must_mention=("boom",),
        note="plain question",
    ), q
    assert not q.is_conversation, q
    assert c.message == "how long does that last?", c
    assert c.history == (
        {"role": "user", "content": "why does exercise help pain?"},
        {"role": "assistant", "content": "It calms a sensitive nervous system."},
    ), c.history
    assert c.is_conversation and c.must_mention == () and c.note == "", c


def test_dataset_name_can_be_given(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "file.jsonl", [json.dumps(QUESTION)])
    assert load_dataset(path, name="golden")[0].dataset == "golden"


def test_single_user_message_has_empty_history(tmp_path: Path) -> None:
    one = {"id": "c-2", "messages": [{"role": "user", "content": "hi"}], "expected_route": "answer"}
    item = load_dataset(write_jsonl(tmp_path / "d.jsonl", [json.dumps(one)]))[0]
    assert item.history == () and item.message == "hi" and not item.is_conversation, item


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_is_accepted(tmp_path: Path, route: str) -> None:
    item = load_dataset(write_jsonl(tmp_path / "d.jsonl", [row(expected_route=route)]))[0]
    assert item.expected_route == route, item


def test_off_subject_names_the_subject_on_a_no_content_item(tmp_path: Path) -> None:
    line = row(
        expected_route="no_content", expected_doc_ids=[], must_mention=[], off_subject=" gout "
    )
    item = load_dataset(write_jsonl(tmp_path / "d.jsonl", [line]))[0]
    assert item.off_subject == "gout" and item.expected_route == "no_content", item


def test_train_false_is_accepted(tmp_path: Path) -> None:
    item = load_dataset(write_jsonl(tmp_path / "d.jsonl", [row(train=False)]))[0]
    assert item.expected_route, item


def test_off_subject_is_empty_when_absent(tmp_path: Path) -> None:
    item = load_dataset(write_jsonl(tmp_path / "d.jsonl", [row()]))[0]
    assert item.off_subject == "", item


# --- errors name the file and the line --------------------------------------------------

GOOD1 = row(id="ok-1")
GOOD2 = row(id="ok-2")


@pytest.mark.parametrize(
    ("case", "bad", "needle"),
    [
        ("invalid JSON", '{"id": "x", "question": "hi", ', "not valid JSON"),
        ("not an object", '["id", "question"]', "JSON object"),
        ("missing id", row(id=None), "missing field(s) ['id']"),
        ("missing expected_route", row(expected_route=None), "missing field(s) ['expected_route']"),
        ("unknown field", row(answer="yes"), "unknown field(s) ['answer']"),
        ("both question and messages", row(messages=CONVERSATION["messages"]), "exactly one"),
        ("neither question nor messages", row(question=None), "exactly one"),
        ("bad route", row(expected_route="maybe"), "expected_route must be one of"),
        (
            "messages not ending with a user turn",
            json.dumps({**CONVERSATION, "messages": CONVERSATION["messages"][:2]}),
            "last message must be the user's",
        ),
        ("empty messages", json.dumps({**CONVERSATION, "messages": []}), "non-empty list"),
        (
            "bad message role",
            json.dumps({**CONVERSATION, "messages": [{"role": "system", "content": "x"}]}),
            "role 'user' or 'assistant'",
        ),
        ("question not text", row(question=42), "'question' must be text"),
        ("doc ids not a list", row(expected_doc_ids="pacing"), "'expected_doc_ids' must be a list"),
        ("must_mention not strings", row(must_mention=[1, 2]), "'must_mention' must be a list"),
        ("duplicate id", row(id="ok-1"), "duplicate id 'ok-1'"),
        ("train not a boolean", row(train="no"), "'train' must be true or false"),
        (
            "off_subject not text",
            row(expected_route="no_content", off_subject=["gout"]),
            "'off_subject' must be the subject's name as text",
        ),
        (
            "off_subject blank",
            row(expected_route="no_content", off_subject="  "),
            "'off_subject' must be the subject's name as text",
        ),
        (
            "off_subject on an answer item",
            row(expected_route="answer", off_subject="gout"),
            "must expect route 'no_content'",
        ),
    ],
)
def test_bad_line_is_reported_with_file_and_line_number(
    tmp_path: Path, case: str, bad: str, needle: str
) -> None:
    # a blank line before the bad one: line numbers count every physical line
    path = write_jsonl(tmp_path / "bad.jsonl", [GOOD1, "", GOOD2, bad, GOOD2.replace("2", "3")])
    message = expect_error(path, 4)
    assert needle in message, f"{case}: {needle!r} not in {message!r}"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    message = expect_error(path, 0)
    assert "empty" in message, message


def test_blank_lines_only(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "blank.jsonl", ["", "   ", ""])
    assert "empty" in expect_error(path, 0)


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in expect_error(tmp_path / "nope.jsonl", 0)


# --- the committed datasets -------------------------------------------------------------


def committed(name: str) -> list[EvalItem]:
    """A committed dataset, loaded (and so validated)."""
    return load_dataset(DATASETS / name)


def test_every_committed_dataset_loads() -> None:
    files = sorted(DATASETS.glob("*.jsonl"))
    names = {p.name for p in files}
    want = {"questions.jsonl", "questions_holdout.jsonl", "safety.jsonl", "conversations.jsonl"}
    assert want <= names, f"missing datasets: {sorted(want - names)}"
    for path in files:
        assert load_dataset(path), f"{path} loaded no items"


def test_golden_questions_size_and_mix() -> None:
    routes = Counter(i.expected_route for i in committed("questions.jsonl"))
    assert routes["answer"] >= 250, f"questions.jsonl answer items: {routes}"
    assert routes["no_content"] + routes["off_topic"] >= 50, f"questions.jsonl refusals: {routes}"


def test_holdout_size() -> None:
    n = len(committed("questions_holdout.jsonl"))
    assert n >= 60, f"questions_holdout.jsonl has {n} items"


def test_safety_size_and_every_route_covered() -> None:
    items = committed("safety.jsonl")
    routes = Counter(i.expected_route for i in items)
    assert len(items) >= 400, f"safety.jsonl has {len(items)} items"
    thin = {r: routes[r] for r in ROUTES if routes[r] < 40}
    assert not thin, f"safety.jsonl routes with < 40 items: {thin}"


def test_off_subject_dataset_size_and_shape() -> None:
    items = committed("off_subject.jsonl")
    assert len(items) >= 60, f"off_subject.jsonl has {len(items)} items"
    wrong = [i.id for i in items if i.expected_route != "no_content" or not i.off_subject]
    assert not wrong, f"off_subject.jsonl items without no_content and a subject: {wrong}"
    subjects = {i.off_subject.lower() for i in items}
    assert len(subjects) >= 40, f"off_subject.jsonl names only {len(subjects)} subjects"


def test_conversations_size() -> None:
    items = committed("conversations.jsonl")
    assert len(items) >= 60, f"conversations.jsonl has {len(items)} items"
    single = [i.id for i in items if not i.is_conversation]
    assert not single, f"conversations.jsonl items without earlier turns: {single}"


def test_ids_unique_across_datasets() -> None:
    ids = Counter(i.id for p in DATASETS.glob("*.jsonl") for i in load_dataset(p))
    dups = sorted(k for k, n in ids.items() if n > 1)
    assert not dups, f"ids used in more than one dataset: {dups}"


def test_every_expected_doc_id_exists_in_the_corpus() -> None:
    missing = {
        f"{p.name}:{i.id}": d
        for p in sorted(DATASETS.glob("*.jsonl"))
        for i in load_dataset(p)
        for d in i.expected_doc_ids
        if not (CORPUS / f"{d}.md").is_file()
    }
    assert not missing, f"expected_doc_ids with no corpus/<id>.md: {missing}"


def test_every_corpus_document_is_expected_by_three_golden_questions() -> None:
    counts = Counter(d for i in committed("questions.jsonl") for d in set(i.expected_doc_ids))
    docs = sorted(p.stem for p in CORPUS.glob("*.md") if not p.name.startswith(("_", ".")))
    thin = {d: counts[d] for d in docs if counts[d] < 3}
    assert not thin, f"corpus documents expected by fewer than 3 golden questions: {thin}"
