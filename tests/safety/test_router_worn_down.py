"""Worn down by pain, through the real router: answered (not escalated) with the kind support
note; a wish to die still goes to crisis, and everyday 'can't ... any more' is not distress."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "i dont know how much more of this back pain i can take",
        "I can't cope with this pain any more",
        "I'm at the end of my tether with my neck",
        "honestly this pain is grinding me down",
        "I can't take much more of this",
        "ive lost all hope that my back will get better",
    ],
)
def test_worn_down_is_answered_with_a_note(router: Any, text: str) -> None:
    d = router.route(text).decision
    assert (d.route, d.rule) == ("answer", "worn_down_note"), (text, d)


@pytest.mark.parametrize(
    "text",
    [
        "I can't take the stairs any more because of my hip",
        "how much more weight can i take on my back when lifting",
        "I can't handle running any more because of my knee",
        "my back pain is much better, I can cope with it now",
    ],
)
def test_everyday_cannot_any_more_is_not_distress(router: Any, text: str) -> None:
    d = router.route(text).decision
    assert d.rule != "worn_down_note", (text, d)
    assert d.route not in {"crisis", "emergency"}, (text, d)


def test_a_wish_to_die_is_still_crisis(router: Any) -> None:
    d = router.route("I can't take this pain any more, I just want to die").decision
    assert d.route == "crisis", d
