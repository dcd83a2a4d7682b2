"""A heart attack or stroke that has only just happened escalates on a rule, not only on the
classifier's vote; pain after spinal surgery alone is not a red flag (lead26)."""

from __future__ import annotations

from typing import Any

import pytest

ESCALATED = {"emergency", "urgent", "crisis"}


@pytest.mark.parametrize(
    "text",
    [
        "i think i just had a heart attack, should i lie down",
        "i just had a heart attack",
        "my husband just had a stroke i think, his face looks odd",
        "my mum had a mini stroke this morning but she seems fine now",
        "my dad had a heart attack an hour ago and is in the ambulance, can i do anything",
    ],
)
def test_lead26_a_heart_attack_or_stroke_just_now_is_an_emergency(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert decision.route == "emergency", (text, decision.route, decision.rule)
    assert not str(decision.rule).startswith("risk_model"), (text, decision.rule)


@pytest.mark.parametrize(
    ("text", "escalates"),
    [
        ("back pain after recent spinal surgery, is that normal", False),
        ("sore back after recent disc surgery", False),
        ("i had a heart attack four years ago, is it ok to start lifting weights", False),
        ("recent spinal surgery, fever and a red wound", True),
        ("recent lumbar surgery. wound oozing", True),
    ],
)
def test_lead26_pain_after_spinal_surgery_alone_is_not_a_red_flag(
    router: Any, text: str, escalates: bool
) -> None:
    decision = router.route(text).decision
    assert (decision.route in ESCALATED) is escalates, (text, decision.route, decision.rule)
