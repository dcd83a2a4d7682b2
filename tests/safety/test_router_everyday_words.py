"""Everyday messages that must not be over-read, and the red flags they sit next to.

Each case is one that a first reading of the router's answers found: a spelling slip, a word
inside another word, a condition named by someone who already has it, a common symptom with
no red-flag sign. The escalating cases beside them show the fix did not blunt the rule.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("text", "not_route"),
    [
        ("why dose walking help my back", "out_of_scope"),  # "dose" typed for "does"
        ("dose it matter what time of day i stretch", "out_of_scope"),
        ("my knee clicks when i bend it and straighten it again", "crisis"),  # "bend it"
        ("i have fibromyalgia, will swimming help me?", "out_of_scope"),  # says, not asks
        ("i've had rheumatoid arthritis for years, is yoga ok", "out_of_scope"),
        ("i get a dull headache most afternoons from sitting at my desk", "emergency"),
        ("my back hurts", "emergency"),
        ("my back hurts", "urgent"),
        ("im 20 weeks pregnant and my lower back aches, can i still do yoga", "emergency"),
        # a choice between two ways to move, not "is it a strain or a tear"
        ("is it safer to squat or bend to lift things", "out_of_scope"),
        ("is it easier on my back to swim or walk", "out_of_scope"),
        ("can i still go to the gym with a sore back", "out_of_scope"),
    ],
)
def test_everyday_words_are_not_over_read(router: Any, text: str, not_route: str) -> None:
    d = router.route(text).decision
    assert d.route != not_route, f"{text!r} -> {d.route} ({d.rule}: {d.evidence})"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("what dose of ibuprofen should i take", "out_of_scope"),
        ("is there a tablet i could take for this back ache", "out_of_scope"),
        ("are there any muscle relaxants i can try", "out_of_scope"),
        ("do i have fibromyalgia?", "out_of_scope"),
        ("could it be a disc or a muscle", "out_of_scope"),
        ("i take tramadol for my back, can i exercise on it", "out_of_scope"),
        ("i want to end it all", "crisis"),
        ("the worst headache of my life came on suddenly an hour ago", "emergency"),
        ("im 30 weeks pregnant and bleeding a lot", "emergency"),
    ],
)
def test_the_red_flags_beside_them_still_route(router: Any, text: str, route: str) -> None:
    d = router.route(text).decision
    assert d.route == route, f"{text!r} -> {d.route} ({d.rule}: {d.evidence})"
