"""Signs already known to a doctor, a measured temperature below a fever, someone's death from a
cause, a medical injection, and a clause told wholly in the past (lead24): through the real
router, each change both ways. The new and current still escalate: a sign getting worse or
starting today, a real fever, a baby with a temperature, injecting drugs with back pain."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.safety.router import normal_temperature, past_only


@pytest.mark.parametrize(
    "text",
    [
        # a doctor seen for it, a test that showed something, a treatment for it
        "i had a bad chest pain last month and visited a cardiologist, what could cause it?",
        "i've been on bisoprolol for the palpitations and i get cold hands, is that normal?",
        # a pattern is not worsening, a new job is not a new sign
        "chest tightness for the past couple of months, it gets worse with spicy food, "
        "ecg and echo came back normal",
        "in my new job my chest has felt tight for months, ecg was normal",
        # a measured temperature below a fever
        "my son's temperature is 37.2 and he has a cold, can he still go to football?",
        "is 99.1 a fever? i feel a bit achy in my back after the gym",
        # the fever is the mother's, not the baby's
        "i'm breastfeeding my 4 month old baby. i have had a fever and a cold since yesterday, "
        "can i take paracetamol?",
        # a cause of someone's death
        "my uncle died of sepsis two years ago and now i worry about every cut",
        # a medical injection
        "i had an epidural steroid injection for my sciatica last week, when can i walk more?",
    ],
)
def test_lead24_known_or_measured_signs_stay_benign(router: Any, text: str) -> None:
    route = router.route(text).decision.route
    assert route not in {"emergency", "urgent", "crisis"}, f"{text!r} -> {route}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the same signs, new or current
        (
            "i saw my gp about chest pain last week but today it is crushing and spreading "
            "to my arm",
            "emergency",
        ),
        ("my chest pain is getting worse since this morning and i feel sweaty", "emergency"),
        ("my temperature is 39.4 and my back is killing me", "urgent"),
        ("my 3 month old baby has a temperature of 38.5", "urgent"),
        ("i inject heroin and my back has started hurting with a fever", "urgent"),
    ],
)
def test_lead24_new_or_current_signs_still_escalate(router: Any, text: str, expected: str) -> None:
    assert router.route(text).decision.route == expected, text


def test_normal_temperature_reads_both_scales() -> None:
    assert normal_temperature("my wife's temperature is 99.5 degrees fahrenheit")
    assert normal_temperature("i have 98.3 fever?")
    assert normal_temperature("temp 37.6 this morning")
    assert not normal_temperature("temperature of 39.2 and back pain")
    assert not normal_temperature("a fever of 101 since yesterday")
    assert not normal_temperature("temp was 37.5, now it is 38.4")
    assert not normal_temperature("i have a fever")  # no reading: not known to be normal


def test_past_only_clauses() -> None:
    assert past_only("i had a minor heart attack?", "i had a minor heart attack?")
    said = "i had an accident four weeks back and injured my foot"
    assert past_only(said, said)
    for now in [
        "i was choked, now have difficulty swallowing",
        "my daughter just passed a bowel movement with blood",
        "i tried a drug 2 days ago and had a very bad stroke",
        "i fell this morning and my hip hurts",
    ]:
        assert not past_only(now, now), now


@pytest.mark.parametrize(
    "text",
    [
        "my grandmother passed away in hospital after she choked on her dinner, i can't stop "
        "thinking about it",
        "i noticed numbness in my penis two weeks ago. i do not have any back pain or pain "
        "down my legs",
        "i was in a car accident and since then i feel different in myself",
    ],
)
def test_lead24_stories_and_isolated_signs_stay_benign(router: Any, text: str) -> None:
    route = router.route(text).decision.route
    assert route not in {"emergency", "urgent", "crisis"}, f"{text!r} -> {route}"


@pytest.mark.parametrize(
    "text",
    [
        "my dad has collapsed and isn't breathing, my uncle died of the same thing",
        "my groin has gone numb and my back is agony since this morning",
        "i was in a car accident an hour ago and my neck really hurts",
        "i took some pills at a party two days ago and i had a really bad stroke",
        "my husband had a stroke last year and now i think he's having another stroke",
    ],
)
def test_lead24_current_emergencies_still_escalate(router: Any, text: str) -> None:
    assert router.route(text).decision.route == "emergency", text


@pytest.mark.parametrize(
    "text",
    [
        "my daughter is three and just passed a bowel movement with blood",
        "my 2 year old has blood in his nappy after a poo",
    ],
)
def test_lead24_child_passing_blood_escalates(router: Any, text: str) -> None:
    # urgent by the child rule; "poo with blood" is also read by the bleeding rule
    assert router.route(text).decision.route in {"urgent", "emergency"}, text


def test_lead24_heat_stroke_is_not_a_stroke(router: Any) -> None:
    route = router.route("i had heat stroke last summer, is it ok to start running again?")
    assert route.decision.route not in {"emergency", "urgent", "crisis"}


@pytest.mark.parametrize(
    "text",
    [
        "i often run a low grade fever and my joints ache, what could it be?",
        "my daughter sometimes has fits and is on keppra, can she do gymnastics?",
        "do you think i could be having absence seizures? i zone out at times",
    ],
)
def test_lead24_low_grade_and_known_seizures_stay_benign(router: Any, text: str) -> None:
    route = router.route(text).decision.route
    assert route not in {"emergency", "urgent", "crisis"}, f"{text!r} -> {route}"


@pytest.mark.parametrize(
    "text",
    [
        "my son is having a seizure right now",
        "my epileptic son is having a seizure that won't stop",
        "my wife has just had her first ever seizure",
    ],
)
def test_lead24_seizures_now_are_emergencies(router: Any, text: str) -> None:
    assert router.route(text).decision.route == "emergency", text


def test_lead24_low_grade_with_a_high_reading_still_counts(router: Any) -> None:
    said = "a low grade fever they said, but it is 39.5 and my back is agony"
    assert router.route(said).decision.route == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "could this be a period? i bled a little on my due date but the home pregnancy test "
        "came back negative twice",
        "i bled a week after the morning after pill, what are the chances of pregnancy?",
    ],
)
def test_lead24_pregnancy_only_asked_about_is_not_a_pregnancy_problem(
    router: Any, text: str
) -> None:
    route = router.route(text).decision.route
    assert route not in {"emergency", "crisis"}, f"{text!r} -> {route}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i might be pregnant and i'm bleeding with severe pain on one side", "emergency"),
        (
            "the test was positive, now i'm bleeding with bad cramps, am i pregnant still?",
            "emergency",
        ),
        ("low grade fever for three days, i'm being sick and my pee is dark", "urgent"),
    ],
)
def test_lead24_signs_beside_those_words_still_count(router: Any, text: str, expected: str) -> None:
    assert router.route(text).decision.route == expected, text


def test_past_only_needs_a_subject_and_its_past_verb() -> None:
    for said in [
        "head spasm followed by headache and blurring of vision?",
        "my cut has greenish-coloured pus",
        "i have a herniated disc and weakness in my leg",
    ]:
        assert not past_only(said, said), said


def test_minor_bleeds_are_everyday_look_alikes() -> None:
    from painguide.safety.router import everyday_look_alike

    assert everyday_look_alike("took a cold remedy and now my nose is bleeding")
    assert everyday_look_alike("my gums bleed when i brush")
    assert everyday_look_alike("my nose started bleeding after i blew it")
    assert not everyday_look_alike("my nose has been bleeding for 30 minutes and won't stop")
    assert not everyday_look_alike("my gums bleed and i have purple spots on my legs")
    assert not everyday_look_alike("nosebleed after a fall and i feel dizzy")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my nose has been bleeding for 30 minutes and it won't stop", "emergency"),
        ("my gums keep bleeding and i've got little purple spots on my legs", "urgent"),
    ],
)
def test_lead24_serious_bleeds_still_escalate(router: Any, text: str, expected: str) -> None:
    assert router.route(text).decision.route == expected, text


def test_lead24_xray_showing_no_break_is_assessed(router: Any) -> None:
    said = "i fell off a ladder and hurt my ankle, the x-ray showed no broken bones, can i walk?"
    assert router.route(said).decision.route not in {"emergency", "urgent", "crisis"}


@pytest.mark.parametrize(
    "text",
    [
        "i live with an eating disorder and throw up most nights",
        "i suffer with bulimia and it's getting worse",
        "my method isn't going anywhere and i keep telling myself not to",
        "my method is ready in the drawer, i just need the nerve",
    ],
)
def test_lead24_crisis_in_the_present_simple(router: Any, text: str) -> None:
    assert router.route(text).decision.route == "crisis", text


@pytest.mark.parametrize(
    "text",
    [
        "my training plan is ready for the marathon, how do i pace it with back pain?",
        "my method is working well for my back, ten minutes of stretches every morning",
    ],
)
def test_lead24_plans_and_methods_for_exercise_stay_benign(router: Any, text: str) -> None:
    route = router.route(text).decision.route
    assert route not in {"emergency", "urgent", "crisis"}, f"{text!r} -> {route}"


def test_lead24_a_nosebleed_after_blowing_is_not_an_emergency(router: Any) -> None:
    said = "my nose started bleeding after i blew it, is my back pain related"
    assert router.route(said).decision.route not in {"emergency", "crisis"}
