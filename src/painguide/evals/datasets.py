"""Evaluation datasets: the documented JSONL schema, validated line by line.

One JSON object per line::

    {"id": "q-pacing-1", "question": "what is pacing?", "expected_route": "answer",
     "expected_doc_ids": ["pacing"], "must_mention": ["boom"], "note": "optional"}

A question about a subject the library does not cover names that subject, and expects
``no_content``::

    {"id": "os-gout-1", "question": "what helps gout in my big toe", "expected_route":
     "no_content", "off_subject": "gout"}

or, for a conversation, ``"messages": [{"role": "user", "content": ...}, ...]`` instead of
``question``: the expectations apply to the last user turn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from painguide.errors import DatasetError
from painguide.types import ROUTES

REQUIRED = {"id", "expected_route"}
OPTIONAL = {
    "question",
    "messages",
    "expected_doc_ids",
    "must_mention",
    "note",
    "tags",
    "off_subject",
    "train",  # false: a rule's test case kept out of the risk classifier's training
}
OFF_SUBJECT_ROUTE = "no_content"  # a subject the library lacks is answered "no page on that"


@dataclass(frozen=True)
class EvalItem:
    """One evaluation case."""

    id: str
    dataset: str
    message: str
    history: tuple[dict[str, str], ...]
    expected_route: str
    expected_doc_ids: tuple[str, ...] = ()
    must_mention: tuple[str, ...] = ()
    note: str = ""
    off_subject: str = ""
    kind: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def is_conversation(self) -> bool:
        """True for multi-turn items."""
        return bool(self.history)


def parse_item(row: Any, path: Path, line: int, dataset: str) -> EvalItem:
    """Validate one JSON object against the schema; DatasetError names the line."""
    if not isinstance(row, dict):
        raise DatasetError(path, line, "each line must be a JSON object")
    missing = REQUIRED - row.keys()
    if missing:
        raise DatasetError(path, line, f"missing field(s) {sorted(missing)}")
    unknown = row.keys() - REQUIRED - OPTIONAL
    if unknown:
        raise DatasetError(
            path,
            line,
            f"unknown field(s) {sorted(unknown)}; allowed: {sorted(REQUIRED | OPTIONAL)}",
        )
    if ("question" in row) == ("messages" in row):
        raise DatasetError(path, line, "give exactly one of 'question' or 'messages'")
    if row["expected_route"] not in ROUTES:
        raise DatasetError(path, line, f"expected_route must be one of {list(ROUTES)}")
    history: list[dict[str, str]] = []
    if "messages" in row:
        msgs = row["messages"]
        if not isinstance(msgs, list) or not msgs:
            raise DatasetError(path, line, "'messages' must be a non-empty list")
        for m in msgs:
            if (
                not isinstance(m, dict)
                or m.get("role") not in {"user", "assistant"}
                or not isinstance(m.get("content"), str)
            ):
                raise DatasetError(
                    path, line, "each message needs role 'user' or 'assistant' and text content"
                )
        if msgs[-1]["role"] != "user":
            raise DatasetError(path, line, "the last message must be the user's")
        history = [{"role": m["role"], "content": m["content"]} for m in msgs[:-1]]
        message = msgs[-1]["content"]
    else:
        if not isinstance(row["question"], str):
            raise DatasetError(path, line, "'question' must be text")
        message = row["question"]
    for key in ("expected_doc_ids", "must_mention"):
        value = row.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DatasetError(path, line, f"'{key}' must be a list of strings")
    if "train" in row and not isinstance(row["train"], bool):
        raise DatasetError(path, line, "'train' must be true or false")
    off_subject = _off_subject(row, path, line)
    return EvalItem(
        id=str(row["id"]),
        dataset=dataset,
        message=message,
        history=tuple(history),
        expected_route=row["expected_route"],
        expected_doc_ids=tuple(row.get("expected_doc_ids", [])),
        must_mention=tuple(row.get("must_mention", [])),
        note=str(row.get("note", "")),
        off_subject=off_subject,
    )


def _off_subject(row: dict[str, Any], path: Path, line: int) -> str:
    """The optional ``off_subject`` field: a non-empty subject name on a no_content item."""
    if "off_subject" not in row:
        return ""
    value = row["off_subject"]
    if not isinstance(value, str) or not value.strip():
        raise DatasetError(path, line, "'off_subject' must be the subject's name as text")
    if row["expected_route"] != OFF_SUBJECT_ROUTE:
        raise DatasetError(
            path,
            line,
            f"an item with 'off_subject' must expect route '{OFF_SUBJECT_ROUTE}'"
            f" (the library has no page on {value!r}), not {row['expected_route']!r}",
        )
    return value.strip()


def load_dataset(path: Path, name: str | None = None) -> list[EvalItem]:
    """Load and validate a JSONL dataset; ids must be unique."""
    if not path.is_file():
        raise DatasetError(path, 0, "file not found")
    name = name or path.stem
    items: list[EvalItem] = []
    seen: set[str] = set()
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DatasetError(path, n, f"not valid JSON ({exc.msg})") from exc
        item = parse_item(row, path, n, name)
        if item.id in seen:
            raise DatasetError(path, n, f"duplicate id '{item.id}'")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise DatasetError(path, 0, "the dataset is empty")
    return items
