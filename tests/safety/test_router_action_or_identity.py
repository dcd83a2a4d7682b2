"""'Is it X or Y?' through the real router, both ways: asking what the pain is ("is it a
strain or a tear") is a request for a diagnosis; asking what to do ("is this something I
should exercise through or rest") is a question the library answers."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "my lower back has ached for weeks, is this something i should exercise through or rest",
        "is it something we need to keep moving or keep still",
        "is it something you can train through or should i stop",
    ],
)
def test_asking_what_to_do_is_answered(router: Any, text: str) -> None:
    assert router.route(text).decision.route == "answer", text


@pytest.mark.parametrize(
    "text",
    [
        "is it a strain or a tear",
        "could this be a slipped disc or just a pulled muscle",
        "is it something serious or just a pulled muscle",
    ],
)
def test_asking_what_it_is_is_out_of_scope(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert (decision.route, decision.rule) == ("out_of_scope", "personal_diagnosis"), text
