"""'The urge to go' is how people speak of needing the toilet; only 'the urge to go for good' or
'forever' is a wish to die (lead27)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "I get the urge to go all the time at night",
        "I no longer feel the urge to go to the toilet",
        "I have the urge to go",
    ],
)
def test_lead27_the_urge_to_go_is_not_crisis(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert decision.route != "crisis", (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text", ["the urge to go for good is strong tonight", "the urge to tap out is strong"]
)
def test_lead27_an_urge_to_go_for_good_is_crisis(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert decision.route == "crisis", (text, decision.route, decision.rule)
