"""Two corpus words typed as one are split before retrieval ("corestability myth")."""

from __future__ import annotations

import pytest

from painguide.retrieval import split_compound

VOCAB = frozenset({"core", "stability", "pain", "killer", "painkiller", "back", "rest", "bed"})


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("corestability", "core stability"),
        ("backpain", "back pain"),
        ("bedrest", None),  # a part shorter than four letters never splits
        ("gallstones", None),  # neither part is a corpus word
        ("stabilitycore", "stability core"),
    ],
)
def test_split_compound(token: str, expected: str | None) -> None:
    assert split_compound(token, VOCAB) == expected, f"{token!r}"
