"""Small text utilities shared by retrieval, safety and evaluation (no heavy imports)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "got",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "just",
        "let's",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "shouldn't",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "wasn't",
        "we",
        "were",
        "weren't",
        "what",
        "what's",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "won't",
        "would",
        "wouldn't",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "also",
        "really",
        "much",
        "many",
        "lot",
        "lots",
        "thing",
        "things",
        "way",
        "ways",
        "one",
        "ones",
        "us",
        "im",
        "ive",
        "dont",
        "doesnt",
        "cant",
        "whats",
        "hows",
        "pls",
        "please",
        "tell",
        "know",
        "want",
        "need",
        "like",
        "get",
        "getting",
        "still",
        "even",
        "ok",
        "okay",
    ]
)


def clean_text(text: str) -> str:
    """Unicode-normalise, drop control and zero-width characters, collapse whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)  # "sui\u200bcide" must still read as one word
    text = _CONTROL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    """Lower-case word tokens (apostrophes kept inside words)."""
    return _WORD.findall(text.lower().replace("’", "'"))


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


# Irregular past forms people use about pain and activity: a stemmer leaves "overdid" and
# "slept" apart from "overdo" and "sleep", so "how do I know if I overdid it" matched nothing.
IRREGULAR_FORMS = {
    "overdid": "overdo",
    "overdone": "overdo",
    "slept": "sleep",
    "woke": "wake",
    "woken": "wake",
    "ran": "run",
    "sat": "sit",
    "stood": "stand",
    "bent": "bend",
    "fell": "fall",
    "fallen": "fall",
    "broke": "break",
    "broken": "break",
    "tore": "tear",
    "torn": "tear",
    "felt": "feel",
    "swam": "swim",
    "rode": "ride",
    "threw": "throw",
    "thrown": "throw",
    "caught": "catch",
    "kept": "keep",
    "knelt": "kneel",
    "began": "begin",
    "begun": "begin",
}


def stem(tokens: list[str]) -> list[str]:
    """Snowball (Porter 2) stems of tokens, irregular past forms first read as their verb."""
    return list(_stemmer().stemWords([IRREGULAR_FORMS.get(t, t) for t in tokens]))  # type: ignore[attr-defined]


def content_terms(text: str) -> list[str]:
    """Stemmed words without stopwords: what BM25 and overlap measures compare."""
    return stem([w for w in words(text) if w not in STOPWORDS and len(w) > 1])


_INTERJECTION = re.compile(r"^(yes|no),\s+(?=[a-z])", re.I)


def without_interjection(sentence: str) -> str:
    """``sentence`` without a leading "Yes, " or "No, " ("No, most people ..." -> "Most
    people ..."); unchanged when it has none."""
    found = _INTERJECTION.match(sentence)
    if found is None:
        return sentence
    rest = sentence[found.end() :]
    return rest[0].upper() + rest[1:]


# A tag question aimed at the reader ("..., is that what you're saying?", "..., right?") adds
# words that match nothing in the library and drag the whole message below the relevance floor.
_TAG_QUESTION = re.compile(
    r"[\s,;:-]*\b(is that|isn'?t that|is this|are you|am i) (what you('| a)re (saying|telling me"
    r"|trying to say)|right|true|correct|so)\s*[?.!]*\s*$|[\s,;:-]+(right|or not)\s*[?.!]*\s*$",
    re.I,
)


def without_tag_question(message: str) -> str:
    """``message`` without a trailing tag question ("..., is that what you're saying?"), when
    enough of it is left to ask something; unchanged otherwise."""
    trimmed = _TAG_QUESTION.sub("", message)
    return trimmed if trimmed != message and len(words(trimmed)) >= 3 else message


# An opening greeting or a line announcing the question ("hi, quick question", "hello doctor,
# can you tell me why ...") asks nothing: its words ("quick") pull in passages that share them
# ("the quick effect after a single session") and push the asked words down.
_PREAMBLE = re.compile(
    r"^\W*(?:(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))(?: there| doctor| doc| all"
    r"| everyone| guys)?\b[\s,.!:;-]*)?(?:(?:a |just a |quick |one )?(?:quick |small |silly )?"
    r"question(?: for you)?(?:\s*[,.!:;-]+\s*|\s+(?=(?:what|why|how|when|which|where|who|is|"
    r"are|does|do|can|could|should|will|would|my|i)\b))|i have a (?:quick |small )?question"
    r"\b[\s,.!:;-]*)?"
    r"(?:(?:can|could) you (?:please )?tell me\s+(?=(?:what|why|how|when|which|where|who|is|are|"
    r"does|do|can|should|will|would)\b))?",
    re.I,
)


def without_preamble(message: str) -> str:
    """``message`` without an opening greeting, "quick question" or "can you tell me" before a
    question word ("hi, quick question why does my back ache" -> "why does my back ache"),
    when enough of it is left to ask something; unchanged otherwise."""
    found = _PREAMBLE.match(message)
    if found is None or not found.group(0):
        return message
    rest = message[found.end() :].strip()
    return rest if len(words(rest)) >= 3 else message
