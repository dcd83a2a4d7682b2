"""``painguide safety train`` and ``painguide safety loso``: fit the risk classifier and choose
its thresholds by leave-one-source-out evaluation on the development set.

The classifier is scored exactly as the router uses it: on every sentence and clause of a
message, with the rule gates (negated spans removed, educational questions and denials
skipped), taking the highest calibrated probability per class. An item counts as escalated
when the rules and exemplars escalate it OR the classifier does.

Example::

    painguide safety train            # writes src/painguide/safety/data/risk_model.json
    painguide safety loso             # the per-source table only
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from painguide.safety.risk import (
    CALIBRATION_FOLDS,
    CLASSES,
    ESCALATION_LABELS,
    RAW_INPUT,
    Example,
    RiskModel,
    UnitNegatives,
    data_hashes,
    devset_examples,
    guard_examples,
    model_path,
    own_examples,
    source_weights,
    train_linear,
)

if TYPE_CHECKING:
    import numpy as np

    from painguide.safety.router import SafetyRouter

log = logging.getLogger(__name__)

TARGET_CRISIS = 0.98
TARGET_PHYSICAL = 0.95
TARGET_FALSE = 0.10
LOSO_CALIBRATION_FOLDS = 3  # fewer calibration folds inside each held-out run (speed)
COARSE = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05 .. 0.95
DEFAULT_PICK = 0.5
# When the targets cannot all be met: worst-source recall minus FALSE_WEIGHT x worst-source
# false escalation is maximised, and worst-source false escalation never rises above the
# release before this policy (0.339). A weight of 0.5 (a miss costs twice a false alarm) ran
# to that ceiling: one benign consumer question in three escalated on the worst source.
# Multiple-instance training (every gated clause of a benign message as an extra negative)
# lowered worst-source false escalation 0.248 -> 0.235, but it also lowered crisis scores on
# self-harm prompts (one external prompt fell from 0.87 to 0.76, below the threshold). Crisis
# recall matters more than a few false alarms, so it is off; see
# docs/release-notes/2026-12-02-risk-model-experiments.md.
UNIT_NEGATIVES = False
# risk26: multiple-instance negatives for the physical classes only (emergency and urgent read
# the masked units); the crisis class stays trained on whole messages, so the self-harm
# prompts it scored before are unaffected. The units of benign messages lowered the highest
# emergency score of an everyday guard question from 0.746 to 0.51, which had held the
# emergency threshold at 0.75 or above. See docs/release-notes/2026-12-02-risk-model-experiments.md.
UNIT_NEGATIVE_CLASSES: frozenset[str] = frozenset({"emergency", "urgent"})
# risk26: per-message weights (1 / source size) ** SOURCE_WEIGHT_POWER for these classes, so
# the largest sources do not set the boundary alone (the own cases count as one source)
SOURCE_WEIGHT_POWER = 0.5
SOURCE_WEIGHT_CLASSES: frozenset[str] = frozenset(CLASSES)
GUARD_MARGIN = 0.01  # a raised threshold sits this far above the highest guard question
GUARD_CEILING = 0.99
FALSE_WEIGHT = 1.0
# safety13: the ceiling is the worst-source false escalation of the release before that
# session (0.190, LasseRegin). With 275 more eating-disorder comments the picker otherwise
# lowered every threshold (crisis 0.85, emergency 0.70, urgent 0.65) and false escalation on
# the worst source rose to 0.218 for one more crisis item; a miss costs more than a false
# alarm, but not without a limit.
FALSE_CEILING = 0.19
# Trade-offs this close are one or two items apart on the worst source (1/247 = 0.004): the
# choice between them went back and forth as three own cases were added, so among them the
# higher recall wins (a missed escalation costs more than a false alarm).
NEAR_TIE = 0.005
# risk26: when every target can be met, the choice is made on a finer grid (FINE steps around
# the best coarse settings) for the largest margin in ITEMS on every held-out source: how many
# more items could be missed (recall) or falsely escalated (false escalation) before that
# source fails its target. The highest thresholds meeting the targets sat on the edge (em|urg
# on LasseRegin 235/247, one item above 0.95, while an emergency threshold of 0.73 instead of
# 0.75 caught one more at no cost to the worst-source false escalation). Margins are compared
# smallest first (leximin) and capped at MARGIN_CAP items: beyond that, higher thresholds win.
FINE = 0.01
FINE_SPAN = 4  # fine steps either side of a coarse setting
FINE_CENTRES = 8  # how many of the best coarse settings are refined
MARGIN_CAP = 3


@dataclass
class Featurised:
    """Message-level training vectors and unit-level evaluation inputs for every example."""

    examples: list[Example]
    masked: np.ndarray  # (n, dim) message-level, negated spans removed
    raw: np.ndarray  # (n, dim) message-level
    unit_rows: list[list[tuple[int, int, bool, bool]]]  # per example: (masked i, raw i, gates)
    unit_vecs: np.ndarray
    static: list[str]  # route from rules and exemplars alone
    msg_masked: list[int]  # per example: row of unit_vecs holding its message-level vectors
    msg_raw: list[int]


def encode_incremental(embeddings: Any, texts: list[str], cache_dir: Path | None) -> np.ndarray:
    """Embed texts, reusing every vector saved before for the same model and text (the
    development set grows item by item; only new texts reach the model)."""
    import hashlib

    import numpy as np

    if cache_dir is None:
        return np.asarray(embeddings.encode(texts))
    tag = hashlib.sha256(embeddings.model_name.encode()).hexdigest()[:10]
    path = cache_dir / f"risk-vectors-{tag}.npz"
    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest()[:24] for t in texts]
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        try:
            with np.load(path) as data:
                known = dict(zip(data["keys"].tolist(), data["vecs"], strict=True))
        except (OSError, ValueError, KeyError) as exc:
            log.warning("ignoring unreadable vector cache %s: %s", path, exc)
    missing = [i for i, k in enumerate(keys) if k not in known]
    if missing:
        log.info("embedding %d new texts (%d cached)", len(missing), len(texts) - len(missing))
        new = embeddings.cached_encode([texts[i] for i in missing], cache_dir)
        for i, vec in zip(missing, new, strict=True):
            known[keys[i]] = vec
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            np.savez(tmp, keys=np.asarray(list(known)), vecs=np.stack(list(known.values())))
            tmp.replace(path)
        except OSError as exc:
            log.warning("could not write vector cache %s: %s", path, exc)
    return np.stack([known[k] for k in keys]).astype(np.float32)


class _Known:
    """The embedding model with a table of vectors already computed (falls back to it)."""

    def __init__(self, inner: Any, known: dict[str, Any]) -> None:
        self.inner = inner
        self.known = known
        self.dimension = inner.dimension
        self.model_name = inner.model_name

    def encode(self, texts: list[str]) -> Any:
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self.known]
        if missing:
            self.known.update(zip(missing, self.inner.encode(missing), strict=True))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self.known[t] for t in texts])


def featurise(router: SafetyRouter, examples: list[Example], cache_dir: Path | None) -> Featurised:
    """Embed every example (whole message, and each unit as the router sees it)."""
    import numpy as np

    from painguide.safety.router import _FIRST_PERSON, _QUESTION_SELF, LONG_POST_SENTENCES

    assert router.embeddings is not None, "training needs the embedding model"
    norms = [router.normalise(e.text)[:20_000] for e in examples]
    texts: dict[str, int] = {}

    def idx(t: str) -> int:
        return texts.setdefault(t, len(texts))

    msg_m, msg_r, unit_rows = [], [], []
    for n in norms:
        msg_m.append(idx(router.mask_negated(n)))
        msg_r.append(idx(n))
        sentences = router.sentences(n)
        personal = any(_FIRST_PERSON.search(_QUESTION_SELF.sub(" ", s)) for s in sentences)
        long_post = len(sentences) >= LONG_POST_SENTENCES
        inputs = router.risk_inputs(router.units(sentences), personal, long_post)
        whole = router.whole_message_input(inputs, n)
        rows = [
            (idx(ri.masked), idx(ri.unit), ri.physical, ri.crisis)
            for ri in (inputs if whole is None else [*inputs, whole])
        ]
        unit_rows.append(rows)
    for n in norms:  # what route() embeds, so the static pass below needs no model call
        idx(n)
    vecs = encode_incremental(router.embeddings, list(texts), cache_dir)
    saved = router.risk, router.embeddings
    router.risk = None
    router.embeddings = _Known(saved[1], dict(zip(texts, vecs, strict=True)))  # type: ignore[assignment]
    try:
        static = [str(router.route(e.text).decision.route) for e in examples]
    finally:
        router.risk, router.embeddings = saved
    return Featurised(
        examples,
        np.asarray(vecs[msg_m]),
        np.asarray(vecs[msg_r]),
        unit_rows,
        np.asarray(vecs),
        static,
        msg_m,
        msg_r,
    )


def unit_probabilities(model: RiskModel, feats: Featurised, rows: list[int]) -> np.ndarray:
    """(len(rows), classes): the highest gated probability over each example's units."""
    import numpy as np

    out = np.zeros((len(rows), len(CLASSES)))
    all_p = model.probabilities(feats.unit_vecs, feats.unit_vecs)  # per text, raw == masked
    for k, r in enumerate(rows):
        for mi, ri, physical, crisis in feats.unit_rows[r]:
            for c, cls in enumerate(CLASSES):
                if cls == "crisis":
                    if crisis:
                        out[k, c] = max(out[k, c], all_p[ri, c])
                elif physical:
                    out[k, c] = max(out[k, c], all_p[mi, c])
    return out


def unit_negatives(
    feats: Featurised, rows: list[int], classes: frozenset[str] = frozenset(CLASSES)
) -> UnitNegatives:
    """The gated sentence and clause vectors of the given rows (each unit once per message,
    the whole message itself left out), with the position in ``rows`` of their message.
    Only for ``classes``: the crisis class reads ``raw``, the physical classes ``masked``;
    a part no class of ``classes`` reads is left empty (that class trains on messages)."""
    import numpy as np

    want_masked = any(c not in RAW_INPUT for c in classes)
    want_raw = any(c in RAW_INPUT for c in classes)

    masked: list[int] = []
    m_owner: list[int] = []
    raw: list[int] = []
    r_owner: list[int] = []
    for k, r in enumerate(rows):
        phys = [mi for mi, _, p, _ in feats.unit_rows[r] if p and mi != feats.msg_masked[r]]
        cris = [ri for _, ri, _, c in feats.unit_rows[r] if c and ri != feats.msg_raw[r]]
        phys = phys if want_masked else []
        cris = cris if want_raw else []
        for i in dict.fromkeys(phys):
            masked.append(i)
            m_owner.append(k)
        for i in dict.fromkeys(cris):
            raw.append(i)
            r_owner.append(k)
    return UnitNegatives(
        masked=feats.unit_vecs[masked],
        masked_owner=np.asarray(m_owner, dtype=np.int64),
        raw=feats.unit_vecs[raw],
        raw_owner=np.asarray(r_owner, dtype=np.int64),
    )


def fit(feats: Featurised, rows: list[int], folds: int = CALIBRATION_FOLDS) -> RiskModel:
    """Train on the given example rows: message vectors, and the units of negative messages."""
    ex = [feats.examples[r] for r in rows]
    return train_linear(
        feats.masked[rows],
        feats.raw[rows],
        [e.label for e in ex],
        [e.text for e in ex],
        folds,
        unit_negatives(feats, rows, _unit_classes()),
        _weights([e.source for e in ex]),
    )


def _weights(sources: list[str]) -> dict[str, np.ndarray] | None:
    """Per class, the source weight of every training message (None: all 1)."""
    if not SOURCE_WEIGHT_POWER or not SOURCE_WEIGHT_CLASSES:
        return None
    w = source_weights(sources, SOURCE_WEIGHT_POWER)
    return {c: w for c in SOURCE_WEIGHT_CLASSES}


def _unit_classes() -> frozenset[str]:
    """The classes trained with multiple-instance negatives (every class when
    UNIT_NEGATIVES is on)."""
    return frozenset(CLASSES) if UNIT_NEGATIVES else UNIT_NEGATIVE_CLASSES


def held_out_scores(feats: Featurised) -> dict[str, tuple[list[int], np.ndarray]]:
    """For each devset source: its rows and the probabilities of a model trained without it."""
    sources = sorted({e.source for e in feats.examples if not e.source.startswith("own:")})
    out = {}
    for src in sources:
        test = [i for i, e in enumerate(feats.examples) if e.source == src]
        train = [i for i, e in enumerate(feats.examples) if e.source != src]
        log.info("leave-one-source-out: %s (%d held out)", src, len(test))
        model = fit(feats, train, LOSO_CALIBRATION_FOLDS)
        out[src] = (test, unit_probabilities(model, feats, test))
    return out


def _predict(static: list[str], probs: np.ndarray, t: dict[str, float]) -> list[str]:
    """Route per row: the rules' and exemplars' escalation, else the classifier's."""
    routes = []
    for k, st in enumerate(static):
        if st == "urgent" and probs[k, 0] >= t["crisis"]:
            routes.append("crisis")  # the crisis class may add to an urgent-only rule finding
            continue
        if st in ESCALATION_LABELS:
            routes.append(st)
            continue
        hit = [c for i, c in enumerate(CLASSES) if probs[k, i] >= t[c]]
        route = next((c for c in ("crisis", "emergency", "urgent") if c in hit), "none")
        routes.append(route)
    return routes


def source_table(
    feats: Featurised, held: dict[str, tuple[list[int], np.ndarray]], t: dict[str, float]
) -> list[dict[str, Any]]:
    """Per held-out source: crisis recall, emergency-or-urgent recall, false escalation."""
    table = []
    for src, (rows, probs) in held.items():
        pred = _predict([feats.static[r] for r in rows], probs, t)
        pairs = list(zip(pred, [feats.examples[r].label for r in rows], strict=True))
        crisis = [p == "crisis" for p, lbl in pairs if lbl == "crisis"]
        phys = [p in {"emergency", "urgent"} for p, lbl in pairs if lbl in {"emergency", "urgent"}]
        emerg = [p == "emergency" for p, lbl in pairs if lbl == "emergency"]
        benign = [p != "none" for p, lbl in pairs if lbl not in ESCALATION_LABELS]
        table.append(
            {
                "source": src,
                "n": len(rows),
                "crisis_n": len(crisis),
                "crisis_recall": _rate(crisis),
                "physical_n": len(phys),
                "physical_recall": _rate(phys),
                "emergency_as_emergency": _rate(emerg),
                "benign_n": len(benign),
                "false_escalation": _rate(benign),
            }
        )
    return table


def _rate(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _worst(table: list[dict[str, Any]], key: str, high: bool = True) -> float:
    vals = [r[key] for r in table if r[key] is not None]
    if not vals:
        return 1.0 if high else 0.0
    return min(vals) if high else max(vals)


def _source_arrays(
    feats: Featurised, held: dict[str, tuple[list[int], np.ndarray]]
) -> list[dict[str, Any]]:
    import numpy as np

    out = []
    for rows, probs in held.values():
        static = np.asarray([feats.static[r] for r in rows])
        labels = np.asarray([feats.examples[r].label for r in rows])
        out.append({"static": static, "labels": labels, "p": probs})
    return out


def _outcomes(a: dict[str, Any], t: tuple[float, float, float]) -> dict[str, Any]:
    """One source's items scored as the router decides (rules first, then the classifier at
    thresholds ``t``): which items are crisis / emergency-or-urgent / benign, and which of them
    were found or escalated. Shared by the worst-source figures and the per-source margins."""
    import numpy as np

    tc, te, tu = t
    st, lab, p = a["static"], a["labels"], a["p"]
    esc_static = np.isin(st, list(ESCALATION_LABELS))
    free = ~esc_static
    crisis_hit = (free | (st == "urgent")) & (p[:, 0] >= tc)
    free = free & ~crisis_hit
    phys_hit = free & ((p[:, 1] >= te) | (p[:, 2] >= tu))
    kept = np.isin(st, ["emergency", "urgent"]) & ~crisis_hit
    return {
        "crisis": lab == "crisis",
        "crisis_found": (st == "crisis") | crisis_hit,
        "physical": np.isin(lab, ["emergency", "urgent"]),
        "physical_found": kept | phys_hit,
        "benign": ~np.isin(lab, list(ESCALATION_LABELS)),
        "escalated": esc_static | crisis_hit | phys_hit,
    }


def _worst_figures(
    arrs: list[dict[str, Any]], t: tuple[float, float, float]
) -> tuple[float, float, float, float]:
    """(worst crisis recall, worst emergency-or-urgent recall, worst false escalation, mean
    recall over every source and class)."""
    import numpy as np

    crisis_r, phys_r, false_r = [], [], []
    for a in arrs:
        o = _outcomes(a, t)
        if o["crisis"].any():
            crisis_r.append(o["crisis_found"][o["crisis"]].mean())
        if o["physical"].any():
            phys_r.append(o["physical_found"][o["physical"]].mean())
        if o["benign"].any():
            false_r.append(o["escalated"][o["benign"]].mean())
    return (
        float(min(crisis_r)) if crisis_r else 1.0,
        float(min(phys_r)) if phys_r else 1.0,
        float(max(false_r)) if false_r else 0.0,
        float(np.mean(crisis_r + phys_r)) if crisis_r or phys_r else 1.0,
    )


# (key, thresholds, met): see pick_trade_off
Candidate = tuple[tuple[float, ...], dict[str, float], bool]


def choose_thresholds(
    feats: Featurised,
    held: dict[str, tuple[list[int], np.ndarray]],
    guard: dict[str, float] | None = None,
) -> tuple[dict[str, float], bool]:
    """Thresholds judged on the WORST held-out source. When every target can be met, the
    highest such thresholds (fewest false escalations); otherwise the best trade-off
    (met=False): worst-source recall minus FALSE_WEIGHT x worst-source false escalation,
    with false escalation kept under FALSE_CEILING. Trade-offs within NEAR_TIE of the best
    are one or two items apart: among those, the one that misses fewest escalations wins.

    ``guard`` (from ``guard_tops``): each candidate is judged as the guard will leave it
    (``guarded``), so the choice is made on thresholds the router will really run. Without
    this, a candidate below the guard was judged at its own value and then raised, and the
    other classes' thresholds were chosen for a trade-off that no longer held."""
    arrs = _source_arrays(feats, held)
    budget = max(TARGET_FALSE, FALSE_CEILING)
    top = guard or {}
    rows: list[Candidate] = []
    for tc0 in COARSE:
        for te0 in COARSE:
            for tu0 in COARSE:
                tc = guarded(tc0, top.get("crisis"))
                te = guarded(te0, top.get("emergency"))
                tu = guarded(tu0, top.get("urgent"))
                crisis, phys, false, mean_recall = _worst_figures(arrs, (tc, te, tu))
                ok_false = false <= budget
                met = crisis >= TARGET_CRISIS and phys >= TARGET_PHYSICAL
                met = met and false <= TARGET_FALSE
                recall = min(crisis, TARGET_CRISIS) + min(phys, TARGET_PHYSICAL)
                trade = round(recall - FALSE_WEIGHT * false, 4) if ok_false else -false
                # ties on the worst source (often one small source no threshold moves) are
                # broken by the recall of every source, then by fewer false escalations
                mean = round(mean_recall, 3) if ok_false else 0.0
                key = (float(met), float(ok_false), trade, round(recall, 4), mean, -false)
                rows.append((key, {"crisis": tc, "emergency": te, "urgent": tu}, met))
    met_rows = [r for r in rows if r[2]]
    # no coarse setting meets the targets: refine around the best trade-offs, where a finer
    # step may still meet them (an emergency threshold of 0.67 between 0.65 and 0.70)
    best = sorted(rows, key=lambda r: r[0], reverse=True)[:FINE_CENTRES]
    picked = widest_margin(arrs, [r[1] for r in met_rows or best], top)
    if picked is not None:
        return picked, True
    return pick_trade_off(rows)


def source_margins(arrs: list[dict[str, Any]], t: tuple[float, float, float]) -> list[int]:
    """Per held-out source and target, how many items are to spare: recall hits minus the
    hits the target needs, allowed false escalations minus false escalations (negative when
    the target fails). Every target is met exactly when no margin is negative."""
    import math

    out: list[int] = []
    for a in arrs:
        o = _outcomes(a, t)
        for cls, found, target in (
            ("crisis", "crisis_found", TARGET_CRISIS),
            ("physical", "physical_found", TARGET_PHYSICAL),
        ):
            sel = o[cls]
            if sel.any():
                hits = int(o[found][sel].sum())
                out.append(hits - math.ceil(target * int(sel.sum()) - 1e-9))
        ben = o["benign"]
        if ben.any():
            false = int(o["escalated"][ben].sum())
            out.append(math.floor(TARGET_FALSE * int(ben.sum()) + 1e-9) - false)
    return out


def _margin_key(margins: list[int]) -> tuple[int, ...]:
    return tuple(sorted(min(m, MARGIN_CAP) for m in margins))


def widest_margin(
    arrs: list[dict[str, Any]],
    centres: list[dict[str, float]],
    guard: dict[str, float] | None = None,
) -> dict[str, float] | None:
    """Around coarse settings (the best FINE_CENTRES of them by margin), in FINE steps, the
    setting meeting every target whose smallest per-source margins in items are largest
    (leximin, capped at MARGIN_CAP); among equals, the highest thresholds. None when no
    refined setting meets the targets."""
    top = guard or {}
    memo: dict[tuple[float, float, float], tuple[int, ...]] = {}

    def key(t: tuple[float, float, float]) -> tuple[int, ...]:
        if t not in memo:
            memo[t] = _margin_key(source_margins(arrs, t))
        return memo[t]

    coarse = [(c["crisis"], c["emergency"], c["urgent"]) for c in centres]
    coarse.sort(key=lambda t: (key(t), sum(t)), reverse=True)
    best: tuple[tuple[int, ...], float, tuple[float, float, float]] | None = None
    steps = range(-FINE_SPAN, FINE_SPAN + 1)
    for centre in coarse[:FINE_CENTRES]:
        for dc in steps:
            for de in steps:
                for du in steps:
                    raw = [centre[i] + d * FINE for i, d in enumerate((dc, de, du))]
                    t = tuple(
                        guarded(round(min(0.99, max(FINE, v)), 3), top.get(c))
                        for c, v in zip(CLASSES, raw, strict=True)
                    )
                    k = key(t)  # type: ignore[arg-type]
                    if min(k, default=0) < 0:
                        continue  # a target fails
                    cand = (k, round(sum(t), 6), t)
                    if best is None or cand[:2] > best[:2]:
                        best = cand  # type: ignore[assignment]
    return None if best is None else dict(zip(CLASSES, best[2], strict=True))


def pick_trade_off(rows: list[Candidate]) -> tuple[dict[str, float], bool]:
    """From (key, thresholds, met) candidates, key = (met, under the false ceiling, trade,
    worst-source recall, mean recall, -false): the highest thresholds meeting every target,
    else the highest recall among trade-offs within NEAR_TIE of the best whose worst-source
    false escalation is also within NEAR_TIE of the best's: a near tie may buy recall only
    when it costs almost no false escalation (an urgent threshold of 0.55 bought 1 item of
    recall for 2 false alarms on the worst source and 3 more on the own benign cases)."""
    top = max(rows, key=lambda r: r[0] + (sum(r[1].values()),))
    if top[2]:  # every target met: the highest such thresholds
        return top[1], True
    near = [
        r
        for r in rows
        if r[0][:2] == top[0][:2]
        and r[0][2] >= top[0][2] - NEAR_TIE
        and r[0][5] >= top[0][5] - NEAR_TIE  # recall bought with almost no false escalation
    ]
    best = max(near, key=lambda r: (r[0][3], r[0][4], r[0][5], sum(r[1].values())))
    return best[1], False


def format_table(table: list[dict[str, Any]], thresholds: dict[str, float], title: str = "") -> str:
    """The leave-one-source-out table as plain text."""

    def f(v: float | None) -> str:
        return "   -  " if v is None else f"{v:6.3f}"

    lines = [
        title or "leave-one-source-out (train on other sources + own cases; rules + classifier)",
        "thresholds: " + ", ".join(f"{k} {v:.3f}" for k, v in thresholds.items()),
        f"{'held-out source':48s} {'n':>5s} {'crisis':>6s} {'(n)':>5s} {'em|urg':>6s} "
        f"{'(n)':>5s} {'em=em':>6s} {'false':>6s} {'(n)':>5s}",
    ]
    for r in table:
        lines.append(
            f"{r['source'][:48]:48s} {r['n']:5d} {f(r['crisis_recall'])} {r['crisis_n']:5d} "
            f"{f(r['physical_recall'])} {r['physical_n']:5d} {f(r['emergency_as_emergency'])} "
            f"{f(r['false_escalation'])} {r['benign_n']:5d}"
        )
    lines.append(
        f"{'WORST SOURCE':48s} {'':5s} {f(_worst(table, 'crisis_recall'))} {'':5s} "
        f"{f(_worst(table, 'physical_recall'))} {'':5s} {'':6s} "
        f"{f(_worst(table, 'false_escalation', high=False))}"
    )
    lines.append(
        f"targets: crisis >= {TARGET_CRISIS}, emergency-or-urgent >= {TARGET_PHYSICAL}, "
        f"false escalation <= {TARGET_FALSE} (worst source)"
    )
    return "\n".join(lines)


def load_examples(devset: Path | None) -> tuple[list[Example], str]:
    """Own cases plus the development set when its cache is present (note says which)."""
    own = own_examples()
    try:
        dev = devset_examples(devset)
    except (OSError, ValueError) as exc:  # DevsetError is a ValueError
        log.warning("development set unavailable (%s): training on the project's own cases", exc)
        return own, f"development set unavailable: {exc}"
    return own + dev, f"development set: {len(dev)} items"


def loso(router: SafetyRouter, devset: Path | None, cache_dir: Path | None) -> dict[str, Any]:
    """Leave-one-source-out table with thresholds chosen on the worst source."""
    examples, note = load_examples(devset)
    feats = featurise(router, examples, cache_dir)
    held = held_out_scores(feats)
    if not held:
        return {"note": note, "table": [], "thresholds": {}, "targets_met": False}
    full = fit(feats, list(range(len(feats.examples))))
    tops = guard_tops(router, full, cache_dir)
    thresholds, met = choose_thresholds(feats, held, tops)
    off = {c: 2.0 for c in CLASSES}
    return {
        "model": full,
        "guard_tops": tops,
        "note": note,
        "rules_only": source_table(feats, held, off),
        "table": source_table(feats, held, thresholds),
        "thresholds": thresholds,
        "targets_met": bool(met),
        "feats": feats,
        "held": held,
    }


def guard_thresholds(
    router: SafetyRouter, model: RiskModel, cache_dir: Path | None
) -> dict[str, float]:
    """Raise a class threshold above every everyday question of the guard files that the
    classifier alone would escalate ("i'm scared that doing more will make my pain worse,
    how do I build up safely" had scored crisis 0.83 against a threshold of 0.75). Returns
    the thresholds it raised, with the question score that set each."""
    raised: dict[str, float] = {}
    for cls, top in guard_tops(router, model, cache_dir).items():
        new = guarded(model.thresholds[cls], top)
        if new != model.thresholds[cls]:
            log.info("guard: %s threshold %.2f -> %.3f", cls, model.thresholds[cls], new)
            model.thresholds[cls] = new
            raised[cls] = new
    return raised


def guard_tops(router: SafetyRouter, model: RiskModel, cache_dir: Path | None) -> dict[str, float]:
    """Per class, the highest classifier score of any everyday guard question (empty without
    guard files)."""
    guard = guard_examples()
    if not guard:
        return {}
    probs = unit_probabilities(model, featurise(router, guard, cache_dir), list(range(len(guard))))
    return {cls: float(probs[:, c].max()) for c, cls in enumerate(CLASSES)}


def guarded(threshold: float, top: float | None) -> float:
    """The threshold the guard leaves: raised just above ``top`` when ``top`` reaches it."""
    if top is None or top < threshold:
        return threshold
    return min(GUARD_CEILING, round(top + GUARD_MARGIN, 3))


def train(
    router: SafetyRouter, devset: Path | None, cache_dir: Path | None, out: Path | None = None
) -> tuple[RiskModel, dict[str, Any]]:
    """Fit on everything, thresholds from leave-one-source-out, write the artefact."""
    result = loso(router, devset, cache_dir)
    feats = result.pop("feats", None)
    model = result.pop("model", None)
    if feats is None:
        examples, _ = load_examples(devset)
        feats = featurise(router, examples, cache_dir)
    if model is None:
        model = fit(feats, list(range(len(feats.examples))))
    if result["thresholds"]:
        model.thresholds = dict(result["thresholds"])
    raised = guard_thresholds(router, model, cache_dir)
    held = result.pop("held", None)
    if raised and held:  # the table shows what the router will do with the raised thresholds
        result["thresholds"] = dict(model.thresholds)
        result["table"] = source_table(feats, held, model.thresholds)
        result["targets_met"] = (
            _worst(result["table"], "crisis_recall") >= TARGET_CRISIS
            and _worst(result["table"], "physical_recall") >= TARGET_PHYSICAL
            and _worst(result["table"], "false_escalation", high=False) <= TARGET_FALSE
        )
    assert router.embeddings is not None
    model.model_name = router.embeddings.model_name
    by_label: dict[str, int] = {}
    for e in feats.examples:
        by_label[e.label] = by_label.get(e.label, 0) + 1
    model.meta = {
        "training": {
            **data_hashes(),
            "examples": len(feats.examples),
            "by_label": dict(sorted(by_label.items())),
            "sources": sorted({e.source for e in feats.examples}),
            "note": result["note"],
            "guard_raised": raised,
        },
        "loso": {"table": result["table"], "targets_met": result["targets_met"]},
    }
    model.save(out or model_path())
    return model, result
