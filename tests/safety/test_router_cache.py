"""The router's memory of earlier turns, with the real model: a conversation re-sends its
earlier turns with every message, and only the new message may reach the model; remembered
vectors give the same decisions as computing everything afresh."""

from __future__ import annotations

from typing import Any

from painguide.safety.router import Turn

CONVERSATION = [
    "I'm 76 and my lower back has ached for a week",
    "no fever, no weight loss, and I can still walk fine",
    "this morning I tripped over the dog and now my legs feel numb",
    "what stretches can I do while I wait for the GP?",
]


def _history(upto: int) -> list[Turn]:
    turns: list[Turn] = []
    for text in CONVERSATION[:upto]:
        turns += [Turn("user", text), Turn("assistant", "Thanks for telling me.")]
    return turns


def _decision(result: Any) -> tuple[str, str, tuple[str, ...]]:
    d = result.decision
    escalations = sorted(f"{e.route}|{e.rule}|{e.turn}" for e in result.escalations)
    return d.route, d.rule, tuple(escalations)


def test_earlier_turns_are_not_embedded_again(router: Any) -> None:
    router.clear_caches()
    for i, message in enumerate(CONVERSATION):
        before = router.model_calls
        router.route(message, _history(i))
        fresh = router.model_calls - before
        # the new message's own texts take one call, two when a very long text goes apart
        assert 1 <= fresh <= 2, f"turn {i} {message!r}: {fresh} model calls"
    before = router.model_calls
    router.route(CONVERSATION[-1], _history(len(CONVERSATION) - 1))
    assert router.model_calls == before, "the same message and history were embedded again"


def test_remembered_vectors_give_the_same_decisions(router: Any) -> None:
    router.clear_caches()
    warm = [_decision(router.route(m, _history(i))) for i, m in enumerate(CONVERSATION)]
    cold = []
    for i, m in enumerate(CONVERSATION):
        router.clear_caches()
        cold.append(_decision(router.route(m, _history(i))))
    assert warm == cold, f"cached {warm!r} != fresh {cold!r}"
    assert warm[2][0] == "emergency", f"{CONVERSATION[2]!r} routed {warm[2]!r}"
