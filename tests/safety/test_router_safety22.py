"""False escalations narrowed in the chest, breathing and fainting rules (safety22), through the
real router: each change both ways. Breathing difficulty told as occasional or tied to a
situation (NHS "Shortness of breath": see a GP) is not a report now, unless it comes with a
chest, heart or fainting sign, on small effort, or with something new or current. An alcohol
blackout is memory loss, not fainting. A side-effect list is information unless the person is
having them. A complaint already checked is not made new by the day word of the check."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.safety.router import not_current_sign, occasional_breathing

SEVERE = {"emergency", "urgent", "crisis"}


@pytest.mark.parametrize(
    "text",
    [
        "I sometimes have difficulty breathing in crowded shops, what can help me relax?",
        "occasionally I find it hard to breathe when I get anxious, can stretching help?",
        "I black out most weekends when I drink too much, does alcohol make my back pain worse?",
        "the leaflet for my new tablets says side effects include dizziness, palpitations and "
        "chest pain, should I worry before I start?",
        "yesterday I had an ECG for chest pain and my doctor said my heart is fine, can I go "
        "back to the gym?",
        "had an echo last week for the palpitations, results were normal. is swimming ok for "
        "my back?",
    ],
)
def test_safety22_not_reported_now_does_not_escalate(router: Any, text: str) -> None:
    assert router.route(text).decision.route not in SEVERE, text


@pytest.mark.parametrize(
    "text",
    [
        "sometimes I get a crushing feeling in my chest and I can't breathe",
        "I can't breathe right now and I'm in a crowded room",
        "I drank a lot last night and my friend blacked out and now he won't wake up",
        "I started new tablets and I'm having side effects like chest pain and palpitations",
        "yesterday I had an ECG for chest pain, it was normal, but today the pain is crushing "
        "and going down my arm",
        "sometimes I pass out when I run and my chest goes tight",
        "I can't catch my breath at times and my lips have gone blue",
    ],
)
def test_safety22_current_signs_still_reach_emergency(router: Any, text: str) -> None:
    assert router.route(text).decision.route == "emergency", text


def test_occasional_breathing_needs_no_other_sign() -> None:
    plain = "i sometimes have difficulty breathing in crowded places"
    assert occasional_breathing(plain, plain)
    for text in (
        "i sometimes have difficulty breathing on the stairs",
        "sometimes my chest is tight and i have difficulty breathing",
        "i sometimes have difficulty breathing and it started today",
    ):
        assert not occasional_breathing(text, text), text


def test_not_current_sign_reads_who_has_them() -> None:
    listed = "side effects include headache and chest pain"
    start = listed.index("chest pain")
    assert not_current_sign(listed, start, start + 10, listed)
    having = "i'm having side effects like chest pain"
    start = having.index("chest pain")
    assert not not_current_sign(having, start, start + 10, having)
