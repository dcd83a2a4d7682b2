"""Which subjects a text names must not depend on the process's string-hash seed.

Subject phrases used to be tried in the order of a set, so "Will hand exercises make my hand
arthritis worse?" named arthritis in some processes and not in others, and the same question
("my RA is flaring and my fingers are swollen ...") got the rheumatoid arthritis answer or the
hand osteoarthritis one depending on PYTHONHASHSEED.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from painguide.answer.coverage import find_subjects

TEXTS = [
    "Will hand exercises make my hand arthritis worse?",
    "my RA is flaring and my fingers are swollen, should i keep doing my exercises",
    "is knee arthritis the same as wear and tear arthritis",
    "my back and neck hurt after a car crash",
    "pain in my hip and knee when i run",
    "rhumatoid arthritis in my hands",
]

SCRIPT = (
    "import json, sys\n"
    "from painguide.answer.coverage import find_subjects\n"
    "texts = json.loads(sys.argv[1])\n"
    "print(json.dumps([[(s.name, s.phrase) for s in find_subjects(t)] for t in texts]))\n"
)


def _subjects_with_seed(seed: int) -> list:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(TEXTS)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout)


def test_same_subjects_in_every_process() -> None:
    first = _subjects_with_seed(1)
    for seed in (2, 3, 4, 5):
        assert _subjects_with_seed(seed) == first, f"PYTHONHASHSEED={seed} found other subjects"


def test_longest_phrase_then_earliest_wins() -> None:
    # "my hand" (earlier) and "hand arthritis" are equally long: the earlier one is the match,
    # which leaves "arthritis" free to be named as well
    names = [s.name for s in find_subjects("Will hand exercises make my hand arthritis worse?")]
    assert names == ["hand pain", "arthritis"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my RA is flaring", ["rheumatoid arthritis"]),
        ("i have hand osteoarthritis", ["hand pain"]),
    ],
)
def test_subjects_named(text: str, expected: list[str]) -> None:
    assert [s.name for s in find_subjects(text)] == expected
