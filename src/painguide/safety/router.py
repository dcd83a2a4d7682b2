"""The safety router: rules with negation scope and question/report detection, plus semantic
similarity to curated exemplar reports, over the whole conversation.

Example::

    router = SafetyRouter(embeddings)
    result = router.route("I've gone numb between my legs", history=[])
    result.decision.route   # 'emergency'
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from painguide.safety.risk import CLASSES, RiskModel
from painguide.safety.rules import SEVERITY, SafetyData, load_safety_data
from painguide.safety.vectors import TextMemo, VectorCache
from painguide.text import clean_text
from painguide.types import RouteDecision

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import numpy as np

    from painguide.embeddings import SentenceEmbeddings

log = logging.getLogger(__name__)

SAFETY_SCAN_CHARS = 20_000  # longest text the rules read; longer input is cut, never skipped
HISTORY_TURNS = 12  # earlier user turns re-checked for red flags
TURN_CACHE_SIZE = 512  # earlier turns whose normalised sentences and clauses are remembered
# Similarity to an exemplar report needed to escalate, per route; chosen on the project's own
# safety dataset (evals/datasets/safety.jsonl), never on the external material.
SEMANTIC_THRESHOLD: dict[str, float] = {
    "emergency": 0.60,
    "crisis": 0.60,
    "urgent": 0.60,
    "out_of_scope": 0.55,
}
# How much closer to a report than to any benign "asking" exemplar, per route.
SEMANTIC_MARGIN: dict[str, float] = {
    "emergency": 0.10,
    "crisis": 0.10,
    "urgent": 0.10,
    "out_of_scope": 0.15,
}

# real words one typo away from a red-flag word: never "corrected" into it ("I fell off a
# ladder" is not "bladder", "painting the ceiling" is not "fainting", "overdone" not "overdose")
_REAL_WORDS = frozenset(
    {
        "ladder",
        "ladders",
        "painting",
        "painted",
        "conscious",
        "subconscious",
        "overdone",
        "overdoes",
        "asteroids",
        "tinkling",
        "meekness",
    }
)
MASK_WINDOW = 8  # words a negation cue removes before the learned classifier reads a clause
MIN_MASKED_WORDS = 2  # what must remain of a clause once negated spans are removed
_NEW_SUBJECT = frozenset({"i", "i'm", "i've", "i'd", "i'll"})
_AND_BREAK = frozenset({"i", "i'm", "i've", "my", "it", "it's", "now", "then", "he", "she"})
# "I'm not suicidal", "no thoughts of harming myself": a denial, never a crisis for the model
_CRISIS_DENIAL = re.compile(
    r"\b(not|never|no|don't|didn't|haven't|wouldn't|won't|nor|without)\b(?:\s+\w+){0,3}?\s+"
    r"(suicid\w*|self[- ]?harm\w*|(kill|killing|hurt|hurting|harm|harming) my ?self|"
    r"want(ing)? to die|thoughts of (suicide|dying|death|self[- ]?harm|harming|hurting))"
)
# the same, read over a rule's clause: "I never made any suicide threats", "I haven't been
# thinking of ending it"; never "I don't know if I want to die" or "no way out but suicide"
_RULE_DENIAL = re.compile(
    r"\b(not|never|no|don't|didn't|haven't|hasn't|wouldn't|won't|nor|without)\b"
    r"((?:\s+[\w']+){0,3}?)\s+"
    r"(suicid\w*|self[- ]?harm\w*|(kill|killing|hurt|hurting|harm|harming|end|ending) "
    r"(my ?self|it|it all|my life)|want(ing)? to die|thoughts of (suicide|dying|death|"
    r"self[- ]?harm|harming|hurting))"
)
# denying an attempt is not denying the wish ("I don't want to attempt suicide again")
_NOT_A_DENIAL = frozenset(
    (
        "but",
        "except",
        "reason",
        "way",
        "choice",
        "option",
        "point",
        "other",
        "one",
        "know",
        "if",
        "whether",
        "why",
        "care",
        "sure",
        "mind",
        "stop",
        "stopped",
        "quit",
        "help",
        "anymore",
        "longer",
        "than",
        "else",
        "matter",
        "wait",
        "can",
        "can't",
        "see",
        "understand",
        "how",
        "get",
        "attempt",
        "attempted",
        "try",
        "tried",
        "contemplated",
        "commit",
    )
)
# figurative "killing me", "nearly killed myself" after a near miss, "dying to"
_FIGURATIVE = re.compile(
    r"\b(nearly|almost|could have|could've|practically) (killed|kill) my ?self\b|"
    r"\bkill(ing|ed)? my ?self (laughing|with laughter)\b|"
    r"\b(dying|died) (to|for|of (embarrassment|laughter|boredom|shame))\b|"
    r"\b(is|are|was|it's) (killing|murdering) me\b|\bkill(ed)? for (a|some)\b|"
    # hyperbole (safety13): "so hungry I could die", "I could die of embarrassment"
    r"\b(so|that|too) (\w+ ){1,2}i could (just )?(die|kill)\b|"
    r"\b(hungry|starving|tired|exhausted|bored|full|thirsty|hot|cold|embarrassed|happy|excited) "
    r"i could (just )?die\b|"
    r"\bi could (just )?die (of|from|for) "
    r"(embarrassment|shame|laughter|hunger|boredom|happiness)\b|"
    # an injury, not self-harm: "does it mean I hurt myself?", "I cut my finger playing football"
    r"\b(did|have|has|could|might|would|does (it|this|that) mean|do you think|worried|scared|"
    r"afraid|sure|if|whether|think) (that )?i('ve| have)? (hurt|injured|damaged|strained|pulled|"
    r"harmed) my ?self\b|"
    r"\b(hurt|injured|cut|burnt|burned) my ?(self|finger|thumb|hand|foot|knee|leg) "
    r"(\w+ ){0,2}(lifting|playing|running|cooking|chopping|at (the )?(gym|work)|in (a|the) "
    r"(fall|game|match|kitchen|garden)|falling|tripping|working out|training|exercising)|"
    # (safety21) a wound to a hand or foot is an injury to care for ("I cut my hand and it has
    # not closed up"); arms, wrists and thighs stay for the self-harm rules and exemplars
    r"\b(cut|sliced|nicked|gashed) my (hand|finger|thumb|palm|foot|toe|knee|shin|lip|chin)\b|"
    # an itch is a symptom, not self-harm ("I need to scratch my skin every minute")
    r"\b(itch(y|ing|es)?|(need|have) to scratch)\b|"
    # (safety26) cutting down on something: "I'm cutting down on painkillers", "cut back on sugar"
    r"\b(cut|cutting|cuts) (down|back) (on|my|the)\b|"
    # (safety24) death as what the body would not survive, in the conditional or the past ("I
    # would be dead soon, my body could not take it"); "I can't take it anymore" stays a crisis
    r"\bmy (body|heart|lungs?|liver|kidneys?|system) (could ?not|couldn'?t|would ?not|"
    r"wouldn'?t) (take|handle|cope with|survive|stand)\b|"
    # (safety24) other people wish the writer dead or tried to kill them: the writer is the one
    # in danger from others, not wishing to die ("an attempt on my life by ...")
    r"\b(wish(es|ed)?|want(s|ed)?) me dead\b|\battempts? on my life (by|from)\b|"
    # (safety24) "unless you have a death wish": a figure of speech about risky behaviour
    r"\b(unless|if|like) (you|someone|somebody|one|he|she|they|people) (\w+ )?"
    r"(ha(ve|s|d)|got) a death wish\b"
)
# past or family history of suicide or self-harm: answered normally, with a kind note
_CRISIS_TERM = re.compile(
    r"\b(suicid\w*|self[- ]?harm\w*|"
    r"(kill|killed|killing|hanged|hang|shot) (him|her|them|my) ?sel(f|ves)|"
    r"(took|take|taken) (his|her|their|my) (own )?life|overdos\w*|cut(ting)? my ?self|"
    r"tried to (end|kill|take)|attempt(ed)? to (end|kill|take)|"
    # eating-disorder behaviours (safety10): a past of purging or starving gets the same note
    r"(binge\w* and )?purg(e|ed|ing)\b|(make|made|making) my ?self (sick|throw up|vomit)|"
    r"starv(e|ed|ing) my ?self|anorexi\w*|bulimi\w*|eating disorders?)\b"
)
_CRISIS_PAST = re.compile(
    r"\b(years ago|months ago|long time ago|a while ago|last year|in the past|used to|"
    r"when i was (young|younger|little|\d+|a (kid|child|teen\w*|student))|as a (teen\w*|kid|child)|"
    r"history of|(died|passed away|lost (\w+ ){1,3}?)(by|to|from) suicide|committed suicide|"
    r"(^i was|^was|i was|i had been|used to be) suicidal "
    r"(for|in|as|when|back|years|on and off)|suicidal (spell|phase|period)|in times past|"
    # a year or more ago, years of struggle, a failed attempt, a friend's death witnessed
    r"(a|one|two|three|four|five|\d+) years? ago|years of (\w+ )?(suicidal|self[- ]?harm)|"
    r"(failed|failing) to (kill|end) my ?self|"
    # the writer's own story, told to someone going through it now
    r"i was (going|about) to (kill|end)|(i've|i have|ive) been (there|where you are)|"
    r"i was where you (are|were)|(overcome|overcame|got through|came out of|come out of|"
    r"recovered from|survived)\W+(\w+\W+){0,5}?(suicid\w*|self[- ]?harm\w*|attempts?|anorexi\w*|"
    r"bulimi\w*|(an |my )?eating disorder)|"
    r"(tried|attempted) (\w+ ){0,3}(several|many|a few|multiple|two|three) times?|"
    r"(watched|watching|saw|witnessed) (my |a |our )?(\w+ ){0,2}(commit suicide|"
    r"kill (him|her|them)self|take (his|her|their) (own )?life)|"
    r"(thoughts|feelings|urges) (\w+ ){0,3}(had gone|have gone|went|go) away|"
    r"survived (my|a|the|her|his) (suicide )?attempt|"
    # (safety24) someone else's past danger that is over ("two people who were preparing to
    # end their lives ... they are both still with us"), or suicidal "before"
    r"(they|he|she|both|all|who) (\w+ )?(are|is|'re|'s) (both |all )?still (with us|alive|"
    r"around)|"
    r"(has|have|had) (also |once |already )?been suicidal (before|in the past)|"
    # (safety17) an attempt dated by the writer's age ("attempted suicide at the age of 14")
    r"(suicide attempt|attempted suicide|tried to (kill|end) my ?self)\W+(\w+\W+){0,2}?"
    r"(at|when i was|aged?) (the age of )?\d+|(his|her|their|dad's|mum's|mom's) suicide|"
    r"(he|she|they|friend|friends|who's|who has|who had) (\w+ ){0,3}(committed|attempted) "
    r"(to commit )?suicide|(failed|past|previous|old) suicide attempt|"
    r"(my|our|a) (\w+ )?(mum|mom|mother|dad|father|brother|sister|son|daughter|uncle|aunt|"
    r"cousin|friend|grand\w+|partner|husband|wife|classmate|colleague)\W+(?:[\w']+\W+){0,4}?"
    r"(attempted|tried|died|killed|took|hanged|shot|self[- ]?harmed))"
)
# someone else's death by suicide or overdose: grief, even when it happened today
_BEREAVED = re.compile(
    r"\b(lost|loss of|losing) (\w+ ){1,4}?(to|by|from) (suicide|an overdose)|"
    r"(died|death|deaths) (by|from|of) (suicide|an overdose)|"
    r"(he|she|they|friend|brother|sister|son|daughter|dad|father|mum|mom|mother|cousin|uncle|"
    r"aunt|partner|husband|wife|member|classmate|colleague) (\w+ ){0,3}(committed|completed) "
    r"suicide|overdosed? and (was found dead|died)|(his|her|their) (own )?(suicide|overdose)\b"
)
# what still makes it the writer's own crisis: a wish or plan of their own
_CRISIS_INTENT = re.compile(
    r"\b(i want|i wanna|i'm (thinking|going|planning|gonna)|i (will|'ll) (do|join|end|kill)|"
    r"thinking (about|of) (it|doing|ending|killing|dying|joining)|feel like (doing|ending|dying)|"
    r"urges?|tempted|same (thing|way)|join (him|her|them)|want to die)\b"
)
# present intent overrides history: "my brother killed himself and now I want to as well"
_CRISIS_NOW = re.compile(
    r"\b(again|tonight|today|last night|yesterday|this (week|morning)|right now|these days|"
    r"lately|at the moment|wish i had|still (want|think|feel|am|have)|for the (past|last)|"
    r"i want|i wanna|i'm (thinking|going|planning|gonna)|thinking (about|of) (it|doing|ending|"
    r"killing|dying|joining)|feel like (doing|ending|dying)|urges?|tempted|same (thing|way)|"
    # (safety15) the fear that held one back has gone (988: fearlessness about death is a
    # warning sign): "I just used to be too afraid to kill myself"
    r"used to be (too )?(afraid|scared|frightened) (to|of) (kill|end|die|dying|doing it)|"
    r"still (do|does|doing|\w+ing)|every (day|week|night|morning|evening)|"
    # (safety21) minutes or hours ago is now ("my sister took an overdose an hour ago")
    r"(an|one|two|three|a few|a couple of|\d+) (hours?|minutes?|mins?) ago|just now|"
    # (loso28) "just" dates the act to now ("my friend just took an overdose of paracetamol")
    r"just (took|taken|swallowed|downed|overdosed|od'?d|tried|attempted|cut|slit|hanged|"
    r"jumped)|"
    # (safety24) someone suicidal now ("my friend is suicidal, he is still alive but barely")
    r"(is|are|'s|'re) (still |currently |now |really |very )?(suicidal|threatening suicide))\b"
)
# (safety15) a life story told in the past: what sets it back in time, anywhere in the message
# ("when I was 13", "at my lowest", "I recovered", "a few years back"); a bare past tense
# ("I cut myself") is not enough, it may be today
_STORY_PAST = re.compile(
    r"\b(when i was|at (my|the|its|her|his) (worst|lowest)|(at|by|from) (the )?age (of )?\d+|"
    r"(aged?|by age|at) \d+\b|i was (\d+|a (teen\w*|kid|child))|in (high school|middle school|"
    r"secondary school|college|uni|my teens|my twenties|my first year|the past)|back then|"
    r"at the time|in retrospect|recovered|recovering|in recovery|in remission|got better|"
    r"(years|months) (ago|back|later)|last year|a (few|couple of) years|(for|over) (\d+ )?years|"
    r"since (i was|childhood)|(in|back in) (19|20)\d\d|before i (got|started|found|went|joined)|"
    r"i (was|have been|''ve been) (hospitali[sz]ed|in hospital|in treatment|in residential)|"
    r"(a|my|her|his|their) (\w+ ){0,2}(story|history|past)|"
    # (safety24) the writer says they came through it ("I came out of it better than I was")
    r"(came|come|coming) out (of it|the other side)( \w+)? (better|stronger|alive)|"
    r"better than (i was|before|ever)|(i'?m|i am) (in a )?(much |far )?better (place )?now)\b"
)
# what makes a clause the writer's own present: a first-person present or a now-word
_PRESENT_SELF = re.compile(
    r"\b(i'?m|im|i am|i feel|i keep|i still|i can'?t|i cannot|i'?ve|i have|i got|i want|i wanna|"
    r"i need|i will|i'?ll|i'?d|currently|right now|now|today|tonight|these days|lately|"
    r"at the moment|any ?more|again|still|"
    # any present tense: "suicide is the only option left for me" is now, whoever says it
    r"is|are|am|isn'?t|aren'?t|it'?s|that'?s|there'?s|he'?s|she'?s|they'?re|what'?s|do|does|"
    r"don'?t|doesn'?t|can|cannot|will|won'?t|have|has|haven'?t|hasn'?t|want\w*|need\w*|feel\w*|"
    r"keep\w*|wish\w*|seems?|means?|looks?|sounds?|"
    r"i (\w+ )?(struggle|suffer|deal|battle|live|fight|cope|hate|think|hope|pray|try|go|cut|"
    r"purge|starve|binge|restrict|harm|hurt))\b"
)
# a clause told in the past tense (a clause with no verb in the past may be now)
_PAST_VERB = re.compile(
    r"\b(was|were|had|did|didn'?t|used to|\w{3,}ed|tried|felt|thought|went|got|made|took|became|"
    r"began|grew|knew|spent|lost|left|fell|gave|saw|told|said|kept|wrote|came|hit)\b"
)
# (safety19) a present passive is not a past tense ("getting bullied", "being ignored")
_PRESENT_PASSIVE = re.compile(r"\b(getting|being|gets|keep getting) \w+ed\b")
# the writer's own wish or plan now, anywhere in the message (narrower than _CRISIS_NOW: "I
# want to share my story" is not one)
_INTENT_NOW = re.compile(
    r"\b(again|tonight|today|last night|yesterday|this (week|morning)|right now|these days|"
    r"lately|at the moment|wish i had|still (want|think|feel|am|have)|"
    r"i (want|wanna|need|plan|intend) to (die|end|kill|hurt|harm|cut|starve|purge|disappear|"
    r"not (be|exist|wake|live))|i'?m (thinking|going|planning|gonna) (to |about |of )?(die|end|"
    r"kill|hurt|harm|cut|do it|doing it)|thinking (about|of) (it|doing|ending|killing|dying|"
    r"joining)|feel like (doing|ending|dying)|urges?|tempted|same (thing|way)|"
    r"used to be (too )?(afraid|scared|frightened) (to|of)|i still (do|\w+ing)|"
    r"(came|come|coming|are|is|were) back|relaps\w*|recently|"
    r"(an|one|two|three|a few|a couple of|\d+) (hours?|minutes?|mins?) ago|just now|"
    # (loso28) "just" dates the act to now ("my friend just took an overdose of paracetamol")
    r"just (took|taken|swallowed|downed|overdosed|od'?d|tried|attempted|cut|slit|hanged|"
    r"jumped))\b"
)


def told_as_past(unit: str, message: str) -> bool:
    """Crisis words in a clause of a story told in the past, or about someone else's past, with
    nothing current in the message: "I was depressed, suicidal, and cut myself" in a post
    that starts "when I was 13" and says it is over. Such a message gets the normal answer
    with the crisis-line note, not the crisis takeover (safety15)."""
    past = _PAST_VERB.search(_PRESENT_PASSIVE.sub(" ", unit))
    if not past or _PRESENT_SELF.search(unit) or _INTENT_NOW.search(message):
        return False
    return bool(
        _STORY_PAST.search(message) or _CRISIS_PAST.search(message) or _BEREAVED.search(message)
    )


# (safety15) "end it" about a relationship, not a life ("should I end it? how do I decide if I
# should end my relationship"); "my wife left and I want to end it all" still counts
_ENDS_RELATIONSHIP = re.compile(
    r"\b(end|ending|ended|break|breaking|broke) (up )?(\w+ ){0,2}(relationship|marriage|"
    r"engagement|friendship|things with (him|her|them|my (boyfriend|girlfriend|partner|husband|"
    r"wife|bf|gf)))\b|\b(relationship|marriage|engagement|friendship)\b"
)
_LIFE_WORDS = re.compile(r"\b(all|everything|my life|my ?self|for good|forever|tonight|now)\b")
# "going to die" said of someone else, or as a fear in the past ("I thought I was going to
# die"): only "I'm going to die" stays the writer's own
_GOING_SELF = re.compile(r"\b(i'?m|im|i am)\s+(\w+\s+)?$")

# (safety15) a bare crisis word used as a topic inside a long post ("people post pictures of
# self harm, anorexia and suicidal behaviour", "these people aren't committing suicide"):
# counts only when its clause names the writer, or someone whose danger is told as now
_BARE_CRISIS_WORD = re.compile(r"^(suicid\w*|self[- ]?harm\w*|selfharm\w*)$")
_WRITER = re.compile(r"\b(i|i'm|im|i've|ive|i'd|i'll|me|my|myself|mine|we|us|our)\b")
_OTHER_NOW = re.compile(
    r"\b(he|she|they|he's|she's|they're|friend|son|daughter|brother|sister|mum|mom|dad|partner|"
    r"husband|wife|boyfriend|girlfriend|child|kid)\b(\s+\w+){0,3}\s+(is|are|'s|'re|keeps?|"
    r"wants?|talks?|talking|threaten\w*|plans?|planning|thinking|says?)\b"
)
# words that make it a stance or a state, not a topic ("suicide is the only option left")
_STANCE = re.compile(
    r"\b(only|option|answer|way out|solution|plan\w*|think\w*|consider\w*|contemplat\w*|"
    r"attempt\w*|note|tonight|today|soon|going to|gonna|want\w*|wish\w*|urges?|feel\w*|"
    r"thoughts?|ideation|again|now|still|right|best|better|easier|relief|seems?|recent\w*|"
    r"been|am|was|were|being|get|got|getting|felt|become|became)\b"
)
TOPIC_POST_WORDS = 40  # a post this long can name suicide as a topic; a short message cannot


def crisis_word_as_topic(said: str, clause: str, sentence: str, message: str) -> bool:
    """A bare "suicide" or "self-harm" in a clause of a long post that names neither the
    writer nor someone in danger now: the word is a topic, not a report."""
    if not _BARE_CRISIS_WORD.match(said.strip()):
        return False
    if len(re.findall(r"[a-z]+", message)) < TOPIC_POST_WORDS:
        return False
    if len(re.findall(r"[a-z]+", clause)) < 4:
        return False  # "suicide :(" alone is said, not named
    return not (_WRITER.search(sentence) or _OTHER_NOW.search(clause) or _STANCE.search(clause))


# (safety17) a crisis word as one item of a list of conditions or topics ("a network of
# suicide, self-harm, anorexia, etc. blogs", "a sister with depression, anorexia, suicidal
# tendencies"): a topic, unless the writer says it of themselves now just before it ("I'm
# depressed and suicidal") or someone is in danger now (see crisis_word_in_list). A list of
# crisis words alone is not one: "the self harm and suicide thing" is the writer's own, so a
# condition that is not a crisis word must stand near by (LIST_NEAR_CHARS)
_OTHER_CONDITION = (
    r"(depress\w*|anxi\w*|anorexi\w*|bulimi\w*|orthorexi\w*|eating disorders?|ednos|binge "
    r"eating|bipolar|ptsd|ocd|adhd|schizo\w*|psychosis|addiction|drugs?|heroin|alcohol\w*|aids|"
    r"rape|abuse|miscarriage|trauma|mental illness|"
    r"personality disorders?|substance abuse|bullying|vomiting|blood|prostitution)"
)
_CONDITION_ITEM = r"(" + _OTHER_CONDITION + r"|cutting|self[- ]?harm\w*|suicid\w*)"
_OTHER_CONDITION_RE = re.compile(r"\b" + _OTHER_CONDITION + r"\b")
LIST_NEAR_CHARS = 60  # a list's other items sit this close to the crisis word
_LIST_SEP = r"\s*(?:,|/|&|\band\b|\bor\b|\bnor\b|\betc\b\.?)\s*(?:and |or )?"
_LIST_BEFORE = re.compile(_CONDITION_ITEM + r"(?:\s+\w+){0,1}" + _LIST_SEP + r"(?:\w+\s+){0,1}$")
_LIST_AFTER = re.compile(
    r"^\W{0,2}(?:\s*\w+){0,1}" + _LIST_SEP + r"(?:\w+\s+){0,1}" + _CONDITION_ITEM
)
# the writer's own present state just before the list ("i'm depressed and suicidal")
_SELF_NOW_BEFORE = re.compile(
    r"\b(i'?m|im|i am|i feel|i'?m feeling|feeling|i'?ve been|i have been|i get|i still|"
    r"makes? me|i keep|i struggle|i'?m struggling|i suffer)\b"
)
LIST_WINDOW_CHARS = 40  # how far before the list a first-person present verb still governs it


def crisis_word_in_list(said: str, sentence: str, start: int, message: str) -> bool:
    """A bare "suicide", "suicidal" or "self-harm" named as one item of a list of conditions
    in a long post, not said of the writer now and not of someone in danger now (safety17)."""
    if not _BARE_CRISIS_WORD.match(said.strip()):
        return False
    if len(re.findall(r"[a-z]+", message)) < TOPIC_POST_WORDS:
        return False
    end = start + len(said)
    before, after = sentence[:start], sentence[end:]
    if not (_LIST_BEFORE.search(before) or _LIST_AFTER.search(after)):
        return False
    near = before[-LIST_NEAR_CHARS:] + " " + after[:LIST_NEAR_CHARS]
    if not _OTHER_CONDITION_RE.search(near):
        return False
    if _SELF_NOW_BEFORE.search(before[-LIST_WINDOW_CHARS:]):
        return False
    return not _OTHER_NOW.search(_clause_at(sentence, start, end))


# (safety17) what other people say or think of the writer is not the writer's own report
# ("a lot of people tell me that I'm starving myself"); "people think I'm anorexic" was
# already read this way by the eating-disorder rule
_OTHERS_SAY = re.compile(
    r"\b(people|everyone|everybody|others|they|friends|family|relatives|strangers|someone|"
    r"somebody)\b(\s+\w+){0,2}\s+(tell|tells|told|say|says|said|think|thinks|thought|accuse\w*|"
    r"assume\w*|call)\b(\s+me)?"
    # nothing that turns to the writer's own account in between ("but i've been cutting")
    r"(?:(?!\b(?:but|though|although|however|yet|actually|truth is)\b)[^.!?]){0,100}?"
    r"\s(that\s+)?(i'?m|i am|i was|i have been|i'?ve been)\s+"
)
_OTHERS_SAY_END = re.compile(_OTHERS_SAY.pattern + "$")


def others_say_of_writer(unit: str, parent: str) -> bool:
    """The unit is what other people say or think of the writer: its first "I'm" or "I've
    been" in the parent sentence comes straight after a frame such as "people tell me that"
    (safety17)."""
    at = parent.find(unit)
    if at < 0:
        return False
    m = _SELF_IN_UNIT.search(parent, at, at + len(unit))
    return bool(m and _OTHERS_SAY_END.search(parent[: m.end()]))


_SELF_IN_UNIT = re.compile(r"\b(i'?m|i am|i was|i have been|i'?ve been)\s+")


_LIFE_OR_DEATH = re.compile(
    r"\b(point|any ?more|end\w*|die|dying|dead|death|kill\w*|life|living|alive)\b"
)


def crisis_clause_as_topic(unit: str, parent: str, message: str) -> bool:
    """A clause of a long post whose sentence (``parent``) names no writer, and which names
    nobody in danger now and no stance or state (an exemplar match on it is a topic)."""
    if len(re.findall(r"[a-z]+", message)) < TOPIC_POST_WORDS:
        return False
    return not (
        _WRITER.search(parent)
        or _OTHER_NOW.search(unit)
        or _STANCE.search(unit)
        or _LIFE_OR_DEATH.search(unit)
    )


# a past event the person is recovering from, not one happening now ("help my mum get her arm
# moving again after her stroke"); "since his fall this morning" is recent and does not count
_PAST_EVENT = re.compile(
    r"\b(after|since|following|recover\w* from|rehab\w* (after|from)|years? after|months? after)"
    r" (a |an |the |my |his |her |their |our )?(\w+ )?(stroke|heart attack|fall|accident|crash|"
    r"surgery|operation|fracture|injury|bleed|seizure|heart surgery|hip replacement)s?\b"
    r"(?! (this|today|tonight|yesterday|last night|an hour|earlier|just now|minutes))|"
    r"\b(stroke|heart attack|fall|accident|crash|surgery|operation|fracture|injury|seizure)s? "
    r"(\w+ ){0,2}(last (year|month)|(years|months) ago|a (year|month) ago|in (19|20)\d\d)\b"
)
_ACUTE_TIME = re.compile(
    r"\b(today|tonight|this (morning|afternoon|evening)|yesterday|last night|just now|an hour|"
    r"minutes? ago|hours? ago|right now|suddenly|sudden)\b"
)
# asking who can help is not asking for a personal decision ("who should I ask about my pills")
_WHO_TO_ASK = re.compile(
    r"^(who|where|which (doctor|professional|person|clinician|specialist|service))\b"
    r"(\s+\w+){0,3}?\s+(ask|see|talk|speak|go|turn|contact|call|book|help|advise)\b"
)
# a red flag that has lasted, or happened, months or years ago ("chest pains for 4 years",
# "a car accident last year"): not an acute report for the rules marked `acute` in rules.yaml
_NUM = (
    r"(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|several|many|a few|few|a couple of|couple of)"
)
_LONG_STANDING = re.compile(
    r"\b(for|over|in|during|past|last|almost|nearly|about|around|since)\b"
    r"(\s+(the|about|almost|nearly|over|past|last|more than|at least|around|like))*\s+"
    rf"{_NUM}(\s*(-|to|or)\s*{_NUM})?\s*\+?\s*(months|years?|yrs?)\b|"
    r"\bfor (months|years|ages|decades|a long time|a year|over a year|more than a year)\b|"
    rf"\b{_NUM}\s+(months|years|yrs)\s+(ago|back|now|later)\b|"
    r"\b(a|one|1) (year|yr) (ago|back)\b|\blast year\b|\b(since|in|back in) (19|20)\d\d\b|"
    r"\bsince (childhood|birth|my teens|(i|he|she) was (a |little|young|\d+))|"
    r"\b(all|most of) (my|his|her) life\b|\byears (of|now)\b|"
    # "sciatica in both legs years ago, long gone", "a fever last month"
    r"\b(years|months) ago\b|\blast month\b|\blong gone\b|"
    # (safety16) "fainted 3 times in a 3 year span", "over a two-year period"
    rf"\b(a |an )?{_NUM}[- ](year|month)s? (span|period|stretch)\b|"
    # "for about a year now", "for over a year"
    r"\bfor (about|around|almost|nearly|over|more than|at least|roughly) (a|one) (year|yr)\b|"
    # (lead24) a month or more is not a sign that has just started ("vomiting for a month")
    r"\bfor (about |around |almost |nearly |over |more than |at least |roughly )?(a|one) month\b"
)
# something new or current in the message: the long-standing reading no longer holds
_ACUTE_CUE = re.compile(
    r"\b(today|tonight|this (morning|afternoon|evening|week)|yesterday|last (night|week)|"
    # (lead24) not a treatment already in hand ("currently managing my symptoms with X"), a
    # new job or home, or a pattern ("it gets worse with certain foods"): worse means worsening
    r"just now|right now|at the moment|suddenly|sudden|newly|started|starting|"
    r"currently(?! (managing|taking|on|using|prescribed|treated|being treated|seeing|under))|"
    r"new(?! (job|role|organi[sz]ation|company|employer|office|workplace|house|home|flat|"
    r"apartment|city|town|country|school|college|university|class|team|boss|partner|"
    r"boyfriend|girlfriend|car|bed|mattress|pillow|chair|desk|shoes|phone|doctor|gp|year))|"
    r"(getting|got|gotten|grown|growing|becoming|became|much|far|way|even|a lot|lot|"
    r"and) worse|worse (and worse|today|now|tonight|since|than (ever|before|yesterday|usual))|"
    # "since then" follows an event whose time the message gives elsewhere, or not at all
    r"worsening|since (yesterday|this|last)|"
    # (safety16) not an amount of sleep or a daily habit ("no more than 5 hours of sleep")
    r"(an|one|\d+|a few|few|couple of|two|three) (hours?|minutes?|days?)"
    r"(?! (of sleep|sleep|a (day|night)|per (day|night)|each (day|night)))|"
    # "my back is fine now" says it is over, not that something is happening
    r"(?<!years )(?<!months )(?<! a year )(?<! one year )(?<!while )(?<!fine )(?<!better )"
    r"(?<!okay )(?<!ok )(?<!gone )"
    r"now(?! and (then|again)))\b"
)
# the clause a red flag is in, for the long-standing check ("back pain for years and my face
# is drooping" keeps the drooping face)
_SCOPE_BREAK = re.compile(
    r",|;|\s[-–]\s|\s(?:but|and|so|because|although|though|while|whereas|then|plus)\s"
)


_ON_AND_OFF = re.compile(r"\b(on and off|off and on)\b")


def _joined(m: re.Match[str]) -> str:
    """ "on and off" as one word of the same length (offsets stay valid)."""
    return m.group(0).replace(" ", "_")


_QUERY_MARK = re.compile(r"(^|[\s,(/:;-])\?(?=[a-z])")
_SPLIT_NOT = re.compile(r"\b([a-z]+) n't\b")
# (safety19) where a post's title runs into its body: a lower-case word, a space, then a word
# that only opens a sentence ("regularly When I was", "Feeling just about Done My wife")
_TITLE_RUN_ON = re.compile(
    r"(?<=[a-z]) (?=(When|My|Hi|Hello|Hey|Since|After|Yesterday|Today|Lately|Recently|"
    r"Sorry|Warning|So|It|This|Every) )"
)


def _same_words(norm: str, raw: str) -> bool:
    """Whether normalising changed only case, quotes and spacing (the embedding model is
    uncased, so the vector of one is the vector of the other)."""
    plain = raw.lower().replace("\u2019", "'").replace("\u2018", "'")
    return "".join(norm.split()) == "".join(plain.split())


def _rejoin_not(m: re.Match[str]) -> str:
    """A contraction split by a transcriber, joined again ("ca n't" -> "can't")."""
    stem = {"ca": "can", "wo": "won", "sha": "shan"}.get(m.group(1), m.group(1))
    return f"{stem}'t" if stem in {"can", "won", "shan"} else f"{stem}n't"


def _clause_at(sentence: str, start: int, end: int) -> str:
    """The clause of ``sentence`` holding the span start..end."""
    left, right = 0, len(sentence)
    for m in _SCOPE_BREAK.finditer(_ON_AND_OFF.sub(_joined, sentence)):
        if m.end() <= start:
            left = max(left, m.end())
        elif m.start() >= end:
            right = min(right, m.start())
    return sentence[left:right]


# the person's usual pattern ("my back aches after gardening like it always has", "stiff as
# usual"): the NICE CKS back-pain red flags for age concern NEW pain, so a usual ache in a
# message with nothing new or current is not read by the classifier (the rules still are)
_USUAL_PATTERN = re.compile(
    r"\b(like|as) (it|they|this|that) (always|usually) (has|have|does|do|did)\b|"
    r"\b(as|like) (always|usual)\b|\bsame as (always|usual|ever)\b"
)


def usual_pattern(message: str) -> bool:
    """The message calls its complaint the person's usual pattern and says nothing is new."""
    return bool(_USUAL_PATTERN.search(message)) and not _ACUTE_CUE.search(message)


# (safety16) rules about an event that caused the complaint (a crash, a fall from height): the
# message's own timing tells when it happened ("I've had back trouble for 12 months. I hurt it
# falling off a horse"), so a long-standing phrase anywhere in a message with nothing new or
# current in it makes the event old, not only one in the event's own clause. NICE and NHS treat
# the high-energy injury as the red flag at the time, not a year later.
_TIMED_BY_MESSAGE = frozenset({"major_trauma"})
# pain that has become the person's usual state since an injury ("I'm always in pain since")
_CHRONIC = re.compile(
    r"\b(always|ever since|since then|since that (day|time)|constantly|chronic|all the time|"
    r"on and off|comes and goes|"
    r"every (day|morning|night)|for (weeks|ages))\b"
)


def long_standing(clause: str, message: str) -> bool:
    """A clause that says its sign has lasted or happened months or years ago, in a message
    with nothing new or current in it."""
    return bool(_LONG_STANDING.search(clause)) and not _ACUTE_CUE.search(message)


# the sign has already been checked by a doctor or a test ("frequent chest pain, echo and ECG
# all normal", "went to the ER on Tuesday because I was coughing up blood"): a question about
# an assessed complaint, not a new report, when nothing in the message is new or current
_ASSESSED = re.compile(
    r"\b((tests?|results?|ecg|ekg|echo|x-?rays?|scans?|ct|mri|bloods?|blood ?work|bronchoscopy|"
    # (safety20) brain and nerve tests, and "shows no problem"
    r"eeg|emg|nerve (conduction )?(tests?|study|studies)|"
    r"investigations?|work-?up|checks?)( \w+){0,4}? (all |both |came back |come back |were |are |"
    r"was |is |look |looked |shows? |showed )?(normal|fine|clear|negative|ok|okay|good|"
    r"no (problems?|abnormalit\w*|broken bones?|fractures?|breaks?))|"
    r"\ball (normal|ok|okay|clear|fine|negative)\b|tests? negative|"
    r"(went|been|gone) to (the )?(er|a&e|hospital|emergency( room| department)?|doctors?|gp|"
    r"cardiologist|clinic)(?! (now|today|tonight|this))|"
    r"(doctors?|physicians?|gp|cardiologists?|specialists?) (\w+ ){0,3}?(found nothing|cannot|"
    r"can't|can not|couldn't|don't know|doesn't know|do not know|are not sure|not sure|"
    r"(said|says|told me) (that )?(it's|it is|it was|there's|there is|there was) (nothing|fine|"
    r"normal|ok|okay|not|just|only|anxiety))|"
    r"not cardiac|(had|did|done|ran|run) (several |many |a few |all |some |lots of |the )?"
    r"(\w+ )?(tests?|ecgs?|ekgs?|echos?|scans?|investigations)|"
    # (lead24) a doctor seen for it, or a treatment for it: "I had a severe chest pain and
    # visited a gastroenterologist", "I've been taking propranolol for the chest pains" (a
    # test that SHOWED something is not reassurance: "the scan showed an empty womb")
    r"no (significant |major |obvious )?(issues?|problems?|abnormalit\w*|cause) (were |was )?"
    r"(identified|found|seen|detected)|(being )?treated by (a |an |the |my |his |her )?(\w+ )?"
    r"(doctors?|gp|\w*ologist|specialist|consultant)|"
    r"(visited|saw|seen|consulted) (a |an |the |my |our |his |her )?(\w+ )?(doctors?|gp|"
    r"physician|specialist|consultant|\w*ologist|surgeon)|"
    r"(taking|been on|prescribed|was given|were given|put on|treated with) [\w-]+ "
    r"(\w+ ){0,2}for (the |my |his |her |this )|managing (my |his |her |the )?symptoms with)"
)


# (loso28) a check that did not settle it: the sign goes on and the people who saw it cannot
# stop it ("been to the hospital 3 times, they can't get it to stop"). Not reassurance.
_UNRESOLVED = re.compile(
    r"\b(can'?t|cannot|can not|couldn'?t|could not|unable to) (get|make) (it|them|this|that|"
    r"the \w+) (to )?(stop|go away|settle|calm down|come down)\b"
    r"|\b(it|bleeding|pain|vomiting|blood)( \w+)? (won'?t|will not|doesn'?t|does not) stop\b"
)


def assessed(sentence: str, message: str) -> bool:
    """The sentence says its sign has been checked already, and nothing in the message is new
    or current (or says the sign goes on unrelieved)."""
    return (
        bool(_ASSESSED.search(sentence))
        and not _ACUTE_CUE.search(message)
        and not _UNRESOLVED.search(message)
    )


# (safety22) the chest, breathing and fainting rules read a sign that is happening now. Three
# ways a message names such a sign without reporting it now (issue 12, false escalation):
# - breathing difficulty told as occasional or tied to a situation ("I have difficulty
#   breathing in crowded places", "sometimes I have to stop and catch my breath"): NHS
#   "Shortness of breath" sends breathlessness that comes and goes to a GP; 999 is for
#   breathlessness that is sudden, severe or with chest pain or blue lips (other patterns);
# - an alcohol "blackout" is memory loss while drinking (NHS alcohol misuse), not fainting;
# - a medicine's side-effect list ("side effects include headache, chest pain ...") is
#   information, unless the person says they are having them.
# And a check already done: the day of the check ("yesterday I had an ECG for chest pain, my
# doctor said my heart is fine") times the check, it is not a new sign.
_NOW_SIGNS_RULES = frozenset({"cardiac_during_exercise", "collapse_or_breathing"})
_BREATHING_SIGN = re.compile(r"breath|air\b")
_OCCASIONAL = re.compile(
    r"\b(sometimes|at times|from time to time|occasionally|now and then|every so often|"
    r"once in a while|in crowded (places|rooms|spaces)|in crowds|whenever|"
    r"when(ever)? (i|i'm|i am|she|she's|he|he's|they) (\w+ )?(get|gets|am|is|are|feel|feels) "
    r"(\w+ )?(anxious|stressed|nervous|panicky|upset)|during (my |her |his )?panic attacks?)\b"
)
_BLACKOUT = re.compile(r"\bblack(ed|ing|s)? ?out\b|\bblackouts?\b")
_DRINKING = re.compile(
    r"\b(drink\w*|drank|drunk|alcohol\w*|booze|beers?|vodka|wine|liquor|shots)\b"
)
_SIDE_EFFECT_LIST = re.compile(
    r"\bside[- ]?effects? (\w+ ){0,3}?(include|including|are|such as|like|list\w*|:)"
)
_HAVING_THEM = re.compile(
    r"\b(i'?m|i am|i'?ve been|he'?s|she'?s|is|am) (having|getting|experiencing)\b|"
    r"\bi (have|got|get|had|felt|feel)\b"
)
_CHECK_TIMING = re.compile(
    r"\b(today|yesterday|last (night|week)|this (morning|afternoon|evening|week)|"
    r"(an|one|\d+|a few|few|couple of|two|three) (hours?|days?) ago)\b"
)
_BREATHING_PLUS = re.compile(
    r"\b(stairs|steps|walk\w*|climb\w*|little effort|small effort|slightest|lying (down|flat)|"
    r"at rest|resting|talk\w*|blue|grey|gray|purple|chest|heart|jaw|faint\w*|pass(ed)? out|"
    r"collaps\w*|dizz\w*|sweat\w*|clammy)\b"
)


_CHECK_CLAUSES = re.compile(r"[.!?]\s+|" + _SCOPE_BREAK.pattern)


def _untimed_checks(message: str) -> list[str]:
    """The message's clauses, with the day words removed from a clause that tells a check
    ("yesterday, I had an ECG for chest pain": the day word may stand alone before it)."""
    clauses = _CHECK_CLAUSES.split(message)
    for i, clause in enumerate(clauses):
        if _ASSESSED.search(clause):
            clauses[i] = _CHECK_TIMING.sub(" ", clause)
            if i and not _CHECK_TIMING.sub("", clauses[i - 1]).strip():
                clauses[i - 1] = ""
    return clauses


def occasional_breathing(sentence: str, message: str) -> bool:
    """(safety22) Breathing difficulty told as occasional or tied to a situation, not on small
    effort ("breathless on the stairs" stays a same-day sign) and with no chest, heart or
    fainting sign ("sometimes a claw on my chest leaves me breathless" stays), with nothing new
    or current in the message."""
    return bool(
        _BREATHING_SIGN.search(sentence)
        and _OCCASIONAL.search(sentence)
        and not _BREATHING_PLUS.search(sentence)
        and not _ACUTE_CUE.search(message)
    )


def not_current_sign(sentence: str, start: int, end: int, message: str) -> bool:
    """(safety22) A chest, breathing or fainting sign in a sentence that does not report it
    happening now: occasional breathlessness, an alcohol blackout, a side-effect list, or a
    complaint already checked whose only timing word is the day of the check."""
    said = sentence[start:end]
    if _BREATHING_SIGN.search(said) and occasional_breathing(sentence, message):
        return True
    if _BLACKOUT.search(said) and _DRINKING.search(sentence):
        return True
    before = sentence[:start]
    side = _SIDE_EFFECT_LIST.search(before)
    if (
        side
        and not _HAVING_THEM.search(before[side.end() :])
        and not _HAVING_THEM.search(before[: side.start()])
    ):
        return True
    if _ASSESSED.search(sentence):
        # the day words in the clause that tells the check time the check; any other cue in
        # the message still counts ("had an ECG yesterday, but today the pain is crushing")
        return not _ACUTE_CUE.search(" ".join(_untimed_checks(message)))
    return False


# (lead24) someone's death from a cause names the cause, not a sign now ("my aunt died of
# septic poisoning", "my dad died of a heart attack")
_DIED_OF = re.compile(
    r"\b(died|dies|passed away|death|deaths|killed) (of|from|due to|after) (an? |the )?"
    r"(\w+ ){0,2}$"
)
# (lead24) a sentence that tells a death ("my grandfather passed away at hospital, he choked
# on food"): the signs in it are the story of that death, not something to act on now
_DIED = re.compile(r"\b(passed away|died|has died|had died)\b")


def died_in(sentence: str) -> bool:
    """The sentence tells of a death, with nothing in it that is happening now."""
    return bool(_DIED.search(sentence)) and not _ACUTE_CUE.search(sentence)


# (lead24) a temperature the person measured: a fever is 38 C (100.4 F) or more (NHS)
_TEMP_READING = re.compile(
    r"\b(?:temperature|temp|fever|reading|thermometer)\D{0,25}?(\d{2,3}(?:[.,]\d+)?)|"
    r"\b(\d{2,3}(?:[.,]\d+)?) ?(?:°|degrees?|deg)? ?(?:f|c|fahrenheit|celsius)?\W{0,3}"
    r"(?:fever|temperature|temp)\b"
)

# "a low grade fever", "a slight temperature": below a fever by the words used (NHS: a high
# temperature is the sign), unless a reading of 38 C / 100.4 F or more is given
_LOW_GRADE = re.compile(
    r"\b(low[- ]grade|mild|mildly|slight|slightly|small|little|very low|low) (\w+ )?$"
)
# what makes even a low temperature a reason to be seen (NHS, NICE NG143/NG51): signs of
# dehydration, vomiting, drowsiness or confusion, a stiff neck or rash, breathing trouble, a
# weak immune system, pregnancy, a baby
_FEVER_PLUS = re.compile(
    r"\b((dark|less|little|no) (urine|pee|wee)|not (peed|weed)|dehydrat\w*|vomit\w*|"
    r"being sick|confus\w*|drows\w*|floppy|stiff neck|rash|breath\w*|immun\w*|chemo\w*|"
    r"pregnan\w*|baby|newborn|infant|\d+ ?(weeks?|months?) old)\b"
)
_HIGH_READING = re.compile(
    r"\b(3[89]|4[0-2])[.,]\d\b|\b(3[89]|4[0-2])\b ?(c\b|°|degrees)|\b10[0-6][.,]\d|\b10[1-6]\b"
)
# (lead24) seizures the person already knows and has treatment for, or asks about as they come
# and go ("I get unconscious due to fits", "is phenytoin the right treatment"), are not a
# seizure happening now; a first seizure, one that will not stop, or one now still is (NHS
# epilepsy: call 999 for a first seizure or one lasting more than 5 minutes)
_SEIZURE_WORD = re.compile(r"\b(seizures?|fits?|fitting|convuls\w*|unconscious)\b")
_SEIZURE_KNOWN = re.compile(
    r"\b(sometimes|occasionally|at times|from time to time|every (few|couple)|i get|he gets|"
    r"she gets|they get|epilep\w*|anti-?(convulsant|epileptic)s?|keppra|levetiracetam|"
    r"phenytoin|eptoin|carbamazepine|tegretol|valproate|epilim|lamotrigine|treatment|"
    r"medication|(do|does) you think|could (it|this|they) be)\b"
)
_SEIZURE_NOW = re.compile(
    r"\b(won'?t stop|will not stop|not stopping|still (fitting|having|seizing)|first (ever )?"
    r"(seizure|fit)|more than (5|five) minutes|blue|not breathing|right now|just now|"
    r"happening now|won'?t wake|can'?t wake|(over|longer than|> ?) ?(5|five) ?min\w*|"
    r"status epilepticus|back to back|one after another)\b"
)


def known_seizures(said: str, message: str) -> bool:
    """A seizure word told as a known, treated or occasional problem, with nothing about a
    seizure going on now."""
    return bool(
        _SEIZURE_WORD.search(said)
        and _SEIZURE_KNOWN.search(message)
        and not _SEIZURE_NOW.search(message)
    )


# a reading with a decimal in the range of body temperature, in Celsius or Fahrenheit
_DECIMAL_TEMP = re.compile(r"\b(3[5-9]|4[0-4]|9[5-9]|10[0-9])[.,]\d\b")
_NUMBER = re.compile(r"\b\d{2,3}(?:[.,]\d+)?\b")
_DEGREES = re.compile(
    r"\b(\d{2,3}(?:[.,]\d+)?) ?(?:°|degrees?\b|deg\b|fahrenheit\b|celsius\b|f\b|c\b)"
)


def normal_temperature(message: str) -> bool:
    """The message gives a measured temperature, and every one it gives is below a fever
    (38 C / 100.4 F): "my wife's temperature is 99.5", "I have 98.3 fever"."""
    seen_normal = False
    found = [m.group(1) or m.group(2) for m in _TEMP_READING.finditer(message)]
    for m in re.finditer(r"\b(fever|temp|temperature|thermometer|reading)\b", message):
        found += _NUMBER.findall(message[m.end() : m.end() + 60])  # "fever (100 to 103)"
    found += [m.group(1) for m in _DEGREES.finditer(message)]
    if found or re.search(r"\b(fever|temp|temperature)\b", message):
        found += [m.group(0) for m in _DECIMAL_TEMP.finditer(message)]
    for said in found:
        v = float(said.replace(",", "."))
        if 35 <= v < 38 or 95 <= v < 100.4:
            seen_normal = True
        elif 38 <= v < 45 or 100.4 <= v < 110:
            return False
    return seen_normal


CRISIS_CARRY_TURNS = 3  # user turns a crisis in an earlier turn takes over; then a kind note
CRISIS_NEGATION_WINDOW = 2  # "I'm not suicidal" negates; "if it doesn't work I'll end it" not
_QUESTION_FORM = re.compile(
    r"^(what|what's|whats|how|why|when|which|where|who|is|are|can(?!'t)|could|does|do|should|would|"
    r"will)\b|\?\s*$"
)
_QUESTION_START = re.compile(
    r"^(what|what's|whats|how|why|when|which|where|who|is|are|can(?!'t)|could|does|do|should|would|"
    r"will)\b"
)
_REASSURED = re.compile(
    r"\b(is|are|feels?|seems?|all) (fine|normal|ok|okay|good)\b|\bno problems?\b"
    # a sign that has settled is a report of getting better ("the swelling has gone", "it's
    # stopped bleeding now"); not numbness, weakness or speech, whose passing still needs help
    # the same day (NHS: a mini-stroke)
    r"|\b(swelling|bleeding|redness|bruising|rash|pain|ache|spasm)\b.{0,25}"
    r"\b(has|have|had|is|'s|was) (now )?(gone|gone down|stopped|settled|eased|cleared|healed)\b"
    r"|\b(stopped|finished) bleeding\b"
)
# Pain in one leg, told only by where it hurts or spreads ("pain down the back of my leg"), is
# the everyday sciatica question. NICE CKS (sciatica) and NHS (sciatica, DVT) list what makes
# leg pain a red flag: both legs, numbness, weakness or giving way, bladder or bowel change,
# swelling, redness or heat, breathlessness or chest pain, an injury, or a sudden or severe
# onset. A clause with none of these is not read by the classifier (rules still apply).
_LEG_PAIN_ONLY = re.compile(
    r"\b(leg|thigh|hamstring|buttock|bum|hip|knee|shin|ankle|foot|feet|heel|toes?)\b.{0,40}\b(hurts?|hurting|pain|painful|aches?|"
    r"aching|sore|sciatica)\b|\b(hurts?|hurting|pain|painful|aches?|aching|sore|shoots?|shooting|goes|"
    r"runs?|radiates?|sciatica|sciatic)\b.{0,40}\b(leg|thigh|hamstring)\b|"
    # (safety18) the pain told by "it", or a clause that only says where it goes: "it went down
    # my left leg" (dv-aci-65), "... and down one leg after a long drive" is one-sided sciatica,
    # which NHS and NICE NG59 treat as everyday unless a red-flag feature comes with it
    r"(\b(it|pain|ache)\b.{0,12}\b(went|goes|going|travel\w*|moved|moves|runs?|running) |^(and )?)"
    r"(down|into|through) (my |his |her |the )?(left |right |one )?(leg|thigh|hamstring|calf)\b"
)
_LEG_RED_FLAG = re.compile(
    r"\b(both|legs|numb\w*|tingl\w*|pins and needles|weak\w*|gave way|give way|giving way|"
    r"drag\w*|slap\w*|trip\w*|catch\w*|lift|floppy|drop\w*|"
    r"buckl\w*|bladder|bowel|pee|wee|urin\w*|toilet|poo|saddle|genital\w*|wipe|swell\w*|swollen|"
    r"red|redness|hot|warm|heat|purple|blue|pale|cold|breath\w*|chest|cough\w*|fever\w*|"
    r"temperature|sweat\w*|fell|fall\w*|crash\w*|accident|hit|broke\w*|broken|snap\w*|pop\w*|"
    r"sudden\w*|severe|worst|agony|excruciating|unbearable|screaming|can'?t|cannot|unable|"
    r"won'?t|paralys\w*|spread\w*|worse\w*|cancer|tumou?r|pregnan\w*|blood|clot\w*|dvt|"
    r"flight|surgery|operation|cast|night|weight loss|drip|diabet\w*)\b"
)


def plain_one_leg_pain(unit: str) -> bool:
    """A clause that only says one leg hurts or where the pain goes, with no red-flag feature."""
    return bool(_LEG_PAIN_ONLY.search(unit)) and not _LEG_RED_FLAG.search(unit)


# A back that "went" or started hurting suddenly, told with nothing else, is the everyday acute
# back pain of NHS and NICE NG59 (a twinge, a spasm when bending or sneezing). What makes it a red
# flag is the same list as for leg pain above (numbness, weakness, bladder or bowel change, a
# fall or crash, fever, chest pain, severe or tearing pain...), apart from suddenness itself.
_SUDDEN_BACK = re.compile(
    r"\b(back|lower back|low back|spine|lumbago)\b.{0,30}"
    r"\b(sudden\w*|went|gone|goes|out of nowhere)\b"
    r"|\b(sudden\w*|out of nowhere)\b.{0,40}\b(back|lower back|spine|lumbago)\b"
)
_BACK_RED_FLAG = re.compile(_LEG_RED_FLAG.pattern.replace("sudden\\w*|", ""))


def plain_sudden_back_pain(unit: str) -> bool:
    """A clause that only says the back went or began hurting suddenly, with no red-flag
    feature besides the suddenness."""
    return bool(_SUDDEN_BACK.search(unit)) and not _BACK_RED_FLAG.search(unit)


# "Stroke" in a sport ("which swimming stroke is best for a bad back", "my golf stroke") is a
# movement, not a brain stroke. Such a clause is not read by the classifier or by exemplar
# similarity unless it also names a stroke sign (NHS FAST: face, arms, speech; sudden
# numbness, weakness, confusion or loss of vision). The stroke rules still apply.
_SPORT_STROKE = re.compile(
    r"\b(swim\w*|swum|pool|crawl|freestyle|breast ?stroke|back ?stroke|butterfly|row(ing|er)?|"
    r"golf\w*|tennis|paddl\w*|kayak\w*|canoe\w*|strokes? (technique|style))\b"
)
_STROKE_SIGN = re.compile(
    r"\b(face|facial|speech|speak\w*|talk\w*|slurr\w*|words|droop\w*|numb\w*|weak\w*|one side|"
    r"arm|arms|vision|see|sight|confus\w*|sudden\w*|dizz\w*|mini[- ]?stroke|tia|"
    r"(having|had|have|think) (a |an )?(\w+ )?stroke)\b"
)


def sport_stroke(unit: str) -> bool:
    """A clause where "stroke" is a swimming, rowing or golf stroke, with no stroke sign."""
    return "stroke" in unit and bool(_SPORT_STROKE.search(unit)) and not _STROKE_SIGN.search(unit)


# Chest muscles that ache or feel tight after a chest workout (bench press, push-ups) are sore
# muscles: NHS chest pain advice says pain that is worse when you move or press on the chest is
# often a strained muscle. Such a clause is not read by the classifier or exemplar similarity
# unless it names a heart sign (breathless, sweaty, sick, dizzy, spreading to the arm, jaw or
# back, pressure or squeezing, or pain during the exercise); the chest-pain rules still apply.
_CHEST_WORKOUT = re.compile(
    r"\b(bench(ing)?( press)?|push[- ]?ups?|press[- ]?ups?|chest (press|day|fly|flyes|flies|"
    r"workout|exercises?)|pec (deck|fly)|flyes|dips)\b"
)
_CHEST_SORE = re.compile(
    r"\b(chest|pecs?|pectorals?)( muscles?)? (\w+ )?(is |are |feels? |felt )?"
    r"(tight|sore|aching|achy|ache|aches|stiff|tender|pulled|strained)\b"
)
_HEART_SIGN = re.compile(
    r"\b(breath\w*|sweat\w*|clammy|sick|nause\w*|dizz\w*|faint\w*|light[- ]?headed|"
    r"arm|arms|jaw|neck|spread\w*|radiat\w*|pressure|squeez\w*|crush\w*|heaviness|"
    r"(feels?|felt|is|was|gone|went|and) heavy|heavy (feeling|weight)|"
    r"during|while|palpitat\w*|racing|pound\w*|collaps\w*|worst)\b"
)
# A joint or muscle that feels warm after exercise is blood flow, not an infected or
# inflamed joint (NHS: hot and swollen, red, or with a fever), unless it names such a sign.
_WARM_AFTER_EXERCISE = re.compile(
    r"\b(warm|hot)\b.{0,30}\b(after|from|since) (my |a |the |this )?(\w+ )?(run|running|jog\w*|"
    r"walk\w*|workout|exercis\w*|gym|training|session|game|match|ride|cycle|cycling|swim|class)\b"
)
_JOINT_SIGN = re.compile(
    r"\b(swell\w*|swollen|puff\w*|red\w*|fever\w*|temperature|shiver\w*|chills?|pus|oozing|"
    r"can'?t (bend|move|walk|stand|put)|cannot (bend|move|walk|stand|put)|bite|bitten|streak\w*|"
    r"spreading|calf|calves)\b"
)


def chest_workout_soreness(unit: str) -> bool:
    """A clause about chest muscles sore or tight after a chest workout, with no heart sign."""
    return bool(
        _CHEST_WORKOUT.search(unit) and _CHEST_SORE.search(unit) and not _HEART_SIGN.search(unit)
    )


def warm_after_exercise(unit: str) -> bool:
    """A clause saying a body part feels warm after exercise, with no joint or clot sign."""
    return bool(_WARM_AFTER_EXERCISE.search(unit)) and not _JOINT_SIGN.search(unit)


MIN_CLAUSE_WORDS = 3  # shorter clauses carry too little meaning to compare
MIN_QUESTION_WORDS = 4  # what must remain of a message once injected instructions are removed
# bracketed or HTML-comment text, where injected instructions like to hide
_WRAPPED = re.compile(r"\[[^\]]{0,400}\]|<!--.{0,400}?-->|\{[^}]{0,400}\}|<[^>]{0,400}>", re.S)
MAX_UNITS = 24  # sentences + clauses embedded per message (bounds the cost of long input)
_CLAUSE = re.compile(r",|\s-\s|\s(?:but|and then|and now|and|so|because|since|though)\s")
# "dose" typed for "does": after a question word or pronoun, or before a subject, it is the verb
# ("why dose exercise help", "dose it hurt"); "what dose should I take" keeps its noun.
_DOSE_FOR_DOES = re.compile(
    r"\b(why|how|where|who|it|that|this|he|she|so)\s+dose\b(?=\s+(?!of\b|should\b|do\b|is\b))"
    r"|^(\s*)dose(?=\s+(it|this|that|my|your|the|a|an|exercise|walking|stretching|\w+ing)\b)"
)
# (safety16) "fell" typed for "feel": a subject, then "fell", then what a person feels ("I fell
# a stiffness in my elbows", "I fell so tired"), never a fall ("I fell on the ice", "fell off",
# "fell asleep", "I fell and hurt my back")
_FELL_FOR_FEEL = re.compile(
    r"\b(i|i still|i always|i often|i sometimes|i also|i just|you|we|they)\s+fell\s+"
    r"(?=(a|an|some|kind of|sort of|tired|weak|dizzy|sick|nauseous|stiff\w*|numb\w*|"
    r"tingl\w*|pressure|tight\w*|sore|achy|better|worse|fine|okay|sad|anxious|heavy|pins)\b)"
    r"(?!(a|an|some) (\w+ )?(ladder|step|steps|stair|stairs|floor|distance|metres?|meters?|feet|"
    r"foot|few|couple|flight|storey|story|height|way|lot|bit|tree|wall|roof|horse|bike|hour|"
    r"hours|day|days|week|weeks|month|months|year|years|time|times|minute|minutes|while|second)"
    r"\b)"
)
# (safety27) a stroke that is no illness: luck, genius, a pen, a clock, a swimmer's or rower's
# stroke ("I just had a stroke of luck", "my breast stroke is off"). Read as "turn": the stroke
# rules never see it.
_IDIOM_STROKE = re.compile(
    r"\bstrokes? of (luck|good luck|bad luck|fortune|good fortune|misfortune|genius|brilliance|"
    r"inspiration|insight|midnight|the pen|a pen|the brush|a brush|the clock)\b|"
    r"\bbackstrokes?\b|\b(breast|butterfly|freestyle|swimming|front crawl|rowing|paddle|golf|"
    r"tennis|putting|forehand|backhand|brush|pen|piston|engine) ?strokes?\b"
)


def _idiom(m: re.Match[str]) -> str:
    """The matched wording with "stroke" read as "turn"."""
    return re.sub(r"stroke", "turn", m.group(0))


_SENTENCE = re.compile(r"(?<=[.!?;\n])\s+|\s*\n\s*")
_EDU_START = re.compile(
    r"^(what|what's|whats|how|why|when|which|where|who|are|is|can(?!'t)|could|does|do|should|"
    r"would|will|tell me|explain|define|describe|list|any|at what point|in what)\b"
)
_EDU_CUES = re.compile(r"\b(signs? of|symptoms? of|red flags?|what happens|meaning of|mean by)\b")
# a clinician's checklist of the flags found ("Red flags: saddle anaesthesia, urinary
# retention", "red flags present - bilateral sciatica") reports them; a question still asks
_RED_FLAG_LIST = re.compile(
    r"\bred flags?\s*(:|-|–|present|positive|noted|found|identified)(?!.*\?)"
    # (safety26) a guideline checklist line: a heading, then the findings ("Signs of cauda
    # equina syndrome: saddle anaesthesia, urinary retention", "Red flags for cancer - history
    # of cancer, weight loss", "Red flag symptoms include fever and night sweats"); with a
    # question mark, or a question word first (checked by the caller), it still asks
    r"|\b(red[- ]flags?|warning signs?|signs?|symptoms?|features?)\b[^:?.;]{0,60}?"
    r"(:|\s[-–]\s|\binclude\b|\bincluding\b)(?!.*\?)"
)
_QUESTION_SELF = re.compile(
    r"\b(should i|can i|could i|do i|would i|will i|must i|i should|i need to|should we|"
    r"need i|i go|i call|i worry|i be worried|i get help|i see|mean i have|means i have|"
    r"mean i've got|mean that i)\b"
)
_FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|myself|mine|we|our|us)\b")
# (safety27) asking whether one may go on exercising, working or resting WITH a sign is asking
# about one's own sign ("should I go for a run with back pain and numbness around the bum?",
# "is walking ok with a numb groin since yesterday?"); the rules still need the sign itself
_SELF_ACTIVITY_WITH = re.compile(
    r"^(can|should|could|may|must|do|shall) i (still |keep |carry on |continue |safely |just )?"
    r"(\w+ ){0,4}(with|while (having|i have)|despite) |"
    r"^(is|are) (\w+ ){0,2}(ok|okay|safe|fine|alright|all right|good|bad) (\w+ ){0,3}with "
    r"(a |an |my )?(bad |sore |painful )?(back|neck|sciatica|back pain|backache)\b"
    r"[^?]{0,40}\b(and|plus|&|with)\b"
)

# (safety26) A clinician's note, referral line or guideline checklist ("Hx of breast ca, new
# thoracic pain", "LBP + fever + IVDU", "Known osteoporosis, minor fall"): findings written as
# noun phrases, with no person, no question and no request. In a pain chat such a note reports
# the findings of someone in pain, so a risk factor said in it counts without the back pain
# being named (rules marked ``note_only``). A topic typed alone ("osteoporosis", "exercises
# for osteoporosis", "history of cancer and yoga") is not a note.
NOTE_MIN_WORDS = 2
NOTE_MAX_WORDS = 30
_NOTE_PERSON = re.compile(
    r"\b(i|i'm|i've|i'd|i'll|me|my|myself|mine|we|our|us|you|your|you're|yourself|he|she|his|"
    r"her|him|they|them|their|please|thanks|thank)\b"
)
_NOTE_REQUEST = re.compile(
    r"\b(exercis\w*|stretch\w*|tips?|advice|guid\w*|info\w*|treat\w*|therap\w*|help\w*|"
    r"manag\w*|best|safe\w*|workouts?|yoga|pilates|walking|running|diet\w*|recipes?|research\w*|"
    r"stud(y|ies)|articles?|statistics|rates?|chances?|risk of|causes?|caused|definition|meaning|"
    r"means|vs|versus|about|explain\w*|difference|prevent\w*|reduc(e|es|ing|tion)|cope|coping|"
    r"living with|"
    r"life expectancy|prognosis|support|groups?|awareness|quiz|exam|essay|lecture|course|"
    r"question)\b"
)


NOTE_MAX_CHARS = 300


@lru_cache(maxsize=256)
def clinical_note(message: str) -> bool:
    """Whether the whole message is a clinician's note or checklist of findings (see above)."""
    text = message.strip()
    if len(text) > NOTE_MAX_CHARS:
        return False
    words = re.findall(r"[a-z]+", text)
    if not NOTE_MIN_WORDS <= len(words) <= NOTE_MAX_WORDS:
        return False
    # a question mark ends a question; a clinician's "?" before a word queries it ("?CES")
    if any(p.rstrip().endswith("?") and len(p.split()) > 1 for p in _SENTENCE.split(text)):
        return False
    if _EDU_START.match(text) or _QUESTION_FORM.search(text):
        return False
    return not (_NOTE_PERSON.search(text) or _NOTE_REQUEST.search(text))


# (safety28) A screening question answered "yes" in the same message ("Do you have numbness
# around your genitals? Yes", "Have you had cancer? Yes, bowel cancer") is a report of the
# sign: the question becomes the person's statement ("i have numbness ..."), so the rules and
# the classifier read it as a report, not as a question about the sign. "? No" stays a
# question, and "yes please" accepts an offer.
_SCREEN_YES = re.compile(
    r"\b(do|did|have|are|were) you ((?:have|had|get|got|notice|noticed|feel|felt|experience|"
    r"experienced|been having|been) )?([^?.!\n]{3,160}?)\s*\?\s*(yes|yeah|yep|yes i (do|have|am))\b"
    r"(?!\s+please)\s*[.!,]?"
)
_SCREEN_SUBJECT = {"do": "i", "did": "i", "have": "i have", "are": "i am", "were": "i was"}


def _screen_yes(m: re.Match[str]) -> str:
    verb = m.group(2) or ""
    asked = re.sub(r"\byourself\b", "myself", re.sub(r"\byour\b", "my", m.group(3)))
    return f"{_SCREEN_SUBJECT[m.group(1)]} {verb}{asked}."


_INJECTION = re.compile(
    r"(ignore|disregard|forget|override|bypass|skip)\W+(?:\w+\W+){0,4}?(instructions?|rules|"
    r"prompts?|guidelines|directions|programming|guardrails|safety)|"
    r"(system|initial|hidden|developer|original|secret)\s+(prompt|instructions|message)|"
    r"(reveal|print|show|repeat|output|display|leak|dump|tell me)\W+(?:\w+\W+){0,3}?"
    r"(instructions|prompt|configuration|config|settings|api ?key|secrets?|rules)|"
    r"\byou are now\b|\bfrom now on,? you\b|\bnew instructions\b|"
    r"\bpretend (to be|you are|you're)\b|"
    r"\brole-?play\b|\bjailbreak|\bdeveloper mode\b|\bdo anything now\b|\bdan mode\b|"
    r"\b(no|without) (restrictions|filters|rules|limits)\b|\bact as (an? )?(?!physio)\w+|"
    r"\bsimulate\b|\bunfiltered\b|\bstay in character\b|"
    r"\b(respond|answer|reply|speak|talk|write) (only )?(as|like) (an? )?(?!physio)\w+|"
    r"\bchange (your|the) (emergency number|number|settings|rules|instructions|name|"
    r"behaviou?r|persona|role)\b|\byou'?re (now )?(a|an|no longer)\b|\bforget (you'?re|you are)\b"
)
_OFF_TOPIC = re.compile(
    r"\b(write|compose|generate|make)\b\W+(?:\w+\W+){0,3}?(poem|song|story|essay|haiku|joke|"
    r"code|program|script|function|limerick|rap|tweet|email)\b|"
    r"\b(python|javascript|typescript|java|sql|html|css|regex|c\+\+)\b|"
    r"\b(who won|world cup|election|president|prime minister|stock|bitcoin|crypto|weather|"
    r"capital of|translate|homework|football|movie|film|recipe|lyrics|plot of|novel|"
    r"celebrity|actor|singer|band|album|video game|tv show|series)\b"
)


_SYMPTOM = re.compile(
    r"\b(pain\w*|hurts?|hurting|aches?|aching|achy|sore\w*|swollen|swelling|bleed\w*|bled|"
    r"numb\w*|tingl\w*|rash\w*|fever\w*|temperature|dizz\w*|vomit\w*|throw\w* up|nause\w*|"
    r"cough\w*|itch\w*|lumps?|burning|cramp\w*|stiff\w*|throbb\w*|weak\w*|breathless\w*|"
    r"short of breath|diarrh\w*|constipat\w*|headaches?|migraines?|spasm\w*|bruis\w*|"
    r"discharge|blisters?|infect\w*|wheez\w*|palpitations|faint\w*|pins and needles|"
    r"seizures?|fits|tremors?|blurr\w*|tinnitus|ringing in (my|the) ears?|"
    r"(black|red|bloody|dark|pale|tarry) (\w+ )?(poo|poop|stools?|urine|pee|wee)|"
    r"(poo|poop|stools?|urine|pee|wee) (\w+ ){0,3}(black|red|bloody|tarry)|"
    r"(feel|feeling|felt) (sick|ill|unwell|awful|terrible|rough|off))\b"
)


def _parent_of(unit: str, parents: list[str] | None) -> str:
    """The sentence a clause was cut from (the unit itself when it is a sentence)."""
    return next((p for p in parents or () if unit in p), unit)


# Worn down by pain, with no wish to die or plan stated ("I don't know how much more of this
# I can take", "I can't cope with this pain any more"): answered normally, with a kind note on
# where to get support (the crisis rules, checked first, take the messages that go further)
_WORN_DOWN = re.compile(
    r"\b(can'?t|cannot|can ?not|don'?t think i can) (take|cope with|handle|stand|deal with|bear)"
    r" ((it|this|that)( pain)?|(the|this|my) (pain|ache|agony)) (any ?more|much (more|longer))\b"
    r"|\b(can'?t|cannot|can ?not|don'?t think i can) (take|cope with|handle|stand|bear) much more\b"
    r"|\bhow much (more|longer)\b[^.?!]{0,50}\bi can (take|cope|handle|stand|bear)\b"
    r"|\b(can'?t|cannot) cope (any ?more|with (it|this|the pain) any ?more)\b"
    r"|\bat the end of my (rope|tether)\b"
    r"|\b(pain|it)('s| is) (wearing|grinding) me down\b"
    r"|\b(i'?m|i am|i'?ve|i have) (losing|lost) (all )?hope\b"
)
_PAST_ONLY = re.compile(r"\b(years ago|used to|when i was (young|a (kid|child)))\b")

# --- exemplar matches inside long posts ------------------------------------------------------
# A post of several sentences is compared clause by clause with short exemplar reports; a loose
# match ("I'm scared I'll trip on stage" ~ "I'm scared of myself right now") must come from a
# clause that is itself a report of something happening now: first person (or someone the
# writer is with), not a question, not a hypothetical, not about the past.
LONG_POST_SENTENCES = 3
_REPORT_SUBJECT = re.compile(
    r"\b(i|i'm|i've|i'd|im|ive|me|my|myself|we|we're|our|us|he|he's|she|she's|they|they're)\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(if|what if|in case|unless|whether|suppose|would|could|might|may|wonder\w*|"
    r"(worried|afraid|scared|frightened|terrified|fear|concerned|paranoid) (that|about|of "
    r"(having|getting|it being)|i (might|may|could|will|'ll|have|had)|it (is|'s|might|could)))\b"
)
_PAST_MARK = re.compile(
    r"\b(ago|back then|before|previously|used to|in the past|last (year|month)|when i was|"
    r"had been|as a (kid|child|teen\w*)|years|months|weeks back|months back)\b"
)


# what an exemplar match must also name, per category: the sign itself, not only the body part
# ("i am still bleeding" after a period is not "I've soaked through three towels"; "my legs are
# itchy and red" is not "my legs feel like jelly"). A genital word alone is not a saddle sign
# without the back, legs, bladder or bowel somewhere in the message.
_EXEMPLAR_NEEDS: dict[str, re.Pattern[str]] = {
    # (lead28) a decision still to make: "my hip replacement was 6 weeks ago, when can I swim?"
    # tells an operation already done and asks about recovery
    "surgery_decision": re.compile(
        r"\b(should|right for me|worth|need|needed|do i|would|will (it|surgery|an? \w+)|cancel|"
        r"offered|say yes|go ahead|or (keep|go|try|have|wait|get|just)|bad enough|better than|fix|"
        r"who'?s right|what would you do|push|second opinion)\b"
    ),
    "heavy_bleeding": re.compile(
        r"\b(heavy|heavily|a lot|lots of|pouring|gushing|soak\w*|spurt\w*|pool|everywhere|"
        r"so much|won't stop|will not stop|doesn't stop|does not stop|not stopping|can't stop|"
        r"cannot stop|keeps? bleeding|still bleeding (after|despite)|deep|clots?|coughing up|"
        r"vomiting|throwing up|started (seeing|passing|bleeding|coughing))\b"
    ),
    "both_legs_sciatica_or_weakness": re.compile(
        r"\b(weak\w*|numb\w*|tingl\w*|pins and needles|sciatica|shooting|gave way|give way|"
        r"giving way|jelly|buckl\w*|can't (walk|stand|feel|move)|cannot (walk|stand|feel|move)|"
        r"dragging|paraly\w*|sudden\w*|swell\w*|swollen)\b"
    ),
    # "I need to pee more since drinking more water" is not "can't pee": the sign itself
    "bladder_bowel": re.compile(
        r"\b(can't|cannot|can not|couldn't|unable|trouble|difficult\w*|struggl\w*|strain\w*|"
        r"leak\w*|dribbl\w*|wet|peed|pooed|pissed|soiled|lost control|losing control|accident|"
        r"incontinen\w*|retention|nothing (comes|came)|empty\w*|hold|feel when|weak|stops?|"
        r"gone funny|let go|not working|able|no (bowel movements?|poo)|not (opened|moved))\b"
    ),
    # an aching knee on a cold day is not an infected joint or a clot: a match must name the
    # sign itself (NHS: hot, red or swollen; a fever; blood; pus; a burning pee; blurred sight)
    "body_urgent": re.compile(
        r"\b(hot|warm|red|redness|swollen|swell\w*|puffy|fever\w*|temperature|shiver\w*|chills?|"
        r"blood\w*|pus|oozing|infect\w*|spreading|streak\w*|burn\w*|sting\w*|blur\w*|"
        r"can'?t (see|bear|put|stand on|walk on)|cannot (see|bear|put)|baby|infant|newborn|"
        r"weeks? old|months? old|bitten|bite)\b"
    ),
    # losing weight on a diet is not the red flag: a match must say it is unexplained
    "weight_loss": re.compile(
        r"\b(without|no reason|not (even )?trying|unexplained|unintentional\w*|don't know why|"
        r"can't explain|for no|keep losing|keeps? dropping|falling off|thinner and thinner|"
        r"appetite|eating normally|not dieting|night sweats)\b"
    ),
    # a bump a child shrugs off is not an emergency: a match must name the fall or a warning sign
    "child_or_baby": re.compile(
        r"\b(fell|fall|fallen|falling|dropped|rolled|off the|not breathing|isn't breathing|"
        r"stopped breathing|floppy|unresponsive|vomit\w*|being sick|been sick|drows\w*|sleepy|"
        r"won't wake|seizure|fit|fitting|blue|swallowed|chok\w*|burn\w*|rash|unconscious|"
        r"knocked out|limp|not feeding|fever|temperature|screaming|bleed\w*|blood)\b"
    ),
    # ordinary muscle ache between the shoulder blades is common: a match must say it persists
    "thoracic_pain": re.compile(
        r"\b(constant\w*|all the time|non[- ]?stop|never (stops|goes|eases|lets up)|"
        r"every (day|night)|day and night|for weeks|getting worse|worse and worse|keeps getting|"
        r"at night|in bed|lying|nothing helps|never eases|won't (go|ease|stop|settle))\b"
    ),
    # "I can't touch my toes" is stiffness, "I sleep badly and my pain is worse" is ordinary
    # pain: a match must name the sign (NICE CKS: progressive weakness or numbness; pain
    # that is constant, worsening, or at night and not eased by rest)
    "one_leg_weakness": re.compile(
        r"\b(weak\w*|numb\w*|tingl\w*|pins and needles|dead|drag\w*|slap\w*|flop\w*|trip\w*|"
        r"catch\w*|gave way|give way|giving way|gives way|buckl\w*|strength|push off|"
        r"lift (up )?(my |his |her |the |their )?(left |right )?"
        r"(foot|feet|toes?|leg|legs|heel|ankle)|"
        r"tiptoe|tip toe|heel walk|paraly\w*|foot drop|drop foot|spread\w*|creep\w*|can'?t feel|"
        r"cannot feel)\b"
    ),
    "night_pain": re.compile(
        r"\b(night\w*|wakes?|waking|woke|woken|awake|3am|\d+ ?am|in bed|lying|lie|chair|"
        r"rest\w*|constant\w*|all the time|24/7|day and night|never (stops|lets up|eases|goes)|"
        r"non[- ]?stop|relentless|nothing (eases|helps)|(getting|gets|keeps? getting|steadily) "
        r"worse|worsening|worse (and worse|every|each)|growing|building|unbearable|any position)\b"
    ),
    "new_onset_age": re.compile(
        r"\b(first time|never had|new[- ]onset|first ever|for the first)\b"
    ),
    # pain in the bottom and leg after sitting is sciatica-like pain, not a saddle sign: a match
    # must name what the NHS lists for cauda equina (numbness or tingling around the bottom or
    # genitals, bladder or bowel trouble, loss of sexual function, weakness in both legs)
    "cauda_equina": re.compile(
        r"\b(numb\w*|tingl\w*|pins and needles|dead|no feeling|lost feeling|loss of (feeling|"
        r"sensation)|(can'?t|cannot|can not|couldn'?t) (feel|tell)|feel nothing|feels? (weird|"
        r"strange|different|odd)|sensation|bladder|bowels?|pee\w*|wee\w*|urin\w*|poo\w*|toilet|"
        r"incontinen\w*|leak\w*|wet|soil\w*|erection|sex\w*|saddle|both legs|weak\w*)\b"
    ),
    "stroke": re.compile(
        r"\b(face|droop\w*|slur\w*|speech|speak|talk|words|one side|left side|right side|"
        r"vision|see|sight|sudden\w*|can't (lift|move|raise|feel)|cannot (lift|move|raise|feel)|"
        r"arm and leg|confus\w*|weak\w*|paraly\w*)\b"
    ),
}
_NEGATED_SPAN = re.compile(
    r"\b(no|not|never|without|don'?t|doesn'?t|didn'?t|do not|does not|did not|nor|neither)"
    r"\b[^.,;!?]*?(?=[.,;!?]|\bbut\b|$)"
)


def _without_negated(text: str) -> str:
    """The text with each negation cue and the rest of its clause removed ("i do not have any
    back pain or radiating pain down the legs" says nothing about the back or legs)."""
    return _NEGATED_SPAN.sub(" ", text)


_GENITAL_ONLY = re.compile(r"\b(penis|vagina\w*|genital\w*|scrotum|testic\w*|groin|labia)\b")
_SADDLE_CONTEXT = re.compile(
    r"\b(back|spine|legs?|sciatica|bladder|bowels?|pee|wee|urin\w*|incontinen\w*|stool|poo|perine\w*|"
    r"bum|buttocks?|bottom|anus|saddle|between my legs)\b"
)


def exemplar_names_the_sign(category: str, unit: str, message: str) -> bool:
    """Whether an exemplar match of ``category`` names the sign itself (see _EXEMPLAR_NEEDS)."""
    need = _EXEMPLAR_NEEDS.get(category)
    if need is not None and not need.search(unit):
        return False
    if category == "cauda_equina" and _GENITAL_ONLY.search(unit):
        return bool(_SADDLE_CONTEXT.search(_without_negated(message)))
    if category == "new_onset_age" and _PREVENTION.search(message):
        return False  # (safety27) "I'm 60 and never had back pain, how do I prevent it?"
    if category == "cauda_equina" and _SEXUAL_ONLY.search(unit) and not _NUMB_WORD.search(unit):
        # (safety27) erection or sex problems are a cauda equina sign with back, leg, saddle
        # or bladder signs, not a medicine's known side effect ("since starting sertraline")
        kept = _without_negated(message)
        return bool(_SADDLE_CONTEXT.search(kept)) and not _MEDICINE_CAUSE.search(kept)
    if category == "bladder_bowel" and _INJURY_ACCIDENT.search(message):
        return bool(_BLADDER_WORD.search(unit))  # a road or sports accident, not a bladder one
    if category == "infection_signs" and _MEDICAL_INJECTION.search(unit):
        return bool(_INFECTION_WORD.search(unit))  # (lead24) an epidural is not drug use
    if category == "possible_fracture" and not _FRACTURE_RISK.search(message):
        return False  # a slip with no thin-bone risk is ordinary back pain (NICE CKS)
    if category == "suicidal_thoughts" and _CAUSE_QUESTION.match(unit):
        return bool(_DEATH_WORD.search(unit))  # "why does living with pain make me so tired"
    if category == "night_pain" and not (_NIGHT_SIGN.search(unit) or _NOT_EASED.search(unit)):
        return False  # "exercises I can do lying down": a position, not pain unrelieved by it
    if category == "night_pain" and _CRAMP.search(unit) and not _SPINE_WORD.search(unit):
        return False  # (lead28) "cramp in my calf at night": a night cramp, not spinal night pain
    # eased by moving off the sore side: the opposite of the red flag
    return not (
        category == "night_pain" and _POSITIONAL.search(unit) and not _ANY_POSITION.search(unit)
    )


_CRAMP = re.compile(r"\b(cramp\w*|charley horse|restless legs?)\b")
_SPINE_WORD = re.compile(r"\b(back|backache|spine|spinal|neck|lumbar|sciatica)\b")
_PREVENTION = re.compile(r"\b(prevent\w*|avoid\w*|keep (it|back pain) away|never get it)\b")
_SEXUAL_ONLY = re.compile(r"\b(erection\w*|erectile|sex\w*|libido|ejaculat\w*|impoten\w*)\b")
_NUMB_WORD = re.compile(
    r"\b(numb\w*|tingl\w*|pins and needles|no feeling|(can'?t|cannot|couldn'?t) feel|sensation)\b"
)
_MEDICINE_CAUSE = re.compile(
    r"\b(since|after|on|with|from|started|starting|taking|changed|changing|switched|new) "
    r"(\w+ ){0,3}(tablets|pills|medication|medicines?|meds|antidepressants?|ssris?|sertraline|"
    r"citalopram|escitalopram|fluoxetine|paroxetine|venlafaxine|duloxetine|mirtazapine|amitriptyline|"
    r"finasteride|beta[- ]?blockers?|propranolol|bisoprolol|atenolol|blood pressure (tablets|pills|"
    r"medication)|gabapentin|pregabalin|opioids?|tramadol|codeine|morphine|the pill)\b"
)
# (safety27) a young child who has swallowed something by accident: poisoning, an emergency,
# not self-harm (the exemplar likeness to an overdose does not make it a crisis)
_CHILD_INGESTION = re.compile(
    r"\b(baby|toddler|infant|little one|my (little |young |youngest |baby )?(son|daughter|child|"
    r"kid|boy|girl|grandson|granddaughter)|(\d|one|two|three|four|five|six)[- ](year|yr|month)s?"
    r"[- ]old)\W+(?:[\w']+\W+){0,6}?(swallowed|ate|eaten|drank|drunk|chewed|got into)\b"
)
_YOUNG_CHILD = re.compile(
    r"\b(baby|toddler|infant|little one|my (little|young|youngest|baby) (son|daughter|boy|girl)|"
    r"([1-6]|one|two|three|four|five|six)[- ](year|yr|month)s?[- ]old|\d+[- ]months?[- ]old)\b"
)
_PRIMARY_AGE = re.compile(
    r"\b([1-9]|10|one|two|three|four|five|six|seven|eight|nine|ten)[- ](year|yr)s?[- ]old\b"
)
_ADULTS_MEDICINE = re.compile(
    r"\b(grand\w*|mum|mom|mother|dad|father|nan|nana|gran|granny|parents?|aunt\w*|uncle|"
    r"sister|brother|adult|someone else)('s|s')? (\w+ )?(pills|tablets|medicines?|medication|"
    r"meds|capsules)\b"
)
_HOUSEHOLD = re.compile(
    r"\b(coins?|batter(y|ies)|magnets?|bleach|detergent|dishwasher|washing|laundry|cleaning|"
    r"cleaner|liquitabs?|pods?|e-?liquid|antifreeze|weed ?killer|pesticide|rat poison|buttons?|"
    r"marbles?|lego|toy)\b"
)
_MEANT_HARM = re.compile(
    r"\b(on purpose|deliberately|intentionally|meant to|suicid\w*|to die|kill (him|her|them)self|"
    r"end (his|her|their) life|self[- ]?harm\w*|hurt (him|her|them)self)\b"
)


_SCALD = re.compile(
    r"\b(burn\w*|scald\w*) (\w+ ){0,3}(with|by|from) (boiling|hot) (water|oil|fat|liquid|tea|"
    r"coffee|soup)\b"
)
_SELF_MEANT = re.compile(r"\b(my ?self|on purpose|deliberately|intentionally|to cope|punish)\b")


def someone_scalded(message: str) -> bool:
    """(safety27) Someone else scalded by boiling water or hot oil, with no word of intent."""
    return bool(_SCALD.search(message)) and not _SELF_MEANT.search(message)


def accidental_child_ingestion(message: str) -> bool:
    """(safety27) A child who swallowed something by accident: a young child, or any child and
    a household product or object, with no word of meaning to ("my son swallowed dishwasher
    tablets", "my toddler got into the pills")."""
    m = _CHILD_INGESTION.search(message)
    if not m or _MEANT_HARM.search(message):
        return False
    if _YOUNG_CHILD.search(m.group(0)) or _HOUSEHOLD.search(message):
        return True
    # (safety28) a child of primary-school age who got into an adult's medicine
    return bool(_PRIMARY_AGE.search(m.group(0)) and _ADULTS_MEDICINE.search(message))


_MEDICAL_INJECTION = re.compile(
    r"\b(epidural|steroids?|cortisone|facet|joint|nerve root|trigger point|botox|vaccine|"
    r"flu|insulin) (\w+ )?(injections?|jabs?|shots?|blocks?)\b|\bnerve blocks?\b"
)
_INFECTION_WORD = re.compile(
    r"\b(fever\w*|temperature|chills|shiver\w*|sweats|infect\w*|abscess|pus|drugs|heroin|"
    r"hiv|chemo\w*|transplant|immun\w*)\b"
)


# "I had an accident ... and injured my foot": an accident with an injury is a road, work or
# sports accident; a bladder-accident exemplar counts there only with a bladder or bowel word
# (safety14)
_INJURY_ACCIDENT = re.compile(
    r"\baccident\W+(?:[\w']+\W+){0,8}?(injur\w*|hurt|whiplash|broke\w*|fractur\w*|crash\w*|"
    r"fell|pain)|\b(car|road|bike|motorbike|motor-bike|traffic|work|sports?|skiing|snowboarding|"
    r"football) accident\b|\b(injur\w*|hurt|broke|fractur\w*) (\w+ ){0,6}(in|during) (an |a |the )?"
    r"(\w+ )?accident\b"
)
_BLADDER_WORD = re.compile(
    r"\b(pee\w*|wee|weeing|urin\w*|bladder|bowels?|poo\w*|toilet|wet|leak\w*|pads?|"
    r"incontinen\w*|soil\w*)\b"
)


# a minor fall or lift is a red flag only with a reason for thin bones (NICE CKS: osteoporosis,
# long-term steroids, older age); a hard fall or crash is major trauma, a rule of its own
_FRACTURE_RISK = re.compile(
    r"\b(osteopor\w*|osteopen\w*|brittle|thin bones|bone density|weak bones|steroids?|"
    r"predniso\w*|cortisone|fractur\w*|broke|broken|([6-9]\d|seventy|eighty|ninety)"
    r"( years old| year old| yo|s)?|elderly|old age|my (mum|mom|mother|dad|father|gran\w*|"
    r"grand\w*|nan|nana))\b",
    re.I,
)


# "why does living with pain make me so tired?" asks for a cause: similar in tone to "what's the
# point in living with this pain", but a wish to die is only read there with a word for it
_CAUSE_QUESTION = re.compile(
    r"^\W*(so |but |and )?(why|how come) (does|do|is|are|am|did|would|can|could)\b", re.I
)
_DEATH_WORD = re.compile(
    r"\b(die|dying|dead|death|suicid\w*|kill\w*|end (it|my life|things)|not (be )?here|"
    r"not wake|live anymore|want to live|point (in|of) (living|life|going on)|give up|"
    r"disappear|overdose|hurt myself|harm myself|self[- ]harm\w*)\b",
    re.I,
)


# Night pain is a red flag when no position eases it (NICE CKS). Pain from lying on the sore
# side ("my hip hurts at night when I lie on it") is the common, position-linked kind.
# Night pain (NICE CKS) is pain at night, or at rest and not eased by it: a resting position
# named on its own ("in bed", "lying down", "a chair") needs the night, or pain not easing or
# getting worse, beside it
_NIGHT_SIGN = re.compile(
    r"\b(night\w*|wakes?|waking|woke|woken|awake|3am|\d+ ?am|constant\w*|all the time|24/7|"
    r"day and night|non[- ]?stop|relentless|worsening|growing|building)\b"
)
_NOT_EASED = re.compile(
    r"\b(worse|worst|unbearable|agony|excruciating|nothing|no position|any position|never|"
    r"doesn'?t (ease|help|stop|change)|does not (ease|help|stop|change)|won'?t (ease|stop|settle)|"
    r"can'?t get comfortable|(zero|no|any|little) difference|"
    r"even (when|while|lying|in bed|at rest|resting))\b"
)
_POSITIONAL = re.compile(
    r"\b(when|if|whenever|while|after) (i |you )?(lie|lay|lying|laying|sleep|sleeping) on "
    r"(it|them|that side|this side|the (sore|bad|painful|same) (side|one)|my (left|right|sore|bad)"
    r"( side| hip| shoulder| one)?)\b|\blying on (it|that side|the sore side)\b"
)
_ANY_POSITION = re.compile(
    r"\b(any|every|whatever|no matter|each|all) (position|way|side)s?\b|\bnothing (eases|helps)\b"
)


def positional_night_ache(unit: str) -> bool:
    """Pain at night that comes from lying on the sore side ("my hip hurts at night when i lie
    on it") is mechanical, the opposite of the night-pain red flag (NICE CKS: pain at night
    that no position eases): the classifier does not read it. The night-pain rule and its
    exemplars decide with the same test."""
    return bool(_POSITIONAL.search(unit)) and not _ANY_POSITION.search(unit)


# (safety20) Legs that go numb, weak, heavy or tingly when the person stands or walks for a
# while, and ease with sitting or bending, are neurogenic claudication (NHS "Spinal stenosis":
# see a GP), not the rapidly worsening weakness or both-leg sciatica that NICE CKS and GIRFT
# list as cauda equina signs. Any bladder, bowel, saddle, sudden, worsening or injury feature
# keeps the clause a red flag.
_LEGS_ON_STANDING = re.compile(
    r"\b(legs?|thighs|calves|feet)\b.{0,50}\b(numb\w*|weak\w*|heavy|tingl\w*|pins and needles|"
    r"aches?|aching)\b.{0,40}\b(when|while|whenever|if|once|after) (i |he |she |they )?"
    r"(have been |been |am |'m |'ve been |is |are )?(stand\w*|walk\w*|queu\w*|on (my|his|her) "
    r"feet)\b|\b(when|while|whenever|if|once|after) (i |he |she |they )?(have been |been |am |"
    r"'m |'ve been |is |are )?(stand\w*|walk\w*|queu\w*)\b.{0,60}\b(legs?|thighs|calves|"
    r"feet)\b.{0,30}\b(numb\w*|weak\w*|heavy|tingl\w*|pins and needles)\b"
)
_LEGS_ON_STANDING_FLAG = re.compile(
    r"\b(bladder|bowel\w*|pee|peeing|peed|wee|weeing|urin\w*|toilet|poo\w*|incontinen\w*|"
    r"wet|leak\w*|soil\w*|saddle|"
    r"genital\w*|groin|bum|buttocks|bottom|between (my|his|her) legs|down there|sex\w*|"
    r"sudden\w*|today|tonight|yesterday|this (morning|afternoon|evening|week)|worse\w*|"
    r"worsening|faster|quickly|gave way|give way|giving way|gives way|buckl\w*|collaps\w*|"
    r"can'?t|cannot|unable|fell|fall\w*|crash\w*|accident|injur\w*|fever\w*|cancer|chest|"
    r"breath\w*|drag\w*|foot drop|trip\w*)\b"
)


def legs_on_standing(unit: str, message: str) -> bool:
    """The unit says the legs go numb or weak with standing or walking, and the message says
    nothing more (no bladder, bowel, saddle, sudden, worsening or injury feature)."""
    return bool(_LEGS_ON_STANDING.search(unit)) and not _LEGS_ON_STANDING_FLAG.search(message)


# (loso28) A back, neck, shoulder or arm that hurts from lifting, carrying or moving something
# or someone ("my back hurts from lifting him into the car") is a strain: NHS "Back pain" and
# NICE NG59 treat it as everyday back pain unless a red-flag feature comes with it (the same
# list as for leg pain and a back that went suddenly: numbness, weakness, bladder or bowel
# change, a fall or crash, chest pain, fever, severe or sudden pain...).
_LIFT_STRAIN = re.compile(
    r"\b(back|lower back|neck|shoulders?|arms?|wrists?|elbows?|hips?|knees?|ribs?|side|"
    r"muscles?|hamstrings?|groin)\b.{0,40}\b(from|after|since|while|when|by) (\w+ )?(lifting|"
    r"carrying|moving|helping|picking up|pushing|pulling|hoisting|heaving|shifting|lugging|"
    r"hauling|transferring)\b"
    r"|\b(lifting|carrying|moving|picking up|hoisting|heaving|shifting|lugging|hauling)\b.{0,50}"
    r"\b(hurt|strained|pulled|tweaked|twinged|twisted|put out|did in|ricked) (my|his|her) "
    r"(back|lower back|neck|shoulders?|arms?|wrists?|elbows?|hips?|knees?|side|muscles?)\b"
    r"|\b(hurt|strained|pulled|tweaked|twinged|twisted|put out|ricked) (my|his|her) (back|lower "
    r"back|neck|shoulders?|arms?|wrists?|elbows?|hips?|knees?|side|muscles?) (\w+ )?(lifting|"
    r"carrying|moving|picking up|hoisting|heaving|shifting|lugging|hauling)\b"
)


def lifting_strain(unit: str) -> bool:
    """A clause saying a back, neck, shoulder or limb hurts from lifting or carrying, with no
    red-flag feature."""
    return bool(_LIFT_STRAIN.search(unit)) and not _BACK_RED_FLAG.search(unit)


# (loso28) A sport's stroke, swing or serve that feels weak ("my swimming stroke feels weak",
# read as "turn" by the stroke idiom, "my golf swing has got weak") speaks of technique or
# power, not of a body part going weak: no stroke sign (NHS FAST: face, arm, speech) is named.
_WEAK_TECHNIQUE = re.compile(
    r"\b(swimming|rowing|paddle|golf|tennis|putting|forehand|backhand|breast|butterfly|"
    r"freestyle|front crawl|back|tumble|kick|flip)\s?turns?\b.{0,30}\b(weak\w*|feeble|"
    r"off|slow\w*|sloppy|lacks? power|no power)\b"
    r"|\b(my|his|her|the) (golf |tennis |cricket |baseball |badminton |squash |padel )?"
    r"(swing|serve|backhand|forehand|drive|volley|smash|throw|throwing|kick|kicking|punch|punches|catch|"
    r"turns?|strokes?)\b (\w+ ){0,3}(is|are|feels?|felt|seems?|has got|got|getting|gone|"
    r"has gone|went|was) (\w+ )?(weak\w*|feeble|off|slow\w*|sloppy)\b"
)
_TECHNIQUE_SIGN = re.compile(
    r"\b(face|facial|speech|speak\w*|talk\w*|slurr\w*|words|droop\w*|numb\w*|tingl\w*|"
    r"arms?|hands?|legs?|side|vision|see|sight|confus\w*|sudden\w*|dizz\w*|headache|"
    r"collaps\w*|fell|fall\w*|chest|breath\w*|stroke)\b"
)


def weak_technique(unit: str) -> bool:
    """A clause saying a sport's stroke, swing or serve is weak, with no stroke sign."""
    return bool(_WEAK_TECHNIQUE.search(unit)) and not _TECHNIQUE_SIGN.search(unit)


# (loso28) A bag, a baby or a hand held on or against the chest ("I clutch my bag to my chest
# when I walk") names where something is, not a chest symptom; with no pain, tightness,
# pressure or heart sign the clause is not read as chest pain by the classifier.
_HELD_ON_CHEST = re.compile(
    r"\b(hold\w*|held|clutch\w*|carry\w*|carried|hug\w*|cradl\w*|strap\w*|wear\w*|"
    r"wore|rest\w*|keep\w*|kept|put|puts|tuck\w*|press\w*|fold\w*|cross\w*|lay|lays|"
    r"laid)\b (\w+ ){0,4}(on|against|to|across|over) (my|his|her|their|the) chest\b"
    r"|\b(on|against|to|across) (my|his|her|the) chest (when|while|as|in|like)\b"
)
_CHEST_SYMPTOM = re.compile(
    r"\b(pain\w*|hurt\w*|ache|aches|aching|sore|tight\w*|pressure|heavy|heaviness|crush\w*|"
    r"squeez\w*|burn\w*|breath\w*|palpitat\w*|racing|pound\w*|flutter\w*|sweat\w*|"
    r"clammy|dizz\w*|faint\w*|sick|nause\w*|jaw|arm|numb\w*|tingl\w*|stab\w*|sharp|"
    r"discomfort|attack|because|since|suddenly)\b"
)


def held_on_chest(unit: str) -> bool:
    """A clause saying something is held on or against the chest, with no chest symptom."""
    return bool(_HELD_ON_CHEST.search(unit)) and not _CHEST_SYMPTOM.search(unit)


# (loso28) A red flag named only as what the writer asks it might be ("is it a bad cramp or a
# seizure?", "narrowing in the arteries, or is it a stroke?") is a diagnosis question, not a
# report of that red flag's signs. The clause is read without the asked-about name; what is
# left must name a red flag for the classifier to read it ("is this a stroke? my face is
# drooping" still names the face).
_ASKED_DIAGNOSIS = re.compile(
    r"\b(or is (it|this|that)|is (it|this|that)|could (it|this|that) be|can (it|this|that) be|"
    r"might (it|this|that) be|or (could it be |maybe |possibly )?)\s+((just|really|a|an|the|some|"
    r"actually|maybe|possibly|dangerous|serious|bad|mild|real|sign of|signs of|symptoms? of) )*"
    r"(mini[- ]?stroke|stroke|tia|seizure|fit|heart attack|cardiac arrest|angina|blood clot|"
    r"clot|dvt|embolism|aneurysm|meningitis|sepsis|appendicitis|ectopic( pregnancy)?|"
    r"miscarriage|cancer|tumou?r|cauda equina( syndrome)?|fracture|broken bone|concussion|"
    r"brain bleed|ha?emorrhage)\b"
)


def asked_diagnosis_only(unit: str, sentence: str, names_red_flag: Callable[[str], bool]) -> bool:
    """The unit is part of a question and names a red flag only as an asked-about diagnosis."""
    if not (SafetyRouter.is_question(sentence) and _ASKED_DIAGNOSIS.search(unit)):
        return False
    return not names_red_flag(_ASKED_DIAGNOSIS.sub(" ", unit))


def everyday_look_alike(unit: str) -> bool:
    """A clause that only looks like a red flag: one leg's pain, a swimming stroke, a back
    that went suddenly, or night pain from lying on the sore side, each with no red-flag
    feature. The learned classifier and exemplar similarity do not read it; the rules do."""
    return (
        plain_one_leg_pain(unit)
        or sport_stroke(unit)
        or lifting_strain(unit)
        or weak_technique(unit)
        or held_on_chest(unit)
        or plain_sudden_back_pain(unit)
        or positional_night_ache(unit)
        or chest_workout_soreness(unit)
        or warm_after_exercise(unit)
        or minor_bleed(unit)
    )


# (lead24) a nosebleed or bleeding gums, told with nothing that makes it serious (NHS
# "Nosebleed": A&E when it lasts more than 10 to 15 minutes, is heavy, follows a head injury or
# comes with breathing trouble; bleeding gums with bruising or spots need a GP)
_MINOR_BLEED = re.compile(
    r"\b(nose ?bleeds?|nosebleeds?|bleeding (from )?(my |his |her )?nose|nose (\w+ ){0,2}"
    r"(bleeding|bled|bleeds?)|(bleeding|bleed\w*)( and \w+)? gums|gums (\w+ ){0,2}bleed\w*)\b"
)
_SERIOUS_BLEED = re.compile(
    r"\b(won'?t stop|will not stop|not stopping|doesn'?t stop|can'?t stop|more than (\d+|ten|"
    r"fifteen|twenty) min\w*|for (over |more than )?(\d+|ten|fifteen|twenty|thirty) min\w*|"
    r"a lot|heavy|heavily|pouring|gushing|severe|worst|times (a|per) day|every day|daily|"
    r"after (a |the |my |his |her )?(fall|hit|bang|knock|head injury|accident)|blood thinners?|"
    r"warfarin|anticoag\w*|spots|bruis\w*|pale|dizzy|faint\w*|breath\w*|vomit\w*|cough\w*)\b"
)


def minor_bleed(unit: str) -> bool:
    """A nosebleed or bleeding gums with no sign that makes it serious."""
    return bool(_MINOR_BLEED.search(unit)) and not _SERIOUS_BLEED.search(unit)


def present_report(unit: str, route: str) -> bool:
    """Whether a clause reads as a report of something happening now (not a question, a
    hypothetical, a worry about what it might be, or an account of the past)."""
    if not _REPORT_SUBJECT.search(unit) or SafetyRouter.is_question(unit):
        return False
    if _PAST_MARK.search(unit) and not _ACUTE_TIME.search(unit):
        return False
    if route == "crisis":  # "I'm scared of myself" is a report; "what if I fail" is not
        return not re.search(r"\b(if|what if|in case|whether|suppose|would|could)\b", unit)
    return not _HYPOTHETICAL.search(unit)


# (lead24) "just" dates an event to now ("my daughter just passed blood")
# a subject and its past verb: "i had", "my son fell" (not a participle: "head spasm followed
# by headache", "greenish-coloured pus", "a herniated disc")
_SUBJECT_PAST = re.compile(
    r"\b(i|he|she|we|they|it|you|(my|his|her|our|their) \w+)\s+(\w+\s+)?(was|were|had|did|"
    r"\w{3,}ed|tried|felt|thought|went|got|made|took|became|began|grew|knew|spent|lost|left|"
    r"fell|gave|saw|told|said|kept|wrote|came|hit|broke|ran|woke|ate|drank|hurt)\b"
)
_JUST = re.compile(r"\bjust (\w+ed|had|got|went|fell|took|came|passed|suffered|woke)\b")


# (lead25) A question about taking up an activity again, or safely: with an event told wholly
# in the past ("my dad had a heart attack, can he do yoga for his back?") it asks about
# recovery, not about something happening now.
_RECOVERY_ASK = re.compile(
    r"\b(can|could|should|may) (i|he|she|they|we|my \w+) (still |now |safely |ever )?"
    r"(do|start|go|try|exercise|walk|run|swim|lift|play|return|get back|train|cycle)\b"
    r"|\b(is it|it's|is it still|would it be) (ok|okay|safe|fine|alright)\b"
    r"|\bwhen can (i|he|she|they|we)\b|\bhow soon (can|could|should)\b"
)


_NAMED_EVENT = re.compile(
    r"\b(heart attack|cardiac arrest|(mini[- ]?)?stroke|\btia\b|bypass|stent)\b"
)


def recovery_question(unit: str, message: str) -> bool:
    """A heart attack or stroke told wholly in the past, with a question about taking up an
    activity ("my dad had a heart attack, can he do yoga for his back?"): a recovery
    question, not an event now. "What do I do?" or anything new or current still escalates."""
    return bool(
        _NAMED_EVENT.search(unit) and _RECOVERY_ASK.search(message) and past_only(unit, message)
    )


def past_only(unit: str, message: str) -> bool:
    """A clause told wholly in the past, with nothing present in it and nothing new or current
    in the message: "I had a minor heart attack", "I had an accident four weeks back and
    injured my foot". The learned classifier does not read it as a sign happening now (held
    out, its emergency votes on such history were false alarms); the rules still read it."""
    return bool(
        _SUBJECT_PAST.search(_PRESENT_PASSIVE.sub(" ", unit))
        and not _PRESENT_SELF.search(unit)
        and not _ACUTE_CUE.search(message)
        and not _JUST.search(message)
    )


# A clause of a long post that the crisis class may not read alone (safety7): under
# CRISIS_MIN_WORDS words, or naming no person. Held out, the classifier's crisis votes on
# such fragments of long forum posts ("i sabotaged myself", "people in your life leave.",
# "ignore the toxic people in life", "goodnight i want to live.") were nearly all false
# alarms on depression and advice posts; the whole message, and every longer clause about
# someone, is still read.
CRISIS_MIN_WORDS = 6
_PERSON_OR_SELF = re.compile(
    r"\b(i|i'm|im|i've|ive|i'd|i'll|me|my|myself|mine|we|us|our|he|she|they|his|her|hers|"
    r"their|him|them|himself|herself|themselves|self[- ]?\w+)\b"
)


def crisis_fragment(unit: str) -> bool:
    """Whether a clause is too short, or names nobody, to reach crisis by the classifier
    alone inside a long post (rules still read it)."""
    words = re.findall(r"[a-z]+", unit)
    return len(words) < CRISIS_MIN_WORDS or not _PERSON_OR_SELF.search(unit)


# --- crisis words that are not about the writer now ---------------------------------------
# "suicide" naming a service or a topic ("the suicide hotline", "suicide prevention month")
_CRISIS_TOPIC = re.compile(
    r"^\W*(prevention|awareness|month|rates?|statistics|stats|research|squad|bombers?|"
    r"bombing)\b"
)
# the person who would die is "you" (a reply to someone else: "no-one will blame you for
# wanting to end it", "if any of you are thinking of suicide")
_SECOND_PERSON = re.compile(r"\b(you|you're|youre|you've|your|yourself|u|ur)\b")
_FIRST_OR_OTHER = re.compile(
    r"\b(i|i'm|i've|i'd|i'll|im|ive|me|my|myself|we|he|she|they|his|her|their|him|them)\b"
)
# the writer answers someone going through it: their own recovery, encouragement
_SUPPORTING = re.compile(
    r"\b((i've|i have|ive) been (there|where you are)|i was where you|(come|came) out of|"
    r"(i'm|im|i am) (on the road to recovery|getting better|doing better)|it gets better|"
    r"things (do |will )?get better|hang in there|please (seek|get|reach out)|reach out to|"
    r"i (know|understand) how (hard|you feel)|please (go|get|seek) (in )?(for )?help|"
    r"help is (available|out there))\b"
)
_ASKING_HOW = re.compile(r"^(how|what|which|where|when|is|are|can|could|should|does|do)\b")
# (safety24) crisis words a supporting reply may address to its readers ("if any of you are
# thinking of suicide, please go in for help")
_CRISIS_TO_READER = re.compile(
    r"\b(suicid\w*|self[- ]?harm\w*|(end|ending) (it|your life|things)|(kill|killing|hurt|"
    r"hurting|harm|harming) yourself|(want|wanting) to die)\b"
)
# (safety24) what happens in a dream or nightmare ("I dream people stab me ... she told me to
# hang myself"): someone in the dream tells the writer to do it; voices are not dreams
_DREAM_FRAME = re.compile(r"\b(dream\w*|nightmares?)\b")
_TOLD_TO = re.compile(
    r"\b((told|tells|tell|telling|made|makes|forced|forces|wanted|wants) me to|(tied|ties|made|"
    r"makes|gave|gives|handed|hands) me( a| an| the)?)\s*$"
)
_HEARS_VOICES = re.compile(r"\bvoices?\b")


# (safety24) words tripping in front of others: a stutter when nervous, not a stroke's speech
_NERVOUS_SPEECH = re.compile(
    r"\b(stutter\w*|stammer\w*|tongue[- ]tied|nervous\w*|embarrass\w*|in class|in front of "
    r"(the |my )?(class|people|everyone|them)|presentation|public speaking|social anxiety)\b"
)
_STROKE_BODY_SIGN = re.compile(r"\b(sudden\w*|face|droop\w*|numb\w*|arm|leg|one side)\b")
# (safety24) signs read about ("I go to google ... weakness on one side of the body is a
# symptom"): a list from an article, not a report
_READ_ABOUT = re.compile(
    r"\b(google\w*|article|read (about|that|online|up)|look(ed|ing)? (it |that |this )?(up|into)|"
    r"search\w*|online|internet|website)\b"
)


# (safety24) a clause of a history sentence that speaks of now ("I was suicidal as a teen, now I
# hate life") is still read by the classifier
_NOW_MARK = re.compile(
    r"\b(now|right now|today|tonight|these days|lately|at the moment|any ?more|still|again)\b"
)
# (safety24) readers named without "you" ("if anyone reading this is thinking of suicide")
_READER = re.compile(r"\b(anyone|anybody|whoever)\b")
# a nightmare's content said of the writer: someone tells them to do it, or hands them means
_DREAM_DEED = re.compile(
    r"\b(told|tells|tell|telling|made|makes|forced|forces|wanted|wants) me to (kill|hang|hurt|"
    r"harm|shoot|drown|cut|end)\b|\b(tied|ties|made|makes|gave|gives|handed|hands) me (a |an |"
    r"the )?(noose|rope|gun|knife|blade|pills)\b"
)


# (loso28) What happens inside a nightmare or bad dream ("I had a nightmare about a rope
# around my neck", "bad dreams where I drown"): dream content, not a wish or a plan. A message
# that also states intent, urges or voices, or says the writer wishes it were real, stays a
# crisis. "I dream of ..." is left alone: it can state a wish ("I dream of not waking up").
_NIGHTMARE_FRAME = re.compile(
    r"\b(nightmares?|bad dreams?|horrible dreams?|scary dreams?|awful dreams?|night terrors?)\b"
    r"(?: \w+){0,4}? (about|of|that|where|in which|with)\b"
)
_DREAM_INTENT = re.compile(
    r"\b(want\w*|wanna|wish\w*|urges?|tempted|plan\w*|going to|gonna|thinking (about|of)|"
    r"think about (it|doing|ending|killing)|real life|for real|awake|wake up and|tonight|"
    r"do it|voices?)\b"
)


# (loso28) A question whether an overdose of something is possible at all, asked of people in
# general ("can you overdose on vitamin D?", "is it possible to overdose on melatonin?", "can
# kids overdose on ibuprofen by accident?"): an educational or safety question, not a method
# question about oneself. The message names no first person, no amount, no means gathered and
# no intent; method rules that name a medicine people use to self-poison keep their own wording
# ("can you overdose on amitriptyline" is still read by that rule).
_OVERDOSE_POSSIBLE = re.compile(
    r"^\W*(can|could|do|does|is it possible (to|for (you|someone|somebody|a person|people|kids|"
    r"children|a child|babies|a baby|dogs|a dog|cats|pets) to)|is it (even )?possible to) "
    r"((you|one|someone|somebody|a person|people|kids|children|a child|babies|a baby|adults|dogs|"
    r"a dog|cats|pets) )?(actually |really |ever |accidentally )?(overdose|od) (on|from|with) "
)
_OVERDOSE_PERSONAL = re.compile(
    r"\b(i|i'm|im|i've|ive|i'd|i'll|me|my|myself|mine|we|us|our)\b|\b(how (much|many)|"
    r"enough|lethal|fatal|deadly|die|dying|death|kill\w*|painless\w*|end it|suicid\w*|"
    r"want\w*|wanna|tonight|all of (them|it)|whole|entire|bottle|packet|box of)\b|\d"
)


def overdose_possibility(sentence: str, message: str) -> bool:
    """A general question whether one can overdose on something (see above)."""
    return bool(_OVERDOSE_POSSIBLE.search(sentence) and not _OVERDOSE_PERSONAL.search(message))


def nightmare_content(sentence: str, start: int, message: str) -> bool:
    """The words at ``start`` tell what happened in a nightmare or bad dream, in a message
    with no intent, urge, wish or voices (see above)."""
    before = sentence[:start]
    frame = None
    for m in _NIGHTMARE_FRAME.finditer(before):
        frame = m
    if frame is None or _SCOPE_BREAK.search(before[frame.end() :]):
        return False
    return not _DREAM_INTENT.search(message)


def dream_content(unit: str, message: str) -> bool:
    """(safety24) A clause that tells what someone did or said to the writer in a dream or
    nightmare, in a message with no voices (command voices stay a crisis)."""
    return bool(
        _DREAM_DEED.search(unit)
        and _DREAM_FRAME.search(message)
        and not _HEARS_VOICES.search(message)
    )


# (safety24) the fear of hurting a partner's healing body by touch or sex ("I'm scared to touch
# him because I'm afraid I will hurt him", after his operation): a care worry, not a fear of
# harming someone; a baby or child, or any wish to hurt, stays for the crisis exemplars
_TOUCH_HURT = re.compile(
    r"\b(touch\w*|sex|make love|making love|hug\w*|hold\w*|close to|lie on|lean on|cuddl\w*)\b"
    r".{0,80}\bhurt(ing)? (him|her|them)\b|\bhurt(ing)? (him|her|them)\b.{0,40}\b(touch\w*|sex|"
    r"hug\w*|hold\w*|cuddl\w*)"
)
_HEALING = re.compile(
    r"\b(surgery|operation|operated|removed|stitches|injur\w*|wound\w*|fractur\w*|broken|"
    r"healing|recover\w*|cyst|procedure)\b"
)
_HARM_INTENT = re.compile(
    r"\b(baby|babies|child|children|kids?|son|daughter|kill\w*|stab\w*|strangl\w*|want to hurt|"
    r"urges?|thoughts of (hurting|harming))\b"
)


# (safety26) an everyday injury told with what caused it ("I scratched my leg on a branch and
# it bled", "cut my finger while cooking"): a likeness to a self-harm exemplar is not a report
# of self-harm when the message names an accident and no intent (the rules still read it)
_ACCIDENT_CAUSE = re.compile(
    r"\b(on|against|with|from|by) (a|an|the|some|my|our|his|her|their) (\w+ )?(branch|branches|"
    r"bramble\w*|thorns?|bush|hedge|rose\w*|nail|fence|glass|tin|can|door|table|corner|edge|wire|"
    r"oven|stove|hob|iron|kettle|pan|tray|cat|dog|puppy|kitten|rock|stone|paper|cupboard|shelf|"
    r"car door|bike|chain|tool|saw|drill)\b|\b(by accident|accidentally|while (cooking|chopping|"
    r"gardening|shaving|cleaning|working|climbing|hiking))\b"
)
_SELF_INTENT = re.compile(
    r"\b(on purpose|deliberately|intentionally|my ?self|urges?|wanted to|want to|to cope|punish)\b"
)


def accidental_injury(message: str) -> bool:
    """An injury told with its everyday cause and no intent (see above)."""
    return bool(_ACCIDENT_CAUSE.search(message)) and not _SELF_INTENT.search(message)


def care_worry(parent: str, message: str) -> bool:
    """(safety24) Afraid of hurting a partner who is healing, through touch or sex."""
    return bool(
        _TOUCH_HURT.search(parent) and _HEALING.search(message) and not _HARM_INTENT.search(message)
    )


def to_reader(unit: str, message: str) -> bool:
    """(safety24) Every crisis word of the unit is addressed to the reader in a reply that
    supports someone going through it (see addressed_to_you)."""
    hits = list(_CRISIS_TO_READER.finditer(unit))
    if not hits or not _SUPPORTING.search(message):
        return False
    return all(addressed_to_you(unit, m.start()) for m in hits)


def addressed_to_you(sentence: str, start: int) -> bool:
    """The crisis words at ``start`` are about the reader ("you"), not the writer or someone
    they are with: the last person named before them, in their clause, is "you". A question
    ("how do you kill yourself") still counts."""
    left = 0
    for m in _SCOPE_BREAK.finditer(_ON_AND_OFF.sub(_joined, sentence)):
        if m.end() <= start:
            left = max(left, m.end())
    before = sentence[left:start]
    last = ""
    for w in re.findall(r"[\w']+", before):
        if _SECOND_PERSON.fullmatch(w) or _READER.fullmatch(w) or _FIRST_OR_OTHER.fullmatch(w):
            last = w
    if not last or not (_SECOND_PERSON.fullmatch(last) or _READER.fullmatch(last)):
        return False
    return not (_ASKING_HOW.match(before.strip()) or _ASKING_HOW.match(sentence.strip()))


# Medical word shapes: inflammations, conditions, procedures, specialties, common complaints.
_MEDICAL_WORD = re.compile(
    r"\b\w{3,}(itis|osis|emia|aemia|ectomy|otomy|oscopy|ology|algia|pathy|plasty|ism)\b|"
    r"\b(syndrome|disease|disorder|illness|fractur\w*|faint\w*|anorexi\w*|bulimi\w*|allerg\w*|intoleran\w*|infect\w*|virus|viral|"
    r"bacteria\w*|vaccin\w*|inhaler|antibiotic\w*|prescription|sting|bite|rash|itch\w*|"
    r"baby|babies|toddler|newborn|pregnan\w*|smok\w*|vap\w*|alcohol|sunburn|sunscreen|"
    r"dehydrat\w*|gluten|lactose|shingles|measles|chickenpox|stye|wart|blister|nosebleed|"
    r"constipat\w*|diarrh\w*|cough\w*|sneez\w*|fever|sore throat|runny nose|blocked nose|"
    r"period|contracept\w*|libido|hormone\w*|glands?|stones?|ulcer|tumou?r|sickness|"
    r"reflux|heartburn|snor\w*|ears?|earwax|gums?|teeth|tooth|utis?|hydrat\w*|jet ?lag|"
    r"dandruff|hives|antihistamin\w*|\w+oma|cold sores?|skincare|eczema|psoriasis|"
    r"nutrition|diet\w*|vitamins?|supplements?|sleep\w*|insomnia|medicines?|pills?|"
    r"seizures?|epilep\w*|diabet\w*|insulin|blood (sugar|pressure)|stools?|urine|tablets?)\b"
)


# bleeding tied to periods or contraception ("spotting after the morning-after pill", "bleeding
# between periods") is a GP matter (NHS: bleeding between periods, after sex or after emergency
# contraception); it needs help now when heavy, with clots, severe pain, fainting, or in a
# pregnancy. The classifier may not escalate such a message on its own; the rules still read it.
_PERIOD_CONTEXT = re.compile(
    r"\b(periods?|spotting|contracepti\w*|i-?pills?|morning[- ]after pill|menstrua\w*|"
    r"coil|iud|implant)\b"
)
_PERIOD_DANGER = re.compile(
    r"\b(heavy|heavily|soak\w*|clots?|severe|intense|unbearable|excruciating|sharp|faint\w*|"
    r"dizz\w*|collaps\w*|ectopic|miscarr\w*|weeks pregnant|(i'm|i am|she's|she is|wife is) "
    r"pregnant|positive (pregnancy )?test|passed out)\b"
)


# heavy period bleeding ("soaking a pad every hour") needs help the same day (NHS heavy
# periods: urgent GP appointment or 111); fainting, collapse or a pregnancy makes it 999
_PERIOD_EMERGENCY = re.compile(
    r"\b(faint\w*|collaps\w*|passed out|pass out|unconscious|ectopic|miscarr\w*|weeks pregnant|"
    r"(i'm|i am|she's|she is|wife is) pregnant|positive (pregnancy )?test|gave birth|given birth)\b"
)


def heavy_period_bleeding(message: str) -> bool:
    """Heavy bleeding with a period, with no sign of fainting, collapse or a pregnancy: urgent,
    not an emergency."""
    return bool(_PERIOD_CONTEXT.search(message)) and not _PERIOD_EMERGENCY.search(message)


def routine_period_bleeding(message: str) -> bool:
    """The message is about bleeding or pain around periods or contraception with no sign
    that it needs help now (see _PERIOD_DANGER)."""
    return bool(_PERIOD_CONTEXT.search(message)) and not _PERIOD_DANGER.search(message)


@dataclass(frozen=True)
class Turn:
    """One conversation turn."""

    role: str
    content: str


@dataclass(frozen=True)
class RouterResult:
    """The decision, the cleaned query for retrieval, and whether the message is health related."""

    decision: RouteDecision
    query: str
    health_related: bool
    vector: Any = None  # the query's embedding when the router computed it
    escalations: tuple[RouteDecision, ...] = ()
    symptom_report: bool = False  # a first-person report of current symptoms


@dataclass(frozen=True)
class _Finding:
    route: str
    rule: str
    evidence: str
    score: float | None = None
    unit: str = ""  # the sentence or clause the finding came from


@dataclass(frozen=True)
class RiskInput:
    """One sentence or clause as the learned classifier reads it, with the rule gates."""

    unit: str
    masked: str  # negated spans removed (the physical classes read this)
    physical: bool  # may escalate to emergency / urgent (names a red-flag word, not negated)
    crisis: bool  # may escalate to crisis
    # crisis withheld only because the unit is a fragment of a long post (crisis_fragment):
    # it does not keep the whole message out of the crisis class, as a denial would
    fragment: bool = False


_DEFAULT = object()


class SafetyRouter:
    """Routes a message (and its conversation) to a route of the safety brief."""

    def __init__(
        self,
        embeddings: SentenceEmbeddings | None = None,
        data: SafetyData | None = None,
        cache_dir: Path | None = None,
        risk_model: RiskModel | object | None = _DEFAULT,
    ) -> None:
        self.data = data or load_safety_data()
        self.embeddings = embeddings
        self.risk = self._load_risk(risk_model)
        lex = self.data.lexicon
        self._replace = {str(k).lower(): str(v) for k, v in (lex.get("replace") or {}).items()}
        self._fuzzy = [str(w) for w in lex.get("fuzzy_targets") or []]
        self._cues = sorted((str(c) for c in lex.get("negation_cues") or []), key=len, reverse=True)
        self._pseudo = [str(p) for p in lex.get("pseudo_negations") or []]
        self._breakers = {str(b) for b in lex.get("scope_breakers") or []}
        self._window = int(lex.get("negation_window", 5))
        self._health = [str(h).lower() for h in lex.get("health_terms") or []]
        self._reasons = {c.id: c.reason for c in self.data.categories}
        # the words red flags are about (every emergency and urgent rule's anchors): the
        # classifier may not escalate a clause that names none ("my back hurts")
        physical = [
            r.anchors.pattern
            for r in self.data.rules
            if r.anchors is not None and r.route in ("emergency", "urgent")
        ]
        self._red_flag_words = (
            re.compile("|".join(f"(?:{p})" for p in physical)) if physical else None
        )
        self._anchors = {r.id: r.anchors for r in self.data.rules if r.anchors is not None}
        self._acute_rules = {r.id for r in self.data.rules if r.acute}
        # a category whose every rule needs a context word needs it for exemplar matches too
        by_id: dict[str, list[re.Pattern[str] | None]] = {}
        for r in self.data.rules:
            if not r.rule_only:  # (safety25) an added wording leaves the exemplar gate alone
                by_id.setdefault(r.id, []).append(r.requires)
        self._requires = {k: v[0] for k, v in by_id.items() if len(v) == 1 and v[0] is not None}
        self._cat_route = {c.id: c.route for c in self.data.categories}
        self._turn_cache: dict[str, tuple[list[str], list[str]]] = {}
        # embeddings and masked forms of texts already seen (earlier turns come back each turn)
        self._vectors = VectorCache(embeddings) if embeddings is not None else None
        self._masked = TextMemo(self.mask_negated)
        self._report_vecs: np.ndarray | None = None
        self._ask_vecs: np.ndarray | None = None
        self._exemplar_matrix: Any = None  # torch tensor, built on first use
        self._report_cat: list[str] = []
        self._report_text: list[str] = []
        if embeddings is not None:
            texts = []
            for cat in self.data.categories:
                for rep in cat.reports:
                    texts.append(self.normalise(rep))
                    self._report_cat.append(cat.id)
                    self._report_text.append(rep)
            self._report_vecs = embeddings.cached_encode(texts, cache_dir)
            self._ask_vecs = embeddings.cached_encode(
                [self.normalise(a) for a in self.data.asking], cache_dir
            )

    def clear_caches(self) -> None:
        """Forget remembered embeddings, masked forms and earlier turns' sentences."""
        if self._vectors is not None:
            self._vectors.clear()
        self._masked.clear()
        self._turn_cache.clear()

    def _cache(self) -> VectorCache | None:
        """The vector cache of the current ``embeddings`` (training swaps in a table of
        precomputed vectors for a while: the cache follows, so nothing else is embedded)."""
        if self.embeddings is None:
            return None
        if self._vectors is None or self._vectors.embeddings is not self.embeddings:
            self._vectors = VectorCache(self.embeddings)
        return self._vectors

    @property
    def model_calls(self) -> int:
        """How many times routing has called the embedding model (tests, profiling)."""
        return self._vectors.model_calls if self._vectors is not None else 0

    def _load_risk(self, given: RiskModel | object | None) -> RiskModel | None:
        model = RiskModel.load() if given is _DEFAULT else given
        if not isinstance(model, RiskModel) or self.embeddings is None:
            return None
        if model.dim != self.embeddings.dimension or (
            model.model_name and model.model_name != self.embeddings.model_name
        ):
            log.warning(
                "risk model was trained on %s (%d-d), not %s: it is switched off; run "
                "`painguide safety train` for this embedding model",
                model.model_name,
                model.dim,
                self.embeddings.model_name,
            )
            return None
        return model

    # --- normalisation ---------------------------------------------------------------
    def normalise(self, text: str) -> str:
        """Lower case, slang mapped, misspelt red-flag words corrected."""
        from rapidfuzz.distance import DamerauLevenshtein

        # (safety19) a post title with no full stop, run into the first sentence of the body
        # ("... going to gun stores regularly When I was in 10th grade ..."), ends a sentence
        # there: the marker becomes a line break, so the words (and the vector) do not change
        text = _TITLE_RUN_ON.sub(" \x00 ", clean_text(text))
        text = text.lower().replace("’", "'").replace("‘", "'")
        # (safety26) a clinician's query mark before a word ("?CES", "LBP, ?discitis") asks
        # nothing and ends no sentence: it reads "query"
        text = _QUERY_MARK.sub(r"\1query ", text)
        out: list[str] = []
        breaks: set[int] = set()
        # a decimal stays one token ("39.5", "7.8 mmol"): a reading is not two sentences
        for tok in re.findall(r"\d+\.\d+|[\w'/+-]+|[^\w\s]", text):
            if tok == "\x00":
                breaks.add(len(out))
                continue
            low = tok.lower()
            if low in self._replace:
                out.append(self._replace[low])
                continue
            known = low in self._fuzzy or low in _REAL_WORDS
            if len(low) >= 6 and low.isalpha() and not known:
                best = None
                for target in self._fuzzy:
                    limit = 2 if len(target) >= 10 else 1
                    if abs(len(target) - len(low)) <= limit and (
                        DamerauLevenshtein.distance(low, target) <= limit
                    ):
                        best = target
                        break
                out.append(best or low)
                continue
            out.append(low)
        spaced = "".join(
            (("\n" if i in breaks else " ") if i else "") + tok for i, tok in enumerate(out)
        )
        joined = _SPLIT_NOT.sub(_rejoin_not, spaced)  # transcripts: "ca n't" -> "can't"
        joined = _DOSE_FOR_DOES.sub(  # "why dose exercise help" means "does"
            lambda m: f"{m.group(1)} does" if m.group(1) else f"{m.group(2)}does", joined
        )
        joined = _FELL_FOR_FEEL.sub(lambda m: f"{m.group(1)} feel ", joined)
        joined = _SCREEN_YES.sub(_screen_yes, joined)
        joined = _IDIOM_STROKE.sub(_idiom, joined)
        return re.sub(r"\s+([,.!?;:])", r"\1", joined)

    def sentences(self, normalised: str) -> list[str]:
        """Split normalised text into sentences (newlines and ; also end one)."""
        parts = [p.strip() for p in _SENTENCE.split(normalised) if p and p.strip()]
        return parts or [normalised]

    def units(self, sentences: list[str]) -> list[str]:
        """Sentences plus their clauses: a red flag in one clause is not diluted by the rest."""
        out = list(sentences)
        for s in sentences:
            pieces = [p.strip() for p in _CLAUSE.split(s) if p and p.strip()]
            if len(pieces) > 1:
                out.extend(p for p in pieces if len(p.split()) >= MIN_CLAUSE_WORDS)
        return list(dict.fromkeys(out))[:MAX_UNITS]

    # --- question / negation -----------------------------------------------------------
    def is_educational(self, sentence: str) -> bool:
        """A question ABOUT a symptom with no first-person report in it."""
        s = sentence.strip()
        if not (_EDU_START.match(s) or _EDU_CUES.search(s)):
            return False
        if _RED_FLAG_LIST.search(s) and not _EDU_START.match(s):
            return False
        if _SELF_ACTIVITY_WITH.search(s):
            return False  # (safety27) "can I still run with numbness around my bum?" reports it
        return not _FIRST_PERSON.search(_QUESTION_SELF.sub(" ", s))

    def is_negated(self, sentence: str, start: int, window_words: int | None = None) -> bool:
        """True when a negation cue governs the words at ``start`` (NegEx-style scope)."""
        limit = self._window if window_words is None else window_words
        before = sentence[:start]
        for phrase in self._pseudo:
            before = before.replace(phrase, " ")
        toks = re.findall(r"[\w']+|[,;:]", before)
        window: list[str] = []
        for tok in reversed(toks):
            if tok in self._breakers or tok in {";", ":"}:
                break
            if tok == "," and window and window[-1] in _NEW_SUBJECT:
                break  # "i'm not feeling good, i can't breathe": a new clause, a new subject
            window.append(tok)
            if len([t for t in window if t not in {","}]) >= limit:
                break
        text = " ".join(reversed(window))
        return any(re.search(rf"(^|\s){re.escape(c)}(\s|$)", text) for c in self._cues)

    def _sentence_negated(self, sentence: str) -> bool:
        return self.is_negated(sentence, len(sentence))

    def mask_negated(self, text: str) -> str:
        """The text without negation cues and the words they govern ("no chest pain, but I
        fainted" -> ", but i fainted"). Pseudo-negations ("no longer", "can't tell") stay."""
        toks = re.findall(r"[\w'/+-]+|[^\w\s]", text)
        cues = [c.split() for c in self._cues]
        pseudo = [p.split() for p in self._pseudo]
        out: list[str] = []
        i = 0
        while i < len(toks):
            hit = next((p for p in pseudo if toks[i : i + len(p)] == p), None)
            if hit:
                out.extend(hit)
                i += len(hit)
                continue
            cue = next((c for c in cues if toks[i : i + len(c)] == c), None)
            if cue is None:
                out.append(toks[i])
                i += 1
                continue
            i += len(cue)
            words = 0
            while i < len(toks) and words < MASK_WINDOW:
                tok = toks[i]
                nxt = toks[i + 1] if i + 1 < len(toks) else ""
                if not re.match(r"[\w']", tok) or tok in self._breakers:
                    break
                if (tok == "and" and nxt in _AND_BREAK) or (words and tok in _NEW_SUBJECT):
                    break  # "not feeling good i can't breathe": a new clause without a comma
                i += 1
                words += 1
        return re.sub(r"\s+([,.!?;:])", r"\1", " ".join(out)).strip()

    def risk_inputs(
        self, units: list[str], personal: bool, long_post: bool = False
    ) -> list[RiskInput]:
        """What the learned classifier may read in each unit (rules decide the gates). In a
        long post (``long_post``: a consultation letter, a story) a red flag only counts from
        a clause that reports something happening now, as for exemplar matches: the history,
        questions and worries around it are not a report."""
        out = []
        message = " ".join(units)  # the sentences come first: the whole message is in here
        # routine periods, or the usual pattern with nothing new: not read as a report
        routine = routine_period_bleeding(message) or usual_pattern(message)
        # a complaint a doctor or a test has already checked, with nothing new or current in
        # the message ("stabbing chest pains, had several cardiac tests, all OK"): a question
        # about an assessed complaint, as the acute rules read it (see ``assessed``)
        # (read over the sentences only: a clause cut from "now and then" reads as "now")
        whole = " ".join(u for u in units if not any(u != v and u in v for v in units))
        routine = routine or assessed(whole, whole)
        # (safety20) legs numb or weak with standing or walking and nothing else: claudication
        routine = routine or legs_on_standing(whole, whole)
        history = [
            v for v in units if not any(v != w and v in w for w in units) and self.crisis_history(v)
        ]
        for u in units:
            masked = self._masked(u)
            physical = (
                len(re.findall(r"[a-z]+", masked)) >= MIN_MASKED_WORDS
                and not (self.is_educational(u) and not personal)
                and not _REASSURED.search(u)
                and not everyday_look_alike(u)
                and self._names_red_flag(u)
                and not self.long_standing_unit(u, self._red_flag_words, message)
                # (lead24) a clause cut from its time: "gets repeated nose bleeds" from "... since
                # he was little" (the sentence, which comes first in ``units``, says how long)
                and not self.long_standing_unit(
                    next((v for v in units if u in v), u), self._red_flag_words, message
                )
                and not (long_post and not present_report(u, "emergency"))
                and not past_only(u, message)
                and not routine
                and not asked_diagnosis_only(
                    u, next((v for v in units if u in v), u), self._names_red_flag
                )
            )
            clear = not (_CRISIS_DENIAL.search(u) or _FIGURATIVE.search(u))
            clear = clear and not self.crisis_history(u) and not told_as_past(u, message)
            # (safety24) a clause of a sentence that tells past history is history too ("I have
            # overcome, for one thing: being suicidal for 27 years"), and crisis words a
            # supporting reply addresses to its readers are not the writer's own
            clear = clear and not (
                any(u != v and u in v for v in history) and not _NOW_MARK.search(u)
            )
            clear = clear and not to_reader(u, message)
            # (loso28) what happens in a nightmare; whether an overdose is possible at all
            clear = clear and not (
                nightmare_content(u, len(u), message) or overdose_possibility(u, message)
            )
            fragment = clear and long_post and crisis_fragment(u)
            out.append(RiskInput(u, masked, physical, clear and not fragment, fragment))
        return out

    def whole_message_input(self, inputs: list[RiskInput], normalised: str) -> RiskInput | None:
        """The whole message as one more crisis input (long posts spread a wish to die over
        several sentences). Only when every clause may reach crisis: one denial, figurative
        phrase or past-history clause anywhere keeps the whole message out."""
        if len(inputs) < 2 or not all(ri.crisis or ri.fragment for ri in inputs):
            return None
        if any(ri.unit == normalised for ri in inputs):
            return None
        return RiskInput(normalised, normalised, False, True)

    def crisis_history(self, text: str) -> bool:
        """Past or family history of suicide or self-harm with no sign of current risk."""
        if not _CRISIS_TERM.search(text):
            return False
        if _BEREAVED.search(text) and not _CRISIS_INTENT.search(text):
            return True
        return bool(_CRISIS_PAST.search(text) and not _CRISIS_NOW.search(text))

    def _history_sentence(self, sentence: str, message: str) -> bool:
        """A sentence that tells past or family history of suicide, self-harm or an eating
        disorder (per sentence, or as part of a story told in the past)."""
        return self.crisis_history(sentence) or bool(
            _CRISIS_TERM.search(sentence) and told_as_past(sentence, message)
        )

    def _risk_findings(
        self, inputs: list[RiskInput], masked_vecs: np.ndarray, raw_vecs: np.ndarray
    ) -> list[_Finding]:
        if self.risk is None or not inputs:
            return []
        probs = self.risk.probabilities(masked_vecs, raw_vecs)
        found = []
        for col, cls in enumerate(CLASSES):
            limit = self.risk.thresholds.get(cls, 1.0)
            allowed = [ri.crisis if cls == "crisis" else ri.physical for ri in inputs]
            best, where = -1.0, -1
            for i, ok in enumerate(allowed):
                if ok and float(probs[i, col]) > best:
                    best, where = float(probs[i, col]), i
            if where >= 0 and best >= limit:
                unit = inputs[where].unit
                found.append(_Finding(cls, f"risk_model:{cls}", unit, round(best, 3), unit))
        return found

    @staticmethod
    def long_standing_unit(unit: str, about: re.Pattern[str] | None, message: str) -> bool:
        """Every clause of the unit that names what a red flag is about (``about``) says it
        has lasted or happened months or years ago, and nothing in the message is new."""
        split = _SCOPE_BREAK.split(_ON_AND_OFF.sub(_joined, unit))
        clauses = [c for c in split if c and c.strip()] or [unit]
        relevant = [c for c in clauses if about is None or about.search(c)] or [unit]
        return all(long_standing(c, message) for c in relevant)

    def _names_red_flag(self, unit: str) -> bool:
        """Whether a clause names anything an emergency or urgent red flag is about, outside a
        question about recovering from a past event ("how can I help my mum get her arm moving
        again after her stroke" is rehabilitation, not a stroke happening now)."""
        if _PAST_EVENT.search(unit) and not _ACUTE_TIME.search(unit) and self.is_question(unit):
            return False
        return self._red_flag_words is None or bool(self._red_flag_words.search(unit))

    @staticmethod
    def is_question(text: str) -> bool:
        """Whether the text asks something (question word first, or a question mark)."""
        return bool(_QUESTION_FORM.search(text.strip()) or "?" in text)

    def _encode_risk(self, inputs: list[RiskInput], known: dict[str, Any]) -> tuple[Any, Any]:
        """Vectors of each unit and of its masked form, embedding only what is new."""
        import numpy as np

        assert self.embeddings is not None
        new = [t for t in dict.fromkeys(ri.masked for ri in inputs) if t not in known]
        new += [
            t for t in dict.fromkeys(ri.unit for ri in inputs) if t not in known and t not in new
        ]
        if new:
            cache = self._cache()
            assert cache is not None
            known.update(zip(new, cache.encode(new), strict=True))
        raw = np.stack([known[ri.unit] for ri in inputs])
        masked = np.stack([known[ri.masked] for ri in inputs])
        return masked, raw

    # --- detection ---------------------------------------------------------------------
    def _rule_findings(
        self, sentence: str, routes: set[str], personal: bool = False, context: str = ""
    ) -> list[_Finding]:
        found = []
        educational = self.is_educational(sentence) and not personal
        for rule in self.data.rules:
            if rule.route not in routes:
                continue
            # (safety25) the context gate is read only once a pattern matches: the same
            # decisions, without searching the whole message for every rule and sentence
            if rule.note_only and not clinical_note(context or sentence):
                continue
            req = rule.requires
            gate: bool | None = None if req is not None else True
            for pat in rule.patterns:
                for m in pat.finditer(sentence):
                    if gate is None and req is not None:
                        gate = bool(req.search(context or sentence))
                    if not gate:
                        break
                    if rule.route in {"emergency", "urgent"} and educational:
                        continue  # a question ABOUT a symptom; crisis words always count
                    window = CRISIS_NEGATION_WINDOW if rule.route == "crisis" else None
                    if rule.route != "out_of_scope" and self.is_negated(
                        sentence, m.start(), window
                    ):
                        continue
                    if rule.route == "crisis" and self._crisis_not_about_writer(
                        sentence, m, context or sentence
                    ):
                        continue
                    if rule.acute and long_standing(
                        _clause_at(sentence, m.start(), m.end()), context or sentence
                    ):
                        continue  # "chest pains for 4 years": long-standing, not a report now
                    if rule.id in _TIMED_BY_MESSAGE and (
                        long_standing(context or sentence, context or sentence)
                        or (
                            _CHRONIC.search(context or sentence)
                            and not _ACUTE_CUE.search(context or sentence)
                        )
                    ):
                        continue  # (safety16) "back problem for 12 months. I fell off a horse"
                    if rule.id == "both_legs_sciatica_or_weakness" and legs_on_standing(
                        sentence, context or sentence
                    ):
                        continue  # (safety20) neurogenic claudication, see legs_on_standing
                    if rule.acute and assessed(sentence, context or sentence):
                        continue  # "chest pain, ECG and echo all normal": already checked
                    if recovery_question(
                        _clause_at(sentence, m.start(), m.end()), context or sentence
                    ):
                        continue  # (lead25) "my mum had a stroke, when can she exercise?"
                    if (
                        rule.id == "body_urgent"
                        and _BREATHING_SIGN.search(m.group(0))
                        and occasional_breathing(sentence, context or sentence)
                    ):
                        continue  # (safety22) "difficulty breathing in crowded places"
                    if rule.id in _NOW_SIGNS_RULES and not_current_sign(
                        sentence, m.start(), m.end(), context or sentence
                    ):
                        continue  # (safety22) told as occasional, a list, or checked already
                    if rule.route in {"emergency", "urgent"} and (
                        _DIED_OF.search(sentence[: m.start()]) or died_in(sentence)
                    ):
                        continue  # (lead24) the cause or the story of someone's death
                    if (
                        rule.id == "cauda_equina"
                        and _GENITAL_ONLY.search(m.group(0))
                        and not _SADDLE_CONTEXT.search(_without_negated(context or sentence))
                    ):
                        continue  # (lead24) genital numbness, with no back, leg or bladder sign
                    if (
                        rule.id == "infection_signs"
                        and re.search(r"fever|temp", m.group(0))
                        and (
                            normal_temperature(context or sentence)
                            or (
                                _LOW_GRADE.search(sentence[: m.start()])
                                and not _HIGH_READING.search(context or sentence)
                                and not _FEVER_PLUS.search(context or sentence)
                            )
                        )
                    ):
                        continue  # (lead24) a measured or low-grade temperature, not a fever
                    if rule.id == "collapse_or_breathing" and known_seizures(
                        m.group(0), context or sentence
                    ):
                        continue  # (lead24) recurring seizures already known and treated
                    if (
                        rule.id == "stroke"
                        and not re.search(r"\b(my|his|her)\b", m.group(0))
                        and _READ_ABOUT.search(sentence[: m.start()])
                    ):
                        continue  # (safety24) a sign read about online, not a report
                    route = rule.route
                    if rule.id == "heavy_bleeding" and heavy_period_bleeding(context or sentence):
                        route = "urgent"
                    found.append(_Finding(route, rule.id, m.group(0), None, sentence))
                    break
                else:
                    continue
                break
        return found

    @staticmethod
    def _crisis_not_about_writer(sentence: str, m: re.Match[str], message: str) -> bool:
        """Crisis words that name a topic ("suicide prevention month"), speak to the reader
        in a reply that tells the writer's own recovery ("I've been there ... no-one will blame
        you for wanting to end it") or are denied ("I never made any suicide threats")."""
        if m.group(0).startswith("suicid") and _CRISIS_TOPIC.match(sentence[m.end() :]):
            return True
        if _SUPPORTING.search(message) and addressed_to_you(sentence, m.start()):
            return True
        if (
            _DREAM_FRAME.search(message)
            and not _HEARS_VOICES.search(message)
            and _TOLD_TO.search(sentence[: m.start()])
        ):
            return True  # (safety24) what someone says to the writer in a nightmare
        if nightmare_content(sentence, m.start(), message):
            return True  # (loso28) "I had a nightmare about a rope around my neck"
        said = m.group(0)
        if said.startswith("overdos") and overdose_possibility(sentence, message):
            return True  # (loso28) "can you overdose on vitamin D?"
        if (
            re.match(r"(end|ending) (it|things)\b", said)
            and _ENDS_RELATIONSHIP.search(sentence if "?" not in sentence else message)
            and not _LIFE_WORDS.search(said)
        ):
            return True  # (safety15) ending a relationship
        if re.fullmatch(r"going (\w+ ){0,2}(to )?die", said) and not _GOING_SELF.search(
            sentence[: m.start()]
        ):
            return True  # (safety15) "they are probably going to die", "I thought I was going to"
        clause = _clause_at(sentence, m.start(), m.end())
        if crisis_word_as_topic(said, clause, sentence, message):
            return True
        if crisis_word_in_list(said, sentence, m.start(), message):
            return True  # (safety17) one item of a list of conditions in a long post
        if _OTHERS_SAY_END.search(sentence[: m.start()]):
            return True  # (safety17) what others say of the writer
        return any(
            not (set(d.group(2).split()) & _NOT_A_DENIAL) and not d.group(0).startswith("not to")
            for d in _RULE_DENIAL.finditer(clause)
            if d.start() < clause.find(m.group(0))  # "why should I not kill myself" asks
        )

    def _semantic_findings(
        self,
        sentences: list[str],
        vecs: np.ndarray,
        routes: set[str],
        parents: list[str] | None = None,
        similar: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> list[_Finding]:
        """Exemplar matches per unit; a clause is judged with the sentence it came from
        (``parents``), so "why does stress and worry make my pain worse" stays a question.
        ``similar``: the rows of similarities() for these units, when already computed."""
        if self._report_vecs is None or self._ask_vecs is None:
            return []
        found = []
        message = " ".join(parents or sentences)
        sims, asks = similar if similar is not None else self.similarities(vecs)
        for i, sentence in enumerate(sentences):
            j = int(sims[i].argmax())
            cat = self._report_cat[j]
            route = self._cat_route[cat]
            best = float(sims[i, j])
            if route not in routes or best < SEMANTIC_THRESHOLD.get(route, 1.0):
                continue
            if best - float(asks[i]) < SEMANTIC_MARGIN.get(route, 1.0):
                continue
            anchor = self._anchors.get(cat)
            if anchor is not None and not anchor.search(sentence):
                continue  # similar in tone but missing every word the category is about
            if cat in self._acute_rules and self.long_standing_unit(sentence, anchor, message):
                continue
            if cat in self._acute_rules and long_standing(message, message):
                # (safety16) a likeness to an exemplar is weaker evidence than a rule: in a
                # message that dates its story months or years back with nothing new or current
                # ("I broke my collarbone back in 2009, my chest seems deformed"), it is not
                # read as a sign happening now (the rules themselves still are)
                continue
            if cat in self._acute_rules and assessed(_parent_of(sentence, parents), message):
                continue  # (lead24) a likeness in a sentence that tells a check or treatment
            if route in {"emergency", "urgent"} and recovery_question(sentence, message):
                continue  # (lead25) "my dad had a heart attack, can he do yoga?": recovery
            if (
                cat in _TIMED_BY_MESSAGE
                and _CHRONIC.search(message)
                and not _ACUTE_CUE.search(message)
            ):
                continue  # (safety16) "I had a snowboarding accident, I'm always in pain"
            if everyday_look_alike(sentence):
                continue  # "back pain that goes down one leg": the sciatica question
            if cat == "both_legs_sciatica_or_weakness" and legs_on_standing(
                _parent_of(sentence, parents), message
            ):
                continue  # (safety20) neurogenic claudication, see legs_on_standing
            if not exemplar_names_the_sign(cat, sentence, message):
                continue
            if route == "crisis" and care_worry(_parent_of(sentence, parents), message):
                continue  # (safety24) afraid of hurting a partner's healing body by touch
            if cat == "self_harm" and accidental_injury(message):
                continue  # (safety26) "I scratched my leg on a branch and it bled"
            if route == "crisis" and (
                accidental_child_ingestion(message) or someone_scalded(message)
            ):
                continue  # (safety27) a child's accidental poisoning, a scald: emergencies
            if (
                cat == "stroke"
                and _NERVOUS_SPEECH.search(message)
                and not _STROKE_BODY_SIGN.search(message)
            ):
                continue  # (safety24) "I messed up my words and stuttered" in front of a class
            needs = self._requires.get(cat)
            if needs is not None and not needs.search(message):
                continue
            parent = _parent_of(sentence, parents)
            if not self._semantic_allowed(route, sentence, parent):
                continue
            if route == "crisis" and crisis_clause_as_topic(sentence, parent, message):
                continue  # (safety15) "people post pictures of self harm" in a long post
            if len(parents or sentences) >= LONG_POST_SENTENCES and not present_report(
                sentence, route
            ):
                continue  # a loose match inside a long post needs a report of now
            found.append(
                _Finding(route, cat, f"similar to: {self._report_text[j]}", best, sentence)
            )
        return found

    def similarities(self, vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row of ``vecs``: cosine to every exemplar report, and to the closest benign
        'asking' exemplar (one matrix product for all of a message's texts at once)."""
        import numpy as np
        import torch

        assert self._report_vecs is not None and self._ask_vecs is not None
        if self._exemplar_matrix is None:  # reports then askings, one (dim, n) matrix
            both = np.concatenate([self._report_vecs, self._ask_vecs]).astype(np.float32)
            self._exemplar_matrix = torch.from_numpy(np.ascontiguousarray(both.T))
        # torch, not numpy: it keeps to the configured torch threads, where numpy's OpenBLAS
        # wakes a second thread and waited ~10 ms per product on the busy 2-core machine
        rows = torch.from_numpy(np.ascontiguousarray(vecs, dtype=np.float32))
        out = (rows @ self._exemplar_matrix).numpy()
        n = len(self._report_vecs)
        return out[:, :n], out[:, n:].max(axis=1)

    def _semantic_allowed(self, route: str, unit: str, parent: str) -> bool:
        """The rule gates an exemplar match must pass (question, negation, figures of speech)."""
        if route == "urgent" and (_QUESTION_FORM.search(unit) or _QUESTION_START.match(parent)):
            return False  # urgent needs a report; questions reach urgent only through rules
        if self.is_educational(unit) or self.is_educational(parent):
            return False
        if route == "crisis" and (_FIGURATIVE.search(unit) or _FIGURATIVE.search(parent)):
            return False  # "does it mean I hurt myself?" asks about an injury
        if route == "crisis" and (
            to_reader(unit, parent)
            or dream_content(unit, parent)
            or nightmare_content(unit, len(unit), parent)
            or overdose_possibility(unit, parent)
        ):
            return False  # (safety24) advice to readers; what happens in a nightmare
        if route == "crisis" and others_say_of_writer(unit, parent):
            return False  # (safety17) "people tell me that I'm starving myself"
        if route == "crisis" and any(
            not (set(d.group(2).split()) & _NOT_A_DENIAL) for d in _RULE_DENIAL.finditer(unit)
        ):
            return False  # (safety15) "I haven't been thinking of ending it"
        if (
            route == "crisis"
            and re.search(r"\b(end|ending) (it|things)\b", unit)
            and _ENDS_RELATIONSHIP.search(parent)
            and not re.search(r"\b(end|ending) (it|things) (all|for good|forever)\b", unit)
        ):
            return False  # (safety15) ending a relationship, not a life
        if route in {"emergency", "urgent"} and occasional_breathing(parent, parent):
            return False  # (safety22) breathing difficulty told as occasional
        if route == "out_of_scope":
            # a personal request needs a person, and asking who can help is not one
            return bool(_FIRST_PERSON.search(unit)) and not _WHO_TO_ASK.search(parent)
        return not (self._sentence_negated(unit) or _REASSURED.search(unit))

    def _escalations(
        self, sentences: list[str], vecs: np.ndarray | None, routes: set[str]
    ) -> list[_Finding]:
        found: list[_Finding] = []
        # "what helps saddle numbness? mine started yesterday": a first-person sentence
        # anywhere makes a symptom question a report
        personal = any(_FIRST_PERSON.search(_QUESTION_SELF.sub(" ", s)) for s in sentences)
        whole = " ".join(sentences)
        for s in sentences:
            found.extend(self._rule_findings(s, routes, personal, whole))
        if vecs is not None:
            found.extend(self._semantic_findings(sentences, vecs, routes))
        return found

    def _learned(
        self,
        sentences: list[str],
        units: list[str],
        known: dict[str, Any],
        whole: str | None = None,
    ) -> list[_Finding]:
        """The learned classifier over every sentence and clause (rules gate negation), and
        for crisis over the whole message (`whole`, already embedded by route())."""
        if self.risk is None:
            return []
        personal = any(_FIRST_PERSON.search(_QUESTION_SELF.sub(" ", s)) for s in sentences)
        inputs = self.risk_inputs(units, personal, len(sentences) >= LONG_POST_SENTENCES)
        extra = self.whole_message_input(inputs, whole) if whole else None
        if extra is not None:
            inputs.append(extra)
        masked, raw = self._encode_risk(inputs, known)
        return self._risk_findings(inputs, masked, raw)

    def _learned_gaps(
        self,
        findings: list[_Finding],
        sentences: list[str],
        units: list[str],
        known: dict[str, Any],
        whole: str,
    ) -> list[_Finding]:
        """The classifier fills gaps: it runs when the rules and exemplars escalate nothing,
        and when they found only an urgent sign it may still add crisis ("I'm hanging myself
        tomorrow ... I tried everything" must not stop at urgent). A rule's emergency or
        crisis decision always stands."""
        if not findings:
            return self._learned(sentences, units, known, whole)
        if all(f.route == "urgent" for f in findings):
            learned = self._learned(sentences, units, known, whole)
            return [f for f in learned if f.route == "crisis"]
        return []

    def _turn_units(self, content: str) -> tuple[list[str], list[str]]:
        """Sentences and units of one earlier user turn (remembered: a conversation sends
        the same earlier turns with every new message)."""
        hit = self._turn_cache.get(content)
        if hit is None:
            h_sent = self.sentences(self.normalise(content[:SAFETY_SCAN_CHARS]))
            hit = (h_sent, self.units(h_sent))
            if len(self._turn_cache) >= TURN_CACHE_SIZE:
                self._turn_cache.clear()
            self._turn_cache[content] = hit
        return list(hit[0]), list(hit[1])

    def _turn_findings(
        self,
        content: str,
        severe: set[str],
        known: dict[str, Any] | None = None,
        similar: dict[str, tuple[Any, Any]] | None = None,
    ) -> list[_Finding]:
        """Escalations in one earlier user turn (rules, exemplars and the classifier).
        ``known`` holds vectors already computed with the message's own (one model call),
        ``similar`` their exemplar similarities (one matrix product)."""
        h_sent, h_units = self._turn_units(content)
        found = self._escalations(h_sent, None, severe)
        cache = self._cache()
        if cache is not None:
            import numpy as np

            known = {} if known is None else known
            new = [u for u in h_units if u not in known]
            if new:
                known.update(zip(new, cache.encode(new), strict=True))
            h_vecs = np.stack([known[u] for u in h_units])
            rows = None
            if similar is not None and all(u in similar for u in h_units):
                rows = (
                    np.stack([similar[u][0] for u in h_units]),
                    np.asarray([similar[u][1] for u in h_units]),
                )
            found += self._semantic_findings(h_units, h_vecs, severe, h_sent, rows)
            if not found:
                found += self._learned(h_sent, h_units, known)
        return found

    def _history_findings(
        self,
        user_turns: list[Turn],
        raw: str,
        severe: set[str],
        known: dict[str, Any] | None = None,
        similar: dict[str, tuple[Any, Any]] | None = None,
    ) -> tuple[list[tuple[_Finding, int]], bool]:
        """Escalations in earlier user turns, each with how many turns back it was.

        A crisis more than CRISIS_CARRY_TURNS user turns back no longer takes over: the
        second value is then True, and the message gets a normal answer with a kind
        crisis-line note (emergency and urgent red flags carry over for all HISTORY_TURNS).
        """
        out: list[tuple[_Finding, int]] = []
        old_crisis = False
        for back, turn in enumerate(reversed(user_turns), start=1):
            for f in self._turn_findings(turn.content, severe, known, similar):
                if f.route == "crisis" and back > CRISIS_CARRY_TURNS:
                    old_crisis = True
                    continue
                out.append((f, back))
        if user_turns:  # red flags split across turns ("I'm 76" ... "I tripped over the dog")
            recent = [t.content for t in user_turns[-CRISIS_CARRY_TURNS:]]
            recent_norm = self.normalise(" . ".join([*recent, raw])[:SAFETY_SCAN_CHARS])
            joined = self.sentences(
                self.normalise(
                    " . ".join([*(t.content for t in user_turns), raw])[:SAFETY_SCAN_CHARS]
                )
            )
            have = {f.rule for f, _ in out}
            for f in self._escalations(joined, None, severe):
                if f.rule in have or (f.route == "crisis" and f.unit not in recent_norm):
                    continue
                out.append((f, 1))
        return out, old_crisis

    def symptom_report(self, normalised: str) -> bool:
        """A first-person report of current symptoms ("my wrist is swollen and hot")."""
        if not _SYMPTOM.search(normalised) or _PAST_ONLY.search(normalised):
            return False
        return any(
            _FIRST_PERSON.search(_QUESTION_SELF.sub(" ", s)) and _SYMPTOM.search(s)
            for s in self.sentences(normalised)
        )

    def health_related(self, normalised: str) -> bool:
        """Whether the text is about health at all (decides no_content versus off_topic)."""
        if _MEDICAL_WORD.search(normalised):
            return True
        words = set(re.findall(r"[a-z][a-z'-]*", normalised))
        for term in self._health:
            if " " in term:
                if term in normalised:
                    return True
            elif (
                term in words
                or f"{term}s" in words  # "my knees click": short terms take a plural too
                or any(w.startswith(term) for w in words if len(term) >= 5)
            ):
                return True
        return False

    def _texts_to_embed(
        self, units: list[str], norm: str, turn_units: list[str], classifier: bool = True
    ) -> list[str]:
        """Everything routing a message may embed, for one model call: its sentences and
        clauses, the whole message, earlier turns' units and, when the classifier is on, the
        negation-masked forms it reads (most equal their unit; the rest would cost a second
        call when the classifier runs). ``classifier``: whether it may still read the
        message's own clauses (False once a rule found an emergency or crisis)."""
        texts = [*units, norm, *turn_units]
        if self.risk is not None:
            texts += [
                self._masked(u) for u in [*units, *turn_units] if classifier or u in turn_units
            ]
        return list(dict.fromkeys(texts))

    def _similar_by_text(
        self, texts: list[str], vecs: np.ndarray | None, n_units: int
    ) -> tuple[dict[str, tuple[Any, Any]] | None, tuple[np.ndarray, np.ndarray] | None]:
        """Exemplar similarities of every text of a message in one matrix product: by text
        (for earlier turns) and the rows of the message's own units (its first ``n_units``)."""
        if vecs is None or self._report_vecs is None or self._ask_vecs is None:
            return None, None
        sims, asks = self.similarities(vecs)
        by_text = {t: (sims[i], asks[i]) for i, t in enumerate(texts)}
        return by_text, (sims[:n_units], asks[:n_units])

    # --- the public entry point ---------------------------------------------------------
    def route(self, message: str, history: list[Turn] | tuple[Turn, ...] = ()) -> RouterResult:
        """Route the message in the context of earlier turns. Raises on internal faults;
        the pipeline turns any exception into the safe generic response (fail closed)."""
        raw = clean_text(message)[:SAFETY_SCAN_CHARS]
        if not raw:
            return RouterResult(
                RouteDecision("off_topic", "empty_input", "", reason="The message was empty."),
                "",
                False,
            )
        norm = self.normalise(raw)
        sentences = self.sentences(norm)
        units = self.units(sentences)
        user_turns = [t for t in history if t.role == "user"][-HISTORY_TURNS:]
        # one model call for the message and every earlier turn's sentences and clauses
        turn_units = [u for t in user_turns for u in self._turn_units(t.content)[1]]
        severe = {"emergency", "crisis", "urgent"}
        findings = self._escalations(sentences, None, severe)
        # a rule's emergency or crisis decision stands: the classifier will not read this
        # message's masked clauses (see _learned_gaps), so they are not embedded
        classifier = all(f.route == "urgent" for f in findings)
        texts = self._texts_to_embed(units, norm, turn_units, classifier)
        cache = self._cache()
        vecs = cache.encode(texts) if cache is not None else None
        sent_vecs = vecs[: len(units)] if vecs is not None else None
        message_vec = vecs[texts.index(norm)] if vecs is not None else None
        # retrieval embeds the person's own words: the vector of the normalised text ("belly"
        # for "stomach") is handed on only when normalising changed nothing but case
        handed = message_vec if _same_words(norm, raw) else None
        known: dict[str, Any] = dict(zip(texts, vecs, strict=True)) if vecs is not None else {}
        similar, unit_sims = self._similar_by_text(texts, vecs, len(units))
        if sent_vecs is not None and vecs is not None:
            findings.extend(self._semantic_findings(units, sent_vecs, severe, sentences, unit_sims))
            findings.extend(self._learned_gaps(findings, sentences, units, known, norm))
        turn_of: dict[int, int] = {id(f): 0 for f in findings}
        earlier, old_crisis = self._history_findings(user_turns, raw, severe, known, similar)
        for f, back in earlier:
            findings.append(f)
            turn_of[id(f)] = back
        history_note = any(self._history_sentence(s, norm) for s in sentences)
        current = [
            f
            for f in findings
            if not (
                f.route == "crisis"
                and f.unit
                and (
                    self.crisis_history(f.unit)
                    or (turn_of[id(f)] == 0 and told_as_past(f.unit, norm))
                )
            )
        ]
        if any(f.route == "crisis" for f in findings) and not any(
            f.route == "crisis" for f in current
        ):
            history_note = True  # past history: the normal answer with the crisis-line note
        findings = current
        escalations = tuple(
            RouteDecision(
                f.route,  # type: ignore[arg-type]
                f.rule if turn_of[id(f)] == 0 else f"earlier_turn:{f.rule}",
                f.evidence,
                category=f.rule,
                reason=self._reasons.get(f.rule, ""),
                turn=turn_of[id(f)],
                score=f.score,
            )
            for f in findings
        )
        health = self.health_related(norm)
        if escalations:
            top = max(
                escalations,
                key=lambda d: (SEVERITY[d.route], d.route == "crisis", -d.turn, d.score is None),
            )
            return RouterResult(top, raw, True, handed, escalations)
        if history_note:
            evidence = next((s for s in sentences if self._history_sentence(s, norm)), "")
            return RouterResult(
                RouteDecision("answer", "crisis_history", evidence, category="crisis_history"),
                raw,
                True,
                handed,
                symptom_report=self.symptom_report(norm),
            )
        query = raw
        if _INJECTION.search(norm):
            # instructions hidden in brackets or HTML comments go first, then any clause
            # that still carries one; what remains is the person's own question
            stripped = _WRAPPED.sub(
                lambda m: " " if _INJECTION.search(m.group(0)) else m.group(0), norm
            )
            pieces = [
                p.strip()
                for s in self.sentences(stripped)
                for p in _CLAUSE.split(s)
                if p and p.strip()
            ]
            kept = [p for p in pieces if not _INJECTION.search(p)]
            rest = " ".join(kept)
            if len(rest.split()) >= MIN_QUESTION_WORDS and "?" in rest:
                query = rest
                handed = None  # the query changed; the pipeline embeds it again
            else:
                m = _INJECTION.search(norm)
                return RouterResult(
                    RouteDecision(
                        "off_topic", "instruction_change_attempt", m.group(0) if m else ""
                    ),
                    raw,
                    health,
                )
        q_sent = sentences if query == raw else self.sentences(self.normalise(query))
        scope = self._escalations(q_sent, None, {"out_of_scope"})
        if not scope and sent_vecs is not None and query == raw:
            scope = self._semantic_findings(
                units, sent_vecs, {"out_of_scope"}, sentences, unit_sims
            )
        if scope:
            f = scope[0]
            return RouterResult(
                RouteDecision("out_of_scope", f.rule, f.evidence, category=f.rule, score=f.score),
                query,
                True,
                handed,
            )
        m = _OFF_TOPIC.search(norm)
        if m and not health:
            return RouterResult(
                RouteDecision("off_topic", "not_health_related", m.group(0)), query, False
            )
        rule = "injection_ignored" if query != raw else "no_flag"
        decision = RouteDecision("answer", rule)
        if old_crisis:  # a crisis several turns back: answer, with the kind crisis-line note
            decision = RouteDecision("answer", "earlier_crisis_note", category="crisis_history")
        elif found := _WORN_DOWN.search(norm):
            decision = RouteDecision(
                "answer", "worn_down_note", found.group(0), category="worn_down"
            )
        return RouterResult(
            decision,
            query,
            health,
            handed,
            symptom_report=self.symptom_report(self.normalise(query)),
        )
