"""Patient-style answers (answers28): pain that is not settling, a treatment asked about for a
body part its page never names, joint noises, ice for a new injury, "X or Y?" conditions."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.answer.compose import (
    _ASKS_BEYOND_WHICH,
    _HELP_HEADING,
    _JOINT_NOISE,
    _MUSCLES,
    tells_not_improving,
)


@pytest.mark.parametrize(
    ("message", "lingers"),
    [
        ("my neck is still not better after a month", True),
        ("and if it still hurts?", True),
        ("what if it doesnt get better", True),
        ("what if the pain keeps coming back", True),
        ("what if my sciatica won't go away", True),
        # look-alikes: better now, about the past, a question about getting better
        ("my back is much better now", False),
        ("it used to hurt but it is fine now", False),
        ("how do i get better at running", False),
        ("if it hurts, should i stop?", False),
    ],
)
def test_tells_not_improving(message: str, lingers: bool) -> None:
    assert tells_not_improving(message) is lingers


@pytest.mark.parametrize(
    ("heading", "is_help"),
    [
        ("When does neck pain need a doctor?", True),
        ("When does a slipped disc need a doctor or emergency care?", True),
        ("When should I see a doctor about knee pain?", True),
        ("Do I need a scan for back pain?", False),
        ("What helps a stiff neck?", False),
        ("Do I need a physio for back pain?", False),
    ],
)
def test_help_headings(heading: str, is_help: bool) -> None:
    assert bool(_HELP_HEADING.search(heading)) is is_help


@pytest.mark.parametrize(
    ("question", "noise"),
    [
        ("my knee makes a cracking noise when i squat", True),
        ("why do my knees pop when i stand up", True),
        ("my hip clicks when i walk", True),
        ("my knees grind on the stairs", True),
        ("is popping painkillers bad for me", False),  # no sound meant (no joint named either)
        ("i cracked my phone screen", False),
        ("what helps knee pain on stairs", False),
    ],
)
def test_joint_noise_words(question: str, noise: bool) -> None:
    from painguide.answer.compose import _JOINT

    assert bool(_JOINT_NOISE.search(question) and _JOINT.search(question)) is noise


@pytest.mark.parametrize(
    ("question", "limb"),
    [
        ("should i put heat or ice on a pulled hamstring", True),
        ("should i ice a new injury", True),
        ("i sprained my ankle, heat or ice?", True),
        ("i pulled a muscle in my back", True),  # the back is still named: the caller checks
        ("should i ice my back", False),
        ("is heat or ice better", False),
        ("how do i treat a stiff back", False),
    ],
)
def test_injured_limb_words(question: str, limb: bool) -> None:
    assert bool(_MUSCLES.search(question)) is limb


@pytest.mark.parametrize(
    ("question", "beyond"),
    [
        ("muscle strain or slipped disc?", False),
        ("is it a muscle strain or a slipped disc, how can i tell", False),
        ("sciatica or a slipped disc?", False),
        ("i have sciatica or a slipped disc, what exercise helps", True),
        ("sciatica or slipped disc, how long will it last", True),
        ("is it safe to run with sciatica or a slipped disc", True),
    ],
)
def test_either_or_asks_only_which(question: str, beyond: bool) -> None:
    assert bool(_ASKS_BEYOND_WHICH.search(question)) is beyond


def _ask(guide: Any, *turns: str) -> Any:
    history: list[dict[str, str]] = []
    answer = None
    for turn in turns:
        answer = guide.ask(turn, history)
        history += [
            {"role": "user", "content": turn},
            {"role": "assistant", "content": answer.answer},
        ]
    assert answer is not None
    return answer


def _lead(answer: Any) -> str:
    return answer.answer.split("\n\n")[0].lower()


def test_neck_not_better_after_a_month_leads_with_when_to_get_it_checked(guide: Any) -> None:
    for q in (
        "my neck is still not better after a month",
        "my neck still hurts after a month, what should i do",
    ):
        a = _ask(guide, q)
        assert a.citations and a.citations[0].section == "When does neck pain need a doctor?", q
        assert "see a doctor or physiotherapist" in _lead(a)


def test_and_if_it_still_hurts_follow_up(guide: Any) -> None:
    a = _ask(guide, "can i run with knee pain", "and if it still hurts?")
    assert a.citations[0].section == "When should I see a doctor about knee pain?"


def test_tens_for_the_knee_says_there_is_no_knee_specific_content(guide: Any) -> None:
    for q in ("can TENS help my knee", "does tens work for knee pain"):
        a = _ask(guide, q)
        assert "no page on TENS machines for knee pain in particular" in a.answer, q
        assert "back" not in _lead(a), q  # no stance on back pain for a knee question
    plain = _ask(guide, "does tens help back pain")
    assert "in particular" not in plain.answer


def test_ice_for_a_new_injury_leads_with_ice(guide: Any) -> None:
    a = _ask(guide, "should i ice a new injury")
    first = _lead(a).split(". ")[0]
    assert "ice" in first and "back pain" not in first


def test_strain_or_slipped_disc_answers_both(guide: Any) -> None:
    a = _ask(guide, "muscle strain or slipped disc?")
    docs = {c.doc_id for c in a.citations}
    assert {"sprains-and-strains", "slipped-disc"} <= docs


def test_knee_cracking_is_answered_by_the_joint_noise_section(guide: Any) -> None:
    a = _ask(guide, "my knee makes a cracking noise when i squat is that arthritis")
    assert "not a sign of harm" in _lead(a)
    assert not _lead(a).startswith("usually yes")


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        (
            "so i was gardening all weekend and now my lower back is killing me, i took some "
            "paracetamol, should i just rest in bed?",
            "should i just rest in bed? lower back",
        ),
        (
            "im 45, hurt my back lifting boxes on saturday, its a bit better now but im worried, "
            "how long before i can go to the gym?",
            "how long before i can go to the gym? back",
        ),
        (
            "my mum is 70 and has arthritis in her knees, the doctor said walk more but it "
            "hurts her, is walking actually good for her",
            "is walking actually good for her arthritis knee",
        ),
        # look-alikes: a short story, a short question leaning on the story, a question first
        ("my back hurts, is walking ok?", ""),
        ("my husband has had back pain for 2 months and wont see a doctor, when should he go", ""),
        ("is walking good for back pain, and how often should i do it?", ""),
    ],
)
def test_run_on_story_asks_its_last_clause(message: str, asked: str) -> None:
    from painguide.pipeline import asked_after_story

    assert asked_after_story(message) == asked


def test_one_warning_sign_worded_twice_is_said_once() -> None:
    from painguide.answer.compose import _same_words

    assert _same_words(
        "Extreme muscle pain or weakness after exercise, especially with dark brown urine, is "
        "not normal soreness and needs medical help straight away.",
        "Extreme muscle pain or weakness with dark brown urine is not ordinary soreness and "
        "needs medical help straight away.",
    )
    assert not _same_words(
        "Extreme muscle pain or weakness with dark brown urine needs medical help straight away.",
        "Chest pain, fainting or severe breathlessness during exercise needs emergency help.",
    )


@pytest.mark.parametrize(
    "message",
    [
        "i get a twinge in my low back when i lean down to pick things up, is that something to "
        "worry about",
        "i was told i have a bulging disc on my mri, does that mean i'll always have back pain",
        "my knees ache after a long walk with the dog every evening, should i be worried about it",
    ],
)
def test_run_on_story_whose_question_points_back_is_kept_whole(message: str) -> None:
    from painguide.pipeline import asked_after_story

    assert asked_after_story(message) == ""


@pytest.mark.parametrize(
    ("sentence", "gives"),
    [
        ("There is no set number of days to rest with back pain: keep up normal activities.", True),
        ("Build back up step by step: there is no set waiting time for most back pain.", True),
        ("Most sprains feel much better within about two weeks.", True),
        ("There is no set routine that suits everyone.", False),
        ("Rest when you need to.", False),
        ("No set of exercises suits everyone.", False),
    ],
)
def test_no_set_time_answers_how_long(sentence: str, gives: bool) -> None:
    from painguide.answer.qtype import gives_duration

    assert gives_duration(sentence) is gives


def test_how_long_should_i_rest_says_there_is_no_set_time(guide: Any) -> None:
    a = _ask(guide, "how long should I rest")
    assert "no set number of days" in _lead(a).split(". ")[0]
