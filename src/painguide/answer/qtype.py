"""What kind of answer a question asks for, and whether a sentence gives that kind of answer.

The composer uses the type to pick its first sentence (a definition for "what is", a number with
its unit for "how long", a stance for "should I"); the evaluation uses the same checks to score
``answer.type_match``, so what we serve and what we measure cannot drift apart.

Example::

    qtype = question_type("how long does the effect last?")   # "quantity"
    gives_type("quantity", "The effect lasts about 30 minutes.")  # True
"""

from __future__ import annotations

import re
from typing import Literal

QuestionType = Literal[
    "definition", "mechanism", "quantity", "yesno", "howto", "comparison", "other"
]

_QUANTITY = re.compile(
    r"\bhow (long|much|many|often|soon|far|hard|quickly|fast)\b|\bwhen (will|does|can)\b"
    r"|\bhow many (times|minutes|days|weeks)\b|\bat what age\b",
    re.I,
)
_DEFINITION = re.compile(
    r"^\W*(so\s+)?(what|whats|what's|wat)\s+(is|are|does|do)\b(?!.*\b(help|cause|happen|do for|"
    r"mean for|best|safe|good|bad|should|need|work|way|ways|advise|advises|say|says|recommend|"
    r"feel|feels|like|agree|know|(i|we) do)\b)|\bmeaning of\b"
    r"|\bwhat does .{1,40} mean\b"
    r"|^\W*(define|definition)\b|\bwhat do (you|they|doctors|experts) mean by\b"
    r"|^\W*(whats|what's|what is|what are)\s+(an? |the )?[\w-]+( [\w-]+)?\W*$",
    re.I,
)
_COMPARISON = re.compile(
    r"\b(better|worse|best|safer)\b.*\b(than|or)\b|\b\w+ or \w+( \w+)? (better|worse|best)\b"
    r"|\bvs\.?\b|\bversus\b|\bwhich is (better|best)\b"
    r"|\b(difference|different) between\b|^\W*(should i|is it better to|do i)\b.{2,60}\bor\b"
    # "does yoga or pilates help more?"
    r"|\b\w+ or \w+\b.{0,30}\b(help|helps|work|works)\b.{0,15}\b(more|most|better)\b",
    re.I,
)
_HOWTO = re.compile(
    r"\bhow (do|can|should|could) (i|we|you) (start|begin|get started|build|increase|pace|"
    r"stay|keep|return|go back|get back|prevent|stop|manage|cope|deal|ease|protect|lift|sit)\b"
    r"|\bhow to\b|\bwhat (else )?(should|can|could|do|shall|must) (i|we|you) (do|try)\b"
    r"|\bwhere (do|should|can) i (even |actually |best )?start\b"
    r"|\bwhat (am|are) (i|we) (supposed|meant) to do\b"
    r"|\btips\b|\bfirst step\b"
    # "tweaked my back bending over yesterday, what now"
    r"|[,.;:-]\s*(so\s+)?what (now|next)\W*$"
    # "what helps" opening the question or after the story: "my neck is stiff, what helps"
    r"|(^\W*|[,.;]\s*)(so\s+)?what (helps|can help|will help|would help|works)\b"
    # "34 weeks pregnant and my back aches, what exercises are safe?" asks what to do
    r"|(^\W*|[,.;]\s*|\band\s+)(so\s+)?what (\w+ )?(exercises?|stretch(es)?|activit(y|ies)|moves?|"
    r"sports?|workouts?) (are|is|can|could|should|would|will) (\w+ )?(safe|ok|okay|fine|good|"
    r"help|do)\b"
    # "my back went into spasm and I can barely move, help": a story, then a call for help
    r"|[,.;:!-]\s*(please\s+)?help( me)?( please)?\W*$",
    re.I,
)
_MECHANISM = re.compile(
    r"^\W*(so\s+)?(why|how come)\b|\bhow (does|do|can|could|would)\b(?! (i|we|you)\b)"
    r"|\bwhat causes\b|\bwhat happens\b|\bwhy (does|do|is|am|would)\b"
    # "what gives you a runner's high?", "what's the point of pacing?": the cause or purpose
    r"|\bwhat (gives|brings on|sets off|triggers)\b|\bwhere does .{1,40} come from\b"
    r"|\bwhat'?s the (cause|reason|point|purpose) (of|for|behind)\b"
    r"|\bwhat is the (cause|reason|point|purpose) (of|for|behind)\b"
    # the question word last, as people type it: "my back feels better after a jog, why?"
    r"|[\s,]\s*(but\s+|so\s+)?(why|how come)\W*$",
    re.I,
)
_YESNO = re.compile(
    r"^\W*(so\s+|but\s+|and\s+|ok\s+|okay\s+)?(is|are|can|could|should|shall|do|does|did|will|"
    r"would|am|may|must|has|have|was|were)\b"
    r"|[,;:]\s*(so\s+)?(is|are|can|could|should|do|does|will|would|am)\s+(i|it|my|this|that|"
    r"exercise|walking|\w+ing)\b"
    r"|(^|[,;]\s*)(is it|are they|can i|should i|do i|does it|will it|is there any point)\b"
    r"|\b(safe|ok|okay|alright|normal|bad for|good for|harmful|dangerous)\b\W*$"
    r"|\b(is|are) (that|this|it|they|these) (normal|ok|okay|safe|bad|serious|dangerous|common)\b"
    r"|^\W*(i'?m|i am|im) (so |really |very )?(scared|worried|afraid|frightened|terrified|nervous)"
    r"\b.{0,60}\b(will|might|could|may|would)\b",
    re.I,
)

_AUX_FIRST = re.compile(
    r"^\W*(so\s+)?(is|are|can|could|should|shall|do|does|did|will|would|am|may|must|has|have)"
    r"\s+(i|it|my|we|you|they|this|that|there|a|an|the|mood|exercise|walking|pain|\w+ing)\b",
    re.I,
)

_OPEN_WH = re.compile(r"^\W*(so\s+)?(which|who|where|when)\b", re.I)
_HOW_I = re.compile(
    r"^\W*(so\s+)?how (do|can|should|could|would) (i|we|you|someone|people)\b", re.I
)


def _wh_type(q: str) -> QuestionType:
    """Which/who/where/when questions: "when will ..." asks for a time, and "which exercises
    (then)?" asks what to do; "which exercise is best?" stays open."""
    if re.match(
        r"^\W*(so\s+|and\s+|ok\s+)?which (\w+ )?(exercises?|stretch(es)?|activit(y|ies)|moves?|"
        r"sports?|workouts?)\b(?!.*\b(best|better|worse|safest|or|than)\b)",
        q,
        re.I,
    ):
        return "howto"
    if re.match(
        r"^\W*(so\s+)?when (will|does|do|can)\b.*\b(go away|get better|heal|settle|"
        r"stop|end|feel better|improve|back to)\b",
        q,
        re.I,
    ):
        return "quantity"
    return "other"


# Signs that a sentence answers in the expected way.
# A time: a number (or "a few", "several", "half an") before a time unit, or "within weeks".
_TIME = (
    r"\b(\d+|one|two|three|four|five|six|ten|twelve|fifteen|twenty|thirty|a few|several|"
    r"a couple of|half an?)\b[\s\w-]{0,12}?\b(seconds?|minutes?|hours?|days?|nights?|weeks?|"
    r"months?|years?)\b"
    r"|\b(over|within|after|for|in|about|around|up to|takes?)\s+(a few |several |some |many )?"
    r"(minutes|hours|days|weeks|months|years)\b"
    # "there is no set number of days to rest": the honest answer to "how long" when the
    # time varies (the sentence goes on to say what decides it)
    r"|\bno set (number of (minutes|hours|days|weeks|months)|time|waiting time|length of time)\b"
)
_NUMBER_WITH_UNIT = re.compile(
    _TIME + r"|\b(\d+|one|two|three|four|five|six|ten|twelve|fifteen|twenty|thirty|a few|"
    r"several|a couple of|most|half)\b[\s\w-]{0,12}?\b(per cent|percent|%|out of 10|points|steps|"
    r"sets|repetitions)\b"
    r"|\b(\d+|two|three|four|five|six|seven)\b[\s\w-]{0,12}?\b(times|sessions)\b"
    r"|\b\d+\s*(%|per cent)|\b(every day|each day|each week|a week|a day|per week|per day)\b",
    re.I,
)
_STANCE = re.compile(
    r"^\W*(yes|no|not|usually|often|generally|mostly|most|many|some|it depends|for most|in most|"
    r"rarely|never|always|only|probably|maybe|possibly)\b"
    r"|\b(is|are|can|could|should|do|does|will)( not|n't)?\b.{0,50}\b(safe|fine|helpful|help|"
    r"helps|needed|necessary|a good idea|okay|ok|best|better|recommend|recommended|advise|"
    r"advised)\b"
    r"|\b(is|are) (safe|fine|not|usually|often|rarely|unlikely|likely|normal|common|expected|"
    r"harmless)\b"
    r"|\b(advises?|advised|recommends?|recommended) against\b|\bnot (advised|recommended)\b"
    r"|\b(no need|not need|do not need|don't need|need not|is not needed|are not needed|"
    r"not usually|depends on|can help|can ease|may help|helps|eases|does not|do not|often|usually|"
    r"most|rarely|seldom|generally|commonly|may|might|reasonable|partly|linked|"
    r"not (been )?(shown|found)|both|"
    r"did not|is not|are not|isn't|aren't|doesn't|don't|should|safe)\b"
    # "Stress can turn pain up" answers "can stress make my pain worse?"
    r"|\bcan (turn|make|raise|lower|increase|reduce|cause|trigger|worsen|feed|add to|affect)\b"
    # "Cut back on running for a while rather than stopping" answers "should I stop running?"
    r"|\b(rather than|instead of) (stop|stopping|rest|resting|giving up)\b",
    re.I,
)
_DEFINES = re.compile(
    r"\b(means|mean|is when|are when|refers to|is called|are called|is a name for|describes|"
    r"happens when|is|are|uses|use|puts|comes from|come from|works by)\b",
    re.I,
)
_REASON = re.compile(
    r"\b(because|so that|which means|due to|reason|by|through|ways?|effects?|releases?|changes?"
    r"|helps?|makes?|turns?|causes?|leads? to|works?)\b",
    re.I,
)
_IMPERATIVE = (
    r"(start|begin|try|choose|pick|aim|plan|set|keep|build|add|walk|ask|see|use|take|make|"
    r"find|write|do|go|cut|ease|stay|move|change|carry|rest|stop|lift|protect|raise|put|hold|"
    r"sit|stand|bend|get|talk|call|seek|speak|tell|book|wear|avoid|warm|cool|breathe|pace|"
    r"break|spread|swap|mix|listen|track|note|let|give|check|apply|reduce|increase|slow|skip|"
    r"switch|limit|bring|lie|sleep|drink|eat|return|build up|go back|look|think|expect)"
)
_FIRST_STEP = re.compile(
    r"^\W*(" + _IMPERATIVE[1:-1] + r"|a good (first|start)|the first step|first,?)\b"
    r"|\bstart(ing)? (with|by|at|low|gently|small)\b|\bbegin (with|by)\b"
    # an imperative after a short opening phrase: "During a flare-up, ease back ..."
    r"|^\W*(during|in|after|on|for|when|if|before|at|with|until|once|while|to)\b[^,.]{2,60},\s*"
    + _IMPERATIVE
    + r"\b",
    re.I,
)


_LAST_CLAUSE = re.compile(r"[,.;:!?]\s+(?=\S)")


# "I don't know how much more of this I can take, what else can I try?" asks what to try: a
# "how much" or "how long" inside a statement of not knowing asks for no amount
_UNKNOWN_AMOUNT = re.compile(
    r"\b(?:don'?t|do not|not sure|no idea)(?: know)? how (?:much|long|many)\b[^,.;:!?]*", re.I
)


def question_type(question: str) -> QuestionType:
    """Classify the answer a question asks for (first match wins, most specific first). A
    story followed by the question ("my kneecap hurts, which exercises help?") is classified
    by its last clause when the whole gives no type."""
    rest = _UNKNOWN_AMOUNT.sub(" ", question)
    if rest != question and len(rest.split()) >= 2:
        question = rest
    qtype = _question_type(question)
    if qtype == "other":
        parts = _LAST_CLAUSE.split(question.strip())
        if len(parts) > 1 and len(parts[-1].split()) >= 2:
            return _question_type(parts[-1])
    return qtype


def _question_type(question: str) -> QuestionType:
    q = question.strip()
    if _OPEN_WH.match(q):
        return _wh_type(q)
    if _AUX_FIRST.match(q) and not _COMPARISON.search(q):
        return "yesno"  # "does my mood change how much pain I feel?" wants a yes or no
    if _QUANTITY.search(q):
        return "quantity"
    if _DEFINITION.search(q):
        return "definition"
    if _COMPARISON.search(q):
        return "comparison"
    if _HOWTO.search(q) or (_HOW_I.match(q) and not _QUANTITY.search(q)):
        return "howto"
    if _MECHANISM.search(q):
        return "mechanism"
    if _YESNO.search(q):
        return "yesno"
    return "other"


def gives_type(qtype: QuestionType, sentence: str) -> bool:
    """Whether ``sentence`` gives the kind of answer ``qtype`` asks for."""
    if qtype == "quantity":
        return bool(_NUMBER_WITH_UNIT.search(sentence))
    if qtype == "yesno":
        return bool(_STANCE.search(sentence))
    if qtype == "definition":
        return bool(_DEFINES.search(sentence))
    if qtype == "mechanism":
        return bool(_REASON.search(sentence))
    if qtype == "howto":
        return bool(_FIRST_STEP.search(sentence)) or bool(_STANCE.search(sentence))
    return True


def answer_matches_type(qtype: QuestionType, sentences: list[str]) -> bool:
    """Evaluation check: the answer's lead gives the asked-for kind of answer.

    A quantity may come in the first two sentences (a definition line, then the number); a
    stance, a definition or a first step must be in the first sentence.
    """
    if not sentences:
        return False
    if qtype == "quantity":
        return any(gives_type(qtype, s) for s in sentences[:2])
    return gives_type(qtype, sentences[0])


_PARTS = re.compile(
    r"\?\s*|\s*[,;]?\s+and\s+(?=(what|how|why|when|is|are|can|could|does|do|should|will|would)\b)"
    r"|\s*[.!]\s+(?=(what|how|why|when|is|are|can|could|does|do|should|will|would)\b)",
    re.I,
)


def question_parts(question: str) -> list[tuple[str, QuestionType]]:
    """Each part of a compound question with its type, in order (never empty)."""
    parts = [p.strip() for p in _PARTS.split(question) if p and len(p.split()) > 1]
    return [(p, question_type(p)) for p in parts] or [(question, question_type(question))]


def question_types(question: str) -> list[QuestionType]:
    """Types of each part of a compound question, first part first ("What is X and how long
    does it last?" -> definition, quantity). Never empty."""
    parts = [p for p in _PARTS.split(question) if p and p.strip() and len(p.split()) > 1]
    out: list[QuestionType] = []
    for part in parts or [question]:
        qtype = question_type(part)
        if qtype not in out and (qtype != "other" or not out):
            out.append(qtype)
    if len(out) > 1 and out[0] == "other":
        out = out[1:]
    return out or ["other"]


_ASKS_DURATION = re.compile(r"\bhow (long|soon|quickly)\b|\bwhen (will|does|do|can)\b", re.I)
_DURATION = re.compile(_TIME, re.I)


def asks_duration(question: str) -> bool:
    """Whether the question asks how long or how soon (the answer needs a time)."""
    return bool(_ASKS_DURATION.search(question))


def gives_duration(sentence: str) -> bool:
    """Whether the sentence states a time (minutes, days, weeks ...)."""
    return bool(_DURATION.search(sentence))


_ASKS_FREQUENCY = re.compile(
    r"\bhow (often|frequently)\b|\bhow many (times|days|sessions)\b|\b(times|days) (a|per) week\b",
    re.I,
)
_FREQUENCY = re.compile(
    # "daily tasks" and "daily life" say what, not how often
    r"\b(a|per|each|every) (day|week)\b|\bmost days\b"
    r"|\b(daily|weekly)\b(?! (tasks?|life|lives|activit\w*|living|routines?|jobs?|chores))"
    r"|\b(\d+|one|two|three|four|five|six|seven|several|a few)\b[\s\w-]{0,12}?\b(times|days|"
    r"sessions)\b",
    re.I,
)


def asks_frequency(question: str) -> bool:
    """Whether the question asks how often ("how many days a week ...")."""
    return bool(_ASKS_FREQUENCY.search(question))


def gives_frequency(sentence: str) -> bool:
    """Whether the sentence states how often (a day, a week, most days, 3 times ...)."""
    return bool(_FREQUENCY.search(sentence))
