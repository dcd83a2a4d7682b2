"""How long the person says the pain has lasted picks new (acute) or long-lasting pain."""

from __future__ import annotations

import pytest

from painguide.answer.compose import CHRONIC_WEEKS, stated_weeks


@pytest.mark.parametrize(
    ("text", "acute"),
    [
        ("my lower back has been killing me for 3 weeks since i moved house", True),
        ("it started 10 days ago when i lifted a box", True),
        ("for the past couple of weeks my neck is stiff", True),
        ("i've had back pain for two years and nothing works", False),
        ("for about a year now my hip hurts", False),
        ("sciatica for 6 months", False),
        ("my knee has ached for years", False),
    ],
)
def test_stated_duration(text: str, acute: bool) -> None:
    weeks = stated_weeks(text)
    assert weeks is not None, text
    assert (weeks < CHRONIC_WEEKS) is acute, (text, weeks)


@pytest.mark.parametrize(
    "text",
    [
        "will it be better in 3 weeks",
        "i am 45 years old with back pain",
        "how long does sciatica last",
        "i have had it for a while",
    ],
)
def test_no_stated_duration(text: str) -> None:
    assert stated_weeks(text) is None, text


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("im pregnant and my lower back aches, is walking ok", "is walking ok"),
        ("my knee swells up after i walk, should i keep walking", "should i keep walking"),
        ("what is sciatica", ""),
        ("is it safe to run, and how far", ""),
    ],
)
def test_asked_clause(text: str, asked: str) -> None:
    from painguide.answer.compose import asked_clause

    assert asked_clause(text) == asked
