"""A fever on its own, a bone reported broken, and complaints a doctor has already checked
(safety12), through the real router: each change both ways, the report escalates and its
everyday look-alike does not."""

from __future__ import annotations

from typing import Any

import pytest

ESCALATED = {"emergency", "urgent", "crisis"}


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # NHS high temperature: very high or hot and shivery, will not come down, 5 days or
        # more, very unwell; a weakened immune system; a young baby; after an operation
        ("I've had a fever of 39.5 since last night and I can't stop shivering", "urgent"),
        ("my temperature won't come down even with paracetamol and I feel really unwell", "urgent"),
        ("I'm on chemo and tonight I've got a fever", "urgent"),
        ("my 8 week old baby has a fever", "urgent"),
        ("I've had a fever for six days now and it isn't getting any better", "urgent"),
        ("I had my knee operation last week and now I have a fever", "urgent"),
        # a fever with belly pain, or with vomiting that keeps fluids out
        ("my daughter has a fever and bad tummy pain since this morning", "urgent"),
        ("I've got a fever and I keep vomiting, I can't keep water down", "urgent"),
        # the safety brief: a fever with back pain stays urgent
        ("fever and back pain", "urgent"),
        ("my back is sore and I've got a temperature of 38.5", "urgent"),
        # NHS broken bones: the bone by its own name, out of place, cannot walk on it
        ("I snapped my tibia skiing this afternoon", "urgent"),
        ("I came off my bike and my collarbone looks out of place", "urgent"),
        ("my ankle is swollen and I can't walk on it since I fell this morning", "urgent"),
    ],
)
def test_safety12_reports_escalate(router: Any, text: str, route: str) -> None:
    got = router.route(text, []).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule}), expected {route}"


@pytest.mark.parametrize(
    "text",
    [
        "I've got a mild fever with a cold, is it ok to skip my exercises today?",
        "what temperature counts as a fever in adults?",
        "fever and a sore throat since yesterday, should I rest from the gym?",
        "I had a fever with the flu two weeks ago, when can I start running again?",
        "slight fever and a runny nose today, is a gentle walk ok?",
        "I broke my tibia years ago and it aches in cold weather, what exercises help?",
        "what is a displaced fracture?",
        "my ankles swell a little after a long flight, is walking good for that?",
        "I get stabbing chest pains now and then, my ECG and echo were all normal, what can help?",
    ],
)
def test_safety12_look_alikes_do_not(router: Any, text: str) -> None:
    got = router.route(text, []).decision
    assert got.route not in ESCALATED, f"{text!r} escalated {got.route} ({got.rule})"
