"""Does the library cover the subject a question names?

Retrieval always finds *something*: a question about rheumatoid arthritis retrieves the
osteoarthritis page, a calf strain retrieves strength training for back pain. The composer asks
this module first: which conditions, body parts and treatments does the question name
(``data/subjects.yaml``), and does any document actually cover each one (in its title, a section
heading, an "Also asked" line or its summary, or a page that keeps discussing it; a passing
mention in body text, a Key point or a warning does not count)? An uncovered subject is said
plainly ("Pain Guide has no page on gout.") instead of being answered with content about
something else.

Example::

    coverage = SubjectCoverage.from_texts(["Knee and hip osteoarthritis ..."])
    coverage.uncovered("I have rheumatoid arthritis in my hands")   # -> [Subject(...)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from painguide.retrieval import KnowledgeBase

Category = Literal["condition", "body_part", "treatment"]
CATEGORIES: tuple[Category, ...] = ("condition", "body_part", "treatment")
FUZZY_MIN_LEN = 6  # words at least this long may differ by one edit ("rhumatoid")
FUZZY_TWO_EDITS_LEN = 9  # and words this long by two ("artheritis" for "arthritis")
DISCUSSED_SENTENCES = 3  # a page that names a subject in this many sentences covers it
# A warning sentence lists symptoms to act on ("neck pain with a fever or a severe headache is
# an emergency"): naming a symptom there is not discussing it, so it never counts towards the
# sentences that make a page cover a subject (headaches are not covered by the neck page).
_WARNING_WORDS = frozenset({"emergency", "urgent", "urgently"})
SUBJECT_CACHE_SIZE = 4_096  # texts whose subjects are remembered (questions and headings)
_TOKEN = re.compile(r"[a-z0-9]+")
# Conditions the library covers only at some sites (osteoarthritis of the knee and hip):
# "arthritis in my fingers" names a body part the library lacks, unlike "sciatica in my foot"
BY_SITE = frozenset({"arthritis", "osteoarthritis"})


@dataclass(frozen=True)
class Subject:
    """A subject named in a question."""

    name: str
    category: Category
    phrase: str  # the lexicon phrase that matched
    start: int  # token position in the question


def normalise_tokens(text: str) -> list[str]:
    """Lower-case word tokens with possessives and plural -s removed."""
    text = text.lower().replace("’", "'").replace("'s ", " ").replace("'", "")
    out = []
    for tok in _TOKEN.findall(text):
        if len(tok) > 4 and tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
            tok = tok[:-1]
        out.append(tok)
    return out


@lru_cache(maxsize=1)
def lexicon() -> tuple[tuple[str, Category, tuple[tuple[str, ...], ...]], ...]:
    """(name, category, phrases as token tuples) for every subject, longest phrases first."""
    import yaml

    raw = yaml.safe_load(
        resources.files("painguide.answer").joinpath("data/subjects.yaml").read_text("utf-8")
    )
    out = []
    for category in CATEGORIES:
        for name, phrases in (raw.get(category) or {}).items():
            # longest first, then alphabetical: never the order of a set, which changes from
            # one process to the next (PYTHONHASHSEED) and with it which subjects are found
            toks = tuple(
                sorted(
                    {tuple(normalise_tokens(str(p))) for p in phrases if str(p).strip()},
                    key=lambda t: (-len(t), t),
                )
            )
            out.append((str(name), category, toks))
    return tuple(out)


@lru_cache(maxsize=1)
def _categories() -> dict[str, Category]:
    return {name: category for name, category, _ in lexicon()}


def category_of(subject: str) -> str:
    """The lexicon category of a subject name ("knee pain" -> "body_part"); "" if unknown."""
    return _categories().get(subject, "")


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[str, ...]:
    """Every lexicon word, sorted: a fuzzy match tied between two words picks the same one
    in every process."""
    return tuple(sorted({w for _, _, phrases in lexicon() for p in phrases for w in p}))


@lru_cache(maxsize=1)
def _vocabulary_set() -> frozenset[str]:
    return frozenset(_vocabulary())


def _canonical(token: str, known: frozenset[str] = frozenset()) -> str:
    """The lexicon word a question word stands for: itself, or the one lexicon word it is a
    small misspelling of ("rhumatoid" -> "rheumatoid"); short words must match exactly, and a
    word the library itself uses ("overnight") is spelt right, not a slip for "overweight"."""
    vocab = _vocabulary()
    if token in _vocabulary_set() or len(token) < FUZZY_MIN_LEN or token in known:
        return token
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    limit = 2 if len(token) >= FUZZY_TWO_EDITS_LEN else 1
    match = process.extractOne(token, vocab, scorer=DamerauLevenshtein.distance, score_cutoff=limit)
    if match is None or len(match[0]) < FUZZY_MIN_LEN:
        return token
    if match[1] > 1 and match[0][:3] != token[:3]:
        return token  # two edits only past a shared start: "hydrotherapy" is not "hypnotherapy"
    return str(match[0])


def subject_phrases(name: str) -> list[str]:
    """Every lexicon phrase of the subject called ``name``, as plain lower-case text."""
    return [" ".join(p) for n, _, phrases in lexicon() if n == name for p in phrases]


def _find(tokens: list[str], phrase: tuple[str, ...]) -> int:
    """First position where ``phrase`` occurs in ``tokens``, else -1."""
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i : i + n]) == phrase:
            return i
    return -1


def find_subjects(question: str, known: frozenset[str] = frozenset()) -> list[Subject]:
    """Subjects the question names, longest match first, never two on the same words.
    ``known``: correctly spelt words (the library's own) that are never read as misspellings.
    Remembered per text: one answer asks about the same question and headings many times, and
    the spelling-tolerant match costs a few milliseconds."""
    return list(_find_subjects(question, known))


@lru_cache(maxsize=SUBJECT_CACHE_SIZE)
def _find_subjects(question: str, known: frozenset[str]) -> tuple[Subject, ...]:
    tokens = [_canonical(t, known) for t in normalise_tokens(question)]
    taken: set[int] = set()
    found: list[tuple[int, Subject]] = []
    matches = []
    for name, category, phrases in lexicon():
        # the subject's longest phrase in the question, the earliest of equally long ones
        hits = [(len(p), _find(tokens, p), p) for p in phrases]
        hits = [h for h in hits if h[1] >= 0]
        if hits:
            length, pos, phrase = min(hits, key=lambda h: (-h[0], h[1]))
            matches.append((length, pos, name, category, phrase))
    for length, pos, name, category, phrase in sorted(matches, key=lambda m: (-m[0], m[1])):
        span = set(range(pos, pos + length))
        if span & taken:
            continue
        taken |= span
        found.append((pos, Subject(name, category, " ".join(phrase), pos)))
    return tuple(s for _, s in sorted(found, key=lambda x: x[0]))


class SubjectCoverage:
    """Which lexicon subjects the library covers, decided from its headline text."""

    def __init__(
        self,
        headline_text: str,
        doc_sentences: list[list[str]] | None = None,
        doc_headlines: list[str] | None = None,
    ) -> None:
        self._joined = " " + " ".join(normalise_tokens(headline_text)) + " "
        # each document's own headline text (title, headings, Also-asked lines, summary),
        # aligned with ``doc_sentences``: which page is about which condition
        self._headlines = [" " + " ".join(normalise_tokens(h)) + " " for h in doc_headlines or []]
        # each document's sentences, normalised: a subject a page keeps talking about is covered
        self._docs = [
            [" " + " ".join(normalise_tokens(s)) + " " for s in sents]
            for sents in (doc_sentences or [])
        ]
        self._covered: dict[str, bool] = {}
        self.known = frozenset(self._joined.split()) | frozenset(
            w for doc in self._docs for sent in doc for w in sent.split()
        )

    @classmethod
    def from_texts(
        cls,
        texts: list[str],
        doc_sentences: list[list[str]] | None = None,
        doc_headlines: list[str] | None = None,
    ) -> SubjectCoverage:
        """Coverage from titles, headings, summaries and Also-asked lines, plus (optionally)
        every document's sentences and each document's own headline text."""
        return cls(" \n ".join(texts), doc_sentences, doc_headlines)

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> SubjectCoverage:
        """Coverage from the indexed corpus (computed once per knowledge base)."""
        texts: list[str] = []
        seen_docs: set[str] = set()
        by_doc: dict[str, list[str]] = {}
        heads: dict[str, list[str]] = {}
        for chunk in kb.chunks:
            by_doc.setdefault(chunk.doc_id, []).extend(chunk.sentences)
            extra = kb.extras.get(chunk.id, {})
            own = [chunk.section, str(extra.get("also_asked", ""))]
            if chunk.doc_id not in seen_docs:
                seen_docs.add(chunk.doc_id)
                own += [chunk.title, str(extra.get("summary", ""))]
            texts.extend(own)
            heads.setdefault(chunk.doc_id, []).extend(own)
        # Key points are not headline text: they name symptoms in passing ("whiplash sometimes
        # causes headaches"), which is no page on them; they still count among the sentences
        # that show a page keeps discussing a subject
        return cls.from_texts(texts, list(by_doc.values()), [" \n ".join(heads[d]) for d in by_doc])

    def covers(self, name: str) -> bool:
        """Whether any phrase of the named subject appears in the library's headline text."""
        if name not in self._covered:
            phrases = [f" {' '.join(p)} " for n, _, ps in lexicon() if n == name for p in ps]
            headline = any(p in self._joined for p in phrases)
            discussed = any(
                sum(
                    any(p in sent for p in phrases) and not _WARNING_WORDS & set(sent.split())
                    for sent in doc
                )
                >= DISCUSSED_SENTENCES
                for doc in self._docs
            )
            self._covered[name] = headline or discussed
        return self._covered[name]

    def uncovered(self, question: str) -> list[Subject]:
        """Subjects the question names that the library does not cover, most important first.

        A condition or treatment the library lacks is always reported. A body part is reported
        only when the question names no covered condition or body part ("sciatica in my foot"
        is about sciatica, which is covered), counting no condition covered only at some sites
        ("arthritis in my fingers" is about the hand).
        """
        subjects = find_subjects(question, self.known)
        covered = [s for s in subjects if self.covers(s.name)]
        missing = [s for s in subjects if not self.covers(s.name)]
        anchor = any(
            s.category == "body_part" or (s.category == "condition" and s.name not in BY_SITE)
            for s in covered
        )
        out = [s for s in missing if s.category != "body_part" or not anchor]
        out = [s for s in out if not self._part_of_covered(s, covered)]
        order = {"condition": 0, "treatment": 1, "body_part": 2}
        return sorted(out, key=lambda s: (order[s.category], s.start))

    def _part_of_covered(self, subject: Subject, covered: list[Subject]) -> bool:
        """Whether a symptom the library has no page on is part of a covered condition the
        question also names: "i had whiplash and now i get headaches" is answered by the
        whiplash page, which says whiplash can cause headaches (outside a warning). Only a
        condition's page counts: a body part's page names symptoms in passing ("neck pain
        with a severe headache is an emergency"), which is no answer about them."""
        if subject.category != "condition":
            return False
        phrases = [f" {' '.join(p)} " for n, _, ps in lexicon() if n == subject.name for p in ps]
        for other in covered:
            if other.category != "condition" or other.name in BY_SITE:
                continue
            own = [f" {' '.join(p)} " for n, _, ps in lexicon() if n == other.name for p in ps]
            for head, sents in zip(self._headlines, self._docs, strict=False):
                if not any(p in head for p in own):
                    continue
                if any(
                    any(p in sent for p in phrases) and not _WARNING_WORDS & set(sent.split())
                    for sent in sents
                ):
                    return True
        return False
