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
