"""Guideline red flags (docs/safety/guideline-red-flags.md) through the real router: every
case tagged ``guideline_redflag`` in the safety dataset gets its guideline's route (an urgent
flag may be routed emergency), and every near-miss control stays unescalated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from painguide.types import SAFETY_ROUTES

DATASET = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "safety.jsonl"
ROWS = [
    row
    for row in (json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines())
    if "guideline_redflag" in row.get("tags", [])
]
FLAGS = [r for r in ROWS if r["expected_route"] in SAFETY_ROUTES]
CONTROLS = [r for r in ROWS if r["expected_route"] not in SAFETY_ROUTES]


def test_the_guideline_set_covers_both_sides() -> None:
    assert len(FLAGS) >= 100, f"only {len(FLAGS)} guideline red-flag cases"
    assert len(CONTROLS) >= 50, f"only {len(CONTROLS)} guideline near-miss controls"


@pytest.mark.parametrize("row", FLAGS, ids=lambda r: r["id"])
def test_guideline_flag_gets_its_route(row: dict[str, Any], router: Any) -> None:
    decision = router.route(row["question"]).decision
    expected = row["expected_route"]
    allowed = {"urgent", "emergency"} if expected == "urgent" else {expected}
    assert decision.route in allowed, (
        f"{row['id']}: {row['question']!r} routed {decision.route} by {decision.rule}, "
        f"expected {expected}"
    )


def test_near_miss_controls_rarely_escalate(router: Any) -> None:
    escalated = [
        (r["id"], r["question"], d.route, d.rule)
        for r in CONTROLS
        if (d := router.route(r["question"]).decision).route in SAFETY_ROUTES
    ]
    assert len(escalated) <= 3, f"near-miss controls escalated: {escalated}"


@pytest.mark.parametrize(
    "text",
    [
        "Red flags: none",
        "no saddle anaesthesia, no bladder or bowel problems, just low back pain",
        "what does bilateral sciatica mean?",
        "I had sciatica in both legs years ago, it's long gone, what stretches help keep it away?",
        "I'm 70 and my back aches after gardening like it always has",
        "I get a knot between my shoulder blades when I'm stressed",
        "I've lost a stone on a diet and my back feels better",
        "I need to pee a lot more since I started drinking more water, is that normal?",
    ],
)
def test_rule_scope_keeps_these_unescalated(text: str, router: Any) -> None:
    decision = router.route(text).decision
    assert decision.route not in SAFETY_ROUTES, f"{text!r} escalated by {decision.rule}"
