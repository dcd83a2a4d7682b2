"""The one pipeline every adapter calls: a LangChain (LCEL) chain route -> retrieve -> answer.

Example::

    guide = PainGuide.from_settings(get_settings())
    answer = guide.ask("Why does exercise help my back pain?")
    print(answer.answer, answer.citations)
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from painguide.answer.compose import (
    HEADING_FLOOR,
    Draft,
    compose,
    tells_not_improving,
    uncovered_subject,
)
from painguide.answer.notices import NO_PAGE, NOT_SPECIFIC, OTHER_CONDITION, not_covered
from painguide.conversation import names_new_subject, normalise_history, resolve_followup
from painguide.errors import IndexUnavailableError
from painguide.safety import templates
from painguide.safety.router import RouterResult, SafetyRouter
from painguide.text import (
    STOPWORDS,
    clean_text,
    content_terms,
    without_preamble,
    without_tag_question,
    words,
)
from painguide.types import Answer, RouteDecision

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

    from painguide.config import Settings
    from painguide.retrieval import HybridRetriever, KnowledgeBase, RetrievalResult

log = logging.getLogger(__name__)

COMPOSED_ROUTES = frozenset({"answer", "out_of_scope"})
# General help for a subject the library lacks is useful only when the question is about moving
# with it (the library's core): "I have gout, what exercises are ok?", not "what is the outlook".
_MOVEMENT = re.compile(
    r"\b(exercis\w*|activ\w*|mov(e|ing|ement)\w*|walk\w*|swim\w*|stretch\w*|gym|yoga|pilates|"
    r"strength\w*|train\w*|sport\w*|run(ning)?|cycl\w*|physio\w*|stay active|keep going)\b",
    re.I,
)
NARRATIVE_WORDS = 25  # a message this long with no question is an account, not a question


DEFINED_TERM_WORDS = 3  # "what is X?" names a term of at most this many words
_WHAT_IS = re.compile(
    r"^\W*(?:so\s+)?(?:what|whats|what's)\s+(?:exactly\s+)?(?:is|are)\s+(?:\(are\)\s+)?"
    r"(?:an?\s+|the\s+)?(?P<term>[a-z][\w' -]{2,60}?)\W*$",
    re.I,
)


def _undefined_term(question: str, idf: dict[str, float]) -> str:
    """For "what is X?", X when it holds a word the library never uses (after spelling
    correction): the library cannot define it, and any answer would be about something else."""
    from painguide.text import content_terms

    match = _WHAT_IS.match(question.strip())
    if not match:
        return ""
    term = match.group("term").strip()
    if len(term.split()) > DEFINED_TERM_WORDS:
        return ""  # "what is the popping noise when my back cracks" asks about a situation
    terms = [t for t in content_terms(term) if t not in _COMPARING]  # "hurt vs harm"
    return term if terms and any(t not in idf for t in terms) else ""


_COMPARING = frozenset({"vs", "versus", "v", "or", "and"})


def _is_narrative(message: str) -> bool:
    """A long message that asks nothing ("He presented with ... for 2 months now.")."""
    from painguide.answer.qtype import question_types

    return (
        len(message.split()) >= NARRATIVE_WORDS
        and "?" not in message
        and question_types(message) == ["other"]
        and not _ASKING.search(message)
    )


# A long story that ends in a request naming nothing ("... what am I supposed to do?"): the
# request is about the condition or body part the story names, not about every detail in it
# (a normal scan, a job), so the answer is chosen as for "what can I do about back pain?".
_GENERIC_REQUEST = re.compile(
    r"^\W*(so |and |but )?((what|how) (am|are) (i|we) (supposed|meant) to (do|cope|deal with it|"
    r"manage)|what (should|can|could|do) (i|we) do( about it| now)?|what now|what next|"
    r"any (advice|tips|ideas|suggestions)|what do you (suggest|recommend|advise|think)|"
    r"what would you (suggest|recommend|advise)|what helps|how do i (cope|manage|deal with it))"
    r"\W*$",
    re.I,
)


def _on_the_asked_activity(general: str, state: dict[str, Any]) -> bool:
    """General help must be about what was asked ("what stretches are best for piriformis
    syndrome?" gets no general text about where to find support for mood): it shares a word
    stem with the question, other than the uncovered subject and words every page uses."""
    from painguide.answer.coverage import find_subjects

    query = state["router"].query
    named = {w for s in find_subjects(query) for w in s.phrase.split()}
    asked = {t[:5] for t in content_terms(query) if t not in named and t not in _EVERY_PAGE}
    return bool(asked & {t[:5] for t in content_terms(general)})


_EVERY_PAGE = frozenset({"pain", "painful", "hurt", "hurts", "best", "good", "help", "helps"})
# words a general section's heading may use beyond the question's own ("Is exercise safe when
# you have pain?" is general help for "will exercise help my lupus?")
_GENERAL_HEADING_WORDS = frozenset(
    {
        "exerc",
        "activ",
        "move",
        "movin",
        "movem",
        "safe",
        "safel",
        "start",
        "long",
        "lasti",
        "term",
        "body",
        "peopl",
        "much",
        "often",
        "someo",
        "perso",
        "still",
        "worth",
    }
)


def _general_section_on_asked(section: str, state: dict[str, Any]) -> bool:
    """A general section answers what was asked only when its heading names no topic the
    question does not ("How does exercise help mood?" is no general help for "what exercises
    help carpal tunnel?"). Sentences gathered from several sections (no section answered) are
    not offered: read as general help they said things like "Exercise does not hide real
    warning signs" for migraine, or return-to-sport advice for back pain for a concussion."""
    if "#" not in section:
        return False
    heading = section.split("#", 1)[1]
    asked = {t[:5] for t in content_terms(state["router"].query)}
    unasked = {t[:5] for t in content_terms(heading)} - asked - _GENERAL_HEADING_WORDS
    return not (unasked - {t[:5] for t in _EVERY_PAGE})


def request_focus(message: str) -> str:
    """For a story ending in a request that names nothing, the request about the first
    condition or body part the story names ("what can I do about back pain?"); else "".
    A short story counts too: "my shoulder hurts when i lift my arm, what should i do" asks
    what helps the shoulder, not why lifting the arm hurts."""
    from painguide.answer.coverage import find_subjects

    clauses = re.split(r"[,.;?!]\s*|\s+but\s+", message.strip().rstrip("?!. "))
    last = clauses[-1]
    if len(clauses) < 2 or not _GENERIC_REQUEST.match(last):
        return ""
    if tells_not_improving(message):  # "still isn't better after 3 weeks, what now?" asks
        return ""  # what to do when it lingers (when to get it checked), not what helps
    named = [s.name for s in find_subjects(message) if s.category != "treatment"]
    return f"what can I do about {named[0]}?" if named else ""


# a word that denies what follows it ("no chest pain", "I don't have sciatica")
_DENIAL = (
    r"(?:no|not|without|never|nor|don'?t have|do not have|haven'?t got|have not got|"
    r"isn'?t|aren'?t|not any)"
)
_PAIN_WORD = r"(?:\s+(?:pain|pains|ache|aches|problems?|trouble))?"
NEGATED_GAP_WORDS = 2  # words allowed between the denial and the subject ("no real chest pain")


# a closing courtesy ("... thanks in advance", "..., any help appreciated") asks nothing
_COURTESY = re.compile(
    r"[\s,.!-]*\b(thanks?( you)?( so much| very much| a lot)?( in advance)?|thx|ty|cheers|"
    r"many thanks|any (help|advice) (would be |is )?(much |greatly )?appreciated|"
    r"please help( me)?|help please)[\s.!]*$",
    re.I,
)


def without_courtesy(message: str) -> str:
    """The message without a closing thanks or plea ("what did the walkback trial find
    thanks in advance" -> "what did the walkback trial find"), which otherwise pulls in pages
    that share its words; unchanged when nothing else is left."""
    rest = _COURTESY.sub("", message).strip()
    return rest if len(rest.split()) >= 2 else message


def without_denied_subjects(message: str) -> str:
    """The message without the conditions and body parts it says are absent, when it names
    another one it has ("no chest pain but my back hurts" -> "but my back hurts"): the one it
    has is what it asks about, and a denied subject would pull in another page (or the
    honest "no page" answer for it). A message that names no other subject is unchanged: "I
    don't have back pain yet, how do I prevent it?" is still about back pain."""
    from painguide.answer.coverage import find_subjects

    found = [s for s in find_subjects(message) if s.category != "treatment"]
    if len(found) < 2 or not _NEGATED_REPLY.search(message.lower()):
        return message
    out = message
    denied = 0
    for subject in found:
        phrase = r"\s+".join(re.escape(w) + "s?" for w in subject.phrase.split())
        gap = rf"(?:\w+\s+){{0,{NEGATED_GAP_WORDS}}}?"
        pattern = re.compile(rf"\b{_DENIAL}\s+{gap}{phrase}\b{_PAIN_WORD}\b", re.I)
        out, n = pattern.subn(" ", out)
        denied += bool(n)
    if not denied or denied >= len(found):
        return message
    return re.sub(r"\s+([,.?!])", r"\1", re.sub(r"\s+", " ", out)).strip(" ,")


# a reply to a question a clinician might ask ("no, no chest pain")
_NEGATED_REPLY = re.compile(r"\b(no|not|nope|never|none|without|denies|haven'?t|don'?t)\b")
_REPLY_WORDS = frozenset(
    {"no", "nope", "yes", "yeah", "ok", "okay", "not", "nothing", "none", "really", "well", "um"}
)
# a forum post's label before the question itself
_LABEL = re.compile(r"^\W*(question|q|query|title)\s*[:\-–]\s*", re.I)
_FIRST_PERSON = re.compile(r"\b(i|i'?m|im|i'?ve|ive|my|me)\b", re.I)
BARE_REPORT_WORDS = 12
# the words of a report that say only that something hurts
_REPORT_WORDS = STOPWORDS | {
    "i",
    "im",
    "i'm",
    "ive",
    "i've",
    "my",
    "me",
    "have",
    "has",
    "got",
    "get",
    "getting",
    "feel",
    "feeling",
    "hurt",
    "hurts",
    "hurting",
    "pain",
    "pains",
    "painful",
    "ache",
    "aches",
    "aching",
    "achy",
    "sore",
    "really",
    "bad",
    "very",
    "so",
    "lot",
    "bit",
    "little",
    "some",
    "lower",
    "low",
    "upper",
    "in",
    "of",
    "a",
    "the",
    "and",
    "hi",
    "hello",
    "still",
    # which side and which way it spreads ("i have sciatica down my left leg")
    "left",
    "right",
    "down",
    "leg",
    "one",
}


def bare_report(message: str) -> str:
    """For a short first-person report that asks nothing and says nothing beyond where it
    hurts ("i have back pain", "I feel pain in my back"), the question it implies ("what can I
    do about back pain?"); else "". Without this, whichever section shares its words answers
    ("Is it normal to feel sick with back pain?")."""
    from painguide.answer.coverage import find_subjects, normalise_tokens, subject_phrases
    from painguide.answer.qtype import question_type

    if (
        "?" in message
        or len(message.split()) > BARE_REPORT_WORDS
        or not _FIRST_PERSON.search(message)
        or _ASKING.search(message)
        or question_type(message) != "other"
    ):
        return ""
    named = [s for s in find_subjects(message) if s.category != "treatment"]
    if not named:
        return ""
    said = {w for s in named for p in subject_phrases(s.name) for w in normalise_tokens(p)}
    rest = [w for w in words(message) if w not in said and w not in _REPORT_WORDS]
    return "" if rest else f"what can I do about {named[0].name}?"


# A request without a question mark or a question word at its start: "... my friend said
# I should just rest but I don't know, what do you think" asks for an answer, and so does
# "... but I don't know where to start".
_ASKING = re.compile(
    r"\b(what (do|would|can|could) you (think|suggest|recommend|reckon|advise)"
    r"|any (advice|tips|ideas|suggestions)"
    r"|(what|how) (should|can|could|do) i\b|should i\b|can i\b|is (it|that|this) "
    r"(normal|ok|okay|safe|bad|serious)|i('m| am)? ?wonder(ing)?|do you know|tell me"
    r"|(what|how) (am|are) (i|we) (supposed|meant|expected) to\b|what (now|next)\b"
    r"|what (else )?(is there|are my options)\b"
    r"|advi[cs]e|help me|please"
    # "... my doctor said exercise but i dont know where to start": asking what to do, not
    # "i dont know what's wrong", which asks for a diagnosis
    r"|(don'?t|do not|dont|not sure|no idea)( really)? (know )?(where|how) (to|do i|should i)"
    r"|(don'?t|do not|dont|not sure)( really)? (know )?(what|which) (to do|to try|exercises?)"
    r"|where (to|do i|should i) (start|begin)"
    # a question without its question mark: "would hand exercises actually do anything"
    r"|\b(would|will|does|do|could|can|is) ([a-z']+ ){0,4}(help|work|do anything|"
    r"make (it|a) difference|worth it)\b|wasting my time)",
    re.I,
)


# How the library's topics are named to a person (the "topics I can help with" line).
TOPIC_ORDER = (
    "why-exercise-helps",
    "exercising-safely",
    "understanding-pain",
    "back-pain",
    "other-conditions",
    "safety-and-help",
)
TOPIC_LABELS = {
    "why-exercise-helps": "why exercise eases pain",
    "exercising-safely": "how to start, pace and progress exercise safely",
    "understanding-pain": "how pain works",
    "back-pain": "back pain, sciatica and their treatments",
    "other-conditions": "neck, shoulder, hip and knee pain, fibromyalgia and tendon pain",
    "safety-and-help": "when to see a doctor",
}
LEXICAL_FLOOR = 0.8  # IDF-weighted share of query words in a passage that also counts as relevant
# a question about the library's main subject (back pain) is relevant at a lower similarity: a
# long, chatty question ("I hurt my back picking up my toddler yesterday, can I still carry
# her?") dilutes its similarity to every passage, not its subject. Other covered subjects do
# not lower it: a page on back pain in pregnancy does not answer "early signs of pregnancy"
COVERED_SUBJECT_FLOOR = 0.33
UNAVAILABLE = (
    "Pain Guide's library is temporarily unavailable, so I can't answer right now. Please try "
    "again in a minute. If you have severe or worrying symptoms, do not wait: call {emergency}."
)


# a message that says pain is wearing the person down, and asks nothing, is answered on coping
COPING_QUESTION = "Who can help me when pain gets me down?"
_ASKS_SOMETHING = re.compile(
    r"\?|\b(what|which|why|how (can|do|should|to)|should i|can i|is there)\b"
    r"|\bany (tips|advice|ideas)\b",
    re.I,
)


# a sentence ends at a full stop or an exclamation mark, and at the end of a block of markup
# ("### ADMIN: ... ###"), which is never the question a person asks
_SENTENCE_END = re.compile(r"(?<=[.!])\s+|(?<=#)\s+(?=[^#])")
# the last sentence after a story may also just name a topic ("... for weeks. graded activity")
TOPIC_ONLY_WORDS = 4
_POINTS_AT = re.compile(r"\b(it|this|that|them|these|those)\b", re.I)
_POINTER = re.compile(r"^\W*(it|this|that|these|those|they|he|she)\b", re.I)


COMMA_STORY_WORDS = 10  # a story this long before a comma and a question is told, not asked
_POINTS_BACK = re.compile(r"\b(that|this|it|these|those|they|them)\b", re.I)
COMMA_ASK_WORDS = 5  # ... and a question this long after it stands on its own


def asked_after_story(message: str) -> str:
    """For a message that tells something in its first sentences and asks only in its last
    ("I am 45 and work in an office. Why does my back hurt?"), the question, with the
    conditions and body parts the story names that the question does not ("hi, I've had a
    sore back for weeks. what is pain" -> "what is pain back"); "" for any other message.
    The story's other words pull in whichever page shares them, not the one asked about."""
    from painguide.answer.compose import asked_clause
    from painguide.answer.coverage import find_subjects
    from painguide.answer.qtype import question_type

    parts = [p for p in _SENTENCE_END.split(message.strip()) if p.strip()]
    if len(parts) < 2:
        # a story told in one run-on sentence, commas for full stops ("so i was gardening all
        # weekend and now my back is killing me, i took some paracetamol, should i just rest
        # in bed?"): the last clause asks, when the story before it is long
        ask = asked_clause(message)
        story = message.strip()[: message.strip().rfind(ask)] if ask else ""
        if (
            not ask
            or len(story.split()) < COMMA_STORY_WORDS
            or len(ask.split()) < COMMA_ASK_WORDS  # "..., when should he go?" leans on it
            or _POINTS_BACK.search(ask)  # "..., is that something to worry about?" too
        ):
            return ""
        parts = [story.strip(" ,;:"), ask]
    comma_story = len(parts) == 2 and not _SENTENCE_END.search(message.strip())
    story, ask = " ".join(parts[:-1]), parts[-1]
    story = re.sub(r"#{2,}[^#]*#{2,}", " ", story)  # a block of markup tells no story
    if "?" in story or _ASKS_SOMETHING.search(story) or question_type(story) != "other":
        return ""
    words_ = ask.split()
    topic_only = len(words_) <= TOPIC_ONLY_WORDS and not _FIRST_PERSON.search(ask)
    if (
        not words_
        or _POINTER.match(ask)
        or not (topic_only or _ASKS_SOMETHING.search(ask) or question_type(ask) != "other")
    ):
        return ""
    low = ask.lower()
    named = [
        s.phrase
        for s in find_subjects(story)
        if s.phrase not in low and not (comma_story and s.category == "treatment")
    ]  # (a treatment a run-on story tried, "i took some paracetamol", is not what it asks)
    named = [p for i, p in enumerate(named) if p not in named[:i]]
    # the story's subject is carried only when the question points at it ("what can I do?",
    # "is walking ok for it?"): "... a sore back for weeks. what is pain" asks about pain
    # (a run-on story told with commas is the context of its last clause: always carried)
    carried = named if comma_story or _FIRST_PERSON.search(ask) or _POINTS_AT.search(ask) else []
    return " ".join([ask, *carried])


class PainGuide:
    """Safety routing, hybrid retrieval and grounded answers behind one LCEL chain."""

    def __init__(
        self,
        settings: Settings,
        kb: KnowledgeBase,
        router: SafetyRouter,
        retriever: HybridRetriever,
        generator: Any = None,
    ) -> None:
        self.settings = settings
        self.kb = kb
        self.router = router
        self.retriever = retriever
        self.generator = generator
        self.chain: Runnable[dict[str, Any], dict[str, Any]] = self._build_chain()

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> PainGuide:
        """Load the model, open the index and build the pipeline (IndexMissingError if none)."""
        from painguide.embeddings import load_embeddings
        from painguide.index import ChromaIndex
        from painguide.retrieval import HybridRetriever, KnowledgeBase

        embeddings = load_embeddings(settings.embedding_model, settings.torch_threads)
        index = ChromaIndex.from_settings(settings)
        kb = KnowledgeBase.load(index, embeddings)
        kb.cache_dir = settings.index_dir.parent / "cache"
        router = overrides.pop("router", None) or SafetyRouter(
            embeddings, cache_dir=settings.index_dir.parent / "cache"
        )
        retriever = overrides.pop("retriever", None) or HybridRetriever.from_settings(kb, settings)
        generator = overrides.pop("generator", None)
        if generator is None and settings.llm:
            from painguide.answer.generate import LLMGenerator

            generator = LLMGenerator.from_settings(settings)
        return cls(settings, kb, router, retriever, generator)

    # --- the chain ---------------------------------------------------------------------
    def _build_chain(self) -> Runnable[dict[str, Any], dict[str, Any]]:
        from langchain_core.runnables import RunnableBranch, RunnableLambda

        retrieve_and_answer = RunnableLambda(self._retrieve, name="retrieve") | RunnableLambda(
            self._compose, name="compose"
        )
        return (
            RunnableLambda(self._prepare, name="prepare")
            | RunnableLambda(self._route, name="safety_route")
            | RunnableBranch(
                (lambda s: s["decision"].route in COMPOSED_ROUTES, retrieve_and_answer),
                RunnableLambda(self._safe_response, name="safe_response"),
            )
        )

    def _prepare(self, state: dict[str, Any]) -> dict[str, Any]:
        message = clean_text(str(state.get("message", "")))
        history = normalise_history(state.get("history"))
        notice = ""
        limit = self.settings.max_message_chars
        if len(message) > limit:
            notice = (
                f"Your message was longer than {limit:,} characters, so I answered from the "
                "first part. Shorter questions get better answers."
            )
        return {
            **state,
            "message": message,
            "history": history,
            "notice": notice,
            "t0": time.perf_counter(),
            "timings": {},
        }

    def _route(self, state: dict[str, Any]) -> dict[str, Any]:
        t = time.perf_counter()
        try:
            result = self.router.route(state["message"], state["history"])
        except Exception:  # fail closed: never an unchecked answer
            log.exception("safety routing failed; serving the safe generic response")
            result = RouterResult(
                RouteDecision("out_of_scope", "safety_check_failed", category="safety_failure"),
                "",
                False,
            )
        state["timings"]["route_ms"] = (time.perf_counter() - t) * 1000
        return {**state, "router": result, "decision": result.decision}

    def _retrieve(self, state: dict[str, Any]) -> dict[str, Any]:
        result: RouterResult = state["router"]
        if result.decision.rule == "safety_check_failed":
            return {**state, "retrieval": None}
        query = without_tag_question(result.query[: self.settings.max_message_chars])
        query = _LABEL.sub("", query) or query  # "Question: bad pain in my thoracic"
        query = without_preamble(query)  # "hi, quick question why does ..."
        query = without_denied_subjects(without_courtesy(query))  # "no chest pain but my
        # back hurts, thanks" asks about the back
        story_ask = "" if state["history"] else asked_after_story(query)
        if story_ask:  # "I am 45 and work in an office. Why does my back hurt?"
            query = story_ask
            state = {**state, "story_ask": story_ask}
        resolved = resolve_followup(query, state["history"])
        implied = "" if state["history"] else bare_report(query)
        if implied:  # "i have back pain": what can be done about it
            resolved = implied
            state = {**state, "implied": True}
        elif result.decision.category == "worn_down" and not _ASKS_SOMETHING.search(query):
            # "I can't take much more of this pain" asks, without a question, how to cope
            resolved = COPING_QUESTION
            state = {**state, "implied": True}
        vector = result.vector if resolved == result.query and result.vector is not None else None
        prefer: frozenset[str] = frozenset()
        said: frozenset[str] = frozenset()
        if resolved != query and not state.get("implied"):  # a follow-up: stay with what
            # the last answer quoted
            last = [t.content for t in state["history"] if t.role == "assistant"][-1:]
            # quoted word for word, or rephrased by an LLM or written by someone else
            prefer, said = self.kb.said_in(last[0]) if last else (prefer, said)
            users = [t.content for t in state["history"] if t.role == "user"]
            if names_new_subject(query, users):  # "what about heat?": a new subject's page
                prefer = frozenset()
        try:
            retrieval = self.retriever.search(
                resolved, k=self.settings.retrieval_k, vector=vector, prefer_docs=prefer
            )
            if state["history"] and resolved == query and not self._relevant(retrieval):
                retry = resolve_followup(query, state["history"], force=True)
                if retry != query:
                    second = self.retriever.search(retry, k=self.settings.retrieval_k)
                    if self._relevant(second):
                        retrieval, resolved = second, retry
            elif state["history"] and resolved != query and not self._relevant(retrieval):
                retry = resolve_followup(query, state["history"], name_subjects=True)
                if retry != resolved:
                    second = self.retriever.search(
                        retry, k=self.settings.retrieval_k, prefer_docs=prefer
                    )
                    if self._relevant(second):
                        retrieval, resolved = second, retry
        except IndexUnavailableError as exc:
            log.warning("index unavailable: %s", exc)
            return {**state, "retrieval": None, "unavailable": True, "resolved": resolved}
        state["timings"].update(retrieval.timings_ms)
        return {
            **state,
            "retrieval": retrieval,
            "resolved": resolved,
            "prefer": prefer,
            "said": said,
        }

    def _compose(self, state: dict[str, Any]) -> dict[str, Any]:
        decision: RouteDecision = state["decision"]
        retrieval: RetrievalResult | None = state.get("retrieval")
        t = time.perf_counter()
        if state.get("unavailable"):
            text = UNAVAILABLE.format(emergency=self.settings.emergency_number)
            return self._finish(state, decision, text, None, rule_suffix="index_unavailable")
        relevant = self._relevant(retrieval)
        if decision.route == "out_of_scope":
            if decision.rule == "safety_check_failed":
                return self._finish(state, decision, templates.safety_failure(self.settings), None)
            lead = templates.out_of_scope(decision, self.settings)
            subject = uncovered_subject(state["router"].query, self.kb)
            if subject is not None:  # never another condition's page as "general terms"
                lead = f"{lead}\n\n{NO_PAGE.format(subject=subject.name)}"
            if not relevant or retrieval is None or subject is not None:
                return self._finish(state, decision, lead, None)
            draft = compose(
                state["resolved"],
                retrieval,
                self.kb,
                max_sentences=3,
                followup=state["router"].query,
            )
            text = f"{lead}\n\nIn general terms: {draft.text}" if draft.text else lead
            state["timings"]["compose_ms"] = (time.perf_counter() - t) * 1000
            return self._finish(state, decision, text, draft)
        if not relevant or retrieval is None:
            # a follow-up in a conversation about pain is on topic even when it says little
            on_topic = (
                state["router"].health_related
                or (bool(state["history"]) and state.get("resolved", "") != state["router"].query)
                or any(
                    self.router.health_related(self.router.normalise(t.content))
                    for t in state["history"]
                    if t.role == "user"
                )
            )
            # a named condition, body part or treatment is about health even in few words
            subject = uncovered_subject(state["router"].query, self.kb)
            on_topic = on_topic or subject is not None
            route = "no_content" if on_topic else "off_topic"
            new = RouteDecision(
                route,  # type: ignore[arg-type]
                "below_relevance_floor",
                f"best similarity {retrieval.best_dense:.2f}, word match "
                f"{retrieval.lexical_support:.2f}"
                if retrieval
                else "",
                score=retrieval.best_dense if retrieval else None,
            )
            if subject is not None:
                new = replace(new, rule="subject_not_covered", category=subject.name)
                text = self._not_covered_text(
                    state, subject.name, "", subject.category != "treatment"
                )
            elif route == "no_content":
                text = self._no_content_text(state)
            else:
                text = templates.off_topic(new, self.settings)
            return self._finish(state, new, text, None)
        own_words = state["router"].query[: self.settings.max_message_chars]
        if not state["history"] and self._only_negated(own_words):
            # "no, no chest pain" answers a question no one here asked: nothing to look up
            new = RouteDecision("no_content", "nothing_asked")
            return self._finish(state, new, templates.nothing_asked(self._topic_examples()), None)
        own_words = without_denied_subjects(without_courtesy(without_preamble(own_words)))
        if state.get("implied"):  # answered as the question it implies
            own_words = state["resolved"]
        subject = uncovered_subject(own_words, self.kb)
        if subject is not None:
            return self._not_covered(state, decision, subject, retrieval)
        unknown = _undefined_term(retrieval.corrected_query or own_words, self.kb.idf)
        if unknown and not state["history"]:  # "what is cervical radiculopathy?"
            new = RouteDecision("no_content", "term_not_in_library", evidence=unknown)
            text = self._not_covered_text(state, unknown, "")
            return self._finish(state, new, text, None)
        focus = "" if state["history"] else request_focus(own_words) or state.get("story_ask", "")
        draft = compose(
            state["resolved"],
            retrieval,
            self.kb,
            max_sentences=self.settings.answer_max_sentences,
            followup=focus or own_words,
            prefer_docs=state.get("prefer", frozenset()),
            said=state.get("said", frozenset()),
        )
        state["timings"]["compose_ms"] = (time.perf_counter() - t) * 1000
        if not draft.text:
            new = RouteDecision("no_content", "nothing_to_compose")
            text = self._no_content_text(state)
            return self._finish(state, new, text, None)
        if _is_narrative(own_words) and not state["history"]:
            # a long account of symptoms that asks nothing: any page quoted back would read
            # as a guess at what is wrong
            new = RouteDecision("no_content", "narrative_without_question")
            text = templates.symptom_default([], self.settings)  # no topic list: it can
            return self._finish(state, new, text, None)  # read as naming what they have
        engine, removed, text = "extractive", (), draft.text
        state["draft"] = draft
        if self.generator is not None and not state.get("skip_generation"):
            t = time.perf_counter()
            engine, text, removed = self.generator.answer(state, draft, retrieval, self.kb)
            state["timings"]["generate_ms"] = (time.perf_counter() - t) * 1000
        if draft.about:  # never another condition's page presented as the answer unlabelled
            text = f"{text}\n\n{OTHER_CONDITION.format(condition=draft.about)}"
        if draft.general_for:  # a treatment's general page, never read as specific advice
            text = f"{text}\n\n{NOT_SPECIFIC.format(pair=draft.general_for)}"
        out = self._finish(state, decision, text, draft)
        out["answer"] = replace(out["answer"], engine=engine, removed=tuple(removed))
        return out

    def _not_covered(
        self,
        state: dict[str, Any],
        decision: RouteDecision,
        subject: Any,
        retrieval: RetrievalResult,
    ) -> dict[str, Any]:
        """A subject no document covers: say so; offer general content only for a condition
        or body part (never another treatment's page), labelled as general."""
        draft: Draft | None = None
        symptoms = getattr(state.get("router"), "symptom_report", False)
        asks_movement = bool(_MOVEMENT.search(state["router"].query))
        if subject.category != "treatment" and asks_movement and not symptoms:
            general = self._general_retrieval(state["router"].query) or retrieval
            draft = compose(state["resolved"], general, self.kb, max_sentences=2, general=True)
            draft = (
                draft
                if draft.text
                and _on_the_asked_activity(draft.text, state)
                and _general_section_on_asked(draft.section, state)
                else None
            )
        text = self._not_covered_text(
            state, subject.name, draft.text if draft else "", subject.category != "treatment"
        )
        new = RouteDecision(
            "no_content", "subject_not_covered", evidence=subject.phrase, category=subject.name
        )
        return self._finish(state, new, text, draft)

    def _general_retrieval(self, query: str) -> RetrievalResult | None:
        """Retrieval for the question with the subjects the library lacks taken out ("I have
        rheumatoid arthritis in my hands, will exercise help?" -> "will exercise help?"), so
        general content comes from general pages, not from another condition's page."""
        from painguide.answer.coverage import find_subjects, normalise_tokens

        tokens = normalise_tokens(query)
        for subj in find_subjects(query):
            span = range(subj.start, subj.start + len(subj.phrase.split()))
            tokens = [t if i not in span else "" for i, t in enumerate(tokens)]
        rest = " ".join(t for t in tokens if t)
        if len(rest.split()) < 2:
            return None
        try:
            found = self.retriever.search(rest, k=self.settings.retrieval_k)
        except Exception:  # general help is optional; the notice stands alone
            log.warning("general retrieval failed; answering without it", exc_info=True)
            return None
        return found if self._relevant(found) else None

    def _only_negated(self, message: str) -> bool:
        """Whether the message only says what is not happening ("no, no chest pain", "nope,
        no fever"): nothing is left once its negated spans and interjections are removed."""
        low = message.lower()
        if "?" in low or len(low.split()) > BARE_REPORT_WORDS or not _NEGATED_REPLY.search(low):
            return False  # (cheap checks first: this runs on every first message)
        norm = self.router.normalise(message)
        left = [w for w in words(self.router.mask_negated(norm)) if w not in _REPLY_WORDS]
        return not left

    def _relevant(self, retrieval: RetrievalResult | None) -> bool:
        """Whether the corpus supports an answer (the honest no_content route otherwise)."""
        if retrieval is None:
            return False
        if (
            retrieval.best_dense >= self.settings.relevance_floor
            or retrieval.lexical_support >= LEXICAL_FLOOR
        ):
            return True
        if retrieval.best_dense >= COVERED_SUBJECT_FLOOR and self._names_covered_subject(
            retrieval.corrected_query
        ):
            return True
        return self._heading_match(retrieval) >= HEADING_FLOOR

    def _names_covered_subject(self, question: str) -> bool:
        """Whether the question names the library's main subject, or a body part it has a
        page on ("It feels like someone stuck a knife into my shoulder"), and no subject that
        the library does not cover."""
        from painguide.answer.coverage import find_subjects
        from painguide.answer.sections import LIBRARY_DEFAULT_SUBJECTS, section_index

        found = find_subjects(question)
        named = {s.name for s in found} & LIBRARY_DEFAULT_SUBJECTS or any(
            s.category == "body_part" and section_index(self.kb).docs_about(s.name) for s in found
        )
        return bool(named) and uncovered_subject(question, self.kb) is None

    def _heading_match(self, retrieval: RetrievalResult) -> float:
        """Best similarity of the query to any section heading or "Also asked" wording."""
        from painguide.answer.sections import section_index

        if retrieval.query_vector is None or not self.kb.chunks:
            return 0.0
        scores = section_index(self.kb).heading_scores(retrieval.query_vector)
        return float(scores.max()) if len(scores) else 0.0

    def _safe_response(self, state: dict[str, Any]) -> dict[str, Any]:
        d: RouteDecision = state["decision"]
        s = self.settings
        if d.route == "crisis" and templates.about_someone_else(state["router"].query):
            return self._finish(state, d, templates.crisis_someone_else(d, s), None)
        text = {
            "emergency": templates.emergency,
            "urgent": templates.urgent,
            "crisis": templates.crisis,
            "off_topic": templates.off_topic,
        }.get(d.route, templates.off_topic)(d, s)
        return self._finish(state, d, text, None)

    def _finish(
        self,
        state: dict[str, Any],
        decision: RouteDecision,
        text: str,
        draft: Any,
        rule_suffix: str = "",
    ) -> dict[str, Any]:
        retrieval = state.get("retrieval")
        timings = dict(state["timings"])
        timings["total_ms"] = (time.perf_counter() - state["t0"]) * 1000
        if rule_suffix:
            decision = replace(decision, rule=f"{decision.rule}+{rule_suffix}")
        routed = getattr(state.get("router"), "decision", None)
        if getattr(routed, "category", "") == "crisis_history" and decision.route in {
            "answer",
            "no_content",
            "out_of_scope",
        }:  # past or family history: a normal answer plus a short, kind note
            text = f"{text}\n\n{templates.crisis_note(self.settings)}"
        elif getattr(routed, "category", "") == "worn_down" and decision.route in {
            "answer",
            "no_content",
        }:  # worn down by pain: the answer, then where to get support
            text = f"{text}\n\n{templates.support_note(self.settings)}"
        answer = Answer(
            route=decision.route,
            answer=text,
            citations=draft.citations if draft else (),
            passages=draft.passages if draft else (),
            timings_ms={k: round(v, 2) for k, v in timings.items()},
            decision=decision,
            retrieved_ids=_retrieved_ids(retrieval, draft),
            query=state.get("resolved", ""),
            notice=" ".join(x for x in (state.get("notice", ""), templates.EDUCATION_NOTE) if x),
        )
        log.info(
            "route=%s rule=%s cited=%s total_ms=%.1f",
            answer.route,
            decision.rule,
            [c.chunk_id for c in answer.citations],
            timings["total_ms"],
        )
        return {**state, "answer": answer}

    def _not_covered_text(
        self, state: dict[str, Any], subject: str, general: str, symptom_uncovered: bool = True
    ) -> str:
        """ "No page on X" (with labelled general content); a symptom report first gets the
        safe default: who to call and when. Not when the missing subject is a treatment ("my
        back hurts by the end of the day, would a standing desk help?"): the symptom is one the
        library covers, and the default's emergency number would read as alarm over a desk."""
        safety = ""
        if symptom_uncovered and getattr(state.get("router"), "symptom_report", False):
            safety = templates.symptom_default([], self.settings, no_content=False)
        return not_covered(subject, general, self._topic_examples(), self.settings, safety)

    def _no_content_text(self, state: dict[str, Any]) -> str:
        """'No content', or for a first-person symptom report the safe default (issue 12)."""
        if getattr(state.get("router"), "symptom_report", False):
            return templates.symptom_default(self._topic_examples(), self.settings)
        return templates.no_content(self._topic_examples(), self.settings)

    def _topic_examples(self) -> list[str]:
        """What the library covers, in plain words, one line per topic it has documents for."""
        topics = self.kb.topics()
        return [TOPIC_LABELS.get(t, t.replace("-", " ")) for t in TOPIC_ORDER if topics.get(t)] or [
            titles[0] for titles in topics.values() if titles
        ]

    # --- public API ----------------------------------------------------------------------
    def ask(self, message: str, history: Sequence[Any] | None = None) -> Answer:
        """Route and answer one message (with optional earlier turns)."""
        state = self.chain.invoke({"message": message, "history": list(history or [])})
        answer: Answer = state["answer"]
        return answer

    def stream(self, message: str, history: Sequence[Any] | None = None) -> Iterator[str | Answer]:
        """Yield the answer text in growing pieces, then the final Answer object."""
        if self.generator is not None:
            yield from self.generator.stream(self, message, history)
            return
        answer = self.ask(message, history)
        pieces = _split_for_stream(answer.answer)
        shown = ""
        for piece in pieces:
            shown += piece
            yield shown
        yield answer

    def health(self) -> dict[str, Any]:
        """Facts for /healthz."""
        from painguide import __version__

        return {
            "status": "ok",
            "version": __version__,
            "documents": len(self.kb.doc_ids()),
            "chunks": len(self.kb.chunks),
            "model": self.kb.embeddings.model_name,
            "index": self.kb.index.where,
            "corpus_hash": self.kb.manifest.get("pg_corpus_hash"),
            "llm": getattr(self.generator, "engine", None),
        }


def _retrieved_ids(retrieval: Any, draft: Any) -> tuple[str, ...]:
    """Passages retrieved for the answer: the fused hits, then any section the composer matched
    by its heading (it is retrieval too, and citations must point at retrieved passages)."""
    ids = [h.chunk.id for h in retrieval.hits] if retrieval else []
    if draft is not None:
        ids += [c.chunk_id for c in draft.citations if c.chunk_id not in ids]
    return tuple(ids)


def _split_for_stream(text: str) -> list[str]:
    import re

    # a piece per cited sentence or bullet, each keeping the space or line break after it
    parts = re.split(r"(?<=\])(\s+)", text)
    return [
        p + (parts[i + 1] if i + 1 < len(parts) else "") for i, p in enumerate(parts) if i % 2 == 0
    ]
