"""A recurring ache at 70 is not a possible fracture; a recent fall at 65 or over with back pain
stays urgent however the ache is told (lead28 read-through)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "I'm 70 and my back aches after gardening every time. Should I give up gardening?",
        "im 72 and my back hurts whenever i do the hoovering, is that normal",
        "I'm 75 and I've had back pain on and off for years, is walking still ok for me?",
        "I'm 72 and I slipped on ice years ago, my back has hurt on and off since",
        "im 68, scared of falling, what back exercises are safe",
    ],
)
def test_lead28_a_recurring_ache_in_later_life_is_not_escalated(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert decision.route == "answer", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    [
        "I'm 70 and my back aches every time I move since I fell last week",
        "my dad is 81 and tripped on the stairs, his back hurts every time he moves",
        "I'm 68 and took a tumble in the garden on Sunday, my lower back hurts each time I bend",
        "I'm 70 and my back suddenly hurts after I slipped in the garden",
    ],
)
def test_lead28_a_recent_fall_in_later_life_with_back_pain_is_urgent(
    router: Any, text: str
) -> None:
    decision = router.route(text).decision
    assert decision.route == "urgent", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    [
        "i get cramp in my calf at night what helps",
        "my legs cramp at night and wake me up, is there anything i can do",
        "restless legs at night, what helps",
    ],
)
def test_lead28_a_night_cramp_is_not_spinal_night_pain(router: Any, text: str) -> None:
    """Before: 'i get cramp in my calf at night' matched the exemplar 'it hurts more at night
    and resting makes it worse' and got the urgent back-pain reply."""
    decision = router.route(text).decision
    assert decision.route == "answer", (text, decision.route, decision.rule)


def test_lead28_back_night_pain_stays_urgent(router: Any) -> None:
    text = "my lower back pain wakes me at night and no position helps"
    decision = router.route(text).decision
    assert decision.route == "urgent", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    [
        "honestly some days i wish i wasnt here, the pain never stops",
        "some days I wish I wasn't here",
        "sometimes i wish i wasn't around anymore",
        "part of me wishes i wasnt alive",
    ],
)
def test_lead28_a_wish_not_to_be_here_is_crisis(router: Any, text: str) -> None:
    """Before: 'some days i wish i wasnt here, the pain never stops' fell below the relevance
    floor and got the symptom default; a passive wish to die is crisis (issue 12, point 4)."""
    decision = router.route(text).decision
    assert decision.route == "crisis", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    [
        "some days i wish i wasnt here, at work, my boss is awful",
        "i wish i wasnt here at this party, my back is killing me from standing",
        "i wish i wasn't around when he fell, it was awful to see",
        "wish i wasn't born with this bad back",
    ],
)
def test_lead28_a_wish_to_be_elsewhere_is_not_crisis(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert decision.route != "crisis", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    [
        "theres no point going on",
        "no point carrying on any more, the pain wins",
        "no point going on, i cant see it getting better",
    ],
)
def test_lead28_no_point_going_on_is_crisis(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert decision.route == "crisis", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    [
        "there is no point going on with the physio exercises, they dont help",
        "no point going on holiday with my back like this",
        "no point carrying on with the stretches, they dont help",
    ],
)
def test_lead28_no_point_going_on_with_an_activity_is_not_crisis(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert decision.route != "crisis", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    [
        "my calf is swollen red and hot and now im short of breath",
        "swollen calf after a long flight and now I'm breathless",
        "my leg is swollen and throbbing and I get chest pain when I breathe in",
    ],
)
def test_lead28_a_swollen_calf_with_breathlessness_is_an_emergency(router: Any, text: str) -> None:
    """Before: urgent (see a GP today); the NHS says call 999 for DVT signs with
    breathlessness or chest pain."""
    decision = router.route(text).decision
    assert decision.route == "emergency", (text, decision.route, decision.rule)


def test_lead28_a_sore_calf_and_breathless_after_a_run_is_not(router: Any) -> None:
    text = "my calf is tender and im short of breath after my run"
    decision = router.route(text).decision
    assert decision.route == "answer", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    ["my back hurts when i pee", "my lower back aches whenever i wee", "my side hurts after i pee"],
)
def test_lead28_back_pain_on_passing_urine_is_urgent_not_emergency(router: Any, text: str) -> None:
    """Before: 'my back hurts when i pee' was an emergency (the classifier); the NHS advice for
    kidney-infection signs is an urgent GP appointment or 111."""
    decision = router.route(text).decision
    assert decision.route == "urgent", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    [
        "i broke my wrist 8 weeks ago and its still stiff",
        "i broke my ankle in march and it's still a bit stiff",
        "i fractured my hip years ago, can i do yoga",
        "i broke my leg when i was 12, now my knee hurts",
    ],
)
def test_lead28_a_healed_fracture_is_history_not_a_likely_fracture(router: Any, text: str) -> None:
    """Before: 'i broke my wrist 8 weeks ago and its still stiff' was urgent."""
    decision = router.route(text).decision
    assert decision.route == "answer", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    [
        "broke my ankle 2 days ago and haven't seen anyone",
        "I think I broke my wrist, it's swollen and bent",
    ],
)
def test_lead28_a_recent_fracture_stays_urgent(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert decision.route == "urgent", (text, decision.route, decision.rule)


def test_lead28_recovery_after_an_operation_is_not_a_surgery_decision(router: Any) -> None:
    text = "my hip replacement was 6 weeks ago when can i swim"
    decision = router.route(text).decision
    assert decision.rule != "surgery_decision", (text, decision.route, decision.rule)
    asked = router.route("is a knee replacement right for me").decision
    assert asked.rule == "surgery_decision", asked
