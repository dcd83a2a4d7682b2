"""The support test, validated on hand-labelled supported / unsupported sentence pairs."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.answer.verify import support

pytestmark = pytest.mark.integration

PASSAGE_EIH = (
    "Exercise-induced hypoalgesia is a plain idea with a long name. Hypoalgesia means feeling "
    "less pain than usual. After a bout of exercise, the nervous system turns down its response "
    "to things that could hurt. In adults without pain, about 15 minutes of hard aerobic "
    "exercise lowered pain sensitivity for about 30 minutes afterwards."
)
PASSAGE_WALK = (
    "In the WalkBack trial, adults who had recovered from low back pain followed a walking and "
    "education program. The program roughly doubled the time before their next bout of "
    "activity-limiting back pain, from a median of 112 days to 208 days."
)
LABELLED = [
    # (sentence, passage, supported?)
    ("Hypoalgesia means feeling less pain than usual.", PASSAGE_EIH, True),
    (
        "After exercise, the nervous system dials down how it responds to things that might hurt.",
        PASSAGE_EIH,
        True,
    ),
    (
        "About 15 minutes of hard aerobic exercise lowered pain sensitivity for about 30 minutes "
        "in adults without pain.",
        PASSAGE_EIH,
        True,
    ),
    (
        "The walking program roughly doubled the time before the next bout of back pain.",
        PASSAGE_WALK,
        True,
    ),
    # near-copies that state what the passage does not say
    (
        "Exercise-induced hyperalgesia means feeling more pain than usual after exercise.",
        PASSAGE_EIH,
        False,
    ),
    (
        "About 15 minutes of hard aerobic exercise lowered pain sensitivity for about 3 hours.",
        PASSAGE_EIH,
        False,
    ),
    (
        "The program roughly doubled the time to the next bout, from 112 days to 400 days.",
        PASSAGE_WALK,
        False,
    ),
    ("Exercise-induced hyperalgesia means feeling less pain than usual.", PASSAGE_EIH, False),
    ("Exercise cures back pain permanently and replaces medicines.", PASSAGE_EIH, False),
    ("Walking programs reduce the need for surgery in most patients.", PASSAGE_WALK, False),
    ("Stretching before bed improves sleep quality.", PASSAGE_EIH, False),
]


@pytest.mark.parametrize(("sentence", "passage", "label"), LABELLED)
def test_support_matches_hand_labels(
    embeddings: Any, sentence: str, passage: str, label: bool
) -> None:
    from painguide.chunking import split_sentences

    vectors = embeddings.encode(split_sentences(passage))
    check = support(sentence, passage, vectors, embeddings)
    assert check.supported is label, f"{sentence!r}: {check}"
