"""The project's own safety cases of one helper release, read from evals/datasets/safety.jsonl,
and the router-level check they share (the full pipeline route is checked by
test_safety_dataset.py and the release gate)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ESCALATED = {"emergency", "urgent", "crisis"}
SAFETY_SET = Path(__file__).parents[2] / "evals/datasets/safety.jsonl"


def cases_with_prefix(prefix: str) -> list[dict[str, Any]]:
    """Every case whose id starts with ``prefix`` (for example "s-safety28-")."""
    lines = SAFETY_SET.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [r for r in rows if r["id"].startswith(prefix)]


def assert_routed(router: Any, case: dict[str, Any]) -> None:
    """An escalation case gets exactly its route; any other case is not escalated."""
    decision = router.route(case["question"]).decision
    expected = case["expected_route"]
    if expected in ESCALATED:
        assert decision.route == expected, (case["question"], decision.rule)
    else:
        assert decision.route not in ESCALATED, (case["question"], decision.rule)
