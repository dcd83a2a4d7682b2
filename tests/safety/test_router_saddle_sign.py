"""Cauda equina through the real router, both ways: an exemplar match counts only when the
message names a sign the NHS lists (numbness or tingling around the bottom or genitals,
bladder or bowel trouble, loss of sexual function, weakness in both legs). Pain in the bottom
and one leg after sitting is sciatica-like pain and gets the normal answer."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "is it normal to feel pain in my bum and leg after sitting",
        "my buttock and the back of my thigh ache after a long drive",
        "sore bottom and leg after sitting on a hard chair all day, what helps?",
    ],
)
def test_bottom_and_leg_pain_is_not_a_saddle_sign(router: Any, text: str) -> None:
    assert router.route(text).decision.route not in {"emergency", "urgent"}, text


@pytest.mark.parametrize(
    "text",
    [
        "my bum feels numb and my back is agony",
        "tingling around my bottom and between my legs since this morning with back pain",
        "back pain and i can't feel the toilet paper when i wipe",
    ],
)
def test_saddle_numbness_is_an_emergency(router: Any, text: str) -> None:
    assert router.route(text).decision.route == "emergency", text
