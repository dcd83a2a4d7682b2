"""Question types, subject coverage, answer-shape scores and the clinician review sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from painguide.answer.coverage import SubjectCoverage, find_subjects
from painguide.answer.qtype import answer_matches_type, gives_type, question_type, question_types
from painguide.evals import answer_shape
from painguide.evals.answer_shape import AnswerShape
from painguide.evals.review import (
    RatingsError,
    answer_hash,
    ratings_summary,
    read_ratings,
    write_review_sheet,
)
from painguide.types import Chunk


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is pacing?", "definition"),
        ("whats sensitisation", "definition"),
        ("what does hypoalgesia mean", "definition"),
        ("how long does the effect last?", "quantity"),
        ("How much exercise should I do each week", "quantity"),
        ("how often should i walk", "quantity"),
        ("Why does exercise reduce pain?", "mechanism"),
        ("how does exercise change the nervous system", "mechanism"),
        ("Is it safe to exercise with some pain?", "yesno"),
        ("should i stay in bed", "yesno"),
        ("Does cracking my back help?", "yesno"),
        ("I have arthritis in my knee, will exercise help?", "yesno"),
        ("How do I start exercising again?", "howto"),
        # "what do I do" asks what to do; it is not "what do X mean" (read as a patient)
        ("my back went when i bent down, it's agony, what do i do", "howto"),
        ("what do endorphins do", "definition"),
        ("tweaked my back bending over yesterday, what now", "howto"),
        ("painkillers arent working anymore what else can i try", "howto"),
        ("what else can i do for it", "howto"),
        ("which strength moves should a beginner with back pain try", "howto"),
        ("which exercises then?", "howto"),
        ("which stretches help sciatica", "howto"),
        ("which exercise is best for chronic back pain", "other"),
        ("is swimming or walking better for back pain", "comparison"),
        ("yoga vs pilates", "comparison"),
        ("back pain", "other"),
        ("does my mood change how much pain i feel", "yesno"),
        ("what is the correct way to sit", "other"),
        ("When should you stop exercising and get help?", "other"),
        # the question after a story, or the question word typed last
        ("my kneecap hurts, which exercises help", "howto"),
        ("i hurt my back lifting. when will it get better?", "quantity"),
        ("after a jog my back feels better for a while, why", "mechanism"),
        ("everything hurts so where do i even start with exercise", "howto"),
    ],
)
def test_question_type(question: str, expected: str) -> None:
    assert question_type(question) == expected, question


def test_compound_question_keeps_both_types_in_order() -> None:
    q = "What is exercise-induced hypoalgesia and how long does it last?"
    assert question_types(q) == ["definition", "quantity"], q


@pytest.mark.parametrize(
    ("qtype", "sentence", "ok"),
    [
        ("quantity", "The effect lasts for about 30 minutes.", True),
        ("quantity", "The effect fades after about half an hour.", True),
        ("quantity", "The effect is short-term and fades.", False),
        ("quantity", "One session of exercise can lower pain sensitivity.", False),
        ("quantity", "Aim for three sessions a week.", True),
        ("yesno", "Yes, most people can exercise with some pain.", True),
        ("yesno", "Most people with back pain do not need a scan.", True),
        ("definition", "Pacing means doing a steady amount of activity each day.", True),
        ("definition", "Exercise-induced hypoalgesia has a long name.", False),
        ("definition", "Sciatica is pain that travels down the leg.", True),
    ],
)
def test_gives_type(qtype: str, sentence: str, ok: bool) -> None:
    assert gives_type(qtype, sentence) is ok, (qtype, sentence)  # type: ignore[arg-type]


def test_quantity_may_come_second_but_a_stance_must_lead() -> None:
    assert answer_matches_type("quantity", ["DOMS is muscle soreness.", "It lasts 3 days."])
    assert not answer_matches_type("yesno", ["Backs are strong.", "Yes, it is safe."])


COVERED = SubjectCoverage.from_texts(
    [
        "Knee and hip osteoarthritis",
        "What is sciatica?",
        "Key points: Most people with back pain do not need a scan.",
        "Why does exercise help back pain?",
    ]
)


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("I have rheumatoid arthritis in my hands, will exercise help?", "rheumatoid arthritis"),
        ("i have rhumatoid artritis in my hands", "rheumatoid arthritis"),  # misspelt
        ("does acupuncture help back pain", "acupuncture"),
        ("my wrist hurts when i type", "wrist pain"),
        ("what can i do about gout", "gout"),
    ],
)
def test_uncovered_subjects_are_named(question: str, subject: str) -> None:
    missing = COVERED.uncovered(question)
    assert missing and missing[0].name == subject, (question, missing)


@pytest.mark.parametrize(
    "question",
    [
        "Do I need an MRI for my back pain?",
        "is sciatica in my foot normal",  # a covered condition anchors the body part
        "can exercise help knee osteoarthritis",
        "why does exercise help",
        "keep an eye on my back pain",  # "eye" alone is not a subject
        "on the other hand, is walking good?",  # nor is "hand"
    ],
)
def test_covered_or_generic_questions_pass(question: str) -> None:
    assert COVERED.uncovered(question) == [], question


def test_longest_subject_wins_and_words_are_not_reused() -> None:
    names = [s.name for s in find_subjects("rheumatoid arthritis and a slipped disc")]
    assert names == ["rheumatoid arthritis", "slipped or herniated disc"], names


def _chunk(sentences: list[str]) -> Chunk:
    return Chunk("d#s", "d", "T", "S", " ".join(sentences), tuple(sentences), "h", 0)


def test_dangling_opener_needs_its_own_previous_sentence() -> None:
    shape = AnswerShape.from_chunks([_chunk(["Pacing is a skill.", "It keeps activity steady."])])
    assert shape.dangling("Pacing is a skill. [1] It keeps activity steady. [1]") == 0.0
    assert shape.dangling("It keeps activity steady. [1]") == 1.0
    assert shape.dangling("Walking helps. [1] It keeps activity steady. [1]") == 1.0
    # the sentence before is shown without its "Yes," (a lead for a question that is not
    # yes/no): still shown
    shape = AnswerShape.from_chunks([_chunk(["Yes, walking helps.", "It is free."])])
    assert shape.dangling("Walking helps. [1] It is free. [1]") == 0.0


def test_repeated_and_lead_coverage_and_off_subject() -> None:
    twice = "Walking is good for backs. [1] Walking is good for your back. [2]"
    assert answer_shape.repeated(twice) == 1.0
    assert answer_shape.repeated("Walking helps. [1] Rest less. [1]") == 0.0
    ans = "Pacing means steady activity. [1] Avoid boom and bust. [1] Plan ahead. [1]"
    assert answer_shape.lead_coverage(ans, ["steady", "boom", "plan"]) == pytest.approx(2 / 3)
    assert answer_shape.lead_coverage(ans, []) is None
    assert answer_shape.off_subject("answer", "Gout is ... [1]") == 1.0
    assert answer_shape.off_subject("no_content", "Pain Guide has no page on gout.") == 0.0
    assert answer_shape.off_subject("answer", "Pain Guide has no page on gout. In general") == 0.0


def _report() -> dict[str, object]:
    items = [
        {
            "dataset": "golden",
            "id": f"q{i}",
            "question": f"question {i}?",
            "route": "answer" if i % 3 else "no_content",
            "answer": f"Answer number {i}. [1]",
            "citations": [{"n": 1, "title": "Pacing", "section": "What is pacing?"}],
        }
        for i in range(12)
    ]
    return {"meta": {"version": "t", "corpus_hash": "c"}, "items": items}


def test_review_sheet_round_trip_markdown_and_csv(tmp_path: Path) -> None:
    report = _report()
    md, html, csv_path = write_review_sheet(report, tmp_path, 5)
    assert "<script" not in html.read_text()
    text = md.read_text()
    assert text.count("## R0") == 5, text
    # fill the first item's table in the Markdown sheet: correct y, clear n, safe n
    filled = text.replace("|  |  |  |  |", "| y | n | n | wrong condition |", 1)
    md.write_text(filled)
    ratings = read_ratings(md)
    assert len(ratings) == 1 and ratings[0]["safe"] is False, ratings
    summary = ratings_summary(ratings, report)
    assert summary["rated"] == 1 and summary["safe_rate"] == 0.0, summary
    assert summary["not_safe"][0]["comment"] == "wrong condition", summary
    # the CSV sheet: rate every row yes, then change one answer: its rating becomes stale
    lines = csv_path.read_text().splitlines()
    rows = [lines[0]] + [line[: -len(",,,,")] + ",y,y,y,fine" for line in lines[1:]]
    csv_path.write_text("\n".join(rows) + "\n")
    rated = read_ratings(csv_path)
    assert len(rated) == 5, rated
    first = next(i for i in report["items"] if i["id"] == rated[0]["id"])  # type: ignore[attr-defined]
    first["answer"] = "A different answer. [1]"
    again = ratings_summary(rated, report)
    assert again["rated"] == 4 and len(again["stale"]) == 1, again
    assert rated[0]["answer_hash"] == answer_hash(f"Answer number {rated[0]['id'][1:]}. [1]")


def test_ratings_errors_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(RatingsError, match="No ratings file"):
        read_ratings(tmp_path / "missing.csv")
    bad = tmp_path / "review.csv"
    bad.write_text("dataset,id,answer_hash,correct,clear,safe,comment\ngolden,q1,abc,maybe,,,\n")
    with pytest.raises(RatingsError, match="not y or n"):
        read_ratings(bad)


def test_a_subject_a_page_keeps_discussing_is_covered_a_passing_mention_is_not() -> None:
    doc = [
        "Depression is common with long-term pain.",
        "Low mood and depression can make pain feel stronger.",
        "Talk to a GP if depression lasts more than two weeks.",
        "Rheumatoid arthritis is a different condition.",
    ]
    coverage = SubjectCoverage.from_texts(["Mental health and pain"], [doc])
    assert coverage.uncovered("does chronic pain cause depression") == []
    assert [s.name for s in coverage.uncovered("rheumatoid arthritis and exercise")] == [
        "rheumatoid arthritis"
    ]


def test_spelling_correction_breaks_ties_the_same_way_in_every_process() -> None:
    """'disk' is one edit from both 'disc' and 'risk': which one a set yields first changes
    with the process's string hashing, so the tie is broken by the shared start of the word."""
    from types import SimpleNamespace

    from painguide.retrieval import HybridRetriever

    for order in (["risk", "disc"], ["disc", "risk"]):
        kb = SimpleNamespace(vocabulary=frozenset(order), idf={})
        retriever = HybridRetriever(kb)  # type: ignore[arg-type]
        assert retriever.correct_spelling("herniated disk") == "herniated disc", order


def test_spelling_correction_leaves_real_words_the_corpus_never_uses() -> None:
    """'cough' is an English word the library lacks, not a misspelling of 'rough'; 'hurst' is
    a word too, but one swap of neighbouring letters from the corpus word 'hurts'."""
    from types import SimpleNamespace

    from painguide.retrieval import HybridRetriever

    english = frozenset({"cough", "hurst", "rough", "hurts", "back"})
    embeddings = SimpleNamespace(known_words=lambda: english)
    kb = SimpleNamespace(
        vocabulary=frozenset({"rough", "hurts", "back"}), idf={}, embeddings=embeddings
    )
    retriever = HybridRetriever(kb)  # type: ignore[arg-type]
    assert retriever.correct_spelling("back pain when i cough") == "back pain when i cough"
    assert retriever.correct_spelling("my back hurst") == "my back hurts"
    no_words = SimpleNamespace(vocabulary=kb.vocabulary, idf={}, embeddings=SimpleNamespace())
    assert HybridRetriever(no_words).correct_spelling("when i cough") == "when i rough"  # type: ignore[arg-type]


def test_real_word_slips_are_fixed_only_in_their_context() -> None:
    """'loosing' is a real word, so spelling correction leaves it; before 'weight' it is a slip
    for 'losing'. 'a loose joint' stays as written."""
    from types import SimpleNamespace

    from painguide.retrieval import HybridRetriever

    english = frozenset({"loosing", "loose", "losing", "lose", "weight", "joint", "knee"})
    embeddings = SimpleNamespace(known_words=lambda: english)
    kb = SimpleNamespace(
        vocabulary=frozenset({"losing", "weight", "knee"}), idf={}, embeddings=embeddings
    )
    retriever = HybridRetriever(kb)  # type: ignore[arg-type]
    fix = retriever.correct_spelling
    assert fix("will loosing weight help my knee") == "will losing weight help my knee"
    assert fix("how do i loose a bit of weight") == "how do i lose a bit of weight"
    assert fix("my knee feels loose") == "my knee feels loose"
    assert fix("a loose joint") == "a loose joint"


def test_clipped_profession_names_are_spelt_out() -> None:
    """ "chiro" is no corpus word and too short to correct: it is spelt out so retrieval finds
    the page that compares a physio and a chiropractor; "chiropody" stays as written."""
    from types import SimpleNamespace

    from painguide.retrieval import HybridRetriever

    english = frozenset({"physio", "chiropractor", "chiropractors", "chiropody", "or"})
    embeddings = SimpleNamespace(known_words=lambda: english)
    kb = SimpleNamespace(
        vocabulary=frozenset({"physio", "chiropractor", "chiropractors"}),
        idf={},
        embeddings=embeddings,
    )
    fix = HybridRetriever(kb).correct_spelling  # type: ignore[arg-type]
    assert fix("physio or chiro") == "physio or chiropractor"
    assert fix("are chiros any good") == "are chiropractors any good"
    assert fix("chiropody or physio") == "chiropody or physio"


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("can hammer toes be straightened without an operation", "hammer toe"),
        ("pain in my upper back when i sit at a desk", "upper back pain"),
        ("my hand arthritis is bad in the mornings", "hand pain"),
        # "i rolled my ankle" is a sprain: the answer needs no "your question did not mention" note
        ("just rolled my ankle what do i do", "sprains and strains"),
        ("i twisted my ankle on the stairs", "sprains and strains"),
        ("i hurt my hamstring playing football", "sprains and strains"),
    ],
)
def test_short_plurals_and_two_word_sites_name_their_subject(question: str, subject: str) -> None:
    """'toes' keeps its -s (short words are not de-pluralised), so 'hammer toes' needs its own
    phrase; 'upper back' is the upper back, not low back pain."""
    names = [s.name for s in find_subjects(question)]
    assert subject in names, f"{question!r}: {names}"


def test_a_condition_covered_only_at_some_sites_does_not_hide_an_uncovered_body_part() -> None:
    """The library's arthritis pages are about the knee and hip: 'arthritis in my fingers'
    names the hand, which no page covers; 'sciatica in my foot' is still about sciatica."""
    coverage = SubjectCoverage.from_texts(
        ["Knee and hip osteoarthritis: arthritis", "Sciatica"],
        [["Arthritis of the knee is common."], ["Sciatica can reach the foot."]],
    )
    assert [s.name for s in coverage.uncovered("i have arthritis in my fingers")] == ["hand pain"]
    assert coverage.uncovered("sciatica in my foot") == []


@pytest.mark.parametrize(
    ("qtype", "sentence", "expected"),
    [
        (
            "yesno",
            "Stress can turn pain up, because stress puts the nervous system on alert.",
            True,
        ),
        ("yesno", "Cut back on running for a while rather than stopping all activity.", True),
        ("yesno", "Stress and pain are studied by many researchers worldwide.", False),
        ("howto", "To step off the boom-and-bust cycle, plan a steady amount every day.", True),
        ("howto", "To this day, researchers study the boom-and-bust cycle.", False),
    ],
)
def test_stances_and_first_steps_read_from_the_lead(
    qtype: str, sentence: str, expected: bool
) -> None:
    assert gives_type(qtype, sentence) is expected, (qtype, sentence)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how long should i walk for if ive got sciatica", True),
        ("how far can I walk with a bad back", True),
        ("how much should I exercise each week", True),
        ("how long does sciatica last", False),
        ("how long will it take for my back to get better", False),
    ],
)
def test_how_much_of_an_activity_is_told_apart_from_how_long_a_condition_lasts(
    question: str, expected: bool
) -> None:
    from painguide.answer.compose import asks_activity_amount

    assert asks_activity_amount(question) is expected, question


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (  # an opening "also" points back to a sentence the reader never saw
            ["Massage can also help people relax.", "Massage works best with exercise."],
            ["Massage can help people relax.", "Massage works best with exercise."],
        ),
        (  # a stance belongs to the opening sentence only
            ["Start with a small amount.", "Yes, exercise is safe for most people."],
            ["Start with a small amount.", "Exercise is safe for most people."],
        ),
        (
            ["Cut back for a while.", "Usually no, rest is not needed."],
            ["Cut back for a while.", "Rest is not needed."],
        ),
        (  # an opening stance and words that only look alike stay as written
            ["Yes, walking is safe.", "Nobody knows for sure.", "Also worth knowing: it helps."],
            ["Yes, walking is safe.", "Nobody knows for sure.", "Also worth knowing: it helps."],
        ),
    ],
)
def test_composed_sentences_read_in_the_order_shown(texts: list[str], expected: list[str]) -> None:
    from painguide.answer.compose import _Pick, _read_in_order

    got = [p.text for p in _read_in_order([_Pick(t, "c1") for t in texts])]
    assert got == expected, f"{texts!r} -> {got!r}"


def test_a_condition_asked_by_another_of_its_names_is_the_page_subject() -> None:
    """'a pulled back muscle' names the sprains and strains subject, which the sprains and
    strains page covers under another of its phrases ('pulled muscle')."""
    from painguide.answer.coverage import subject_phrases

    found = find_subjects("how long does it take for a pulled back muscle to heal")
    assert [s.name for s in found] == ["sprains and strains"], found
    assert "pulled muscle" in subject_phrases("sprains and strains")
    assert subject_phrases("no such subject") == []


def test_a_short_condition_name_matches_sections_using_the_full_name() -> None:
    """ "fibro" in a question matches a section that only ever says "fibromyalgia"."""
    import numpy as np

    from painguide.answer.compose import _short_names, _word_matches

    names = _short_names("is exercise any good for fibro pain")
    assert names == {"fibro": frozenset({"fibromyalgia"})}
    kb = type("KB", (), {"idf": {"fibro": 5.0, "fibromyalgia": 4.0, "exercis": 1.0}})()
    terms = frozenset({"fibro", "exercis"})
    full_only = [frozenset({"fibromyalgia", "exercis"}), frozenset({"exercis"})]
    got = _word_matches(terms, full_only, kb, names)
    assert np.allclose(got, [1.0, 1 / 6]), got
    assert np.allclose(_word_matches(terms, full_only, kb), [1 / 6, 1 / 6])
    assert _short_names("does exercise help fibromyalgia") == {}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("i dont know how much more of this back pain i can take, what else can i try", "howto"),
        ("i don't know how long i can keep going like this, what should i do", "howto"),
        ("i dont know how much to walk", "quantity"),  # nothing else asked: still an amount
        ("not sure how long sciatica lasts, how long does it take to heal", "quantity"),
    ],
)
def test_not_knowing_how_much_asks_for_no_amount(question: str, expected: str) -> None:
    """A 'how much' inside a statement of not knowing is not the question asked."""
    assert question_types(question)[0] == expected


def test_a_symptom_named_on_a_covered_conditions_page_is_covered_with_it() -> None:
    """'i had whiplash and now i get headaches' is answered by the whiplash page, which says
    whiplash can cause headaches; headaches alone, or named only in a warning, are not."""
    docs = [
        ["Whiplash usually causes neck pain, and sometimes headaches."],
        ["Neck pain with a severe headache is an emergency."],
    ]
    coverage = SubjectCoverage.from_texts(
        ["Whiplash", "Neck pain"], docs, ["What is whiplash?", "Neck pain"]
    )
    assert coverage.uncovered("i had whiplash and now i get headaches") == []
    assert [s.name for s in coverage.uncovered("my neck hurts and i get headaches")] == [
        "headaches"
    ]
    assert [s.name for s in coverage.uncovered("what helps headaches")] == ["headaches"]
