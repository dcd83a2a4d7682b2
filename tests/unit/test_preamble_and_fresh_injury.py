"""Greetings before a question, fresh-injury stories and warning-sign questions (answers27)."""

from __future__ import annotations

import pytest

from painguide.answer.compose import asks_warning_signs, tells_fresh_injury
from painguide.text import without_preamble


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("hi, quick question why does my back ache", "why does my back ache"),
        ("can you tell me why does my knee click", "why does my knee click"),
        ("Hello doctor, I have a question: my knee hurts on stairs", "my knee hurts on stairs"),
        ("quick question - is yoga ok for sciatica", "is yoga ok for sciatica"),
        # nothing to strip, or too little left
        ("history of back pain", "history of back pain"),
        ("high heels and back pain", "high heels and back pain"),
        ("question time is over", "question time is over"),
        ("hi there", "hi there"),
        ("can you tell me if running is bad", "can you tell me if running is bad"),
    ],
)
def test_without_preamble(message: str, expected: str) -> None:
    assert without_preamble(message) == expected


@pytest.mark.parametrize(
    ("message", "fresh"),
    [
        ("i pulled something in my back lifting my kid, what do i do now", True),
        ("hurt my back picking up a box this morning, what should i do", True),
        ("twisted my ankle playing football last night what now", True),
        ("i hurt my back 3 years ago and it still aches", False),
        ("ive done yoga for years, what can i do", False),
        ("my back hurts what do i do", False),
    ],
)
def test_tells_fresh_injury(message: str, fresh: bool) -> None:
    assert tells_fresh_injury(message) is fresh


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("how do i know if my back pain is serious", True),
        ("what are the signs that sciatica is serious", True),
        ("when is neck pain serious", True),
        ("should i be worried about my back pain", True),
        ("is my sciatica serious", True),
        ("is pain between my shoulder blades dangerous", True),
        ("what are red flags for back pain", False),
        ("does having a red flag mean i have cancer", False),
        ("what are the warning signs to stop exercise", False),
        ("how do i tell normal exercise breathlessness from a warning sign", False),
    ],
)
def test_asks_warning_signs(question: str, asks: bool) -> None:
    assert asks_warning_signs(question) is asks


@pytest.mark.parametrize(
    "question",
    [
        "what gives you a runners high",
        "whats the point of pacing",
        "whats the reason behind my back pain",
    ],
)
def test_cause_and_purpose_wordings_ask_why(question: str) -> None:
    from painguide.answer.qtype import question_type

    assert question_type(question) == "mechanism"


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        ("my back still isnt better after 3 weeks, what should i do", ""),
        ("my neck is not getting better, what now", ""),
        ("my back hurts after gardening, what should i do", "what can I do about back pain?"),
    ],
)
def test_a_story_of_pain_not_getting_better_keeps_its_story(message: str, focus: str) -> None:
    from painguide.pipeline import request_focus

    assert request_focus(message) == focus
