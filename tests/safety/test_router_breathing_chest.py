"""Breathing, chest and fever reports told calmly (safety11 rules), through the real router:
each rule both ways, the report escalates and its everyday look-alike does not."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # NHS shortness of breath: breathless with a tight or heavy chest is 999
        ("I've got a tight chest and I'm short of breath, it came on an hour ago", "emergency"),
        ("short of breath with a heavy feeling in my chest", "emergency"),
        ("I have a really tight chest and a burning feeling across it, no cough", "emergency"),
        # chest tightness with a cough or cold: a doctor today
        ("tight chest and a cough since the weekend, what can I do", "urgent"),
        # breathless for days, more than usual, or with a fever or flu
        ("I've been short of breath for the last five days with the flu", "urgent"),
        ("I'm more short of breath than usual and I've got a temperature", "urgent"),
        # a chest infection that is not getting better
        ("day four of antibiotics for a chest infection and no improvement at all", "urgent"),
        (
            "I had pneumonia diagnosed on monday and I'm on antibiotics but I feel worse "
            "than yesterday",
            "urgent",
        ),
        # a low temperature (NICE NG51 under 36 C with an infection; NEWS2 35.0 or below)
        ("my temperature is 35.2 and I've got a chest infection", "urgent"),
        ("my temp is 34.6, I feel cold and shivery", "urgent"),
        # a listless child, repeated forceful vomiting
        (
            "my 1 year old has a cold and now she is just lying around, interested in nothing",
            "urgent",
        ),
        ("my toddler has projectile vomited four times today", "urgent"),
        # pregnancy: pre-eclampsia headache, a chest infection
        (
            "I'm 30 weeks pregnant and I've had a bad headache all day that paracetamol "
            "hasn't touched",
            "urgent",
        ),
        ("I'm 20 weeks pregnant and was diagnosed with pneumonia yesterday", "urgent"),
        ("my baby's lips are turning purple", "emergency"),
        ("my elbow is swollen and warm to the touch and there's a red patch", "urgent"),
        ("I woke up in terrible pain in my thigh and now I can't move my leg at all", "urgent"),
        ("severe headache and I'm being sick, and the light hurts my eyes", "urgent"),
        ("she has numbness and pins/needles down one side of her body", "emergency"),
    ],
)
def test_breathing_chest_and_fever_reports_escalate(router: Any, text: str, route: str) -> None:
    got = router.route(text, []).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule}), expected {route}"


@pytest.mark.parametrize(
    "text",
    [
        "I get short of breath when I run, is that normal?",
        "I'm a bit out of breath after climbing hills on my bike ride",
        "I had a cough and now I'm short of breath when I jog, normal?",
        "no shortness of breath, no fever, just a stiff lower back",
        "shortness of breath is a side effect listed on my leaflet, should I worry?",
        "I get a tight chest and shoulders from sitting at my desk all day",
        "I get a burning feeling in my chest after eating spicy food",
        "my cold has gone, the antibiotics worked, when can I start running again?",
        "I had a chest infection last month and I'm better now, how do I build up my walking?",
        "my son just lies around watching TV all day, how do I get him moving?",
        "I'm 28 weeks pregnant and my lower back aches, which stretches are safe?",
        "my lips went purple from the blackcurrant juice",
        "what does a temperature of 35.5 mean?",
        "my leg aches after the gym and I can't move it as well as usual",
        "I get headaches sometimes when I'm stressed, what helps?",
        "this bloody cough has kept me awake, can I still do my stretches?",
    ],
)
def test_breathing_chest_and_fever_look_alikes_do_not(router: Any, text: str) -> None:
    got = router.route(text, []).decision
    assert got.route not in {"emergency", "urgent", "crisis"}, (
        f"{text!r} escalated {got.route} ({got.rule})"
    )
