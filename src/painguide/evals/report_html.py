"""Self-contained HTML page (inline CSS and SVG, no JavaScript, no network) for an eval report.

The page is rendered from the Jinja2 template ``templates/report.html`` with autoescape on:
evaluation items include prompt-injection texts such as ``<script>alert(1)</script>``, and every
value from the report reaches the page escaped. The functions here only prepare plain data
(formatted numbers, table rows, chart geometry) for the template. Missing keys are skipped,
never fatal.

Usage::

    import json
    from pathlib import Path

    from painguide.evals.report_html import render_html

    report = json.loads(Path("evals/out/report.json").read_text(encoding="utf-8"))
    Path("evals/out/report.html").write_text(render_html(report), encoding="utf-8")
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

ANSWER_MAX_CHARS = 1200
MESSAGE_MAX_CHARS = 1200
LOWER_IS_BETTER_MARKERS: tuple[str, ...] = (
    "_ms",
    "grade",
    "changed_behaviour",
    "diagnosis_given",
    "misses",
)
BASELINE_METRICS: tuple[tuple[str, str], ...] = (
    ("hit@1", "hit@1"),
    ("hit@3", "hit@3"),
    ("hit@5", "hit@5"),
    ("mrr", "MRR"),
)
PRIMARY_SYSTEM = "pain_guide"
# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#000000",  # black
    "#F0E442",  # yellow
)
CHART_WIDTH = 680
CHART_LABEL_W = 170
CHART_PLOT_W = 400
CHART_BAR_H = 14
CHART_BAR_GAP = 2
CHART_GROUP_GAP = 10
TEMPLATE_NAME = "report.html"
LOSO_COLUMNS: tuple[tuple[str, str], ...] = (
    ("n", "n"),
    ("crisis_recall", "crisis recall"),
    ("crisis_n", "(n)"),
    ("physical_recall", "emergency or urgent recall"),
    ("physical_n", "(n)"),
    ("emergency_as_emergency", "emergency as emergency"),
    ("false_escalation", "false escalation"),
    ("benign_n", "(n)"),
)
LOSO_WORST: tuple[tuple[str, bool], ...] = (
    ("crisis_recall", True),
    ("physical_recall", True),
    ("false_escalation", False),
)

Cell = dict[str, Any]
Table = dict[str, Any]
Chart = dict[str, Any]
Section = dict[str, Any]

# ---------------------------------------------------------------------------- small helpers


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    return []


def _num(value: Any) -> float | None:
    """A finite float, or None for anything else (bools, strings, NaN, missing)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _decimals(name: str) -> int:
    lname = name.lower()
    if "grade" in lname or "_ms" in lname or lname.endswith("_s") or lname in {"p50", "p95"}:
        return 1
    return 3


def _fmt(value: Any, name: str = "") -> str:
    """Display text (not escaped): ints as is, floats to 3 decimals (grades and times to 1)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        return f"{value:.{_decimals(name)}f}"
    return str(value)


def _fmt_count(value: Any) -> str:
    f = _num(value)
    if f is not None and f.is_integer():
        return str(int(f))
    return _fmt(value)


def _lower_is_better(name: str) -> bool:
    lname = name.lower()
    return any(marker in lname for marker in LOWER_IS_BETTER_MARKERS)


def _truncate(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    return text[:limit].rstrip() + "…", True


def _cell(text: Any = "", kind: str = "", cls: str = "", codes: Sequence[Any] = ()) -> Cell:
    """A table cell for the template: kind "" (text), "code", "span" (with cls) or "codes"."""
    return {"text": _str(text), "kind": kind, "cls": cls, "codes": [_str(c) for c in codes]}


def _code(text: Any) -> Cell:
    return _cell(text, "code")


def _table(headers: Sequence[tuple[str, bool]], rows: Sequence[Sequence[Cell | str]]) -> Table:
    """Headers are (text, numeric); a str cell is plain text."""
    body = [
        [
            {**(c if isinstance(c, dict) else _cell(c)), "num": headers[i][1]}
            for i, c in enumerate(row)
        ]
        for row in rows
    ]
    return {"headers": [{"text": h, "num": n} for h, n in headers], "rows": body}


# ---------------------------------------------------------------------------- SVG charts


def _bar(label: str, sname: str, v: float | None, i: int, by: float, scale: Chart) -> Cell:
    """One bar of a chart (or an n/a mark when the value is missing)."""
    if v is None:
        return {"na": True, "x": CHART_LABEL_W + 2, "ty": by + CHART_BAR_H - 3}
    w = max(0.0, v) / scale["max"] * CHART_PLOT_W
    name = scale["value_name"]
    shown = _fmt_count(v) if name == "count" else _fmt(float(v), name)
    return {
        "na": False,
        "x": CHART_LABEL_W,
        "y": by,
        "w": f"{w:.1f}",
        "h": CHART_BAR_H,
        "colour": PALETTE[i % len(PALETTE)],
        "tip": f"{label} · {sname}: {shown}",
        "tx": f"{CHART_LABEL_W + w + 4:.1f}",
        "ty": by + CHART_BAR_H - 3,
        "shown": shown,
    }


def _legend(series: Sequence[str]) -> list[Cell]:
    if len(series) <= 1:
        return []
    out, lx = [], CHART_LABEL_W
    for i, sname in enumerate(series):
        out.append({"x": lx, "tx": lx + 15, "colour": PALETTE[i % len(PALETTE)], "name": sname})
        lx += 22 + 7 * len(str(sname))
    return out


def _hbar_chart(
    title: str,
    groups: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[str],
    *,
    vmax: float | None = None,
    value_name: str = "",
) -> Chart | None:
    """Geometry of a grouped horizontal bar chart; one colour per series, legend on top."""
    values = [v for _, vs in groups for v in vs if v is not None]
    if not groups or not values:
        return None
    top = max(values)
    scale_max = vmax if vmax is not None and vmax >= top else top
    scale = {"max": scale_max if scale_max > 0 else 1.0, "value_name": value_name}
    n_series = max(1, len(series))
    legend_h = 20 if len(series) > 1 else 0
    y: float = 26 + legend_h
    rows = []
    for label, vals in groups:
        group_h = n_series * (CHART_BAR_H + CHART_BAR_GAP)
        bars = []
        for i in range(n_series):
            v = vals[i] if i < len(vals) else None
            sname = series[i] if i < len(series) else ""
            bars.append(_bar(label, sname, v, i, y + i * (CHART_BAR_H + CHART_BAR_GAP), scale))
        short = _truncate(str(label), 28)[0]
        rows.append(
            {"label": short, "full": label, "y": f"{y + group_h / 2 + 4:.1f}", "bars": bars}
        )
        y += group_h + CHART_GROUP_GAP
    return {
        "title": title,
        "width": CHART_WIDTH,
        "height": f"{y + 4:.0f}",
        "label_x": CHART_LABEL_W - 6,
        "legend": _legend(series),
        "axis": {"x": CHART_LABEL_W, "y1": 24 + legend_h, "y2": y - CHART_GROUP_GAP + 2},
        "groups": rows,
    }


def _baseline_charts(datasets: Mapping[str, Any]) -> list[Chart]:
    charts = []
    for ds_name, ds in datasets.items():
        baselines = _dict(_dict(ds).get("baselines"))
        if not baselines:
            continue
        systems = [s for s in baselines if s == PRIMARY_SYSTEM]
        systems += [s for s in baselines if s != PRIMARY_SYSTEM]
        groups = [
            (label, [_num(_dict(baselines[s]).get(key)) for s in systems])
            for key, label in BASELINE_METRICS
        ]
        title = f"{ds_name}: retrieval, Pain Guide vs baselines"
        charts.append(_hbar_chart(title, groups, [str(s) for s in systems], vmax=1.0))
    return [c for c in charts if c]


def _route_recall_charts(datasets: Mapping[str, Any]) -> list[Chart]:
    charts = []
    for ds_name, ds in datasets.items():
        per_route = _dict(_dict(ds).get("per_route"))
        if not per_route:
            continue
        groups = []
        for route, stats in per_route.items():
            support = _dict(stats).get("support")
            label = f"{route} (n={_fmt_count(support)})" if support is not None else str(route)
            groups.append((label, [_num(_dict(stats).get("recall"))]))
        charts.append(_hbar_chart(f"{ds_name}: recall per route", groups, ["recall"], vmax=1.0))
    return [c for c in charts if c]


def _latency_chart(latency: Mapping[str, Any]) -> Chart | None:
    groups = [
        (str(stage), [_num(_dict(stats).get("p50")), _num(_dict(stats).get("p95"))])
        for stage, stats in latency.items()
    ]
    return _hbar_chart("Latency per stage (ms)", groups, ["p50", "p95"], value_name="_ms")


# ---------------------------------------------------------------------------- sections


def _header(report: Mapping[str, Any]) -> list[Cell]:
    """Meta line pieces: text, then codes joined by commas."""
    meta = _dict(report.get("meta"))
    bits: list[Cell] = []
    if "created" in meta:
        bits.append(_cell(f"created {_str(meta['created'])}"))
    if "version" in meta:
        bits.append(_cell(f"version {_str(meta['version'])}"))
    if "duration_s" in meta:
        bits.append(_cell(f"run took {_fmt(meta['duration_s'], 'duration_s')} s"))
    datasets = _list(meta.get("datasets"))
    if datasets:
        bits.append(_cell("datasets: ", codes=datasets))
    settings = _dict(meta.get("settings"))
    if settings:
        pairs = [f"{_str(k)}={_str(v)}" for k, v in settings.items()]
        bits.append(_cell("settings: ", codes=pairs))
    return bits


def _gate(report: Mapping[str, Any]) -> Section | None:
    if "gate" not in report:
        return None
    gate = _dict(report.get("gate"))
    failures = _list(gate.get("failures"))
    passed = gate.get("passed")
    if not isinstance(passed, bool):
        passed = not failures
    rows = []
    for f in failures:
        fd = _dict(f)
        if not fd:
            rows.append({"text": _str(f)})
            continue
        metric = str(fd.get("metric", "?"))
        rows.append(
            {
                "metric": metric,
                "value": _fmt(fd.get("value"), metric),
                "direction": "≤" if _lower_is_better(metric) else "≥",
                "threshold": _fmt(fd.get("threshold"), metric),
            }
        )
    cls, word = ("pass", "✔ PASS") if passed else ("fail", "✖ FAIL")
    return {"cls": cls, "word": word, "failures": rows}


def _dataset_summary(dsd: Mapping[str, Any]) -> Table | None:
    rows: list[list[Cell | str]] = []
    if "n" in dsd:
        rows.append(["n", _fmt_count(dsd.get("n"))])
    for metric, value in _dict(dsd.get("metrics")).items():
        rows.append([_code(metric), _fmt(value, str(metric))])
    if "safety_critical_misses" in dsd:
        misses = _list(dsd.get("safety_critical_misses"))
        rows.append(["safety-critical misses", str(len(misses))])
    return _table([("metric", False), ("value", True)], rows) if rows else None


def _summary(report: Mapping[str, Any]) -> Section | None:
    datasets = []
    for ds_name, ds in _dict(report.get("datasets")).items():
        table = _dataset_summary(_dict(ds))
        if table:
            datasets.append({"name": _str(ds_name), "table": table})
    flat = _dict(report.get("metrics"))
    flat_table = None
    if flat:
        rows: list[list[Cell | str]] = [[_code(k), _fmt(v, str(k))] for k, v in flat.items()]
        flat_table = _table([("metric", False), ("value", True)], rows)
    if not datasets and not flat_table:
        return None
    return {"datasets": datasets, "flat": flat_table, "flat_n": len(flat)}


def _delta_cell(name: str, entry: Mapping[str, Any]) -> Cell:
    delta = _num(entry.get("delta"))
    base_f, cur_f = _num(entry.get("baseline")), _num(entry.get("current"))
    if delta is None and base_f is not None and cur_f is not None:
        delta = cur_f - base_f
    if delta is None:
        return _cell(_fmt(entry.get("delta"), name))
    shown = f"{delta:+.{_decimals(name)}f}"
    if float(shown) == 0:
        return _cell(f"{shown} (same)", "span", "same")
    better = (delta < 0) if _lower_is_better(name) else (delta > 0)
    cls, arrow, word = ("better", "▲", "better") if better else ("worse", "▼", "worse")
    return _cell(f"{arrow} {shown} ({word})", "span", cls)


def _comparison(report: Mapping[str, Any]) -> Table | None:
    comparison = _dict(report.get("comparison"))
    if not comparison:
        return None
    rows: list[list[Cell | str]] = []
    for metric, entry in comparison.items():
        name, ed = str(metric), _dict(entry)
        base, cur = _fmt(ed.get("baseline"), name), _fmt(ed.get("current"), name)
        rows.append([_code(name), base, cur, _delta_cell(name, ed)])
    headers = [("metric", False), ("baseline", True), ("current", True), ("delta", True)]
    return _table(headers, rows)


def _latency_table(latency: Mapping[str, Any]) -> Table:
    keys: list[str] = []
    for stats in latency.values():
        for k in _dict(stats):
            if str(k) not in keys:
                keys.append(str(k))
    rows: list[list[Cell | str]] = [
        [_code(stage)] + [_fmt(_dict(stats).get(k), "_ms") for k in keys]
        for stage, stats in latency.items()
    ]
    return _table([("stage", False)] + [(k, True) for k in keys], rows)


def _charts(report: Mapping[str, Any]) -> Section | None:
    datasets = _dict(report.get("datasets"))
    latency = _dict(report.get("latency"))
    section: Section = {
        "baseline": _baseline_charts(datasets),
        "recall": _route_recall_charts(datasets),
        "latency": None,
    }
    if latency:
        section["latency"] = {"chart": _latency_chart(latency), "table": _latency_table(latency)}
    if not section["baseline"] and not section["recall"] and not section["latency"]:
        return None
    return section


def _confusion_cell(raw: Any, kind: str, top: float) -> Cell:
    c = _num(raw)
    if c is None:
        return {"cls": f"cell {kind}", "style": "", "text": _fmt(raw) if raw is not None else ""}
    alpha = 0.08 + 0.72 * (c / top) if c > 0 else 0.0
    fg = "#fff" if alpha > 0.5 else "#1b1b1b"
    nz = " nz" if c > 0 else ""
    style = f"background:rgba(0,114,178,{alpha:.2f});color:{fg}"
    return {"cls": f"cell {kind}{nz}", "style": style, "text": _fmt_count(raw)}


def _confusion_matrix(labels: list[str], matrix: list[list[Any]]) -> Section:
    size = max(len(labels), len(matrix), max((len(r) for r in matrix), default=0))
    names = labels + [f"#{i}" for i in range(len(labels), size)]
    counts = [_num(c) for r in matrix for c in r]
    top = max((c for c in counts if c is not None), default=0.0) or 1.0
    rows = []
    for i in range(size):
        row = matrix[i] if i < len(matrix) else []
        raws = [row[j] if j < len(row) else None for j in range(size)]
        cells = [
            _confusion_cell(raw, "diag" if i == j else "off", top) for j, raw in enumerate(raws)
        ]
        total = sum(_num(r) or 0.0 for r in raws)
        rows.append({"name": names[i], "cells": cells, "total": _fmt_count(total)})
    return {"names": names, "rows": rows}


def _per_route_table(per_route: Mapping[str, Any]) -> Table:
    rows: list[list[Cell | str]] = [
        [
            _code(route),
            _fmt(_dict(s).get("precision")),
            _fmt(_dict(s).get("recall")),
            _fmt_count(_dict(s).get("support")),
        ]
        for route, s in per_route.items()
    ]
    headers = [("route", False), ("precision", True), ("recall", True), ("support", True)]
    return _table(headers, rows)


def _confusion(report: Mapping[str, Any]) -> list[Section]:
    out = []
    for ds_name, ds in _dict(report.get("datasets")).items():
        dsd = _dict(ds)
        conf = _dict(dsd.get("confusion"))
        per_route = _dict(dsd.get("per_route"))
        if not conf and not per_route and "safety_critical_misses" not in dsd:
            continue
        labels = [str(x) for x in _list(conf.get("labels"))]
        matrix = [_list(r) for r in _list(conf.get("matrix"))]
        out.append(
            {
                "name": _str(ds_name),
                "matrix": _confusion_matrix(labels, matrix) if labels or matrix else None,
                "per_route": _per_route_table(per_route) if per_route else None,
                "misses": [_str(m) for m in _list(dsd.get("safety_critical_misses"))],
                "misses_known": "safety_critical_misses" in dsd,
            }
        )
    return out


def _external_row(key: str, entry: Any) -> list[Cell | str]:
    ed = _dict(entry)
    value = ed.get("value") if ed else entry
    failing = _list(ed.get("failing_ids"))
    ids = _cell(kind="codes", codes=failing) if failing else "—"
    direction = "lower is better" if _lower_is_better(key) else "higher is better"
    n = _fmt_count(ed.get("n")) if "n" in ed else "—"
    return [_code(key), _fmt(value, key), n, direction, ids]


def _distribution(distribution: Mapping[str, Any]) -> Section:
    total = sum(_num(v) or 0.0 for v in distribution.values())
    rows: list[list[Cell | str]] = [
        [
            _code(route),
            _fmt_count(count),
            f"{100 * (_num(count) or 0.0) / total:.1f}%" if total else "—",
        ]
        for route, count in distribution.items()
    ]
    chart = _hbar_chart(
        "Consumer questions: route distribution",
        [(str(r), [_num(c)]) for r, c in distribution.items()],
        ["count"],
        value_name="count",
    )
    table = _table([("route", False), ("count", True), ("share", True)], rows)
    return {"table": table, "chart": chart}


def _external(report: Mapping[str, Any]) -> Section | None:
    external = _dict(report.get("external"))
    if not external:
        return None
    rows = [
        _external_row(str(k), v)
        for k, v in external.items()
        if str(k) != "consumer_route_distribution"
    ]
    headers = [("figure", False), ("value", True), ("n", True), ("", False)]
    headers.append(("failing ids", False))
    distribution = _dict(external.get("consumer_route_distribution"))
    return {
        "table": _table(headers, rows) if rows else None,
        "distribution": _distribution(distribution) if distribution else None,
    }


def _loso_table(rows: list[Any]) -> Table:
    body: list[list[Cell | str]] = []
    for r in (_dict(x) for x in rows):
        body.append(
            [_code(r.get("source", "?"))]
            + [
                _fmt_count(r.get(k)) if k == "n" or k.endswith("_n") else _fmt(r.get(k))
                for k, _ in LOSO_COLUMNS
            ]
        )
    worst: dict[str, str] = {}
    for key, high in LOSO_WORST:
        vals = [v for v in (_num(_dict(x).get(key)) for x in rows) if v is not None]
        worst[key] = _fmt((min(vals) if high else max(vals)) if vals else None)
    body.append(
        [_cell("worst source", "span", "worse")] + [worst.get(k, "") for k, _ in LOSO_COLUMNS]
    )
    headers = [("held-out source", False)] + [(label, True) for _, label in LOSO_COLUMNS]
    return _table(headers, body)


def _loso(report: Mapping[str, Any]) -> Section | None:
    """Leave-one-source-out figures of the safety classifier, when the report has them."""
    loso = _dict(report.get("loso"))
    if not loso:
        return None
    from painguide.safety.risk_train import TARGET_CRISIS, TARGET_FALSE, TARGET_PHYSICAL

    tables = []
    if _list(loso.get("table")):
        tables.append({"title": "Rules and classifier", "table": _loso_table(_list(loso["table"]))})
    if _list(loso.get("rules_only")):
        rules = _loso_table(_list(loso["rules_only"]))
        tables.append({"title": "Rules only", "table": rules})
    thresholds = ", ".join(f"{k} {_fmt(_num(v))}" for k, v in _dict(loso.get("thresholds")).items())
    met = loso.get("targets_met")
    return {
        "skipped": _str(loso.get("skipped")),
        "note": _str(loso.get("note")),
        "thresholds": thresholds,
        "tables": tables,
        "targets": f"crisis ≥ {TARGET_CRISIS}, emergency or urgent ≥ {TARGET_PHYSICAL}, "
        f"false escalation ≤ {TARGET_FALSE} (worst source)",
        "targets_met": met if isinstance(met, bool) else None,
    }


def _notes(value: Any) -> list[Cell]:
    return [
        {"item": _str(_dict(n).get("item")), "comment": _str(_dict(n).get("comment"))}
        for n in _list(value)
    ]


def _review(report: Mapping[str, Any]) -> Section | None:
    """Clinician ratings folded into the report (painguide eval --ratings), when present."""
    review = _dict(report.get("review"))
    if not review:
        return None
    rates: list[list[Cell | str]] = [
        [key, _fmt(_num(review.get(f"{key}_rate")))] for key in ("correct", "clear", "safe")
    ]
    return {
        "rated": _fmt_count(review.get("rated")),
        "rates": _table([("rating", False), ("share yes", True)], rates),
        "stale": [_str(s) for s in _list(review.get("stale"))],
        "not_safe": _notes(review.get("not_safe")),
        "comments": _notes(review.get("comments")),
    }


# ---------------------------------------------------------------------------- items


def _is_failing(item: Mapping[str, Any]) -> bool:
    passed = item.get("passed")
    if isinstance(passed, bool):
        return not passed
    return bool(_list(item.get("failures")))


def _text_block(text: Any, limit: int, cls: str) -> Cell:
    full = _str(text)
    shown, cut = _truncate(full, limit)
    note = f"(truncated, {len(full)} characters in all)" if cut else ""
    return {"kind": "block", "cls": cls, "text": shown, "note": note}


def _message(m: Any) -> Cell:
    md = _dict(m)
    if not md:
        return {"role": None, "text": _str(m), "cut": False}
    shown, cut = _truncate(_str(md.get("content")), MESSAGE_MAX_CHARS)
    return {"role": _str(md.get("role", "?")), "text": shown, "cut": cut}


def _citation(c: Any) -> Cell:
    cd = _dict(c)
    if not cd:
        return {"raw": _str(c)}
    return {
        "raw": None,
        "n": _str(cd.get("n", "?")),
        "title": _str(cd.get("title", "")),
        "section": _str(cd.get("section")) if cd.get("section") else "",
        "doc_id": _str(cd.get("doc_id", "")),
    }


def _doc_ids(ids: list[Any], expected: set[str]) -> Cell:
    return {"kind": "ids", "ids": [{"id": _str(d), "hit": str(d) in expected} for d in ids]}


def _pairs(values: Mapping[str, Any], name: str | None) -> Cell:
    text = " · ".join(
        f"{_str(k)} {_fmt(v, str(k) if name is None else name)}" for k, v in values.items()
    )
    return {"kind": "text", "text": text}


def _conversation_row(item: Mapping[str, Any]) -> tuple[str, Cell] | None:
    messages = _list(item.get("messages"))
    if messages:
        return "conversation", {"kind": "messages", "messages": [_message(m) for m in messages]}
    if "question" in item:
        return "question", _text_block(item.get("question"), MESSAGE_MAX_CHARS, "msg")
    return None


def _item_rows(item: Mapping[str, Any]) -> list[tuple[str, Cell]]:
    rows: list[tuple[str, Cell]] = []
    if "dataset" in item:
        rows.append(("dataset", {"kind": "text", "text": _str(item.get("dataset"))}))
    conversation = _conversation_row(item)
    if conversation:
        rows.append(conversation)
    if "expected_route" in item or "route" in item:
        exp, got = _str(item.get("expected_route")), _str(item.get("route"))
        mismatch = (
            "expected_route" in item and "route" in item and item["expected_route"] != item["route"]
        )
        route = {"kind": "route", "exp": exp or "—", "got": got or "—", "mismatch": mismatch}
        rows.append(("route (expected → actual)", route))
    if "rule" in item:
        rows.append(("rule", {"kind": "code", "text": _str(item.get("rule"))}))
    failures = _list(item.get("failures"))
    if failures:
        rows.append(("failures", {"kind": "failures", "entries": [_str(f) for f in failures]}))
    if "answer" in item:
        rows.append(("answer", _text_block(item.get("answer"), ANSWER_MAX_CHARS, "answer")))
    citations = _list(item.get("citations"))
    if citations:
        rows.append(
            ("citations", {"kind": "citations", "entries": [_citation(c) for c in citations]})
        )
    expected = [str(d) for d in _list(item.get("expected_doc_ids"))]
    if expected:
        rows.append(("expected docs", _doc_ids(list(expected), set())))
    if "retrieved_doc_ids" in item:
        retrieved = _doc_ids(_list(item.get("retrieved_doc_ids")), set(expected))
        rows.append(("retrieved docs", retrieved))
    if _dict(item.get("scores")):
        rows.append(("scores", _pairs(_dict(item.get("scores")), None)))
    if _dict(item.get("timings_ms")):
        rows.append(("timings (ms)", _pairs(_dict(item.get("timings_ms")), "_ms")))
    return rows


def _item(item: Mapping[str, Any]) -> Cell:
    failing = _is_failing(item)
    cls, word = ("fail", "FAIL") if failing else ("pass", "PASS")
    rows = [{"label": label, **value} for label, value in _item_rows(item)]
    return {"id": _str(item.get("id", "(no id)")), "cls": cls, "word": word, "rows": rows}


def _items(report: Mapping[str, Any]) -> Section | None:
    if "items" not in report:
        return None
    items = [_dict(i) for i in _list(report.get("items")) if _dict(i)]
    failing = [_item(i) for i in items if _is_failing(i)]
    by_dataset: dict[str, list[Cell]] = {}
    for i in items:
        if not _is_failing(i):
            by_dataset.setdefault(str(i.get("dataset", "(no dataset)")), []).append(_item(i))
    groups = [{"name": name, "members": its} for name, its in by_dataset.items()]
    return {
        "n": len(items),
        "failing": failing,
        "n_passing": len(items) - len(failing),
        "groups": groups,
    }


# ---------------------------------------------------------------------------- entry point


def _context(report: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the template shows, as plain data; the template escapes every value."""
    meta = _dict(report.get("meta"))
    title = "Pain Guide evaluation report"
    if "created" in meta:
        title += f" — {_str(meta['created'])}"
    return {
        "title": title,
        "meta": _header(report),
        "gate": _gate(report),
        "summary": _summary(report),
        "comparison": _comparison(report),
        "charts": _charts(report),
        "confusion": _confusion(report),
        "external": _external(report),
        "loso": _loso(report),
        "review": _review(report),
        "items": _items(report),
    }


def render_html(report: dict[str, Any]) -> str:
    """Render an evaluation report dict as one self-contained, offline HTML5 page."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("painguide.evals", "templates"),
        autoescape=True,  # escape every value, whatever the file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template(TEMPLATE_NAME).render(**_context(_dict(report)))
