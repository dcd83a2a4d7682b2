"""Crisis words that are not the writer's crisis now (safety24, issue 12), through the real
router, each change both ways: a past attempt told with the writer's recovery, suicidal years
overcome, other people's past danger that is over ("they are both still with us", "she has
been suicidal before"), what happens in a nightmare, advice a supporting reply addresses to its
readers, the fear of hurting a partner's healing body by touch, death as what the body could
not survive, others who wish the writer dead, "death wish" as a figure of speech; and
emergency signs that were idioms or reading: "makes me shit my pants" said of fear, words
tripping when nervous, a stroke sign read about online. A past attempt with a plan for the
next one is a crisis (988: a previous attempt raises the risk)."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.safety.router import dream_content, to_reader


@pytest.mark.parametrize(
    "text",
    [
        "i tried to kill myself when things fell apart, but i went through a programme and "
        "came out of it stronger",
        "years back i took an overdose. i'm in a much better place now and i want to help others",
        "something i'm proud of: i have overcome, after a long fight, being suicidal for most of "
        "my twenties",
        "when i was a nurse, three patients who had been planning suicide talked to me, and they "
        "are all still alive",
        "my roommate cries a lot and she has been suicidal before, how do i support her",
        "in my dreams my ex ties me a noose and laughs",
        "if anyone reading this is thinking of suicide, please reach out to someone. it gets "
        "better, it did for me",
        "please get help if you are thinking of ending your life. help is out there",
        "if i kept running marathons every week i would be dead soon, my body could not take it",
        "there was an attempt on my life by a gang years ago and plenty of people still wish me "
        "dead, but i laugh at them",
        "climbing without a rope is crazy unless you have a death wish",
        "the thought of giving that speech makes me shit my pants",
        "my wife had her knee operated on and i'm scared i'll hurt her when we cuddle in bed",
        "since his hernia operation i'm afraid to touch my husband in case i hurt him",
        "i stuttered in front of the class and messed up my words, i was so embarrassed",
        "i googled my headaches and read that weakness on one side of the body is a sign of a "
        "tumour, now i'm scared",
    ],
)
def test_safety24_not_escalated(router: Any, text: str) -> None:
    assert router.route(text).decision.route == "answer", text


@pytest.mark.parametrize(
    "text",
    [
        "i tried to kill myself last night",
        "i survived an attempt last year and i'm planning another",
        "i survived an attempt last year and i'm going to try again",
        "after my failed attempt i want to make another one soon",
        "i came out of it better last time but now i want to die again",
        "i have overcome a lot, but i am suicidal tonight",
        "my roommate has been suicidal before and tonight she says she wants to end it",
        "my brother is suicidal and still alive only because i took his pills away",
        "my sister is suicidal and she is still around only because i'm watching her",
        "i have nightmares every night and i want to hang myself",
        "i hear voices that tell me to kill myself and i have bad dreams",
        "it gets better they say, but i am thinking of suicide",
        "i can't take it anymore, i want to be dead",
        "i made an attempt on my life last week",
        "i have a death wish and i don't care if i crash the car",
        "i'm scared i might hurt my baby when i hold him",
        "i'm scared i'm going to hurt him, i keep getting urges to hit my husband since his "
        "operation",
    ],
)
def test_safety24_crisis_stays(router: Any, text: str) -> None:
    assert router.route(text).decision.route == "crisis", text


@pytest.mark.parametrize(
    "text",
    [
        "my back gave way and i shit myself, i couldn't hold it",
        "my dad's speech is suddenly slurred and his face is drooping",
        "i have weakness on one side of my body since this morning",
    ],
)
def test_safety24_emergency_stays(router: Any, text: str) -> None:
    assert router.route(text).decision.route == "emergency", text


def test_safety24_gates() -> None:
    reply = "if any of you are thinking of suicide, please go in for help"
    assert to_reader("if any of you are thinking of suicide", reply)
    assert not to_reader("i am thinking of suicide", "i am thinking of suicide, please help")
    dream = "i have nightmares. she told me to hang myself"
    assert dream_content("she told me to hang myself", dream)
    voices = "i have nightmares and voices. they told me to hang myself"
    assert not dream_content("they told me to hang myself", voices)
