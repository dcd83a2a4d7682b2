"""Emergency-or-urgent signs told across sentences of one message (safety18 rules), through
the real router, both ways. A chest infection that feels worse or still awful, or with a
cough or wheeze that is "so bad", told in another sentence than the infection (NHS chest
infection and pneumonia); breathing that feels short with a fever or chills elsewhere in the
message (NHS shortness of breath); a scan or doctor raising a possible ectopic pregnancy (NICE
NG126). A past resolved episode, a "what if", a general question, a denied sign and someone
asking what the signs are do not escalate."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "I had pneumonia last month. I started new antibiotics on Monday and today I feel "
        "worse than yesterday.",
        "My dad has a chest infection. He still feels awful after four days of antibiotics.",
        "I was diagnosed with bronchitis. The coughing is so bad I can't sleep and I'm wheezing.",
        "I've had chills since yesterday. My breath is short and it feels like I have to "
        "breathe harder.",
        "my temperature keeps going up. my breath is short when i lie down",
        "The scan this morning looks like an ectopic pregnancy and my period is 10 days late.",
    ],
)
def test_safety18_signs_across_sentences_escalate(router: Any, text: str) -> None:
    assert router.route(text).decision.route in {"urgent", "emergency"}, text


@pytest.mark.parametrize(
    "text",
    [
        "I had pneumonia two years ago and felt awful then. Is it safe to start running again?",
        "What if I feel worse after pneumonia when I go back to the gym?",
        "What are the signs that pneumonia is getting worse?",
        "My breath is short when I run but I have no fever. How do I build stamina?",
        "Does a fever make your breath short?",
        "My breath is short at the end of my long run and my temperature is normal. How do I "
        "get fitter?",
        "My breath has been short since my cold but my temperature is normal now. Can I go "
        "swimming?",
        "What are the signs of an ectopic pregnancy?",
        "I had an ectopic pregnancy two years ago, is it safe to do core exercises now?",
        "My scan showed the pregnancy is in the womb, not ectopic. Can I keep doing gentle "
        "back stretches?",
    ],
)
def test_safety18_near_misses_do_not_escalate(router: Any, text: str) -> None:
    assert router.route(text).decision.route not in {"urgent", "emergency"}, text


def test_safety18_one_sided_sciatica_told_by_it(router: Any) -> None:
    """dv-aci-65's cause in our own words: "it went down my left leg" is one-sided sciatica,
    not read by the classifier; both legs or a saddle sign still escalate."""
    calm = (
        "I bent over in the garden and got this pain across my lower back, then it went "
        "down my left leg. It's been four days."
    )
    assert router.route(calm).decision.route not in {"urgent", "emergency"}
    drive = "is it normal to get an ache in my bottom and down one leg after a long drive"
    assert router.route(drive).decision.route not in {"urgent", "emergency"}
    for text in (
        "the pain went down both my legs and they feel numb",
        "it went down my left leg and now I can't feel my bum when I wipe",
    ):
        assert router.route(text).decision.route == "emergency", text
