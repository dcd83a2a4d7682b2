"""The learned risk classifier: deterministic training, calibrated output, the committed
artefact in step with its training data, and negation masking (no model needed)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from painguide.safety.risk import (
    CLASSES,
    RiskModel,
    UnitNegatives,
    balanced_weights,
    data_hashes,
    fit_logistic,
    model_path,
    train_linear,
)


def _synthetic(n: int = 120, dim: int = 16, seed: int = 7) -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dim))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    labels = []
    for row in x:
        labels.append(
            "crisis"
            if row[0] > 0.3
            else "emergency"
            if row[1] > 0.3
            else "urgent"
            if row[2] > 0.3
            else "answer"
        )
    return x, labels


def test_training_is_deterministic() -> None:
    x, labels = _synthetic()
    texts = [f"message {i}" for i in range(len(labels))]
    a = train_linear(x, x, labels, texts)
    b = train_linear(x.copy(), x.copy(), list(labels), list(texts))
    assert np.array_equal(a.weights, b.weights), "two runs on the same data gave different weights"
    assert np.array_equal(a.bias, b.bias) and np.array_equal(a.platt_a, b.platt_a)
    assert np.array_equal(a.platt_b, b.platt_b)


def test_trained_model_separates_its_classes() -> None:
    x, labels = _synthetic(n=300)
    model = train_linear(x, x, labels, [f"m{i}" for i in range(len(labels))])
    probs = model.probabilities(x.astype(np.float32), x.astype(np.float32))
    for c, cls in enumerate(CLASSES):
        pos = probs[[lbl == cls for lbl in labels], c].mean()
        neg = probs[[lbl != cls for lbl in labels], c].mean()
        assert pos > neg + 0.3, f"{cls}: mean p on positives {pos:.2f}, negatives {neg:.2f}"
    assert ((probs >= 0) & (probs <= 1)).all(), "calibrated outputs must be probabilities"


def test_fit_logistic_fits_a_separable_line() -> None:
    x = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    w, b = fit_logistic(x, np.array([0, 0, 1, 1]), l2=0.1)
    assert w[0] > 0 and abs(b) < 1e-6, f"weights {w}, bias {b}"


def _with_stray_clauses(dim: int = 16) -> tuple[np.ndarray, list[str], UnitNegatives]:
    """Benign messages each hold one clause that looks like a crisis message (direction 0)."""
    x, labels = _synthetic(n=300, dim=dim)
    benign = [i for i, lbl in enumerate(labels) if lbl == "answer"]
    rng = np.random.default_rng(3)
    stray = rng.normal(size=(len(benign), dim)) * 0.3
    stray[:, 0] += 1.0
    stray /= np.linalg.norm(stray, axis=1, keepdims=True)
    owner = np.asarray(benign, dtype=np.int64)
    return x, labels, UnitNegatives(stray, owner, stray, owner)


def test_unit_negatives_lower_the_score_of_clauses_from_benign_messages() -> None:
    x, labels, units = _with_stray_clauses()
    texts = [f"m{i}" for i in range(len(labels))]
    plain = train_linear(x, x, labels, texts)
    mil = train_linear(x, x, labels, texts, units=units)
    probe = units.raw.astype(np.float32)
    before = plain.probabilities(probe, probe)[:, 0].mean()
    after = mil.probabilities(probe, probe)[:, 0].mean()
    assert after < before - 0.1, f"crisis p on stray benign clauses {before:.2f} -> {after:.2f}"
    again = train_linear(x.copy(), x.copy(), list(labels), list(texts), units=units)
    assert np.array_equal(mil.weights, again.weights), "unit training is not deterministic"


def test_units_of_positive_messages_are_not_negatives() -> None:
    x, labels = _synthetic(n=300)
    crisis = [i for i, lbl in enumerate(labels) if lbl == "crisis"]
    owner = np.asarray(crisis, dtype=np.int64)
    texts = [f"m{i}" for i in range(len(labels))]
    # every crisis message's own vector again as its "unit": must not be learnt as a negative
    units = UnitNegatives(x[owner], owner, x[owner], owner)
    plain = train_linear(x, x, labels, texts)
    mil = train_linear(x, x, labels, texts, units=units)
    assert np.allclose(plain.weights[0], mil.weights[0]), (
        "units of crisis messages changed the crisis weights"
    )


def test_balanced_weights_balance_the_given_mass() -> None:
    y = np.array([1.0, 0.0, 0.0, 0.0])
    base = np.array([1.0, 1.0, 0.5, 0.5])
    w = balanced_weights(y, base) * base
    assert np.isclose(w[y > 0].sum(), w[y == 0].sum()), f"weights {w} for labels {y}"


def test_artefact_round_trips(tmp_path: object) -> None:
    x, labels = _synthetic()
    model = train_linear(x, x, labels, [f"m{i}" for i in range(len(labels))])
    path = tmp_path / "m.json"  # type: ignore[operator]
    model.save(path)
    again = RiskModel.load(path)
    assert again is not None
    assert np.allclose(again.weights, model.weights, atol=1e-6), "weights changed on disk"
    assert again.thresholds == model.thresholds


def test_committed_artefact_matches_its_training_data() -> None:
    """Fails when the devset manifest or the own case files change without retraining:
    run `painguide safety train` and commit risk_model.json."""
    path = model_path()
    assert path.is_file(), f"{path} is missing: run `painguide safety train`"
    data = json.loads(path.read_text(encoding="utf-8"))
    recorded = data["training"]
    current = data_hashes()
    for key in ("devset_manifest", "own_cases", "guard_questions", "training_data"):
        assert recorded[key] == current[key], (
            f"risk_model.json was trained on {key} {recorded[key][:12]}, the files now hash to "
            f"{current[key][:12]}: run `painguide safety train` and commit the artefact"
        )
    assert data["dim"] == len(data["weights"][0]) and data["classes"] == list(CLASSES)


@pytest.fixture(scope="module")
def bare_router():  # type: ignore[no-untyped-def]
    from painguide.safety.router import SafetyRouter

    return SafetyRouter(None)


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("no, no chest pain", "chest", ""),
        ("no chest pain but i fainted on my run", "chest", "fainted"),
        ("i have no numbness in my legs or groin", "groin", "i have"),
        ("never had any bleeding, my knee is stiff", "bleeding", "knee is stiff"),
        ("i don't have a fever and my leg is weak", "fever", "leg is weak"),
        ("i can't tell if it's worse, no longer sleeping", "", "no longer sleeping"),
        # "not feeling good" is a pseudo-negation (safety6): it negates nothing after it
        ("i'm not feeling good i can't get my breath", "", "feeling good i can't get my breath"),
        ("i'm not feeling well and i have no fever", "fever", "not feeling well"),
    ],
)
def test_mask_negated_removes_only_the_negated_span(
    bare_router: object, text: str, gone: str, kept: str
) -> None:
    masked = bare_router.mask_negated(text)  # type: ignore[attr-defined]
    if gone:
        assert gone not in masked, f"{text!r} -> {masked!r} still has {gone!r}"
    assert kept in masked, f"{text!r} -> {masked!r} lost {kept!r}"


@pytest.mark.parametrize(
    ("text", "history"),
    [
        ("my brother took his own life years ago, how do i cope with pain and grief?", True),
        ("i self-harmed as a teenager and my scars ache when i stretch", True),
        ("my mum tried to kill herself years ago and now i want to as well", False),
        ("i want to kill myself", False),
    ],
)
def test_crisis_history_versus_current_risk(bare_router: object, text: str, history: bool) -> None:
    got = bare_router.crisis_history(text)  # type: ignore[attr-defined]
    assert got is history, f"{text!r}: crisis_history {got}, expected {history}"


def test_guard_raises_a_threshold_above_every_everyday_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A class whose threshold an everyday guard question reaches is raised just above it;
    the others are left alone."""
    from painguide.safety import risk_train
    from painguide.safety.risk import Example, RiskModel

    model = RiskModel(
        weights=np.zeros((3, 2), dtype=np.float32),
        bias=np.zeros(3, dtype=np.float32),
        platt_a=np.ones(3, dtype=np.float32),
        platt_b=np.zeros(3, dtype=np.float32),
        thresholds={"crisis": 0.75, "emergency": 0.85, "urgent": 0.70},
    )
    guard = [Example("i'm scared doing more will hurt, how do i build up", "answer", "guard:q")]
    scores = np.asarray([[0.83, 0.40, 0.20]])
    monkeypatch.setattr(risk_train, "guard_examples", lambda: guard)
    monkeypatch.setattr(risk_train, "featurise", lambda router, ex, cache: None)
    monkeypatch.setattr(risk_train, "unit_probabilities", lambda m, f, rows: scores)
    raised = risk_train.guard_thresholds(object(), model, None)  # type: ignore[arg-type]
    assert raised == {"crisis": 0.84}, raised
    assert model.thresholds == {"crisis": 0.84, "emergency": 0.85, "urgent": 0.70}
