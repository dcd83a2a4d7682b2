"""Tests for ``painguide.evals.metrics`` (pure metric functions, hand-computed cases)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painguide.evals.metrics import (
    check_thresholds,
    compare,
    mean,
    percentile,
    retrieval_scores,
    routing_report,
)

L2 = math.log2


# --- retrieval_scores -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ranked", "expected", "want"),
    [
        (
            ["a", "b", "c"],
            ["a"],
            {"hit@1": 1.0, "hit@3": 1.0, "hit@5": 1.0, "mrr": 1.0, "ndcg@5": 1.0},
        ),
        (
            ["x", "b", "c"],
            ["b"],
            {"hit@1": 0.0, "hit@3": 1.0, "hit@5": 1.0, "mrr": 0.5, "ndcg@5": 1 / L2(3)},
        ),
        (
            ["x", "y", "z", "b", "w"],
            ["b"],
            {"hit@1": 0.0, "hit@3": 0.0, "hit@5": 1.0, "mrr": 0.25, "ndcg@5": 1 / L2(5)},
        ),
        (
            ["x", "y", "z", "v", "w", "b"],
            ["b"],
            {"hit@1": 0.0, "hit@3": 0.0, "hit@5": 0.0, "mrr": 1 / 6, "ndcg@5": 0.0},
        ),
        (
            ["a", "x", "c"],
            ["a", "c"],
            {
                "hit@1": 1.0,
                "hit@3": 1.0,
                "hit@5": 1.0,
                "mrr": 1.0,
                "ndcg@5": (1 + 1 / L2(4)) / (1 + 1 / L2(3)),
            },
        ),
        (
            ["x", "a"],
            ["a", "b", "c"],
            {
                "hit@1": 0.0,
                "hit@3": 1.0,
                "hit@5": 1.0,
                "mrr": 0.5,
                "ndcg@5": (1 / L2(3)) / (1 + 1 / L2(3) + 1 / L2(4)),
            },
        ),
        (
            [],
            ["a"],
            {"hit@1": 0.0, "hit@3": 0.0, "hit@5": 0.0, "mrr": 0.0, "ndcg@5": 0.0},
        ),
        (
            ["a", "b"],
            [],
            {"hit@1": 0.0, "hit@3": 0.0, "hit@5": 0.0, "mrr": 0.0, "ndcg@5": 0.0},
        ),
    ],
)
def test_retrieval_scores_hand_computed(
    ranked: list[str], expected: list[str], want: dict[str, float]
) -> None:
    got = retrieval_scores(ranked, expected)
    assert got.keys() == want.keys(), got
    for key, value in want.items():
        assert got[key] == pytest.approx(value), f"{key} of {ranked} vs {expected}: {got[key]}"


def test_ideal_dcg_is_capped_at_five_expected_documents() -> None:
    expected = [f"d{i}" for i in range(8)]
    got = retrieval_scores(expected[:5], expected)
    assert got["ndcg@5"] == pytest.approx(1.0), f"five relevant of eight at the top: {got}"


DOC = st.sampled_from([f"d{i}" for i in range(10)])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    ranked=st.lists(DOC, max_size=10, unique=True),
    expected=st.lists(DOC, max_size=5, unique=True),
)
def test_retrieval_scores_are_bounded_and_consistent(
    ranked: list[str], expected: list[str]
) -> None:
    got = retrieval_scores(ranked, expected)
    for key, value in got.items():
        assert 0.0 <= value <= 1.0 + 1e-12, f"{key}={value} for {ranked} vs {expected}"
    assert got["hit@1"] <= got["hit@3"] <= got["hit@5"], f"{ranked} vs {expected}: {got}"
    assert got["hit@1"] == float(got["mrr"] == 1.0), f"{ranked} vs {expected}: {got}"
    assert (got["ndcg@5"] > 0) == (got["hit@5"] == 1.0), f"{ranked} vs {expected}: {got}"
    if expected and ranked[: len(expected)] == expected and len(expected) <= 5:
        assert got["ndcg@5"] == pytest.approx(1.0), f"perfect ranking {ranked} vs {expected}"


# --- mean and percentile ----------------------------------------------------------------


def test_mean() -> None:
    assert mean([]) == 0.0
    assert mean([1.0, 2.0, 6.0]) == 3.0
    assert mean(x for x in (2.0, 4.0)) == 3.0, "generators are accepted"


@pytest.mark.parametrize(
    ("values", "q", "want"),
    [
        ([], 50, 0.0),
        ([7.0], 95, 7.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
        ([4.0, 1.0, 3.0, 2.0], 0, 1.0),
        ([4.0, 1.0, 3.0, 2.0], 100, 4.0),
        ([10.0, 20.0, 30.0, 40.0, 50.0], 90, 46.0),
        ([10.0, 20.0], 95, 19.5),
        (list(range(1, 101)), 95, 95.05),
    ],
)
def test_percentile_linear_interpolation(values: list[float], q: float, want: float) -> None:
    got = percentile(values, q)
    assert got == pytest.approx(want), f"percentile({values}, {q}) = {got}, wanted {want}"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=30),
    q1=st.floats(0, 100),
    q2=st.floats(0, 100),
)
def test_percentile_is_bounded_and_monotone(values: list[float], q1: float, q2: float) -> None:
    lo, hi = sorted((q1, q2))
    a, b = percentile(values, lo), percentile(values, hi)
    tol = 1e-6 * (1 + max(abs(v) for v in values))
    assert min(values) - tol <= a <= b + tol <= max(values) + 2 * tol, (
        f"percentile({values}, {lo})={a}, ({hi})={b}"
    )


# --- routing_report ---------------------------------------------------------------------


def test_routing_report_confusion_matrix_rows_are_expected() -> None:
    pairs = [
        ("answer", "answer"),
        ("answer", "no_content"),
        ("emergency", "emergency"),
        ("no_content", "answer"),
        ("emergency", "answer"),
    ]
    rep = routing_report(pairs)
    assert rep["labels"] == ["answer", "no_content", "emergency"], rep["labels"]  # ROUTES order
    assert rep["matrix"] == [[1, 1, 0], [1, 0, 0], [1, 0, 1]], f"{pairs} -> {rep['matrix']}"
    per = rep["per_route"]
    assert per["answer"] == {"precision": pytest.approx(1 / 3), "recall": 0.5, "support": 2}, per
    assert per["no_content"] == {"precision": 0.0, "recall": 0.0, "support": 1}, per
    assert per["emergency"] == {"precision": 1.0, "recall": 0.5, "support": 2}, per
    assert rep["accuracy"] == pytest.approx(2 / 5), rep


def test_routing_report_route_only_predicted_has_zero_support() -> None:
    rep = routing_report([("answer", "crisis"), ("answer", "answer")])
    assert rep["labels"] == ["answer", "crisis"], rep
    assert rep["matrix"] == [[1, 1], [0, 0]], rep
    assert rep["per_route"]["crisis"] == {"precision": 0.0, "recall": 0.0, "support": 0}, rep
    assert rep["per_route"]["answer"]["precision"] == 1.0, rep


def test_routing_report_empty() -> None:
    rep = routing_report([])
    assert rep == {"labels": [], "matrix": [], "per_route": {}, "accuracy": 0.0}, rep


ROUTE = st.sampled_from(["answer", "no_content", "emergency", "urgent", "crisis"])


@settings(max_examples=100, deadline=None, derandomize=True)
@given(pairs=st.lists(st.tuples(ROUTE, ROUTE), max_size=40))
def test_routing_report_matrix_sums(pairs: list[tuple[str, str]]) -> None:
    rep = routing_report(pairs)
    labels, matrix = rep["labels"], rep["matrix"]
    assert sum(map(sum, matrix)) == len(pairs), pairs
    for i, label in enumerate(labels):
        assert sum(matrix[i]) == sum(1 for e, _ in pairs if e == label), f"row {label}: {pairs}"
        col = sum(row[i] for row in matrix)
        assert col == sum(1 for _, g in pairs if g == label), f"column {label}: {pairs}"


# --- check_thresholds and compare -------------------------------------------------------


def test_check_thresholds_min_max_and_missing() -> None:
    metrics = {"hit@3": 0.90, "mrr": 0.80, "latency.p95_ms": 30.0, "leaks": 0.0}
    thresholds = {
        "min": {"hit@3": 0.95, "mrr": 0.80, "recall.emergency": 1.0},
        "max": {"latency.p95_ms": 25.0, "leaks": 0.0},
    }
    failures = check_thresholds(metrics, thresholds)
    by_metric = {f["metric"]: f for f in failures}
    assert set(by_metric) == {"hit@3", "recall.emergency", "latency.p95_ms"}, failures
    assert by_metric["hit@3"] == {
        "metric": "hit@3",
        "value": 0.90,
        "threshold": 0.95,
        "kind": "min",
    }, by_metric["hit@3"]
    assert by_metric["latency.p95_ms"]["kind"] == "max", by_metric
    missing = by_metric["recall.emergency"]
    assert missing["value"] is None and "missing" in missing["problem"], missing


def test_check_thresholds_all_met() -> None:
    assert check_thresholds({"a": 1.0, "b": 2.0}, {"min": {"a": 1.0}, "max": {"b": 2.0}}) == []
    assert check_thresholds({}, {}) == []


def test_compare_only_numeric_metrics_present_in_both() -> None:
    got = compare(
        {"hit@3": 0.9, "mrr": 0.8, "new": 1.0, "label": "x"},  # type: ignore[dict-item]
        {"hit@3": 0.95, "mrr": 0.7, "old": 2.0, "label": "y"},  # type: ignore[dict-item]
    )
    assert set(got) == {"hit@3", "mrr"}, got
    assert got["hit@3"]["baseline"] == 0.95 and got["hit@3"]["current"] == 0.9, got
    assert got["hit@3"]["delta"] == pytest.approx(-0.05), got
    assert got["mrr"]["delta"] == pytest.approx(0.1), got
