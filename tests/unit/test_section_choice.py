"""Section choice helpers: rare topic words, question forms, misspelling tolerance."""

from __future__ import annotations

import math
from types import SimpleNamespace

from painguide.answer.compose import RARE_CHUNKS, rare_terms
from painguide.answer.coverage import find_subjects
from painguide.answer.qtype import gives_type, question_type


def _kb(df: dict[str, int], n: int = 400) -> SimpleNamespace:
    return SimpleNamespace(
        by_id={str(i): None for i in range(n)},
        idf={t: math.log(1 + n / d) for t, d in df.items()},
    )


def test_rare_terms_keep_topic_words_and_drop_fillers() -> None:
    kb = _kb({"traction": RARE_CHUNKS, "actual": 1, "back": 200, "pain": 300, "good": 90})
    assert rare_terms("is traction actually good for back pain", kb) == {"traction"}, (
        "'traction' names the topic; 'actually' is a filler, 'back pain' is everywhere"
    )


def test_rare_terms_ignore_words_the_library_never_uses() -> None:
    kb = _kb({"back": 200})
    assert rare_terms("is zumba good for my back", kb) == frozenset()


def test_two_edit_misspelling_needs_a_shared_start() -> None:
    names = {s.name for s in find_subjects("what is hydrotherapy")}
    assert "hypnosis" not in names, f"'hydrotherapy' read as hypnotherapy: {names}"
    assert "rheumatoid arthritis" in {s.name for s in find_subjects("rhumatoid artheritis")}


def test_question_forms_of_headings() -> None:
    assert question_type("What should I do during a flare-up?") == "howto"
    assert question_type("What is a flare-up?") == "definition"


def test_advising_against_is_a_stance() -> None:
    sentence = "The NICE guideline advises against traction for low back pain."
    assert gives_type("yesno", sentence), sentence


def test_worry_and_is_that_normal_ask_for_a_stance() -> None:
    for q in (
        "im pregnant and my pelvis hurts when i walk is that normal",
        "i'm scared exercise will damage my back",
    ):
        assert question_type(q) == "yesno", q


def test_a_word_the_library_uses_is_not_a_misspelling() -> None:
    assert "obesity and weight" in {s.name for s in find_subjects("overnight")}, (
        "without known words, two edits still reach 'overweight' (the guard below is real)"
    )
    known = frozenset({"overnight"})
    names = {s.name for s in find_subjects("my wrist went purple overnight", known)}
    assert "obesity and weight" not in names, f"overnight read as overweight: {names}"


def test_a_symptom_report_about_a_missing_subject_gets_safety_first() -> None:
    from painguide.answer.notices import not_covered
    from painguide.config import Settings

    s = Settings(_env_file=None)  # type: ignore[call-arg]
    text = not_covered("endometriosis", "", ["pacing"], s, safety_line="I can't assess symptoms.")
    assert text.startswith("I can't assess symptoms."), text
    assert text.count("no page") == 1 and "no content" not in text, text


def test_what_helps_and_what_can_i_do_are_how_to_questions() -> None:
    for q in ("what can I do about it?", "what helps calm it down?", "what works for sciatica"):
        assert question_type(q) == "howto", q


def test_a_long_account_without_a_question_is_a_narrative() -> None:
    from painguide.pipeline import _is_narrative

    account = (
        "He presented with long-standing lower back pain spreading to the back of the left "
        "leg, with a burning pain behind the knee that is worse when bending forward, and it "
        "has been two months now since it started."
    )
    assert _is_narrative(account), account
    assert not _is_narrative(account + " What can he do?"), "a question is not a narrative"
    assert not _is_narrative("lower back pain for two months"), "short messages are questions"


def test_what_is_a_term_the_library_never_uses() -> None:
    from painguide.pipeline import _undefined_term

    idf = {t: 1.0 for t in ("central", "sensitis", "flare", "cervic")}
    assert _undefined_term("What exactly is cervical radiculopathy?", idf) == (
        "cervical radiculopathy"
    )
    assert _undefined_term("what is central sensitisation", idf) == ""
    # "vs" is how people compare two terms, not a term the library lacks
    assert _undefined_term("what is central vs flare", idf) == ""
    assert _undefined_term("why does my back hurt", idf) == "", "not a definition question"
    assert _undefined_term("what is the popping noise when my back cracks", idf) == "", (
        "a situation, not a term"
    )


def test_rare_word_with_a_common_synonym_names_no_topic() -> None:
    kb = _kb({"workout": 2, "traction": 2, "back": 200})
    sections = SimpleNamespace(has_common_synonym=lambda word, _kb: word == "workout")
    found = rare_terms("does traction or a workout help my back", kb, sections=sections)  # type: ignore[arg-type]
    assert found == {"traction"}, f"'workout' means exercise, a common library word: {found}"


def test_how_to_sentence_may_open_with_a_time_phrase() -> None:
    assert gives_type("howto", "During a flare-up, ease back on activity a little.")
    assert gives_type("howto", "In the first few days, move gently and keep going.")
    assert not gives_type("howto", "If pain is worse, the body is sensitive to touch.")
    assert gives_type("yesno", "Muscles ache after new work, and the soreness is normal.")


def test_how_often_asks_for_a_frequency_not_any_number() -> None:
    from painguide.answer.qtype import asks_frequency, gives_frequency

    assert asks_frequency("how many days a week should i exercise with back pain")
    assert not asks_frequency("how long does muscle soreness last")
    assert gives_frequency("Do strength work on two or more days a week.")
    assert not gives_frequency("Exercise lowers pain by about 15 points on a 0 to 100 scale.")


def test_yes_or_no_is_dropped_only_before_a_full_clause() -> None:
    from painguide.text import without_interjection

    assert without_interjection("No, for most people there is no single way to sit.") == (
        "For most people there is no single way to sit."
    )
    assert without_interjection("No single exercise is best.") == "No single exercise is best."
    assert without_interjection("Yes, walking helps.") == "Walking helps."


def test_see_a_doctor_is_advice_not_a_cross_reference() -> None:
    from painguide.answer.compose import REFERRAL

    assert not REFERRAL.search("See a doctor or physiotherapist if sciatica is not better.")
    assert not REFERRAL.search("See your GP if the pain gets worse.")
    assert REFERRAL.search("See warning signs during exercise.")
