"""Red flags in a patient's own words, emergencies about someone else, and known false alarms
(safety27, issue 12 item 5), through the real router. A current first-person spinal red flag
beside a question about exercise or pain is a report (loss of feeling when wiping, no longer
feeling the need for the loo, weight lost without dieting, shivery and unwell, new back pain at
68, a wobbly walk with neck pain, both legs heavy and weak). Emergencies told about a relative,
a child or a patient escalate (a hand clutching the chest, swelling or wheeze after a sting or a
food, a purple rash in an unwell child, drooling and unable to swallow, found on the floor
confused, a child who swallowed a battery, tablets or a cleaning product, a crash with neck
pain and tingling arms). A young child's accidental poisoning is an emergency, not a crisis;
an overdose on purpose stays a crisis. "A stroke of luck", an erection problem from a medicine,
and "I can't lift" at work are not red flags."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.safety.router import accidental_child_ingestion
from tests.safety.own_cases import ESCALATED, assert_routed, cases_with_prefix

CASES = cases_with_prefix("s-safety27-")


def test_cases_present() -> None:
    assert len(CASES) >= 200
    assert sum(c["expected_route"] in ESCALATED for c in CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_own_cases_route(router: Any, case: dict[str, Any]) -> None:
    assert_routed(router, case)


@pytest.mark.parametrize(
    "text",
    [
        "since my back went I can't really feel anything when I wipe, can I still swim?",
        "I can't tell when I need to wee any more and my back is sore, is yoga ok?",
        "I no longer feel the urge to pee and my sciatica is bad",
        "my back hurts and my legs feel numb and weak, both of them",
        "my grandad is holding his chest and sweating",
        "my son ate a peanut and his lips are swelling up",
        "my toddler swallowed a button battery an hour ago",
        "my 3 year old drank some washing up liquid",
        "my wife came off her bike, her neck hurts and her hands are numb",
    ],
)
def test_more_wordings_escalate(router: Any, text: str) -> None:
    assert router.route(text).decision.route in {"emergency", "urgent"}, text


@pytest.mark.parametrize(
    "text",
    [
        "I had a real stroke of genius with my stretching routine",
        "my backstroke is slow since the shoulder op",
        "erection problems since I started my blood pressure tablets, is that common?",
        "I can't lift my grandchildren any more because of my back, what helps?",
        "I found a coin on the floor when I bent down and my back twinged",
        "what does it mean if you can't feel when you need the toilet?",
    ],
)
def test_look_alikes_not_escalated(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert decision.route not in ESCALATED, (text, decision.rule)


def test_child_ingestion_gate() -> None:
    assert accidental_child_ingestion("my toddler swallowed some tablets")
    assert accidental_child_ingestion("my son swallowed dishwasher tablets")
    assert not accidental_child_ingestion("my son swallowed a bottle of pills")  # age unknown
    assert not accidental_child_ingestion("my toddler swallowed some tablets on purpose")
    assert not accidental_child_ingestion("my friend swallowed a pack of pills")
