"""Wounds, suspected breaks, ectopic pregnancy signs, vertigo, near-fainting, hallucinations,
drowsiness with lung disease, alarming weight loss and the chest by its anatomical name
(safety14), through the real router: each change both ways, the report escalates and its
everyday look-alike does not."""

from __future__ import annotations

from typing import Any

import pytest

ESCALATED = {"emergency", "urgent", "crisis"}


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # NHS cuts and grazes: an open wound, one that will not heal or keeps opening, infection
        ("I've got an open wound on my forearm and it won't close", "urgent"),
        ("my mum has a nasty open sore on her ankle", "urgent"),
        ("the cut on my thumb keeps breaking open every time I bend it", "urgent"),
        ("I grazed my elbow on a wall last week and it is still not healing", "urgent"),
        ("his finger got infected after a splinter", "urgent"),
        # NHS broken bones and sprains: a bone you think is broken, a part you cannot move
        ("I fell on my hand at netball and I think I've broken a finger", "urgent"),
        ("my wrist is swollen and I can't turn it since I slipped", "urgent"),
        ("her knee is swollen and so painful she can't stand on it", "urgent"),
        # NHS ectopic pregnancy: a missed period or positive test with low belly pain
        ("my period is late and I have a stabbing pain in my lower right tummy", "urgent"),
        ("positive pregnancy test on Monday and now sharp cramps in my pelvis", "urgent"),
        ("she has severe pain around her ovaries tonight", "urgent"),
        # NHS vertigo and dizziness: with vomiting, lost balance, cannot stand
        ("the dizziness is so bad I keep being sick", "urgent"),
        ("my wife has vertigo and she can't stand up", "urgent"),
        # NHS fainting: about to pass out on standing
        ("whenever my dad stands up he feels like he is going to pass out", "urgent"),
        # NHS hallucinations, COPD drowsiness, NICE NG12 weight loss
        ("my grandmother is suddenly having hallucinations", "urgent"),
        ("my husband has COPD and he keeps falling asleep in his chair today", "urgent"),
        ("I've noticed alarming weight loss this month", "urgent"),
        # breathing that is hard work, told with a contraction
        ("I have trouble when I'm breathing at night", "urgent"),
        # the chest by its anatomical name
        ("sharp pain in my thorax right now", "emergency"),
        # an accident that is a bladder accident stays an emergency
        ("my back went and I had an accident, I wet myself without feeling it", "emergency"),
    ],
)
def test_safety14_reports_escalate(router: Any, text: str, route: str) -> None:
    got = router.route(text, []).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule}), expected {route}"


@pytest.mark.parametrize(
    "text",
    [
        "how do I keep an open wound clean?",
        "can I go swimming if I have an open wound?",
        "I had an open wound on my calf years ago and it healed fine",
        "no open wounds, just a bruise on my hip",
        "how long does a cut take to heal?",
        "I don't think it's broken, it's just stiff after gardening",
        "I broke my ankle in 2018 and it still aches in the cold",
        "my heart is broken since the break-up",
        "I can't bend my fingers as far as before because of arthritis",
        "my ankles get a little puffy on long flights but walking is fine",
        "my period is late and I have mild cramps like usual",
        "what are the warning signs of an ectopic pregnancy?",
        "I get a bit dizzy if I stand up too fast",
        "what causes vertigo?",
        "I had vertigo last year and the exercises fixed it",
        "can some painkillers cause hallucinations?",
        "I'm so tired after work I could pass out on the sofa",
        "is sudden weight loss always serious?",
        "I want rapid weight loss before my wedding, is running good for that?",
        "I have no trouble breathing when I run",
        "which muscles attach to the thorax?",
        # a road or work accident with an injury is not a bladder accident
        "I had an accident at work two weeks ago and injured my shoulder, what stretches help?",
        "I had an accident and injured my knee, will it swell?",
    ],
)
def test_safety14_look_alikes_do_not(router: Any, text: str) -> None:
    got = router.route(text, []).decision
    assert got.route not in ESCALATED, f"{text!r} escalated {got.route} ({got.rule})"
