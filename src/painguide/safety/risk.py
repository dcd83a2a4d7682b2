"""Learned risk detection: one calibrated logistic regression per risk class on the sentence
embeddings the router already computes.

The model is tiny (one weight vector per class), trained deterministically with Newton's method
in numpy, calibrated with Platt scaling on out-of-fold scores, and stored as JSON in
``safety/data/risk_model.json`` together with the hash of the data it was trained on. It is
trained on whole messages plus, as negatives, every sentence and clause of the messages that
are not positive for a class (``UnitNegatives``), because the router scores every unit and
takes the highest probability. Since risk26 the unit negatives are used for the physical
classes only (the crisis class trains on whole messages) and each message is weighted by the
size of its source (``source_weights``), so no single large source sets the boundary.

Example::

    model = RiskModel.load()                   # the committed artefact (None when absent)
    probs = model.probabilities(masked_vecs, raw_vecs)   # (n, 3): crisis, emergency, urgent
    painguide safety train                     # rebuild the artefact
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

CLASSES: tuple[str, ...] = ("crisis", "emergency", "urgent")
# Which input a class reads: crisis reads the raw text (crisis wording is full of "don't want
# to ... anymore"), the physical classes read the text with negated spans removed.
RAW_INPUT = frozenset({"crisis"})
MODEL_FILE = "risk_model.json"
DEFAULT_THRESHOLD = 0.5
L2 = 1.0  # ridge strength of the logistic regressions (unit-length 384-d inputs)
CALIBRATION_FOLDS = 5
NEWTON_STEPS = 25
NEWTON_TOL = 1e-5  # largest parameter change that ends the iterations
# The project's own cases and the lexicon the negation masking reads: part of the data hash.
OWN_FILES: tuple[str, ...] = (
    "evals/datasets/safety.jsonl",
    "src/painguide/safety/data/exemplars.yaml",
    "src/painguide/safety/data/lexicon.yaml",
)
DEVSET_MANIFEST = "evals/datasets/devset/manifest.jsonl"
# Everyday pain questions the classifier alone must never escalate: its thresholds are raised
# above every one of them (the held-back set is not used: it stays out of all tuning)
GUARD_FILES: tuple[str, ...] = (
    "evals/datasets/questions.jsonl",
    "evals/datasets/off_subject.jsonl",
)
ESCALATION_LABELS = frozenset(CLASSES)


def repo_root() -> Path:
    """The source checkout this module sits in (training and evaluation run from a checkout)."""
    return Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Example:
    """One training or evaluation message."""

    text: str
    label: str  # a route, or a devset label such as crisis_history
    source: str


def targets(label: str) -> dict[str, int]:
    """0/1 target per class for a label (crisis_history and benign_figurative are not crisis)."""
    return {c: int(label == c) for c in CLASSES}


# --- data ---------------------------------------------------------------------------------
def own_examples(root: Path | None = None) -> list[Example]:
    """The project's own cases: safety.jsonl (single messages, and the last turn of benign
    conversations) plus every exemplar report and benign 'asking' exemplar."""
    import yaml

    root = root or repo_root()
    out: list[Example] = []
    for line in (root / OWN_FILES[0]).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        route = row["expected_route"]
        if row.get("train") is False:  # a rule's test case only: see the row's note
            continue
        if "question" in row:
            out.append(Example(row["question"], route, "own:safety"))
        elif route not in ESCALATION_LABELS:  # a red flag may sit in an earlier turn
            out.append(Example(row["messages"][-1]["content"], route, "own:safety"))
    ex = yaml.safe_load((root / OWN_FILES[1]).read_text(encoding="utf-8"))
    for cat in ex["categories"]:
        out.extend(Example(r, cat["route"], "own:exemplars") for r in cat["reports"])
    out.extend(Example(a, "answer", "own:exemplars") for a in ex["asking"])
    return out


def devset_examples(cache: Path | None = None) -> list[Example]:
    """The development set (text cache validated against the committed manifest)."""
    from painguide.safety.devset import default_cache, load_devset

    root = repo_root()
    items = load_devset(cache or default_cache(), root / DEVSET_MANIFEST)
    return [Example(i.text, i.label, i.source) for i in items]


def _file_hash(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(b"\0")
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    return h.hexdigest()


def data_hashes(root: Path | None = None) -> dict[str, str]:
    """Hashes of the training data: the devset manifest and the project's own case files."""
    root = root or repo_root()
    manifest = root / DEVSET_MANIFEST
    if manifest.is_file():
        from painguide.safety.devset import manifest_hash

        dev = manifest_hash(manifest)
    else:
        dev = "absent"
    own = _file_hash([root / f for f in OWN_FILES])
    guard = _file_hash([root / f for f in GUARD_FILES])
    combined = hashlib.sha256(f"{dev}:{own}:{guard}".encode()).hexdigest()
    return {
        "devset_manifest": dev,
        "own_cases": own,
        "guard_questions": guard,
        "training_data": combined,
    }


def guard_examples(root: Path | None = None) -> list[Example]:
    """The benign questions of GUARD_FILES (every row not expected to escalate)."""
    root = root or repo_root()
    out: list[Example] = []
    for name in GUARD_FILES:
        for line in (root / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            route = row.get("expected_route", "answer")
            if route not in ESCALATION_LABELS and "question" in row:
                out.append(Example(row["question"], route, f"guard:{Path(name).stem}"))
    return out


# --- the learner ----------------------------------------------------------------------------
def _sigmoid(z: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0))))


def fit_logistic(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None, l2: float = L2
) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method: deterministic, no random state.
    Returns (weights, bias); the bias is not regularised."""
    import numpy as np

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    xb = np.hstack([x, np.ones((len(x), 1))])
    reg = np.full(xb.shape[1], l2)
    reg[-1] = 1e-6
    beta = np.zeros(xb.shape[1])
    for _ in range(NEWTON_STEPS):
        p = _sigmoid(xb @ beta)
        grad = xb.T @ (w * (p - y)) + reg * beta
        hess = (xb * (w * p * (1.0 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.max(np.abs(step))) < NEWTON_TOL:
            break
    return beta[:-1], float(beta[-1])


def balanced_weights(y: np.ndarray, base: np.ndarray | None = None) -> np.ndarray:
    """Factors that give positives and negatives equal total mass (of ``base`` weights, 1 each
    when not given)."""
    import numpy as np

    base = np.ones(len(y)) if base is None else np.asarray(base, dtype=np.float64)
    pos = float(base[y > 0].sum())
    neg = float(base[y <= 0].sum())
    if pos == 0 or neg == 0:
        return np.ones(len(y))
    total = pos + neg
    return np.where(y > 0, total / (2 * pos), total / (2 * neg))


def fold_of(text: str, folds: int) -> int:
    """Deterministic fold for a text (same text, same fold, on every machine)."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % folds


def platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: p = sigmoid(a * score + b), fitted on held-out scores."""
    import numpy as np

    w, b = fit_logistic(np.asarray(scores).reshape(-1, 1), y, l2=1e-6)
    return float(w[0]), float(b)


@dataclass
class RiskModel:
    """Per-class linear scores, Platt calibration and decision thresholds."""

    weights: np.ndarray  # (classes, dim)
    bias: np.ndarray  # (classes,)
    platt_a: np.ndarray
    platt_b: np.ndarray
    thresholds: dict[str, float]
    model_name: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def dim(self) -> int:
        return int(self.weights.shape[1])

    def probabilities(self, masked: np.ndarray, raw: np.ndarray) -> np.ndarray:
        """Calibrated probability per class (columns in CLASSES order) for n inputs."""
        import numpy as np

        cols = []
        for i, cls in enumerate(CLASSES):
            x = raw if cls in RAW_INPUT else masked
            z = x @ self.weights[i] + self.bias[i]
            cols.append(_sigmoid(self.platt_a[i] * z + self.platt_b[i]))
        return np.stack(cols, axis=1) if cols else np.zeros((len(raw), 0))

    # --- persistence ----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format": 1,
            "model_name": self.model_name,
            "dim": self.dim,
            "classes": list(CLASSES),
            "raw_input_classes": sorted(RAW_INPUT),
            "weights": [[round(float(v), 7) for v in row] for row in self.weights],
            "bias": [round(float(v), 7) for v in self.bias],
            "platt_a": [round(float(v), 7) for v in self.platt_a],
            "platt_b": [round(float(v), 7) for v in self.platt_b],
            "thresholds": {k: round(float(v), 4) for k, v in self.thresholds.items()},
            **self.meta,
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RiskModel:
        import numpy as np

        if list(data.get("classes", [])) != list(CLASSES):
            raise ValueError(
                f"risk model classes {data.get('classes')} differ from {list(CLASSES)}; "
                "run `painguide safety train`"
            )
        keys = {"weights", "bias", "platt_a", "platt_b", "thresholds", "model_name"}
        return cls(
            weights=np.asarray(data["weights"], dtype=np.float32),
            bias=np.asarray(data["bias"], dtype=np.float32),
            platt_a=np.asarray(data["platt_a"], dtype=np.float32),
            platt_b=np.asarray(data["platt_b"], dtype=np.float32),
            thresholds={str(k): float(v) for k, v in data["thresholds"].items()},
            model_name=str(data.get("model_name", "")),
            meta={k: v for k, v in data.items() if k not in keys | {"format", "dim", "classes"}},
        )

    @classmethod
    def load(cls, path: Path | None = None) -> RiskModel | None:
        """The committed artefact, or None when there is none (the rules still run)."""
        if path is None:
            res = resources.files("painguide.safety").joinpath("data", MODEL_FILE)
            if not res.is_file():
                return None
            text = res.read_text("utf-8")
        else:
            if not path.is_file():
                return None
            text = path.read_text("utf-8")
        return cls.from_json(json.loads(text))


def model_path(root: Path | None = None) -> Path:
    """Where `painguide safety train` writes the artefact in a checkout."""
    return (root or repo_root()) / "src/painguide/safety/data" / MODEL_FILE


@dataclass(frozen=True)
class UnitNegatives:
    """Sentence and clause vectors of the training messages, as the router scores them.

    The router takes the highest probability over every unit of a message, so a classifier
    trained only on whole messages fires on a stray clause of a long benign post. Multiple-
    instance training: every unit of a message that is NOT positive for a class is one more
    negative of that class (crisis reads ``raw``, the physical classes ``masked``); the units
    of positive messages are left out (which of them carries the risk is unknown).
    ``*_owner`` holds, per row, the index of its message in the training rows.
    """

    masked: np.ndarray  # (m, dim) units the physical classes may read
    masked_owner: np.ndarray  # (m,)
    raw: np.ndarray  # (k, dim) units the crisis class may read
    raw_owner: np.ndarray  # (k,)


def _class_rows(
    x: np.ndarray,
    y: np.ndarray,
    fold: np.ndarray,
    extra: tuple[np.ndarray, np.ndarray] | None,
    base: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Messages plus the units of that class's negative messages: (x, y, fold, weight).
    ``base``: a weight per message (1 each when not given); its units share it."""
    import numpy as np

    base = np.ones(len(y)) if base is None else np.asarray(base, dtype=np.float64)
    if extra is None or len(extra[1]) == 0:
        return x, y, fold, base
    vecs, owner = extra
    keep = y[owner] == 0
    # each message's units share the weight of one row: a long post does not outweigh a
    # short question of the project's own
    share = base[owner[keep]] / np.bincount(owner, minlength=len(y))[owner[keep]]
    return (
        np.vstack([x, vecs[keep]]),
        np.concatenate([y, np.zeros(int(keep.sum()))]),
        np.concatenate([fold, fold[owner[keep]]]),
        np.concatenate([base, share]),
    )


def source_weights(sources: list[str], power: float) -> np.ndarray:
    """A weight per message so that each source weighs ``(1 / its size) ** power`` per message
    (0: every message 1; 1: every source the same total), normalised to a mean of 1. The
    project's own cases (``own:*``) count as one source. A large source then no longer sets
    the decision boundary alone, which is what leave-one-source-out tests."""
    import numpy as np

    names = ["own" if s.startswith("own:") else s for s in sources]
    size: dict[str, int] = {}
    for n in names:
        size[n] = size.get(n, 0) + 1
    w = np.asarray([(1.0 / size[n]) ** power for n in names], dtype=np.float64)
    return w * (len(w) / w.sum()) if len(w) else w


def train_linear(
    masked: np.ndarray,
    raw: np.ndarray,
    labels: list[str],
    texts: list[str],
    folds: int = CALIBRATION_FOLDS,
    units: UnitNegatives | None = None,
    weights: dict[str, np.ndarray] | None = None,
) -> RiskModel:
    """Fit every class on all rows (and, given ``units``, the units of its negative messages),
    calibrate on out-of-fold message scores (deterministic folds by message text).
    ``weights``: per class, a weight per message (see ``source_weights``)."""
    import numpy as np

    fold_msg = np.asarray([fold_of(t, folds) for t in texts])
    ws, bs, pa, pb = [], [], [], []
    for cls in CLASSES:
        x_msg = raw if cls in RAW_INPUT else masked
        y_msg = np.asarray([targets(lbl)[cls] for lbl in labels], dtype=np.float64)
        extra = None
        if units is not None:
            extra = (
                (units.raw, units.raw_owner)
                if cls in RAW_INPUT
                else (units.masked, units.masked_owner)
            )
        base = (weights or {}).get(cls)
        x, y, fold, rw = _class_rows(np.asarray(x_msg), y_msg, fold_msg, extra, base)
        w, b = fit_logistic(x, y, rw * balanced_weights(y, rw))
        n = len(y_msg)
        oof = np.zeros(n)
        for k in range(folds):
            test = fold_msg == k
            train = fold != k
            if not test.any() or y[train].sum() == 0:
                oof[test] = x_msg[test] @ w + b
                continue
            wk, bk = fit_logistic(
                x[train], y[train], rw[train] * balanced_weights(y[train], rw[train])
            )
            oof[test] = x_msg[test] @ wk + bk
        a, c = platt(oof, y_msg) if 0 < y_msg.sum() < n else (1.0, 0.0)
        ws.append(w)
        bs.append(b)
        pa.append(a)
        pb.append(c)
    return RiskModel(
        weights=np.asarray(ws, dtype=np.float32),
        bias=np.asarray(bs, dtype=np.float32),
        platt_a=np.asarray(pa, dtype=np.float32),
        platt_b=np.asarray(pb, dtype=np.float32),
        thresholds={c: DEFAULT_THRESHOLD for c in CLASSES},
    )
