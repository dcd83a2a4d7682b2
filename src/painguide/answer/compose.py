"""The default answer engine: an extractive composer that needs no LLM and no network.

The corpus is written as question-headed sections whose opening sentences answer the heading.
So the composer answers **section first**: it matches the person's question to section headings
(and "Also asked" wordings and retrieved passages), and when a section matches it quotes that
section's opening sentences in the order they were written, then adds at most one sentence from
elsewhere when the question asks for something the opening lacks (a number for "how long", a
definition for "what is"). A section that announces several reasons ("in several ways") is
followed by its document's Key points as a short bulleted list. Only when no section matches does
it fall back to the best single sentences. Every sentence is copied from the corpus and cited.

Example::

    draft = compose(question, retrieval, kb, max_sentences=5)
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from painguide.answer.coverage import (
    BY_SITE,
    category_of,
    find_subjects,
    normalise_tokens,
    subject_phrases,
)
from painguide.answer.qtype import (
    QuestionType,
    asks_duration,
    asks_frequency,
    gives_duration,
    gives_frequency,
    gives_type,
    question_parts,
    question_type,
    question_types,
)
from painguide.answer.sections import (
    EVERYDAY_TREATMENTS,
    LIBRARY_DEFAULT_SUBJECTS,
    SectionIndex,
    SectionInfo,
    SectionSentence,
    section_index,
)
from painguide.text import STOPWORDS, content_terms, stem, without_interjection, words
from painguide.types import Citation

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import numpy as np

    from painguide.answer.coverage import Subject
    from painguide.retrieval import KnowledgeBase, RetrievalResult

DUPLICATE_SIMILARITY = 0.85  # sentences closer than this say the same thing twice
MMR_LAMBDA = 0.75  # relevance versus novelty when picking the next sentence (fallback mode)
KEEP_RATIO = 0.72  # fallback: a sentence must score at least this share of the best score
MIN_WORDS = 5  # shorter fragments read badly out of context
PASSAGES_USED = 4  # chunks the fallback reads sentences from
# Section matching: weights of heading similarity, opening-sentence similarity and word match,
# and the lowest combined score (and heading similarity) that counts as "this section answers".
HEADING_WEIGHT, OPENING_WEIGHT, LEXICAL_WEIGHT = 0.5, 0.3, 0.2
SECTION_MIN_SCORE = 0.46
SECTION_MIN_HEADING = 0.42
# A question this close to a section heading or one of its "Also asked" wordings is what the
# section answers, however short or unusual its words ("are you a real doctor"); the pipeline
# also counts it as relevant. 0.70: no off-topic or no-content message in the own safety set or
# the development set (people's words) that the other relevance floors let through comes
# above 0.61, while people's rewordings of a heading ("where do you get your info from", 0.74)
# sit between 0.70 and 0.85 (the earlier floor)
HEADING_FLOOR = 0.70
RESTATED_HEADING, RESTATED_BONUS = 0.85, 0.05  # a question restating a heading's wording
WORD_FOR_WORD_HEADING, WORD_FOR_WORD_BONUS = 0.95, 0.10  # ... or asking it word for word
RANK_BONUS = (0.05, 0.035, 0.02, 0.01)  # sections holding the 1st..4th retrieved passage
OPENING_AS_HEADING_GAP = 0.1  # opening similarity minus this stands in for a weak heading
FOLLOWUP_OWN_WEIGHT = 0.5  # a follow-up's own words weigh more than the topic carried over
PREFER_BONUS = 0.12  # a follow-up stays with the documents the last answer quoted
TYPE_BONUS = 0.04  # a section whose opening gives the asked-for kind of answer
OTHER_SUBJECT_PENALTY = 0.12  # the heading names a condition or body part the question does not
NARROWER_SUBJECT_PENALTY = 0.08  # ... and that subject is a narrower form of the asked one
OTHER_BODY_PART_PENALTY = 0.12  # ... a body part, when the question names another one
MISSING_TREATMENT_PENALTY = 0.12  # the page never names the treatment the question asks about
HEADING_TOPIC_PENALTY = 0.04  # the heading names a narrower topic the question never mentions
RARE_TERM_PENALTY = 0.15  # the section lacks the question's rare word that another one has
RARE_CANDIDATES = 12  # ... when one of this many closest sections uses it
RARE_HEADING_MARGIN = (
    0.15  # ... unless one without it matches the question's wording this much better
)
RARE_CHUNKS = 4  # a word in at most this many passages is rare enough to name the topic
# a yes/no lead should repeat the question's claim words used in at most this many passages
CLAIM_CHUNKS = 60
CLAIM_MIN_SHARED = 2  # ... and a lead without any of them gives way to one with this many
TOPIC_WORD_PENALTY = 0.06  # ... or lacks its most specific word, when no word is rare
TOPIC_CHUNKS = 25  # a word in at most this many passages is specific enough for that
FOLLOWUP_FORM_FACTOR = 3  # ... counted this many times over for a follow-up's own words
DOSE_PENALTY = 0.12  # "how long should I walk?" is not "how long does sciatica last?"
FORM_BONUS = 0.05  # the heading asks in the question's form ("what should I do" / "what is")
# a section that only says why ("what causes neck pain?") is the furthest answer from "what can I
# do?", even when its opening retells the person's story ("a long day at a desk ...")
CAUSE_FOR_HOWTO_PENALTY = 0.12
SAID_PENALTY = 0.10  # a section whose whole opening the previous answer already gave
HELP_BONUS = 0.06  # "when should I worry?" is answered by the section on when to get help
LINGERING_BONUS = 0.10  # ... and more so when the person says the pain is not settling
OPENING_SENTENCES = 3  # a section answer quotes this many opening sentences ...
OPENING_MAX_WORDS = 60  # ... or one more while they stay this short
LATER_PART_MIN_HEADING = 0.45  # a later part of a question needs a section that asks it
LATER_PART_LEAD = 3  # sentences kept from the first part's answer when a later part is added
MAX_BULLETS = 4  # Key points listed under a "several reasons" opening
MAX_SKIPPED_PAGES = 2  # pages about another body part passed over before no-content is said
EARLY_AT = 1  # position a later sentence naming the asked word moves to (second)
DEFINITION_SUBJECT_WORDS = 6  # a defining sentence names what it defines within its first words
# Words that are rare in the library without naming a topic.
FILLERS = frozenset(
    [
        "actually",
        "basically",
        "literally",
        "anyway",
        "anyways",
        "kinda",
        "sorta",
        "stuff",
        "thing",
        "things",
        "lot",
        "lots",
    ]
)
# The words that ask for a kind of answer are not the topic ("how long ... last" is not
# "long-lasting back pain").
_QUESTION_FORM = re.compile(r"\bhow (long|much|many|often|soon)\b|\blasts?\b", re.I)
# Sentences that lean on a previous sentence read badly alone.
DANGLING = re.compile(
    r"^(this|that|these|those|it|they|he|she|also|but|so|and|or|then|such|here|however|"
    r"another|both|even so|instead|in the same|the same (study|review|trial)|in that)\b",
    re.I,
)
_NEGATIVE_ASK = re.compile(
    r"\b(bad|harm\w*|dangerous|unsafe|worse|stop|avoid|damag\w*|injur\w*|wear\w* out|ruin\w*|"
    r"wrong|for life|life-?long|rest of my life|always (have|be|hurt)\w*|stuck with|"
    r"never (get|go|heal|be|recover)\w*)\b",
    re.I,
)
# A sentence that points back to one not shown ("Doctors call that area ..."): never a lead.
LEANS_BACK = re.compile(
    r"\b(that|this|these|those) (area|part|kind|type|sign|signs|one|idea|pattern|point|study|"
    r"trial|review|effect|guide|drop|way|method|approach|name|group|list|number|result|results|"
    r"figure|finding|findings|amount|level|change|changes)\b|"
    r"\bthe same (study|review|trial|group|way)\b",
    re.I,
)
# Cross-references to other pages ("You can read more in ...") say nothing on their own.
REFERRAL = re.compile(
    r"\b(read|learn|find out) more\b|\byou can read about\b|\bsee the (guide|page)|"
    r"\b(the|our) (guide|page) (to|on|about)\b|\bread about (them|it|this|these)\b"
    # "See warning signs ..." (a link); "See a doctor ..." and "See your GP ..." are advice
    r"|^see (?!(a|an|your|someone|somebody)\b)(the |our )?[a-z]",
    re.I,
)
# An opening that announces several reasons: the Key points list them.
SEVERAL = re.compile(
    r"\b(several|many|a few|two|three|four|five|a number of|different|main) (ways|effects|"
    r"reasons|things|changes|parts|factors|causes|benefits)\b|\bin several ways\b",
    re.I,
)


@dataclass(frozen=True)
class Draft:
    """A composed answer: text with [n] markers, its citations and the passages used."""

    text: str
    sentences: tuple[tuple[str, int], ...]  # (sentence, citation number)
    citations: tuple[Citation, ...]
    passages: tuple[dict[str, Any], ...]
    mode: str = "sentences"  # "section", "bullets" or "sentences" (fallback)
    section: str = ""  # "doc_id#heading" when a section answered
    qtype: str = "other"
    about: str = ""  # a condition the answering section is about that the question never named
    # "TENS machines for knee pain": the question asks a treatment about a body part or
    # condition that the treatment's page never names, so its content is general only
    general_for: str = ""


@dataclass(frozen=True)
class _Pick:
    text: str
    chunk_id: str
    bullet: bool = False


def compose(
    question: str,
    retrieval: RetrievalResult,
    kb: KnowledgeBase,
    max_sentences: int = 5,
    followup: str | None = None,
    general: bool = False,
    prefer_docs: frozenset[str] = frozenset(),
    said: frozenset[str] = frozenset(),
) -> Draft:
    """Build a cited extractive answer, section first.

    For a follow-up, ``question`` is the resolved query (it carries the topic) and
    ``followup`` the person's own words ("how long does that last?"): the question type comes
    from the person's words, the topic from the resolved query. ``general`` (for a subject the
    library lacks) uses only passages and sentences that name no particular condition or body
    part, so general help never reads as another condition's advice. ``said`` holds the
    corpus sentences the previous answer already gave: a follow-up asks for something new.
    """
    own = followup or question
    types = question_types(own)
    sections = section_index(kb)
    fvec = kb.embeddings.query_vector(followup) if followup and followup != question else None
    if general:
        retrieval = _general_only(retrieval, sections, own)
    elif said and _BARE_WHY.match(own):
        reason = _reason_answer(retrieval, kb, sections, said, prefer_docs)
        if reason:
            return _draft(reason, retrieval, kb, "section", "", "mechanism")
    best = _best_section(question, retrieval, kb, sections, fvec, types[0], prefer_docs, own, said)
    skipped: set[str] = set()
    skip: set[int] = set()
    while (
        best is not None
        and not general
        and _other_body_part(own, best, sections)
        and not _on_asked_treatment(own, best, sections)
    ):
        # "pins and needles in my hands at night" answered from the sciatica page talks about
        # the leg: the next section that matches well enough (a page naming the asked body
        # part: "my neck and shoulders are tight at my desk" is asked of the neck page, not
        # of the page on how to sit), else the honest no-content answer
        doc = sections.sections[best].doc_id
        skipped.add(doc)
        if len(skipped) > MAX_SKIPPED_PAGES:
            return Draft("", (), (), (), qtype=types[0])
        skip |= {i for i, info in enumerate(sections.sections) if info.doc_id == doc}
        best = _best_section(
            question, retrieval, kb, sections, fvec, types[0], prefer_docs, own, said, skip
        )
    if best is None and skipped:
        return Draft("", (), (), (), qtype=types[0])
    if best is not None and said and not general:
        # a follow-up whose best section would only repeat the last answer ("is pilates good
        # for back pain?" then "how often should i do it?") asks something that section does
        # not say: the next section that matches well enough answers it
        opening, _ = _section_answer(sections.sections[best], sections, kb)
        if opening and all(_was_said(p.text, said) for p in opening):
            again = _best_section(
                question,
                retrieval,
                kb,
                sections,
                fvec,
                types[0],
                prefer_docs,
                own,
                said,
                skip | {best},
            )
            if again is not None and not _other_body_part(own, again, sections):
                best = again
    if best is not None and not general:
        best = _section_with_asked_amount(
            best, question, retrieval, kb, sections, fvec, types[0], prefer_docs, own, said, skip
        )
    if best is not None and general:
        info = sections.sections[best]
        if sections.subjects_of(best) or _not_general(f"{info.title} {info.heading}", own):
            best = None
    pair = [] if general else _compared_subjects(own)
    if pair and (best is None or not _answers_comparison(best, pair, sections)):
        # "what's the difference between a slipped disc and sciatica?": each from its own page
        # "muscle strain or slipped disc?" asks which: what each one is, a sentence each
        per_side = (
            1
            if not _DIFFERENCE.search(own)
            and _either_or(own, pair)
            and all(category_of(name) != "treatment" for name in pair)
            else None
        )
        side_by_side = _comparison_answer(
            pair, own, retrieval.query_vector, sections, per_side or COMPARED_SENTENCES
        )
        if side_by_side:
            return _draft(side_by_side, retrieval, kb, "compare", "", types[0])
    picks: list[_Pick] = []
    mode, section_key, about = "sentences", "", ""
    if best is not None:
        info = sections.sections[best]
        picks, mode = _section_answer(info, sections, kb)
        # a section asking how to ("What helps tennis elbow?") opens with its own answer:
        # its written order is the answer to "what can I do about my tennis elbow?"
        asks_same = types[0] == "howto" and question_type(info.heading) == "howto"
        picks = _add_missing_types(
            own, picks, types, info, retrieval, kb, max_sentences, keep_order=asks_same
        )
        picks = _answer_later_parts(own, picks, info, kb, sections, max_sentences)
        if mode == "section":
            picks = _asked_word_early(own, picks, kb)
            picks = _signs_early(own, picks, info, sections, max_sentences)
        section_key = f"{info.doc_id}#{info.heading}"
        about = _unasked_condition(info, f"{question} {own}", sections)
    if not picks:
        picks = _sentence_answer(
            question,
            retrieval,
            kb,
            max_sentences,
            fvec,
            types,
            general,
            asks_duration(own),
            prefer_docs,
        )
        mode = "sentences"
    picks = _not_said_again(picks, said)
    if not picks:
        return Draft("", (), (), (), qtype=types[0])
    heading = section_key.split("#", 1)[1] if "#" in section_key else ""
    compared = types[0] == "comparison" and "comparison" not in question_types(heading or own)
    if (
        types[0] in ("howto", "quantity", "definition", "mechanism", "other")
        or compared  # "is a treadmill better than outside?" answered under "Can I run?"
        or (heading and _polarity(own) != _polarity(heading))
        or (heading and _asks_need(own) and not _asks_need(heading))
        # "should I see a chiropractor?" answered under "Does manipulation help?": a bare
        # "Yes," would read as advice to this person
        or (heading and _ADVICE_ASK.search(own) and not _ADVICE_ASK.search(heading))
        # "will physio fix my back for good?" answered under "Is a physio worth it?": the
        # section's "Yes," is to another claim
        or (best is not None and _promise_not_made_there(own, sections.sections[best]))
    ):  # asks no yes or no ("my back is worse when I sit all day"), or "is jogging bad?"
        # answered under "Can I run?": no bare "Yes," or "No,"
        picks = [_without_interjection(picks[0]), *picks[1:]]
    general_for = "" if general else _treatment_not_for(own, picks, sections)
    spinal_ask = any(s.name in SPINAL_CONDITIONS for s in find_subjects(own))
    if general_for and not _BACK.search(own) and not spinal_ask:
        # the page's general content, without its sentences on back pain ("TENS does not
        # heal the back" is no lead for "can TENS help my knee?")
        kept = [p for p in picks if not _BACK.search(p.text)]
        if kept and types[0] == "yesno" and not gives_type("yesno", kept[0].text):
            # "does TENS work for knee pain?": a stance of the page that is not about the back
            # ("Some people still find TENS a handy comfort tool ...") leads
            stance = _general_stance(kept, sections, kept[0].chunk_id.split("#", 1)[0])
            if stance is not None:
                kept = [stance, *kept]
        if kept:
            picks = [_without_interjection(kept[0]), *kept[1:]]
    draft = _draft(picks, retrieval, kb, mode, section_key, types[0])
    if about and mode != "sentences":
        draft = replace(draft, about=about)
    return replace(draft, general_for=general_for) if general_for else draft


def _general_stance(picks: list[_Pick], sections: SectionIndex, doc_id: str) -> _Pick | None:
    """The page's first standalone stance sentence that does not speak of the back."""
    shown = {p.text for p in picks}
    for info in sections.sections:
        if info.doc_id != doc_id or info.is_key_points:
            continue
        for sent in info.sentences:
            text = sent.text
            if (
                text not in shown
                and _usable(text)
                and not DANGLING.match(text)
                and not LEANS_BACK.search(text)
                and not _BACK.search(text)
                and gives_type("yesno", text)
            ):
                return _Pick(text, sent.chunk_id)
    return None


def _treatment_not_for(question: str, picks: list[_Pick], sections: SectionIndex) -> str:
    """ "TENS machines for knee pain" when the question asks whether a treatment helps a body
    part or condition ("can TENS help my knee?") and every cited page is the treatment's own
    page, which never names that body part or condition: the answer is its general content on
    the treatment, and the person should be told so. "" otherwise (a page that names both,
    "does exercise help knee pain?", or a question naming only one of them)."""
    found = find_subjects(question)
    cares = [
        s.name for s in found if s.category == "treatment" and s.name not in EVERYDAY_TREATMENTS
    ]
    asked = [
        s.name
        for s in found
        if s.category != "treatment" and s.name not in LIBRARY_DEFAULT_SUBJECTS
    ]
    if any(name in SPINAL_CONDITIONS for name in asked):
        return ""  # a back pain page's treatment advice applies to sciatica and the like
    if len(cares) != 1 or len(asked) != 1 or not picks:
        return ""
    pages = sections.docs_about(cares[0])[:1]
    if not pages or any(p.chunk_id.split("#", 1)[0] != pages[0] for p in picks):
        return ""
    words = sections.page_words(pages[0])
    if any(f" {' '.join(normalise_tokens(p))} " in words for p in subject_phrases(asked[0])):
        return ""
    return f"{cares[0]} for {asked[0]}"


def _section_with_asked_amount(
    best: int,
    question: str,
    retrieval: RetrievalResult,
    kb: KnowledgeBase,
    sections: SectionIndex,
    fvec: np.ndarray | None,
    qtype: QuestionType,
    prefer_docs: frozenset[str],
    own: str,
    said: frozenset[str],
    skip: set[int],
) -> int:
    """ "Is yoga good for back pain?" then "how often?": when the chosen section never says
    how often, the closest section that says it in its opening answers instead, unless that
    section is about a condition, body part or treatment the question never named. (Not for
    "how long": "there is no set waiting time" answers "when can I play football again?")"""
    wants_time, wants_freq = False, asks_frequency(own)
    parts = question_parts(own)
    if len(parts) > 1 and not asks_frequency(parts[0][0]):
        # "is yoga or pilates better, and how often should i go?": the first part chooses
        # the section; the later "how often" is added from the same page when it says
        return best
    if not wants_freq:
        return best

    def gives(i: int, first: int | None = None) -> bool:
        return any(
            _gives_asked(x.text, "quantity", wants_time, wants_freq)
            for x in sections.sections[i].sentences[:first]
        )

    if gives(best):
        return best
    without = {i for i in range(len(sections.sections)) if not gives(i, 2)}
    again = _best_section(
        question, retrieval, kb, sections, fvec, qtype, prefer_docs, own, said, skip | without
    )
    if again is None or _other_body_part(own, again, sections):
        return best
    asked = {s.name for s in find_subjects(f"{question} {own}")}
    if sections.subjects_of(again) - asked - LIBRARY_DEFAULT_SUBJECTS:
        return best  # "how often?" about tai chi is not answered by the strength training page
    return again


# "why?" after an answer asks for the reason behind what was just said
_BARE_WHY = re.compile(
    r"^\W*(but |and |so |ok |okay )?(why|how come|why is that|why so|why not|how so|"
    r"why does it|why would that be|how does that work)\W*$",
    re.I,
)
# a sentence that gives a reason in so many words
_BECAUSE = re.compile(
    r"\b(because|so that|which means|due to|the reason|as a result|this is why|that is why|"
    r"thanks to|since the)\b",
    re.I,
)
REASON_SENTENCES = 3  # the reason and the sentences that follow it in its section


def _reason_answer(
    retrieval: RetrievalResult,
    kb: KnowledgeBase,
    sections: SectionIndex,
    said: frozenset[str],
    prefer_docs: frozenset[str],
) -> list[_Pick]:
    """For "why?" after an answer: the reason behind what was just said. First a sentence not
    yet said that gives a reason ("... because ...") in the section the last answer quoted;
    else the opening of the closest section asking why or how ("Why does exercise help back
    pain?") on the pages the last answer quoted or retrieved for the topic. Empty when
    neither is found (the usual section answer follows)."""
    told = {
        i: sum(_was_said(x.text, said) for x in info.sentences)
        for i, info in enumerate(sections.sections)
        if not info.is_key_points
    }
    most = max(told.values(), default=0)
    # the section the last answer quoted (a sentence it shares with another page is not it)
    prev = [i for i, n in told.items() if n and n == most]
    found = _reason_in(prev, sections, said, _BECAUSE.search)
    if found:
        return found
    docs = set(prefer_docs) | {h.chunk.doc_id for h in retrieval.hits[:PASSAGES_USED]}
    heading = sections.heading_scores(retrieval.query_vector)
    pool = [
        i
        for i, info in enumerate(sections.sections)
        if info.doc_id in docs
        and i not in prev
        and not info.is_key_points
        and question_type(info.heading) == "mechanism"
        and float(heading[i]) >= SECTION_MIN_HEADING
    ]
    if not pool:  # "Long rest can also make a person more worried about moving"
        return _reason_in(prev, sections, said, lambda t: gives_type("mechanism", t))
    best = max(
        pool,
        key=lambda i: (
            float(heading[i])
            + (PREFER_BONUS if sections.sections[i].doc_id in prefer_docs else 0.0)
        ),
    )
    opening = [x for x in _opening(sections.sections[best]) if not _was_said(x.text, said)]
    if not opening or DANGLING.match(opening[0].text):
        return []
    return [_Pick(x.text, x.chunk_id) for x in opening[:REASON_SENTENCES]]


def _reason_in(
    indices: list[int], sections: SectionIndex, said: frozenset[str], gives: Any
) -> list[_Pick]:
    """The first sentence of these sections not yet said that ``gives`` a reason, with the
    sentences after it while they stand alone."""
    for idx in indices:
        sents = sections.sections[idx].sentences
        for pos, sent in enumerate(sents):
            if (
                _was_said(sent.text, said)
                or not _usable(sent.text)
                or LEANS_BACK.search(sent.text)
                or not gives(sent.text)
            ):
                continue
            picks = [_Pick(sent.text, sent.chunk_id)]
            for nxt in sents[pos + 1 : pos + REASON_SENTENCES]:
                if _was_said(nxt.text, said) or not _usable(nxt.text):
                    break
                picks.append(_Pick(nxt.text, nxt.chunk_id))
            return [_without_interjection(picks[0]), *picks[1:]]
    return []


# "what's the difference between X and Y", "is X the same as Y", "X vs Y"
_DIFFERENCE = re.compile(
    r"\b(differences?|differ|different (from|to|than)|same( thing)? as|vs\.?|versus|"
    r"compared? (to|with)|confused with)\b",
    re.I,
)
COMPARED_SENTENCES = 2  # opening sentences quoted per compared subject


def _compared_subjects(question: str) -> list[str]:
    """The one or two subjects a comparison question sets side by side ("is a bulging disc
    the same as a herniated disc?" names one subject twice; "acupuncture or massage?" two)."""
    names: list[str] = []
    for s in find_subjects(question):
        if s.name not in (*names, *LIBRARY_DEFAULT_SUBJECTS, *EVERYDAY_TREATMENTS):
            names.append(s.name)
    if _DIFFERENCE.search(question):
        return names if len(names) in (1, 2) else []
    if len(names) != 2:
        return []
    if question_type(question) != "comparison" and not _either_or(question, names):
        return []
    # "heat or ice for sciatica?" compares two treatments for one condition, never the
    # condition with a treatment: only subjects of one kind are set side by side
    kinds = {category_of(n) == "treatment" for n in names}
    return names if len(kinds) == 1 else []


# a question that names two subjects with "or" but asks something else about them
_ASKS_BEYOND_WHICH = re.compile(
    r"\b(help|helps|helped|treat|treated|treatment|exercises?|stretch\w*|do for|should i|"
    r"can i (do|take|use|go|try|run|lift|walk)|how long|how much|how often|best|safe|cure|fix|ease|"
    r"avoid)\b",
    re.I,
)


def _either_or(question: str, names: list[str]) -> bool:
    """Whether the question sets two named subjects against each other with "or" ("muscle
    strain or slipped disc?", "is it sciatica or a slipped disc?"): "or" stands between them."""
    from painguide.answer.coverage import normalise_tokens

    found = [s for s in find_subjects(question) if s.name in names]
    if len(found) != 2 or _ASKS_BEYOND_WHICH.search(question):
        return False  # "sciatica or a slipped disc, what exercise helps?" asks what helps
    first, second = sorted(found, key=lambda s: s.start)
    between = normalise_tokens(question)[first.start + len(first.phrase.split()) : second.start]
    return "or" in between and len(between) <= 3


def _answers_comparison(best: int, compared: list[str], sections: SectionIndex) -> bool:
    """Whether the best section already answers the comparison: it names both subjects
    ("Is rheumatoid arthritis the same as osteoarthritis?"), or, for one subject asked about
    under two names, it defines that subject."""
    named = sections.subjects_of(best)
    if len(compared) == 2:
        return set(compared) <= named
    forms = sections.forms_of(best)
    return compared[0] in named and bool(forms & {"definition", "comparison"})


def _comparison_answer(
    compared: list[str],
    question: str,
    qvec: np.ndarray,
    sections: SectionIndex,
    per_side: int = COMPARED_SENTENCES,
) -> list[_Pick]:
    """The opening of each compared subject's best section: its definition when the question
    asks how they differ, else the section closest to the question ("does acupuncture or
    massage help more?"). Empty when a subject has no page."""
    heading = sections.heading_scores(qvec)
    # "muscle strain or slipped disc?": which of two conditions is asked by what each one is
    define = bool(_DIFFERENCE.search(question)) or all(
        category_of(name) != "treatment" for name in compared
    )
    pages = [sections.docs_about(name)[:1] for name in compared]
    if not all(pages) or len({p[0] for p in pages}) < len(pages):
        return []  # a subject without a page, or one page about both: it answers itself
    picks: list[_Pick] = []
    for docs in pages:
        own = [
            i
            for i, info in enumerate(sections.sections)
            if info.doc_id == docs[0] and not info.is_key_points
        ]
        defining = [i for i in own if "definition" in sections.forms_of(i)]
        pool = defining if define and defining else own
        if not pool:
            return []
        best = max(pool, key=lambda i: float(heading[i]))
        opening = _opening(sections.sections[best])[:per_side]
        picks.extend(_Pick(x.text, x.chunk_id) for x in opening)
    return [_without_interjection(picks[0]), *picks[1:]] if picks else []


# a question asking for a promise ("will physio fix my back for good?"): the library's "Yes,"
# to a milder heading ("Is a physio worth it?") would read as that promise
_PROMISE = re.compile(
    r"\b(cure[sd]?|curing|fix(es|ed)?|for good|forever|permanent(ly)?|completely|"
    r"once and for all|never (come|comes) back)\b",
    re.I,
)


def _promise_not_made_there(question: str, info: SectionInfo) -> bool:
    """Whether the question asks for a promise (a cure, a fix for good) that none of the
    section's wordings (heading, Also-asked lines) asks about."""
    asked = _PROMISE.search(question)
    return bool(asked) and not any(_PROMISE.search(t) for t in info.match_texts())


def _polarity(question: str) -> bool:
    """Whether a yes/no question asks about harm ("is jogging bad?") rather than about
    whether something is fine or helps ("can I run?"): a "Yes" means opposite things."""
    return bool(_NEGATIVE_ASK.search(question))


def _asks_need(question: str) -> bool:
    """Whether a yes/no question asks if something is needed ("do I need to see a
    chiropractor?"): a "Yes" written for "does manipulation help?" does not answer it."""
    return bool(_NEED_ASK.search(question))


_ADVICE_ASK = re.compile(r"\bshould (i|we|he|she|they|my \w+)\b", re.I)
_NEED_ASK = re.compile(r"\b(need|needs|needed|have to|has to|must|necessary|essential)\b", re.I)


def _without_interjection(pick: _Pick) -> _Pick:
    """A lead written for a yes/no heading ("No, for most people there is no single correct
    way to sit") answers "what can I do?" without its "No,": the rest is a full sentence."""
    return pick if pick.bullet else replace(pick, text=without_interjection(pick.text))


_EVERY_BODY_PART = frozenset({"pain", "ache", "sore", "upper", "lower", "side", "top", "middle"})


def _other_body_part(question: str, best: int, sections: SectionIndex) -> bool:
    """Whether the question names a body part (not the back, which most pages are about) that
    the chosen section's page never names, in its wordings or its sentences."""
    from painguide.answer.coverage import normalise_tokens

    # any word of the body part's phrases will do ("hands" for "my knuckles"), but not "pain"
    names = {
        w
        for s in find_subjects(question)
        if s.category == "body_part" and s.name not in LIBRARY_DEFAULT_SUBJECTS
        for p in subject_phrases(s.name)
        for w in normalise_tokens(p)
        if w not in STOPWORDS and w not in _EVERY_BODY_PART
    }
    if not names:
        return False
    info = sections.sections[best]
    if not find_subjects(info.title):  # a general page ("Am I too old to start exercising?")
        return False  # is about no other body part, whatever the question names
    text = sections.page_words(info.doc_id)
    return not any(f" {w} " in text for w in names)


def _on_asked_treatment(question: str, best: int, sections: SectionIndex) -> bool:
    """Whether the question names a treatment ("is acupuncture worth trying for my neck?")
    that the chosen section's page is about: its general sections answer for the treatment,
    where the neck page (never naming acupuncture) would answer something else."""
    info = sections.sections[best]
    if _BACK.search(info.title if info.is_key_points else info.heading):
        return False  # "Does TENS help back pain?" does not answer for the knee
    doc = info.doc_id
    return any(
        s.category == "treatment"
        and s.name not in EVERYDAY_TREATMENTS
        and doc in sections.docs_about(s.name)[:1]
        for s in find_subjects(question)
    )


def _unasked_condition(
    info: SectionInfo, question: str, sections: SectionIndex | None = None
) -> str:
    """The condition a section is about when the question names none of it ("is it normal
    that my knee hurts after running?" answered from the knee osteoarthritis page). A page
    whose headings or Also-asked wordings name the asked condition is about it too: tennis
    elbow is asked on the tendon pain page."""
    text = info.title if info.is_key_points else info.heading
    found = find_subjects(question)
    asked = {s.name for s in found}
    # "arthritis in my fingers" answered from the rheumatoid arthritis page gets the note: a
    # general word ("arthritis") covers osteoarthritis, not every kind the page is about
    generic = bool(asked & BY_SITE)
    if sections is not None and found:
        same_doc = " ".join(
            " ".join(other.match_texts()).lower()
            for other in sections.sections
            if other.doc_id == info.doc_id
        )
        if any(
            s.category == "condition"
            and s.name not in BY_SITE
            and any(p in same_doc for p in subject_phrases(s.name))
            for s in found
        ):
            return ""
    names = [
        s.name
        for s in find_subjects(text)
        if s.category == "condition"
        and s.name not in asked
        and s.name not in LIBRARY_DEFAULT_SUBJECTS
        and not (generic and s.name in BY_SITE)
    ]
    return " and ".join(dict.fromkeys(names))


def _general_only(
    retrieval: RetrievalResult, sections: SectionIndex, question: str
) -> RetrievalResult:
    """The retrieval without passages whose heading or title names a condition or body part."""

    hits = tuple(
        h
        for h in retrieval.hits
        if not sections.subjects_of(sections.by_chunk.get(h.chunk.id, -1))
        and not _not_general(h.chunk.section, question)
    )
    return replace(retrieval, hits=hits)


_BACK = re.compile(r"\b(back|spine|spinal|lumbar)\b", re.I)
_BACK_PAIN = re.compile(r"\bback (pain|aches?)\b|\bbackache\b", re.I)
_ASKS_PAIN = re.compile(r"\b(pain|painful|aches?|aching|sore|hurts?)\b", re.I)
# conditions of the lower back: the back pain pages' treatment advice applies to them
SPINAL_CONDITIONS = frozenset(
    {"sciatica", "slipped or herniated disc", "spinal stenosis", "degenerative disc disease"}
)
# the page about Pain Guide itself answers only questions put to it
_ADDRESSES_GUIDE = re.compile(
    r"\b(you|your|yours|u|ur|pain ?guide|this (chat|app|site|website|bot|tool|service)|chat ?bot|"
    r"bot|ai|assistant|medical advice|who wrote|sources?|information|info)\b",
    re.I,
)
ABOUT_GUIDE_PENALTY = 0.2
_GUIDE_PAGE = re.compile(r"\bpain guide\b", re.I)  # (not "back pain guidelines")
# "I feel pain in my back" names no feeling: "feel" alone does not ask "Is it normal to feel
# sick with back pain?" (the words that say what is felt still count)
_PERCEPTION = frozenset(stem(["feel"]))
# muscles that ache without the back named are anywhere ("I get muscle pain playing football")
_MUSCLES = re.compile(
    r"\bmuscles?\b"
    # an injury of a limb or a muscle ("a pulled hamstring", "a new injury") is not back pain
    r"|\b(pulled|strained|sprained|twisted|torn|tweaked) (a |my |his |her |their )?"
    r"(\w+ )?(hamstrings?|calf|calves|quads?|thighs?|groin|ankles?|wrists?|knees?|elbows?|"
    r"shoulders?|hips?|feet|foot|toes?|fingers?|thumbs?|arms?|legs?)\b"
    r"|\b(new|fresh|recent|acute|sports?) (injury|injuries|sprain|strain)\b",
    re.I,
)


def _not_general(sentence: str, question: str) -> bool:
    """General help names no particular condition or body part, and not back pain either
    unless the question is about the back."""
    return _names_other_subject(sentence) or (
        bool(_BACK.search(sentence)) and not _BACK.search(question)
    )


def _names_other_subject(text: str) -> bool:
    return bool(_specific_subjects(text))


def _specific_subjects(text: str) -> set[str]:
    """The conditions and body parts ``text`` names, other than what the library is about."""
    return {
        s.name
        for s in find_subjects(text)
        if s.category != "treatment" and s.name not in LIBRARY_DEFAULT_SUBJECTS
    }


# --- choosing a section --------------------------------------------------------------------
def _best_section(
    question: str,
    retrieval: RetrievalResult,
    kb: KnowledgeBase,
    sections: SectionIndex,
    fvec: np.ndarray | None,
    qtype: QuestionType = "other",
    prefer_docs: frozenset[str] = frozenset(),
    own_words: str = "",
    said: frozenset[str] = frozenset(),
    skip: set[int] | frozenset[int] = frozenset(),
) -> int | None:
    """Index of the section whose heading the question asks, if one matches well enough.
    ``skip``: sections already passed over (another body part's page; a repeat of the last
    answer).

    A follow-up prefers the documents the last answer quoted; a question asking for a kind of
    answer (a duration, a definition) prefers sections whose opening gives that kind."""
    import numpy as np

    qvec = retrieval.query_vector
    heading = sections.heading_scores(qvec)
    if fvec is not None:  # a follow-up: its own words say which section of the topic
        heading = (1 - FOLLOWUP_OWN_WEIGHT) * heading + FOLLOWUP_OWN_WEIGHT * (
            sections.heading_scores(fvec)
        )
    opening = sections.opening_scores(qvec)
    # an opening that answers the question is nearly as good a sign as its heading
    heading = np.maximum(heading, opening - OPENING_AS_HEADING_GAP)
    # "my shoulder hurts when i lift my arm, what should i do" asks what helps the shoulder:
    # the story's words ("lift", "arm") name the symptom, not the topic asked about
    implied = bool(own_words) and bool(_IMPLIED_REQUEST.match(own_words))
    q_terms = frozenset(content_terms(_QUESTION_FORM.sub(" ", question))) - _PERCEPTION
    # a misspelt word matches the heading word retrieval corrected it to: "is excercise good
    # for arthritus in the knees" asks the heading on exercise with arthritis word for word
    alias = {**_spelled_as(question, retrieval.corrected_query), **_short_names(question)}
    lexical = _word_matches(q_terms, sections.heading_terms, kb, alias)
    if implied:  # ... so the request's words count as much as the story's
        lexical = (
            lexical
            + _word_matches(frozenset(content_terms(own_words)), sections.heading_terms, kb, {})
        ) / 2
    asked_part = asked_clause(question) if fvec is None else ""
    if asked_part:  # "I'm pregnant and my lower back aches, is walking ok?" asks about walking
        lexical = (
            lexical
            + _word_matches(
                frozenset(content_terms(_QUESTION_FORM.sub(" ", asked_part))),
                sections.heading_terms,
                kb,
                _short_names(asked_part),
            )
        ) / 2
    score = HEADING_WEIGHT * heading + OPENING_WEIGHT * opening + LEXICAL_WEIGHT * lexical
    base = score.copy()
    # a question that restates one of a section's wordings asks that section, whatever
    # passage retrieval ranked first ("how sore is too sore when I'm exercising")
    score[heading >= RESTATED_HEADING] += RESTATED_BONUS
    # ... and one it asks word for word was written for it ("what can I do about back pain?"
    # lost to "How can I stop my back pain coming back?" on the strength of its opening)
    for near in np.flatnonzero(heading >= WORD_FOR_WORD_HEADING):  # (a title asked word for
        if not sections.sections[int(near)].is_key_points:  # word asks its page, not its list)
            score[near] += WORD_FOR_WORD_BONUS
    doc_bonus: dict[str, float] = {}
    for rank, hit in enumerate(retrieval.hits[: len(RANK_BONUS)]):
        idx = sections.by_chunk.get(hit.chunk.id)
        if idx is not None:
            score[idx] += RANK_BONUS[rank]
        doc_bonus.setdefault(hit.chunk.doc_id, RANK_BONUS[rank] / 2)
    for idx, info in enumerate(sections.sections):
        score[idx] += doc_bonus.get(info.doc_id, 0.0)
        if info.doc_id in prefer_docs:
            score[idx] += PREFER_BONUS
    if said:  # the section the last answer quoted has given its answer: a follow-up asks more
        for idx in np.argsort(-score)[:8]:
            lead = sections.sections[int(idx)].sentences[:OPENING_SENTENCES]
            told = sum(_was_said(s.text, said) for s in lead)
            score[idx] -= SAID_PENALTY * told / max(len(lead), 1)
    own = own_words or question
    wants_time, wants_freq = asks_duration(own), asks_frequency(own)
    if qtype in ("quantity", "definition"):
        for idx in np.argsort(-score)[:8]:
            first = [s.text for s in sections.sections[int(idx)].sentences[:2]]
            if any(_gives_asked(t, qtype, wants_time, wants_freq) for t in first):
                score[idx] += TYPE_BONUS
            elif wants_time or wants_freq or qtype == "quantity":
                score[idx] -= TYPE_BONUS  # "how much" answered without an amount is no answer
    _prefer_same_form(
        score,
        sections,
        question_types(own_words or question)[0],
        followup=fvec is not None or implied,  # the request, not the story, says what is asked
    )
    _prefer_help_sections(score, sections, own_words or question, qtype)
    _prefer_first_days(score, sections, question, own_words or question)
    _prefer_noise_sections(score, sections, own_words or question)
    asked_text = f"{question} {retrieval.corrected_query}"
    rare = rare_terms(asked_text, kb, sections=sections)
    if not _prefer_rare_terms(score, sections, rare, RARE_TERM_PENALTY, heading):
        _prefer_rare_terms(score, sections, topic_word(asked_text, kb), TOPIC_WORD_PENALTY, heading)
    _unasked_heading_topic(score, sections, question, kb)
    _prefer_stated_course(score, sections, own)
    if asks_activity_amount(own):
        for idx in np.argsort(-score)[:8]:
            if _COURSE_HEADING.search(sections.sections[int(idx)].heading):
                score[idx] -= DOSE_PENALTY
    found = find_subjects(question)
    asked = {s.name for s in found}
    body_parts = {s.name for s in found if s.category == "body_part"}
    # "is bad posture causing my neck pain?": a page about the back is about another body part
    elsewhere = not _BACK.search(question) and (
        bool(_MUSCLES.search(question))
        or any(s.category != "treatment" and s.name not in LIBRARY_DEFAULT_SUBJECTS for s in found)
    )
    # "heat or ice for sciatica?": a treatment's page written for back pain answers a
    # condition of the lower back about that treatment (the back is not elsewhere there)
    treatments = {s.name for s in found if s.category == "treatment"}
    spinal = bool(asked & SPINAL_CONDITIONS)
    # "would acupuncture help a stiff neck?": a page that never names the asked treatment
    # answers something else (the neck page on keeping moving)
    asked_care = [
        s.name for s in found if s.category == "treatment" and s.name not in EVERYDAY_TREATMENTS
    ]
    if asked_care:
        for idx in np.argsort(-score)[:8]:
            text = sections.page_words(sections.sections[int(idx)].doc_id)
            if not any(
                f" {' '.join(normalise_tokens(p))} " in text
                for name in asked_care
                for p in subject_phrases(name)
            ):
                score[idx] -= MISSING_TREATMENT_PENALTY
    for idx in np.argsort(-score)[:8]:  # a section about another condition is not the answer
        info = sections.sections[int(idx)]
        names = info.title if info.is_key_points else info.heading
        other = sections.subjects_of(int(idx)) - asked
        on_asked_treatment = spinal and bool(treatments & sections.subjects_of(int(idx)))
        # "physiotherapist or massage?" is answered by the heading weighing a physio, a
        # chiropractor and massage: naming every asked option, it may name one more
        weighs_all = len(treatments) >= 2 and treatments <= {s.name for s in find_subjects(names)}
        # "Is it bad if my back or joints click?" speaks of every joint, not only the back
        any_joint = bool(re.search(r"\bjoints\b", names, re.I))
        if (other and not weighs_all) or (
            elsewhere and _BACK.search(names) and not on_asked_treatment and not any_joint
        ):
            score[idx] -= OTHER_SUBJECT_PENALTY
        # "can I do squats with a bad back?" is not asked by "Can I do squats with knee pain?":
        # the question names one body part and the section only another ("knee or hip" pages
        # still answer about the knee)
        if (
            body_parts
            and not body_parts & sections.subjects_of(int(idx))
            and any(category_of(name) == "body_part" for name in other)
        ):
            score[idx] -= OTHER_BODY_PART_PENALTY
        # a narrower form of the asked subject ("upper back pain" for "my back pain") is the
        # likeliest wrong page: it shares the asked words, so retrieval ranks it high
        # ("rheumatoid arthritis" for "arthritis": the common kind is the likelier one asked)
        if any(a in name for name in other for a in body_parts) or any(
            a in name.split() for name in other for a in asked - body_parts
        ):
            score[idx] -= NARROWER_SUBJECT_PENALTY
    if not _ADDRESSES_GUIDE.search(question):  # "Bad pain in my thoracic, doctors baffled"
        for idx in np.argsort(-score)[:8]:  # is not asking what Pain Guide can do
            if _GUIDE_PAGE.search(sections.sections[int(idx)].title):
                score[idx] -= ABOUT_GUIDE_PENALTY
    for idx in skip:
        score[idx] = -np.inf
    best = int(np.argmax(score))
    if log.isEnabledFor(logging.DEBUG):
        for idx in np.argsort(-score)[:6]:
            info = sections.sections[int(idx)]
            log.debug(
                "section %.3f (heading %.3f opening %.3f lexical %.3f base %.3f): %s - %s",
                score[idx],
                heading[idx],
                opening[idx],
                lexical[idx],
                base[idx],
                info.doc_id,
                info.heading,
            )
    if heading[best] < SECTION_MIN_HEADING:
        return None
    # a question this close to one of a section's wordings is what it answers, even when its
    # words share little with the section's opening ("where do you get your info from")
    if score[best] < SECTION_MIN_SCORE and heading[best] < HEADING_FLOOR:
        return None
    return best


# the request the pipeline reads into a story ending "what should I do?" (request_focus,
# bare_report): it names the topic the person asks about
_IMPLIED_REQUEST = re.compile(r"^what can I do about [^?]+\?$")


# "how long should I walk for?" asks how much of an activity to do, not how long a condition
# lasts: a heading on the course of a condition ("How long does sciatica last?") does not answer
_ACTIVITY_AMOUNT = re.compile(
    r"\bhow (long|much|far|many minutes|many hours) (should|can|could|do|must|would) (i|you|we) "
    r"(\w+ ){0,2}?(walk|run|jog|exercise|swim|cycle|bike|stretch|train|work out|sit|stand|do "
    r"(exercise|exercises|stretches|yoga|pilates))\b",
    re.I,
)
_COURSE_HEADING = re.compile(
    r"\bhow long (does|do|will|can|is) .*\b(last|take|heal|go away|get better|settle)\b", re.I
)


def asks_activity_amount(question: str) -> bool:
    """Whether the question asks how much of an activity to do ("how long should I walk")."""
    return bool(_ACTIVITY_AMOUNT.search(question))


def _gives_asked(sentence: str, qtype: QuestionType, wants_time: bool, wants_freq: bool) -> bool:
    """A time for "how long", a frequency for "how often", else the asked-for kind."""
    if wants_time:
        return gives_duration(sentence)
    if wants_freq:
        return gives_frequency(sentence)
    return gives_type(qtype, sentence)


# Asking when to get help ("when should I worry?", "how do I know if it's serious?") is its own
# kind of question: the section on warning signs answers it, and only it (answer-style brief:
# safety questions). A heading asks it when it names the help or the warning sign.
_ASKS_HELP = re.compile(
    r"\bwhen (should|do|would|must|to) (i |you |we )?(worry|be (worried|concerned)|see|get|call|"
    r"go|seek|contact|ring|phone)\b|\bhow (do|can|would|will|should) (i|you) (know|tell) "
    r"(if|whether|when)\b|\b(is|could) (this|it|that|my \w+( \w+)?) (be )?(something )?"
    r"(serious|dangerous|an emergency|urgent)\b|\bshould i (be )?(worried|concerned)\b"
    # "is back pain at night a bad sign?"
    r"|\b(is|are|could) .{1,40}\b(a )?(bad|worrying|warning|serious|danger) signs?\b"
    # "is pain between my shoulder blades serious?"
    r"|^\W*(is|are|could) .{1,50}\b(be )?(something )?(serious|dangerous|an emergency|"
    r"something to worry about)\W*$",
    re.I,
)
_HELP_HEADING = re.compile(
    r"\b(emergency|serious|urgent\w*|worry|worried|red flags?|warning signs?|get help|"
    r"(see|call|contact|visit) (a|my|the|your) (doctor|gp|clinician|physio\w*|midwife)|"
    r"book a visit|stop exercising|"
    # "When does neck pain need a doctor?"
    r"(need|needs) (a|my|the|your|to see a) (doctor|gp|clinician|check|medical \w+))\b",
    re.I,
)

# "should I see a doctor about it?" asks for the help itself, as does a question naming a
# warning sign the way a help heading does ("red flags lower back")
_NAMES_HELP = re.compile(
    r"\b(see|call|contact|visit|go to|ring|phone) (a|my|the|your|to) (doctor|gp|clinician|"
    r"midwife|a ?& ?e|emergency|hospital|er)\b",
    re.I,
)


# a story saying the pain is not getting better ("still isn't better after 3 weeks, what now?")
# asks what to do when it lingers: when to get it checked, not only what helps
_NOT_IMPROVING = re.compile(
    r"\b(not|isn'?t|isnt|hasn'?t|hasnt|no|never) (\w+ )?(getting |got |been getting )?"
    r"(better|improving|improved|easing|eased|settling|settled|going away|gone away)\b"
    r"|\bstill (hurts|hurting|sore|aching|painful|bad|there)\b.{0,40}\b(after|weeks?|months?)\b"
    # a follow-up asking what if it lingers: "and if it still hurts?", "what if it doesn't
    # get better?", "what if the pain keeps coming back"
    r"|\b(if|what if) (it|the pain|my \w+|the \w+) (still|keeps?|is still) "
    r"(hurts?|hurting|sore|aching|painful|bad|there|coming back|comes back)\b"
    r"|\b(if|what if) (it|the pain|my \w+|the \w+) (does ?n[o']?t|doesnt|won'?t|wont|never) "
    r"(get better|improve|settle|ease|go away|stop)\b",
    re.I,
)


def tells_not_improving(message: str) -> bool:
    """Whether the message says the pain is not getting better."""
    return bool(_NOT_IMPROVING.search(message))


def asks_for_help(question: str) -> bool:
    """Whether the question asks when to get help or whether a symptom is serious."""
    return bool(_ASKS_HELP.search(question))


def _prefer_help_sections(
    score: np.ndarray, sections: SectionIndex, question: str, qtype: QuestionType
) -> None:
    """Among the closest sections, one on when to get help answers a question asking that, and
    does not answer one that asks what to do ("I have sciatica, what can I do to help it?")."""
    import numpy as np

    wants = (
        asks_for_help(question)
        or bool(_NAMES_HELP.search(question) or _HELP_HEADING.search(question))
        # "my neck is still not better after a month" tells no question: it asks what to do
        # when pain lingers, and the first thing to know is when to get it checked
        or (qtype in ("howto", "other") and tells_not_improving(question))
    )
    # pain that has not settled ("still hurts after a month, what should I do?", "and if it
    # still hurts?") is first a reason to get it checked: the help section leads even when
    # another section shares more of the question's words
    lingering = qtype in ("howto", "other") and tells_not_improving(question)
    # "should I rest or keep going?" asks what to do, not when to book a visit
    if not wants and qtype not in ("howto", "yesno"):
        return
    for idx in np.argsort(-score)[:8]:
        info = sections.sections[int(idx)]
        # Key points answer for the whole page: they count when its title is about help
        if not _HELP_HEADING.search(info.title if info.is_key_points else info.heading):
            # "my back hurts when i bend over, should i be worried?" is not asked by "What
            # should I do in the first few days?": a section that only says what to do gives
            # no word on whether to worry
            # ... nor one that only says what causes it ("What causes pain between the
            # shoulder blades?" for "is pain between my shoulder blades serious?")
            only = sections.forms_of(int(idx))
            if wants and any(only == {form} and qtype != form for form in ("howto", "mechanism")):
                score[idx] -= HELP_BONUS
            continue
        score[idx] += HELP_BONUS if wants else -HELP_BONUS
        if wants and lingering:
            score[idx] += LINGERING_BONUS


# A story of an injury that has just happened ("i pulled something in my back lifting my kid",
# "strained my calf running yesterday") asking what to do wants the first steps: the section
# on the first few days, not the one sharing the story's words (lifting, calf pain's look-alikes)
_FRESH_INJURY = re.compile(
    r"(^|\b(i|i'?ve|ive|i have|just))\s*(just )?(pulled|strained|tweaked|twisted|sprained|jarred|"
    r"wrenched|injured|ricked|cricked|hurt|put out) (my|something|a muscle|a|it)\b"
    r"|\b(i|i'?ve|ive|i have) (just )?(did|done) (my \w+ in|something to my)\b"
    r"|\bmy (\w+ )?(back|neck) (just )?(went|has gone|gave out|has given out|locked)\b",
    re.I,
)
# "... what now", "... what do i do" ending a story without a comma still asks what to do
_WHAT_NOW = re.compile(r"\bwhat (now|next|(should|do|can) i do( now)?)\W*$", re.I)
_FIRST_DAYS_HEADING = re.compile(r"\bfirst (few )?(days|hours|day|week)\b", re.I)
FIRST_DAYS_BONUS = 0.15
FRESH_WEEKS = 2  # an injury stated to be older than this is no longer fresh


def tells_fresh_injury(question: str) -> bool:
    """Whether the message tells of an injury that has just happened."""
    weeks = stated_weeks(question)
    return bool(_FRESH_INJURY.search(question)) and (weeks is None or weeks <= FRESH_WEEKS)


def _prefer_first_days(score: np.ndarray, sections: SectionIndex, story: str, request: str) -> None:
    """Among the closest sections, the one on the first few days answers a fresh injury's
    "what do I do now?"."""
    import numpy as np

    asks_next = question_type(request) == "howto" or bool(_WHAT_NOW.search(request))
    if not asks_next or not tells_fresh_injury(story):
        return
    for idx in np.argsort(-score)[:8]:
        if _FIRST_DAYS_HEADING.search(sections.sections[int(idx)].heading):
            score[idx] += FIRST_DAYS_BONUS


# A joint that clicks, cracks, pops or grinds ("my knee cracks when I squat, is that
# arthritis?") asks about the noise: the section on joint noises answers it, not the page on
# that joint's pain, which never mentions a noise
_JOINT_NOISE = re.compile(
    r"\b(click\w*|crack(s|ing|ed|y)?|pop(s|ping|ped|py)?|grind(s|ing)?|crunch\w*|creak\w*|"
    r"grat(es|ing)|snap(s|ping)?|crepitus|noises?|sounds?)\b",
    re.I,
)
_JOINT = re.compile(
    r"\b(knees?|joints?|hips?|shoulders?|ankles?|neck|back|spine|elbows?|wrists?|knuckles?|"
    r"fingers?)\b",
    re.I,
)
NOISE_BONUS = 0.15
NOISE_CANDIDATES = 30  # closest sections looked at (the noise section shares few words)


def _prefer_noise_sections(score: np.ndarray, sections: SectionIndex, question: str) -> None:
    """Among the closest sections, one whose wordings ask about a joint's noise answers a
    question about a joint that clicks or cracks."""
    import numpy as np

    if not (_JOINT_NOISE.search(question) and _JOINT.search(question)):
        return
    for idx in np.argsort(-score)[:NOISE_CANDIDATES]:
        info = sections.sections[int(idx)]
        if not info.is_key_points and any(_JOINT_NOISE.search(t) for t in info.match_texts()):
            score[idx] += NOISE_BONUS


# the question at the end of a story: "..., is walking ok?" after "my back aches"
_CLAUSE_SPLIT = re.compile(
    r"[,.;:!]\s+|\s+(?:and|but|so)\s+(?=(?:is|are|can|could|should|"
    r"would|will|does|do|what|how|why|when|which)\b)",
    re.I,
)
_ASKS = re.compile(r"^(is|are|can|could|should|would|will|does|do|what|how|why|when|which)\b", re.I)


def asked_clause(question: str) -> str:
    """The last clause of a message that tells something and then asks ("I'm pregnant and my
    lower back aches, is walking ok?" -> "is walking ok"); "" when the whole message asks."""
    parts = [p.strip() for p in _CLAUSE_SPLIT.split(question.strip()) if p and p.strip()]
    if len(parts) < 2:
        return ""
    last = parts[-1]
    if not _ASKS.match(last) or len(last.split()) < 2 or _ASKS.match(parts[0]):
        return ""
    return last


def _prefer_same_form(
    score: np.ndarray, sections: SectionIndex, qtype: QuestionType, followup: bool = False
) -> None:
    """Among the closest sections, favour one whose heading (or an Also-asked wording) asks in
    the question's form: "what should I do during a flare-up?" is answered by the section
    asking what to do, not by the one defining a flare-up. A defining section only answers a
    question that is not a definition when one of its wordings asks that way, and a section
    that only asks why ("what causes neck pain?") does not answer "my neck is stiff, what
    helps?". A follow-up
    ("what can I do about it?") carries the earlier question's words, so its own form counts
    double there: it asks something the earlier answer did not."""
    import numpy as np

    if qtype == "other":
        return
    bonus = FORM_BONUS * (FOLLOWUP_FORM_FACTOR if followup else 1)
    for idx in np.argsort(-score)[:8]:
        forms = sections.forms_of(int(idx))
        if qtype in forms:
            score[idx] += bonus
        elif qtype == "howto" and (
            forms == frozenset({"mechanism"})
            # "What causes shoulder pain?" stays a causes section whatever else its
            # Also-asked lines say ("what is rotator cuff pain")
            or question_type(sections.sections[int(idx)].heading) == "mechanism"
        ):
            score[idx] -= CAUSE_FOR_HOWTO_PENALTY
        elif (
            forms == frozenset({"definition"})
            or (qtype == "howto" and forms and forms <= frozenset({"mechanism", "yesno"}))
            or (qtype == "mechanism" and forms == frozenset({"yesno"}))
        ):
            score[idx] -= FORM_BONUS


def rare_terms(
    text: str,
    kb: KnowledgeBase,
    chunks: int = RARE_CHUNKS,
    sections: SectionIndex | None = None,
) -> frozenset[str]:
    """The words of ``text`` that name its topic: content words used in at most ``chunks``
    passages of the library. Adverbs and fillers ("actually", "really") are not topics, nor,
    given ``sections``, a rare word for what the library calls by a common one ("workout")."""
    floor = _idf_floor(kb, chunks)
    topical = [  # a number ("I'm 45") names no topic, however rare it is in the library
        w
        for w in words(text)
        if w not in STOPWORDS and w not in FILLERS and not w.endswith("ly") and not w.isdigit()
    ]
    return frozenset(
        t
        for w, t in zip(topical, stem(topical), strict=True)
        if kb.idf.get(t, 0.0) >= floor
        and (sections is None or not sections.has_common_synonym(w, kb))
    )


def topic_word(text: str, kb: KnowledgeBase) -> frozenset[str]:
    """The question's most specific word when it is fairly specific ("sitting" in "is sitting
    all day why my back hurts"), as a one-word set; empty when every word is common."""
    found = rare_terms(text, kb, TOPIC_CHUNKS, section_index(kb))
    if not found:
        return frozenset()
    return frozenset({max(found, key=lambda t: (kb.idf.get(t, 0.0), t))})


# How long the person has had the pain, when they say so ("for 3 weeks", "two years ago"):
# pain under 3 months is new (acute) pain, pain for longer is long-lasting (chronic) pain
_NUMBER = (
    r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|a couple "
    r"of|couple of|few|several|many)"
)
_UNIT = r"(days?|weeks?|months?|years?)"
_STATED_COURSE = re.compile(
    rf"\b(?:for|past|last|over|nearly|almost|about|around|since)\s+(?:the\s+)?(?:past\s+|last\s+)?"
    rf"{_NUMBER}\s+{_UNIT}\b|\b{_NUMBER}\s+{_UNIT}\s+(?:ago|now)\b",
    re.I,
)
_FOR_LONG = re.compile(r"\bfor (many |several )?(months|years)\b", re.I)
_WORD_NUMBER = {
    **{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6},
    **{"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12},
    **{"a few": 3, "few": 3, "a couple of": 2, "couple of": 2, "several": 3, "many": 6},
}
_WEEKS = {"day": 1 / 7, "week": 1.0, "month": 4.3, "year": 52.0}
_LONG_HEADING = re.compile(r"\b(long-lasting|chronic|persistent|long-term (pain|back))\b", re.I)
_NEW_HEADING = re.compile(r"\b(sudden(ly)?|acute)\b", re.I)
CHRONIC_WEEKS = 12  # pain lasting 3 months or more is long-lasting (chronic) pain
COURSE_PENALTY = 0.12  # a section on the other kind of pain than the stated duration


def stated_weeks(question: str) -> float | None:
    """How many weeks the person says the pain has lasted, if they say ("for 3 weeks")."""
    m = _STATED_COURSE.search(question)
    if m is None:
        return 26.0 if _FOR_LONG.search(question) else None
    number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    word = number.lower()
    count = float(word) if word.isdigit() else float(_WORD_NUMBER.get(word, 1))
    return count * _WEEKS[unit.lower().rstrip("s")]


def _prefer_stated_course(score: np.ndarray, sections: SectionIndex, question: str) -> None:
    """Pain the person has had for 3 weeks is new pain: a heading on long-lasting pain does not
    answer "will it ever go away", nor a heading on sudden pain a pain of two years."""
    import numpy as np

    weeks = stated_weeks(question)
    if weeks is None:
        return
    other = _LONG_HEADING if weeks < CHRONIC_WEEKS else _NEW_HEADING
    same = _NEW_HEADING if weeks < CHRONIC_WEEKS else _LONG_HEADING
    if other.search(question):
        return  # "6 weeks, is it chronic now?" asks about the other kind by name
    for idx in np.argsort(-score)[:8]:
        heading = sections.sections[int(idx)].heading
        if other.search(heading) and not same.search(heading):
            score[idx] -= COURSE_PENALTY


def _unasked_heading_topic(
    score: np.ndarray, sections: SectionIndex, question: str, kb: KnowledgeBase
) -> None:
    """A heading about a narrower topic than the question ("Why does my back hurt when I do
    housework?") does not answer "my back hurts me a lot": among the closest sections, one
    whose heading names a rare word the question lacks gives way to one that does not."""
    import numpy as np

    asked = frozenset(content_terms(question))
    for idx in np.argsort(-score)[:8]:
        info = sections.sections[int(idx)]
        if info.is_key_points:
            continue
        if rare_terms(info.heading, kb, sections=sections) - asked:
            score[idx] -= HEADING_TOPIC_PENALTY


def _prefer_rare_terms(
    score: np.ndarray,
    sections: SectionIndex,
    rare: frozenset[str],
    penalty: float,
    heading: np.ndarray | None = None,
) -> bool:
    """A question's rare words name its topic ("is traction good for back pain?"): sections
    that never use any of them lose to those that do. True when it applied.

    A rare word is incidental when the question restates the heading of a section without it
    far better than any heading of a section with it ("will slumping in my chair damage my
    spine" asks "Is slouching bad for my back?", not the section that mentions a chair)."""
    import numpy as np

    if not rare:
        return False
    has = np.asarray([bool(rare & sections.body_terms(i)) for i in range(len(score))])
    close = np.argsort(-score)[:RARE_CANDIDATES]
    if not has[close].any():
        return False  # no close section uses the word: it is incidental ("on the floor")
    if heading is not None and not has[close].all():
        with_word = max(float(heading[i]) for i in close if has[i])
        without = max(float(heading[i]) for i in close if not has[i])
        if without - with_word >= RARE_HEADING_MARGIN:
            return False
    score[~has] -= penalty
    return True


def _word_matches(
    terms: frozenset[str],
    headings: list[frozenset[str]],
    kb: KnowledgeBase,
    names: dict[str, frozenset[str]] | None = None,
) -> np.ndarray:
    """For each section, the IDF-weighted share of the question's content words that its
    heading wordings contain (the question's weights are computed once, not per section).
    ``names``: a short name's full form ("fibro" -> fibromyalgia) counts as the word."""
    import numpy as np

    if not terms:
        return np.zeros(len(headings))
    default = max(kb.idf.values(), default=1.0)
    weights = {t: kb.idf.get(t, default) for t in terms}
    total = sum(weights.values())
    full = {t: f for t, f in (names or {}).items() if t in weights}

    def has(t: str, h: frozenset[str]) -> bool:
        return t in h or (t in full and full[t] <= h)

    return np.asarray(
        [sum(w for t, w in weights.items() if has(t, h)) / total if h else 0.0 for h in headings]
    )


def _spelled_as(question: str, corrected: str) -> dict[str, frozenset[str]]:
    """Each misspelt content word of the question with the word retrieval corrected it to
    ("arthritus" -> arthritis); empty when the correction does not line up word for word."""
    if not corrected or corrected == question:
        return {}
    typed, fixed = words(question), words(corrected)
    if len(typed) != len(fixed):
        return {}
    out: dict[str, frozenset[str]] = {}
    for a, b in zip(typed, fixed, strict=True):
        before, after = content_terms(a), content_terms(b)
        if a != b and len(before) == 1 and after:
            out[before[0]] = frozenset(after)
    return out


def _short_names(question: str) -> dict[str, frozenset[str]]:
    """A condition named by a short form ("fibro", "my RA"): the short form's word and the
    stemmed words of its full name, so a section using only the full name still matches."""
    out: dict[str, frozenset[str]] = {}
    for subject in find_subjects(question):
        if subject.category != "condition":
            continue
        short = content_terms(subject.phrase)
        full = frozenset(content_terms(re.sub(r"\(.*?\)", " ", subject.name)))
        if len(short) == 1 and full and short[0] not in full:
            out[short[0]] = full
    return out


# --- building the answer -------------------------------------------------------------------
def _was_said(sentence: str, said: frozenset[str]) -> bool:
    """Whether the previous answer gave this corpus sentence (perhaps without its "Yes,")."""
    return bool(said) and (sentence in said or without_interjection(sentence) in said)


def _not_said_again(picks: list[_Pick], said: frozenset[str]) -> list[_Pick]:
    """Picks without the sentences the previous answer gave, and without a sentence left
    pointing back to one of them; all of them when nothing new would be left."""
    fresh = [p for p in picks if not _was_said(p.text, said)]
    while fresh and DANGLING.match(fresh[0].text):
        fresh = fresh[1:]
    return fresh if fresh and len(fresh) < len(picks) else picks


def _opening(info: SectionInfo) -> list[SectionSentence]:
    """A section's opening sentences, in order, stopping at a cross-reference."""
    out: list[SectionSentence] = []
    words = 0
    for sent in info.sentences:
        if REFERRAL.search(sent.text) or sent.text.endswith(":"):
            if out:
                break
            continue
        if not out and DANGLING.match(sent.text):
            continue  # a section should not open like this; never lead with it
        out.append(sent)
        words += len(sent.text.split())
        if len(out) >= OPENING_SENTENCES + 1 or (
            len(out) >= OPENING_SENTENCES and words >= OPENING_MAX_WORDS
        ):
            break
    return out


def _section_answer(
    info: SectionInfo, sections: SectionIndex, kb: KnowledgeBase
) -> tuple[list[_Pick], str]:
    """The section's opening in order; Key points or a "several reasons" lead become bullets."""
    if info.is_key_points:
        items = [s for s in info.sentences if not REFERRAL.search(s.text)]
        if not items:
            return [], "section"
        lead, rest = items[0], items[1 : MAX_BULLETS + 1]
        return [_Pick(lead.text, lead.chunk_id)] + [
            _Pick(s.text, s.chunk_id, bullet=True) for s in rest
        ], "bullets"
    opening = _opening(info)
    if not opening:
        return [], "section"
    kp = sections.key_points_of.get(info.doc_id)
    if SEVERAL.search(opening[0].text) and kp is not None and info.order <= 1:
        lead = opening[0]
        lead_vec = sections.sentence_vector(kb, lead)
        bullets = []
        for s in sections.sections[kp].sentences:
            vec = sections.sentence_vector(kb, s)
            if lead_vec is not None and vec is not None and float(vec @ lead_vec) >= 0.8:
                continue  # the bullet restates the lead
            bullets.append(_Pick(s.text, s.chunk_id, bullet=True))
        if len(bullets) >= 2:
            return [_Pick(lead.text, lead.chunk_id), *bullets[:MAX_BULLETS]], "bullets"
    return [_Pick(s.text, s.chunk_id) for s in opening], "section"


def _add_missing_types(
    question: str,
    picks: list[_Pick],
    types: list[QuestionType],
    info: SectionInfo,
    retrieval: RetrievalResult,
    kb: KnowledgeBase,
    max_sentences: int,
    keep_order: bool = False,
) -> list[_Pick]:
    """Lead with a sentence of the asked-for kind (a number, a definition, a stance) when the
    opening lacks one: from the rest of the section first, then from retrieved passages.
    ``keep_order``: the section asks in the question's own form, so its opening answers."""
    if not picks:
        return picks
    qtype = types[0]  # later parts of a compound question: _answer_later_parts
    have = [p.text for p in picks if not p.bullet]
    window = have[:2] if qtype == "quantity" else have[:1]
    if qtype == "yesno" and have and _defines_asked_name(question, have[0]):
        return picks  # "is it chronic now?" is answered by what makes pain chronic
    if (
        not keep_order
        and qtype not in ("other", "mechanism", "comparison")
        and not any(gives_type(qtype, s) for s in window)
    ):
        extra = _find_typed(question, qtype, info, retrieval, kb, picks)
        if extra is not None:
            picks = [extra, *[p for p in picks if p.text != extra.text]]
    elif qtype == "yesno" and have:
        picks = _lead_with_claim(question, picks, info, retrieval, kb)
    bullets = [p for p in picks if p.bullet]
    prose = [p for p in picks if not p.bullet][: max(max_sentences, 1)]
    return prose + bullets


# "is it chronic now?", "is this sciatica?": the question asks whether a name applies
_ASKS_NAME = re.compile(
    r"\bis (?:it|this|that|mine|my pain|my back pain) (?:now |still |really |actually |officially "
    r"|classed as |called |considered )*(?:an? )?([a-z-]{4,})(?: pain)?(?: now| yet| then)?"
    r"\s*\??\s*$",
    re.I,
)


def _defines_asked_name(question: str, lead: str) -> bool:
    """Whether ``lead`` defines the name the question asks about ("is it chronic now?" and
    "Chronic pain is pain that lasts ... more than 3 months"): the definition answers it."""
    m = _ASKS_NAME.search(question.strip())
    if m is None or not gives_type("definition", lead):
        return False
    name = m.group(1).lower()
    opening = [w.lower() for w in lead.split()[:DEFINITION_SUBJECT_WORDS]]
    return any(w.startswith(name[: max(4, len(name) - 2)]) for w in opening)


def _answer_later_parts(
    question: str,
    picks: list[_Pick],
    info: SectionInfo,
    kb: KnowledgeBase,
    sections: SectionIndex,
    max_sentences: int,
) -> list[_Pick]:
    """For "What is X and how long does it last?": answer each later part from the section of
    the same document whose heading asks it (its first sentence of the asked-for kind)."""
    parts = question_parts(question)
    if len(parts) < 2 or not picks:
        return picks
    subject = " ".join(w for w in words(parts[0][0]) if w not in STOPWORDS)
    for text, qtype in parts[1:]:
        if qtype == "other":
            continue
        have = [p.text for p in picks]
        if qtype in ("quantity", "definition", "yesno") and any(gives_type(qtype, s) for s in have):
            continue
        scores = sections.heading_scores(kb.embeddings.query_vector(f"{text} {subject}"))
        same_doc = [i for i, s in enumerate(sections.sections) if s.doc_id == info.doc_id]
        pools = [same_doc]
        if asks_frequency(text):
            # "is yoga or pilates better, and how often should i go?": the page on how much
            # activity says how often when the first part's page does not
            asked = {x.name for x in find_subjects(question)}
            pools.append(
                [
                    i
                    for i, s in enumerate(sections.sections)
                    if not s.is_key_points
                    and not (sections.subjects_of(i) - asked - LIBRARY_DEFAULT_SUBJECTS)
                ]
            )
        typed: list[SectionSentence] = []
        for pool in pools:
            target = max(pool, key=lambda i: float(scores[i]), default=None)
            if target is None or float(scores[target]) < LATER_PART_MIN_HEADING:
                continue
            typed = [
                s
                for s in sections.sections[target].sentences
                if _usable(s.text)
                and s.text not in have
                and _gives_asked(s.text, qtype, False, asks_frequency(text))
            ]
            if typed:
                break
        if not typed:
            continue
        found = typed[0]  # the corpus answers a heading in its first sentence of that kind
        prose = [p for p in picks if not p.bullet][: min(LATER_PART_LEAD, max_sentences - 1)]
        picks = [*prose, _Pick(found.text, found.chunk_id), *[p for p in picks if p.bullet]]
    return picks


def _find_typed(
    question: str,
    qtype: QuestionType,
    info: SectionInfo,
    retrieval: RetrievalResult,
    kb: KnowledgeBase,
    picks: list[_Pick],
) -> _Pick | None:
    """The first standalone sentence giving ``qtype``: in the section, then in the passages."""
    chosen = {p.text for p in picks}
    asked = set(content_terms(f"{retrieval.corrected_query} {question}"))
    # "does TENS help knee pain?": a stance on back pain answers about another body part's
    # pain ("chest pain ... may spread to the arm, neck, jaw or back" still may lead)
    other_part = (
        not _BACK.search(question)
        and bool(_ASKS_PAIN.search(question))
        and any(s.category == "body_part" for s in find_subjects(question))
    )

    # "should I ice a new injury?" answered under "When is ice better than heat?": a stance
    # on back pain from another section of the page answers about something not asked
    unasked_back = not _BACK.search(question) and not _BACK.search(info.heading)
    own_texts = {o.text for o in info.sentences}

    def fits(sentence: str, shown_ok: bool = False) -> bool:
        if (sentence in chosen and not shown_ok) or not _usable(sentence):
            return False
        if not gives_type(qtype, sentence):
            return False
        if other_part and _BACK_PAIN.search(sentence):
            return False
        if unasked_back and sentence not in own_texts and _BACK_PAIN.search(sentence):
            return False
        if LEANS_BACK.search(sentence):
            return False  # "Doctors call that area ..." needs the sentence before it
        # a definition must define what was asked about: the term leads the sentence
        return qtype != "definition" or bool(
            asked & set(content_terms(" ".join(sentence.split()[:DEFINITION_SUBJECT_WORDS])))
        )

    rare = rare_terms(f"{question} {retrieval.corrected_query}", kb, sections=section_index(kb))
    # the page's own subject ("fibro" on the fibromyalgia page) names no sentence in particular:
    # "fibro fog" must not lead an answer to "am I making my fibro worse?"
    own_words = words(f"{info.title} {info.heading}".lower())
    rare = frozenset(t for t in rare if not any(w.startswith(t) for w in own_words))
    # a sentence of the section already in the answer may move up to lead it
    own_fits = [_Pick(o.text, o.chunk_id) for o in info.sentences if fits(o.text, shown_ok=True)]
    qvec = retrieval.query_vector
    scored: list[tuple[float, _Pick]] = []
    for hit in retrieval.hits[:PASSAGES_USED]:
        vecs = kb.sentence_vectors.get(hit.chunk.id)
        if vecs is None or len(vecs) != len(hit.chunk.sentences):
            continue
        if hit.chunk.doc_id != info.doc_id:
            continue  # a lead from another page would answer about something else
        scored += [
            (float(vecs[i] @ qvec), _Pick(sent, hit.chunk.id))
            for i, sent in enumerate(hit.chunk.sentences)
            if fits(sent)
        ]
    ordered = own_fits + [p for _, p in sorted(scored, key=lambda sp: -sp[0])]
    if rare:  # a lead that names what was asked about ("traction") beats one that does not
        named = [p for p in ordered if rare & set(content_terms(p.text))]
        ordered = named + [p for p in ordered if p not in named]
    elif qtype == "yesno":  # "is it normal to ache ...": the sentence that says "normal"
        claim = _claim_terms(question, kb)
        ordered.sort(key=lambda p: -len(claim & set(content_terms(p.text))))
    return ordered[0] if ordered else None


def _lead_with_claim(
    question: str,
    picks: list[_Pick],
    info: SectionInfo,
    retrieval: RetrievalResult,
    kb: KnowledgeBase,
) -> list[_Pick]:
    """A yes/no lead that shares none of the question's claim words ("is back pain the leading
    cause of disability") gives way to a stance sentence of the same page that shares two."""
    moved = _lead_with_asked_action(question, picks, info)
    if moved is not picks:
        return moved
    claim = _claim_terms(question, kb)
    if len(claim) < CLAIM_MIN_SHARED or claim & set(content_terms(picks[0].text)):
        return picks
    extra = _find_typed(question, "yesno", info, retrieval, kb, picks)
    if extra is None or len(claim & set(content_terms(extra.text))) < CLAIM_MIN_SHARED:
        return picks
    return [extra, *[p for p in picks if p.text != extra.text]]


# what a "should I ...?" question asks about doing: "should I stop running?" -> stop, run
_ASKED_ACTION = re.compile(
    r"\b(?:should|can|could|must|do) (?:i|we) (?:still |just |keep )?([a-z' ]+?)(?:[,.?!;]|$)"
    r"|\bis it (?:ok|okay|safe|fine|bad|wise) to ([a-z' ]+?)(?:[,.?!;]|$)",
    re.I,
)


def _lead_with_asked_action(question: str, picks: list[_Pick], info: SectionInfo) -> list[_Pick]:
    """ "My knee aches after running, should I stop running?" is answered by the section's
    stance on stopping ("cut back ... rather than stopping"), not by its first sentence on
    what helps knee pain: a lead not naming all of the asked action gives way to a stance
    sentence of the same section naming all of it."""
    m = _ASKED_ACTION.search(question)
    if m is None:
        return picks
    action = set(content_terms(m.group(1) or m.group(2) or ""))
    if not action or action <= set(content_terms(picks[0].text)):
        return picks
    for sent in info.sentences:
        if (
            sent.text != picks[0].text
            and _usable(sent.text)
            and gives_type("yesno", sent.text)
            and action <= set(content_terms(sent.text))
        ):
            return [_Pick(sent.text, sent.chunk_id), *[p for p in picks if p.text != sent.text]]
    return picks


def _asked_word_early(question: str, picks: list[_Pick], kb: KnowledgeBase) -> list[_Pick]:
    """ "Does cycling help knee arthritis?" answered by a section on exercise for the knee:
    when neither of the first two sentences names a specific word of the question that a later
    one names ("Walking, cycling, swimming ... are kind to sore knees"), that sentence comes
    second. The lead stays (it gives the stance or definition asked for), and nothing moves
    in front of a sentence pointing back to the one before it."""
    if len(picks) < EARLY_AT + 2 or any(p.bullet for p in picks):
        return picks
    shown = set(content_terms(" ".join(p.text for p in picks[: EARLY_AT + 1])))
    missing = _claim_terms(question, kb) - shown
    if not missing or DANGLING.match(picks[EARLY_AT].text):
        return picks
    for i, p in enumerate(picks[EARLY_AT + 1 :], start=EARLY_AT + 1):
        if missing & set(content_terms(p.text)) and _usable(p.text):
            return [*picks[:EARLY_AT], p, *picks[EARLY_AT:i], *picks[i + 1 :]]
    return picks


# "how do I know if my back pain is serious?" asks for the signs themselves: an answer that
# only defines red flags, or says when to book a visit for pain that lingers, never names one
_ASKS_SERIOUS = re.compile(
    r"\b(serious|worr(y|ied|ying)|concern(ed|ing)|emergency|urgent|dangerous)\b",
    re.I,
)
_ASKS_SIGNS = re.compile(
    r"\bhow (do|can|would|will|should|could) (i|you|we|one) (know|tell)\b|\bsigns?\b|"
    r"\bsymptoms?\b|\bwhen (is|does|do|should|would)\b|\bshould i be\b"
    r"|^\W*(is|are|could) .{1,50}\b(serious|dangerous)\W*$",
    re.I,
)
# what a person notices: a sentence naming two of these lists signs ("numbness around the
# genitals, new trouble passing urine ...")
_SIGN_WORDS = frozenset(
    [
        "numb",
        "numbness",
        "tingling",
        "pins",
        "weakness",
        "weak",
        "fever",
        "chills",
        "weight",
        "urine",
        "urinating",
        "bladder",
        "bowel",
        "bowels",
        "genitals",
        "buttocks",
        "thighs",
        "legs",
        "swelling",
        "swollen",
        "unwell",
        "night",
        "cancer",
        "headache",
        "dizziness",
        "dizzy",
        "vision",
        "speech",
        "drags",
        "drop",
        "tearing",
        "crash",
        "fall",
        "fainting",
        "breathlessness",
    ]
)
# ... and says what to do about them (a sign that "is common with sciatica" is no warning)
_URGENCY = re.compile(
    r"\b(emergency|urgent\w*|doctor|gp|same day|straight away|right away|at once|a ?& ?e|"
    r"check)\b",
    re.I,
)
SIGN_SENTENCES = 2  # warning signs brought in after the lead


def asks_warning_signs(question: str) -> bool:
    """Whether the question asks how to tell that pain is serious ("how do I know if my back
    pain is serious?", "what are the signs sciatica is serious?")."""
    return bool(_ASKS_SERIOUS.search(question) and _ASKS_SIGNS.search(question))


def _lists_signs(sentence: str) -> bool:
    """A sentence naming at least two warning signs and what they need."""
    named = {w for w in words(sentence.lower()) if w in _SIGN_WORDS}
    return len(named) >= 2 and bool(_URGENCY.search(sentence))


def _signs_early(
    question: str,
    picks: list[_Pick],
    info: SectionInfo,
    sections: SectionIndex,
    max_sentences: int,
) -> list[_Pick]:
    """ "How do I know if my back pain is serious?" answered by the section defining red
    flags: when neither of the first two sentences names a warning sign, the page's sentences
    that list them (its Key points first, then the section, then the rest of the page, in
    written order) come second, after the lead."""
    if len(picks) < 1 or any(p.bullet for p in picks) or not asks_warning_signs(question):
        return picks
    if any(_lists_signs(p.text) for p in picks[: EARLY_AT + 1]):
        return picks
    later = [p for p in picks[EARLY_AT + 1 :] if _lists_signs(p.text)]
    if later:  # the section names signs further on: they come second
        rest = [p for p in picks[EARLY_AT:] if p not in later]
        return [*picks[:EARLY_AT], *later, *rest]
    page = [i for i, s in enumerate(sections.sections) if s.doc_id == info.doc_id]
    kp = sections.key_points_of.get(info.doc_id)
    order = [kp] if kp is not None else []
    order += [i for i in page if sections.sections[i] is info]
    order += [i for i in page if i not in order]
    shown = {p.text for p in picks}
    found: list[_Pick] = []
    for idx in order:
        for sent in sections.sections[idx].sentences:
            if len(found) >= SIGN_SENTENCES:
                break
            if sent.text in shown or not _usable(sent.text) or LEANS_BACK.search(sent.text):
                continue
            if _lists_signs(sent.text) and not any(
                _same_words(sent.text, t) for t in [*shown, *(f.text for f in found)]
            ):  # two pages' Key points may word one warning sign nearly alike
                found.append(_Pick(sent.text, sent.chunk_id))
    if not found:
        return picks
    keep = max(max_sentences, EARLY_AT + len(found))
    return [*picks[:EARLY_AT], *found, *picks[EARLY_AT:]][:keep]


SAME_WORDS = 0.7  # share of content words at which two sentences say one thing


def _same_words(a: str, b: str) -> bool:
    """Whether two sentences use nearly the same content words (one warning sign worded twice)."""
    x, y = set(content_terms(a)), set(content_terms(b))
    return bool(x and y) and len(x & y) / len(x | y) >= SAME_WORDS


def _claim_terms(question: str, kb: KnowledgeBase) -> set[str]:
    """The question's fairly specific content words (not "back", "pain", "exercise")."""
    floor = _idf_floor(kb, CLAIM_CHUNKS)
    return {t for t in content_terms(question) if kb.idf.get(t, 0.0) >= floor}


def _idf_floor(kb: KnowledgeBase, chunks: int) -> float:
    """The IDF of a word used in ``chunks`` passages of the library."""
    import math

    return math.log(1 + len(kb.by_id) / chunks)


def _elsewhere(chunk: Any, asked: set[str]) -> bool:
    """A passage about another body part or condition than those the question names
    (``asked``): "why does my knee hurt going down stairs" is not answered from the hip page."""
    if not asked:
        return False
    about = _specific_subjects(f"{chunk.title}. {chunk.section}")
    return bool(about) and not (about & asked)


def _usable(sentence: str) -> bool:
    """A sentence that makes sense quoted alone."""
    return (
        len(sentence.split()) >= MIN_WORDS
        and not DANGLING.match(sentence)
        and not REFERRAL.search(sentence)
        and not sentence.endswith(":")
    )


def _sentence_answer(
    question: str,
    retrieval: RetrievalResult,
    kb: KnowledgeBase,
    max_sentences: int,
    fvec: np.ndarray | None,
    types: list[QuestionType],
    general: bool = False,
    wants_time: bool = False,
    prefer_docs: frozenset[str] = frozenset(),
) -> list[_Pick]:
    """Fallback when no section matches: the best standalone sentences, lead first, the rest
    in the order they were written, from as few passages as possible."""
    asked = _specific_subjects(question)
    hits = [h for h in retrieval.hits[:PASSAGES_USED] if not _elsewhere(h.chunk, asked)]
    qvec = retrieval.query_vector
    q_terms = set(content_terms(question))
    cands: list[tuple[float, int, int, str, str, Any]] = []
    for rank, hit in enumerate(hits):
        vecs = kb.sentence_vectors.get(hit.chunk.id)
        if vecs is None or len(vecs) != len(hit.chunk.sentences):
            continue
        sims = vecs @ qvec
        if fvec is not None:
            sims = 0.5 * sims + 0.5 * (vecs @ fvec)
        for i, sent in enumerate(hit.chunk.sentences):
            if not _usable(sent) or (general and _not_general(sent, question)):
                continue
            overlap = len(q_terms & set(content_terms(sent))) / max(len(q_terms), 1)
            score = float(sims[i]) + 0.25 * overlap - 0.03 * rank
            if gives_type(types[0], sent):
                score += 0.05
            if wants_time and gives_duration(sent):
                score += TYPE_BONUS * 2  # "how long" needs a time
            if hit.chunk.doc_id in prefer_docs:
                score += PREFER_BONUS
            cands.append((score, rank, i, sent, hit.chunk.id, vecs[i]))
    if not cands:
        return []
    cands.sort(key=lambda c: -c[0])
    best = cands[0][0]
    pool = [c for c in cands if c[0] >= best * KEEP_RATIO]
    chosen: list[tuple[float, int, int, str, str, Any]] = []
    limit = min(max_sentences, 4)
    while pool and len(chosen) < limit:

        def mmr(c: tuple[float, int, int, str, str, Any]) -> float:
            if not chosen:
                return c[0]
            redundancy = max(float(c[5] @ s[5]) for s in chosen)
            return MMR_LAMBDA * c[0] - (1 - MMR_LAMBDA) * redundancy

        pick = max(pool, key=mmr)
        pool.remove(pick)
        if chosen and max(float(pick[5] @ s[5]) for s in chosen) >= DUPLICATE_SIMILARITY:
            continue
        chosen.append(pick)
    lead, rest = chosen[0], chosen[1:]
    # the lead's own passage reads on in order: its next sentences come before any others
    chunk = kb.by_id[lead[4]]
    start = lead[2]
    if LEANS_BACK.search(lead[3]) and start > 0 and _usable(chunk.sentences[start - 1]):
        start -= 1  # "Doctors call that area ..." reads after the sentence naming the area
        lead = (lead[0], lead[1], start, chunk.sentences[start], lead[4], lead[5])
    follow = []
    for sent in chunk.sentences[lead[2] + 1 : lead[2] + 3]:
        if (
            REFERRAL.search(sent)
            or sent.endswith(":")
            or (general and _not_general(sent, question))
        ):
            break
        follow.append(_Pick(sent, lead[4]))
    others = [
        _Pick(c[3], c[4])
        for c in sorted(rest, key=lambda c: (c[1], c[2]))
        if c[3] not in {f.text for f in follow} | {lead[3]}
    ]
    return [_Pick(lead[3], lead[4]), *follow, *others][:limit]


# --- citations -----------------------------------------------------------------------------
def _draft(
    picks: list[_Pick],
    retrieval: RetrievalResult,
    kb: KnowledgeBase,
    mode: str,
    section_key: str,
    qtype: str,
) -> Draft:
    picks = _dedupe(picks, kb, by_meaning=mode in ("sentences", "bullets"))
    picks = _read_in_order(picks)
    numbers: dict[str, int] = {}
    sentences: list[tuple[str, int]] = []
    lines: list[str] = []
    for p in picks:
        n = numbers.setdefault(p.chunk_id, len(numbers) + 1)
        sentences.append((p.text, n))
        lines.append(f"- {p.text} [{n}]" if p.bullet else f"{p.text} [{n}]")
    prose = " ".join(line for line, p in zip(lines, picks, strict=True) if not p.bullet)
    bullets = "\n".join(line for line, p in zip(lines, picks, strict=True) if p.bullet)
    text = f"{prose}\n\n{bullets}" if bullets else prose
    scores = {h.chunk.id: h.score for h in retrieval.hits}
    citations, passages = citations_for(numbers, scores, kb)
    return Draft(text, tuple(sentences), citations, passages, mode, section_key, qtype)


# "Massage can also help ..." opening an answer points back to a sentence the reader never saw
_LEAD_ALSO = re.compile(r"^((?:\S+ ){1,4}?(?:can|may|will|could|is|are|does|do|has|have)) also ")
# "Yes, ..." after another sentence answers nothing: the stance belongs to the opening only
_LATE_STANCE = re.compile(r"^(?:usually |mostly )?(?:yes|no), (?=[a-z])", re.I)


def _read_in_order(picks: list[_Pick]) -> list[_Pick]:
    """Small edits so sentences read in the order shown: no "also" in the opening sentence,
    and no "Yes," or "No," on a sentence that is not the opening one."""
    out: list[_Pick] = []
    for i, p in enumerate(picks):
        text = p.text
        if i == 0:
            text = _LEAD_ALSO.sub(r"\1 ", text, count=1)
        elif not p.bullet and _LATE_STANCE.match(text):
            rest = _LATE_STANCE.sub("", text, count=1)
            text = rest[:1].upper() + rest[1:]
        out.append(replace(p, text=text) if text != p.text else p)
    return out


def _dedupe(picks: list[_Pick], kb: KnowledgeBase, by_meaning: bool = True) -> list[_Pick]:
    """Drop exact repeats and (``by_meaning``) sentences that say the same thing as an earlier
    one. A section's opening keeps its order: dropping one of its sentences could leave the
    next one pointing back to nothing."""
    out: list[_Pick] = []
    seen: list[Any] = []
    for p in picks:
        if any(p.text == q.text for q in out):
            continue
        vec = _vector_of(p, kb) if by_meaning else None
        if vec is not None and any(float(vec @ v) >= DUPLICATE_SIMILARITY for v in seen):
            continue
        out.append(p)
        if vec is not None:
            seen.append(vec)
    return out


def _vector_of(p: _Pick, kb: KnowledgeBase) -> Any:
    chunk = kb.by_id.get(p.chunk_id)
    vecs = kb.sentence_vectors.get(p.chunk_id)
    if chunk is None or vecs is None:
        return None
    try:
        return vecs[chunk.sentences.index(p.text)]
    except (ValueError, IndexError):
        return None


def citations_for(
    numbers: dict[str, int], scores: dict[str, float], kb: KnowledgeBase
) -> tuple[tuple[Citation, ...], tuple[dict[str, Any], ...]]:
    """Citations and passages for the cited chunk ids (numbered in order of first use)."""
    citations, passages = [], []
    for cid, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        chunk = kb.by_id[cid]
        citations.append(
            Citation(
                n=n,
                doc_id=chunk.doc_id,
                title=chunk.title,
                section=chunk.section,
                chunk_id=chunk.id,
                sources=tuple(kb.doc_sources(chunk.doc_id)),
                reviews=tuple(kb.doc_reviews(chunk.doc_id)),
            )
        )
        passages.append(
            {
                "n": n,
                "chunk_id": chunk.id,
                "doc_id": chunk.doc_id,
                "title": chunk.title,
                "section": chunk.section,
                "text": chunk.text,
                "score": round(scores.get(cid, 0.0), 4),
            }
        )
    return tuple(citations), tuple(passages)


# --- subjects the library does not cover ---------------------------------------------------
def uncovered_subject(question: str, kb: KnowledgeBase) -> Subject | None:
    """The main subject the question names that no document covers, if any."""
    from painguide.answer.coverage import SubjectCoverage

    coverage = kb.derived.get("coverage")
    if coverage is None:
        coverage = SubjectCoverage.from_kb(kb)
        kb.derived["coverage"] = coverage
    missing = coverage.uncovered(question)
    if len(missing) > 1:  # "mild fever and a headache, must I test for COVID19?": the
        # question asks about the subject in its last clause, the story names the others
        from painguide.answer.coverage import normalise_tokens

        cut = max((m.end() for m in _LAST_CLAUSE.finditer(question.rstrip(" ?!."))), default=0)
        start = len(normalise_tokens(question[:cut]))
        asked = [m for m in missing if m.start >= start and m.category == missing[0].category]
        if cut and asked:
            return asked[0]
    return missing[0] if missing else None


_LAST_CLAUSE = re.compile(r"[,.;:!?]\s+")
