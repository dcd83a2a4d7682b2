"""How the learned classifier fills gaps the rules leave, on fakes: the whole message as one
more crisis input, crisis added to an urgent-only rule finding, and the leave-one-source-out
figures that score the same precedence."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from painguide.safety.risk_train import _predict, _worst_figures
from painguide.safety.router import RiskInput, SafetyRouter, _Finding


@pytest.fixture(scope="module")
def router() -> SafetyRouter:
    return SafetyRouter(embeddings=None, risk_model=None)


def _inp(unit: str, crisis: bool = True, physical: bool = False) -> RiskInput:
    return RiskInput(unit, unit, physical, crisis)


def test_whole_message_is_a_crisis_input_when_every_clause_may_be(router: SafetyRouter) -> None:
    inputs = [_inp("i can't keep doing this"), _inp("nothing has changed in a year")]
    whole = "i can't keep doing this. nothing has changed in a year"
    got = router.whole_message_input(inputs, whole)
    assert got == RiskInput(whole, whole, False, True), f"{inputs!r} -> {got!r}"


@pytest.mark.parametrize(
    ("inputs", "whole"),
    [
        (
            [_inp("i'm not suicidal", crisis=False), _inp("just tired")],
            "i'm not suicidal. just tired",
        ),
        ([_inp("this is killing me")], "this is killing me and more"),
        ([_inp("a"), _inp("a b")], "a b"),  # the whole message is already one of the units
    ],
)
def test_whole_message_stays_out(router: SafetyRouter, inputs: list[RiskInput], whole: str) -> None:
    got = router.whole_message_input(inputs, whole)
    assert got is None, f"{inputs!r} / {whole!r} -> {got!r}"


@pytest.mark.parametrize(
    ("unit", "long_post", "crisis", "fragment"),
    [
        ("i sabotaged myself", True, False, True),  # too short, inside a long post
        ("people in your life leave and never come back", True, False, True),  # nobody named
        ("lately i keep wishing i could just disappear for good", True, True, False),
        ("i sabotaged myself", False, True, False),  # a short message is read as before
        ("i'm not suicidal at all", True, False, False),  # a denial: not a fragment
    ],
)
def test_crisis_class_skips_fragments_of_long_posts(
    router: SafetyRouter, unit: str, long_post: bool, crisis: bool, fragment: bool
) -> None:
    got = router.risk_inputs([unit], personal=True, long_post=long_post)[0]
    assert (got.crisis, got.fragment) == (crisis, fragment), (
        f"{unit!r} (long post {long_post}) -> crisis {got.crisis}, fragment {got.fragment}"
    )


def test_fragments_do_not_keep_the_whole_message_out(router: SafetyRouter) -> None:
    units = ["i sabotaged myself", "my exams went badly and my family is tired of me"]
    inputs = router.risk_inputs(units, personal=True, long_post=True)
    whole = "i sabotaged myself. my exams went badly and my family is tired of me"
    got = router.whole_message_input(inputs, whole)
    assert got is not None and got.crisis, f"{inputs!r} -> {got!r}"


def _fake_learned(found: list[_Finding]) -> Any:
    def learned(*args: Any, **kwargs: Any) -> list[_Finding]:
        return list(found)

    return learned


CRISIS = _Finding("crisis", "risk_model:crisis", "u", 0.9, "u")
EMERG = _Finding("emergency", "risk_model:emergency", "u", 0.9, "u")


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ([], ["crisis", "emergency"]),  # nothing from the rules: the classifier fills the gap
        ([_Finding("urgent", "r", "e")], ["crisis"]),  # urgent only: crisis may be added
        ([_Finding("emergency", "r", "e")], []),  # a rule's emergency stands
        ([_Finding("crisis", "r", "e")], []),
    ],
)
def test_learned_gaps_respect_rule_precedence(
    router: SafetyRouter,
    monkeypatch: pytest.MonkeyPatch,
    rules: list[_Finding],
    expected: list[str],
) -> None:
    monkeypatch.setattr(router, "_learned", _fake_learned([CRISIS, EMERG]))
    got = [f.route for f in router._learned_gaps(rules, ["s"], ["s"], {}, "s")]
    assert got == expected, f"rules {[f.route for f in rules]} -> {got}"


def test_scoring_upgrades_urgent_to_crisis_like_the_router() -> None:
    t = {"crisis": 0.8, "emergency": 0.6, "urgent": 0.9}
    static = ["urgent", "urgent", "emergency", "answer"]
    probs = np.asarray([[0.85, 0, 0], [0.5, 0, 0], [0.95, 0, 0], [0.1, 0.7, 0]])
    assert _predict(static, probs, t) == ["crisis", "urgent", "emergency", "emergency"], (
        f"{static} with {probs.tolist()}"
    )
    arrs = [
        {
            "static": np.asarray(static),
            "labels": np.asarray(["crisis", "urgent", "emergency", "answer"]),
            "p": probs,
        }
    ]
    crisis, phys, false, _ = _worst_figures(arrs, (0.8, 0.6, 0.9))
    assert (crisis, phys, false) == (1.0, 1.0, 1.0), f"figures {(crisis, phys, false)}"
    # an urgent item that the crisis class takes over no longer counts as urgent recall
    arrs[0]["labels"] = np.asarray(["urgent", "urgent", "emergency", "answer"])
    _, phys, _, _ = _worst_figures(arrs, (0.8, 0.6, 0.9))
    assert phys == pytest.approx(2 / 3), f"em-or-urgent recall {phys} after a crisis upgrade"


def test_thresholds_break_worst_source_ties_by_every_sources_recall() -> None:
    """Two threshold settings that leave the worst source alike: the one that catches more on
    the other sources wins, not the one with fewer alarms."""
    from painguide.safety import risk_train

    arrs = [
        {  # the worst source: nothing the classifier does moves it
            "static": np.asarray(["answer", "answer"]),
            "labels": np.asarray(["emergency", "answer"]),
            "p": np.asarray([[0.0, 0.1, 0.0], [0.0, 0.0, 0.0]]),
        },
        {  # another source: a lower emergency threshold catches its emergency
            "static": np.asarray(["answer", "answer", "answer"]),
            "labels": np.asarray(["emergency", "answer", "answer"]),
            "p": np.asarray([[0.0, 0.6, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
        },
    ]
    low = risk_train._worst_figures(arrs, (0.9, 0.5, 0.9))
    high = risk_train._worst_figures(arrs, (0.9, 0.95, 0.9))
    assert low[1] == high[1] == 0.0, "the worst source is not moved by either setting"
    assert low[3] > high[3], f"mean recall should favour the lower threshold: {low} vs {high}"


def test_near_tied_trade_offs_go_to_the_higher_recall() -> None:
    """Two settings a few items apart on the worst source: the one that misses fewer
    escalations wins; a clearly better trade-off still wins outright."""
    from painguide.safety.risk_train import NEAR_TIE, pick_trade_off

    low = {"crisis": 0.85, "emergency": 0.75, "urgent": 0.95}
    high = {"crisis": 0.85, "emergency": 0.80, "urgent": 0.95}
    # key = (met, under ceiling, trade, worst recall, mean recall, -false)
    rows = [
        ((0.0, 1.0, 1.449, 1.708, 0.90, -0.250), low, False),
        ((0.0, 1.0, 1.452, 1.700, 0.89, -0.248), high, False),
    ]
    assert pick_trade_off(rows) == (low, False)
    # more recall that costs clearly more false escalation is not a near tie
    costly = ((0.0, 1.0, 1.449, 1.708, 0.90, -0.259), low, False)
    assert pick_trade_off([costly, rows[1]]) == (high, False)
    far = 1.449 + 2 * NEAR_TIE
    rows[1] = ((0.0, 1.0, far, 1.700, 0.89, -0.248), high, False)
    assert pick_trade_off(rows) == (high, False)
    met = ((1.0, 1.0, 1.8, 1.93, 0.95, -0.05), {"crisis": 0.9, "emergency": 0.9, "urgent": 0.9})
    assert pick_trade_off([*rows, (*met, True)]) == (met[1], True)


def _two_source_feats() -> tuple[Any, dict[str, Any]]:
    """Source a: 10 crisis posts (one scored 0.82) and 4 benign (one scored 0.81 crisis).
    Source b: 2 urgent reports (scored 0.27 and 0.90 urgent) and 3 benign (one 0.28)."""
    from types import SimpleNamespace

    from painguide.safety.risk import Example

    a = [("crisis", 0.95, 0.0)] * 9 + [("crisis", 0.82, 0.0), ("answer", 0.81, 0.0)]
    a += [("answer", 0.0, 0.0)] * 3
    b = [("urgent", 0.0, 0.27), ("urgent", 0.0, 0.90), ("answer", 0.0, 0.28)]
    b += [("answer", 0.0, 0.0)] * 2
    examples, held, row = [], {}, 0
    for src, items in (("a", a), ("b", b)):
        rows = list(range(row, row + len(items)))
        examples += [Example(f"{src}{i}", lbl, src) for i, (lbl, _, _) in enumerate(items)]
        held[src] = (rows, np.asarray([[c, 0.0, u] for _, c, u in items]))
        row += len(items)
    return SimpleNamespace(examples=examples, static=["answer"] * row), held


def test_thresholds_are_chosen_as_the_guard_will_leave_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Judged at its own value, a low urgent threshold made source b's false escalation the
    worst, so lowering the crisis threshold looked free; the guard then raised urgent and
    the crisis false alarms on source a remained. Judged as the guard leaves them, the
    crisis threshold stays high. (The two made-up sources escalate up to a third of their
    benign items, so the test keeps the false-escalation ceiling it was written for.)"""
    from painguide.safety import risk_train
    from painguide.safety.risk_train import choose_thresholds, guarded

    monkeypatch.setattr(risk_train, "FALSE_CEILING", 0.34)

    feats, held = _two_source_feats()
    blind, _ = choose_thresholds(feats, held)
    assert blind["crisis"] <= 0.80 and blind["urgent"] <= 0.25, f"unguarded pick {blind}"
    tops = {"crisis": 0.10, "emergency": 0.10, "urgent": 0.60}
    chosen, met = choose_thresholds(feats, held, tops)
    assert chosen["urgent"] >= 0.61, f"urgent should sit above the guard: {chosen}"
    assert chosen["crisis"] >= 0.85, f"crisis false alarms bought with nothing: {chosen}"
    assert not met, chosen
    assert all(guarded(v, tops[c]) == v for c, v in chosen.items()), chosen


@pytest.mark.parametrize(
    ("threshold", "top", "expected"),
    [
        (0.80, 0.50, 0.80),
        (0.80, 0.80, 0.81),
        (0.50, 0.70, 0.71),
        (0.5, None, 0.5),
        (0.9, 0.995, 0.99),
    ],
)
def test_guarded_raises_only_a_threshold_the_guard_reaches(
    threshold: float, top: float | None, expected: float
) -> None:
    from painguide.safety.risk_train import guarded

    got = guarded(threshold, top)
    assert got == expected, f"guarded({threshold}, {top}) = {got}"


@pytest.mark.parametrize(
    ("message", "usual"),
    [
        ("i'm 70 and my back aches after gardening like it always has", True),
        ("my knees ache on the stairs, same as always", True),
        ("my back is stiff in the morning as usual", True),
        (
            "my back aches like it always does but since this morning i can't control my bladder",
            False,
        ),
        ("my back pain is worse than usual and keeps me awake", False),
        ("my back has hurt for a week", False),
    ],
)
def test_usual_pattern_needs_a_usual_cue_and_nothing_new(message: str, usual: bool) -> None:
    from painguide.safety.router import usual_pattern

    assert usual_pattern(message) is usual, f"usual_pattern({message!r}) should be {usual}"
