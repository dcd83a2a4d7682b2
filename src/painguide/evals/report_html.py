"""Self-contained HTML page (inline CSS and SVG, no JavaScript, no network) for an eval report.

Every string taken from the report is escaped with :func:`html.escape`: evaluation items include
prompt-injection texts such as ``<script>alert(1)</script>``. Missing keys are skipped, never fatal.

Usage::

    import json
    from pathlib import Path

    from painguide.evals.report_html import render_html

    report = json.loads(Path("evals/out/report.json").read_text(encoding="utf-8"))
    Path("evals/out/report.html").write_text(render_html(report), encoding="utf-8")
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
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

CSS = """
:root { --fg:#1b1b1b; --muted:#5a5a5a; --line:#c9c9c9; --bg-alt:#f4f6f8;
  --good:#00664d; --good-bg:#e3f3ee; --bad:#8f3a00; --bad-bg:#fbe8dd; --accent:#0072B2; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--fg); background: #fff; max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem; }
h1 { font-size: 1.6rem; margin: .2rem 0; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.08rem; margin: 1.2rem 0 .4rem; }
.meta { color: var(--muted); font-size: .9rem; }
.meta code { font-size: .85rem; }
.banner { font-size: 1.9rem; font-weight: 700; padding: .6rem 1rem; margin: 1rem 0;
  border: 3px solid; border-radius: 6px; }
.banner ul { font-size: 1rem; font-weight: 400; margin: .3rem 0 0; }
.banner.pass { color: var(--good); background: var(--good-bg); border-color: #009E73; }
.banner.fail { color: var(--bad); background: var(--bad-bg); border-color: #D55E00; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .2rem .55rem; text-align: left;
  vertical-align: top; }
th { background: var(--bg-alt); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.better { color: var(--good); font-weight: 600; }
.worse { color: var(--bad); font-weight: 600; }
.same { color: var(--muted); }
.cm td.cell { text-align: right; min-width: 3em; font-variant-numeric: tabular-nums; }
.cm td.diag { font-weight: 700; }
.cm td.off.nz { outline: 2px solid #D55E00; outline-offset: -2px; }
.cm th.corner { font-weight: 400; color: var(--muted); font-size: .8rem; }
.charts svg { display: block; max-width: 100%; height: auto; margin: .3rem 0 1rem; }
svg text { font-family: system-ui, Arial, sans-serif; font-size: 11px; fill: #1b1b1b; }
svg .title { font-size: 13px; font-weight: 700; }
.item { border: 1px solid var(--line); border-left: 6px solid; border-radius: 4px;
  padding: .4rem .8rem; margin: .6rem 0; }
.item.fail { border-left-color: #D55E00; }
.item.pass { border-left-color: #009E73; }
.item h4 { margin: .1rem 0 .3rem; font-size: 1rem; }
.item dl { display: grid; grid-template-columns: 10rem 1fr; gap: .15rem .8rem; margin: 0; }
.item dt { color: var(--muted); font-size: .85rem; }
.item dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: .75rem; font-weight: 700; padding: 0 .4rem;
  border-radius: 3px; border: 1px solid; margin-left: .4rem; vertical-align: middle; }
.badge.fail { color: var(--bad); background: var(--bad-bg); }
.badge.pass { color: var(--good); background: var(--good-bg); }
.mismatch { color: var(--bad); font-weight: 600; }
.answer, .msg { white-space: pre-wrap; background: var(--bg-alt); padding: .3rem .5rem;
  border-radius: 3px; margin: .1rem 0; }
.msg .role { font-weight: 700; color: var(--muted); }
.trunc { color: var(--muted); font-style: italic; }
.ids code { margin-right: .4rem; }
code.hit { font-weight: 700; text-decoration: underline; }
ul.failures { margin: 0; padding-left: 1.2rem; color: var(--bad); }
details { margin: .6rem 0; }
details > summary { cursor: pointer; font-weight: 600; }
.empty { color: var(--muted); font-style: italic; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .item, svg, table { break-inside: avoid; }
  h2 { break-after: avoid; }
  details > summary { list-style: none; }
}
"""


# ---------------------------------------------------------------------------- small helpers


def _e(value: Any) -> str:
    """Escaped text of any value (quotes too, so it is safe inside attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


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


def _decimals(name: str) -> int:
    lname = name.lower()
    if "grade" in lname or "_ms" in lname or lname.endswith("_s") or lname in {"p50", "p95"}:
        return 1
    return 3


def _fmt(value: Any, name: str = "") -> str:
    """Escaped display text: ints as is, floats to 3 decimals (grades and times to 1)."""
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
    return _e(value)


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


def _table(
    headers: Sequence[tuple[str, bool]], rows: Iterable[Sequence[str]], cls: str = ""
) -> str:
    """Table from already-escaped cells; headers are (text, numeric) and already escaped."""
    head = "".join(f'<th class="num">{h}</th>' if num else f"<th>{h}</th>" for h, num in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{cell}</td>' if headers[i][1] else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


# ---------------------------------------------------------------------------- SVG charts


def _hbar_chart(
    title: str,
    groups: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[str],
    *,
    vmax: float | None = None,
    value_name: str = "",
) -> str:
    """Grouped horizontal bar chart as inline SVG; one colour per series, legend on top."""
    values = [v for _, vs in groups for v in vs if v is not None]
    if not groups or not values:
        return ""
    top = max(values)
    scale_max = vmax if vmax is not None and vmax >= top else top
    if scale_max <= 0:
        scale_max = 1.0
    n_series = max(1, len(series))
    legend_h = 20 if len(series) > 1 else 0
    y = 26 + legend_h
    parts: list[str] = []
    for label, vals in groups:
        group_h = n_series * (CHART_BAR_H + CHART_BAR_GAP)
        label_y = y + group_h / 2 + 4
        parts.append(
            f'<text x="{CHART_LABEL_W - 6}" y="{label_y:.1f}" text-anchor="end">'
            f"{_e(_truncate(str(label), 28)[0])}<title>{_e(label)}</title></text>"
        )
        for i in range(n_series):
            v = vals[i] if i < len(vals) else None
            colour = PALETTE[i % len(PALETTE)]
            by = y + i * (CHART_BAR_H + CHART_BAR_GAP)
            sname = series[i] if i < len(series) else ""
            if v is None:
                parts.append(
                    f'<text x="{CHART_LABEL_W + 2}" y="{by + CHART_BAR_H - 3}" '
                    f'fill="#5a5a5a">n/a</text>'
                )
                continue
            w = max(0.0, v) / scale_max * CHART_PLOT_W
            shown = _fmt_count(v) if value_name == "count" else _fmt(float(v), value_name)
            parts.append(
                f'<rect x="{CHART_LABEL_W}" y="{by}" width="{w:.1f}" height="{CHART_BAR_H}" '
                f'fill="{colour}"><title>{_e(label)} · {_e(sname)}: {shown}</title></rect>'
                f'<text x="{CHART_LABEL_W + w + 4:.1f}" y="{by + CHART_BAR_H - 3}">{shown}</text>'
            )
        y += group_h + CHART_GROUP_GAP
    legend: list[str] = []
    if legend_h:
        lx = CHART_LABEL_W
        for i, sname in enumerate(series):
            colour = PALETTE[i % len(PALETTE)]
            legend.append(
                f'<rect x="{lx}" y="24" width="11" height="11" fill="{colour}"/>'
                f'<text x="{lx + 15}" y="34">{_e(sname)}</text>'
            )
            lx += 22 + 7 * len(str(sname))
    axis_x = CHART_LABEL_W
    axis = (
        f'<line x1="{axis_x}" y1="{24 + legend_h}" x2="{axis_x}" y2="{y - CHART_GROUP_GAP + 2}" '
        f'stroke="#888" stroke-width="1"/>'
    )
    height = y + 4
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(title)}" '
        f'width="{CHART_WIDTH}" height="{height:.0f}" viewBox="0 0 {CHART_WIDTH} {height:.0f}">'
        f'<text class="title" x="4" y="16">{_e(title)}</text>'
        f"{''.join(legend)}{axis}{''.join(parts)}</svg>"
    )


def _baseline_charts(datasets: Mapping[str, Any]) -> list[str]:
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
        charts.append(
            _hbar_chart(
                f"{ds_name}: retrieval, Pain Guide vs baselines",
                groups,
                [str(s) for s in systems],
                vmax=1.0,
            )
        )
    return [c for c in charts if c]


def _route_recall_charts(datasets: Mapping[str, Any]) -> list[str]:
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


def _latency_chart(latency: Mapping[str, Any]) -> str:
    groups = [
        (str(stage), [_num(_dict(stats).get("p50")), _num(_dict(stats).get("p95"))])
        for stage, stats in latency.items()
    ]
    return _hbar_chart("Latency per stage (ms)", groups, ["p50", "p95"], value_name="_ms")


# ---------------------------------------------------------------------------- sections


def _header(report: Mapping[str, Any]) -> str:
    meta = _dict(report.get("meta"))
    bits = []
    if "created" in meta:
        bits.append(f"created {_e(meta['created'])}")
    if "version" in meta:
        bits.append(f"version {_e(meta['version'])}")
    if "duration_s" in meta:
        bits.append(f"run took {_fmt(meta['duration_s'], 'duration_s')} s")
    datasets = _list(meta.get("datasets"))
    if datasets:
        bits.append("datasets: " + ", ".join(f"<code>{_e(d)}</code>" for d in datasets))
    settings = _dict(meta.get("settings"))
    if settings:
        bits.append(
            "settings: " + ", ".join(f"<code>{_e(k)}={_e(v)}</code>" for k, v in settings.items())
        )
    line = f'<p class="meta">{" · ".join(bits)}</p>' if bits else ""
    return f"<header><h1>Pain Guide — evaluation report</h1>{line}</header>"


def _gate(report: Mapping[str, Any]) -> str:
    if "gate" not in report:
        return ""
    gate = _dict(report.get("gate"))
    failures = _list(gate.get("failures"))
    passed = gate.get("passed")
    if not isinstance(passed, bool):
        passed = not failures
    rows = []
    for f in failures:
        fd = _dict(f)
        if fd:
            metric = str(fd.get("metric", "?"))
            direction = "≤" if _lower_is_better(metric) else "≥"
            rows.append(
                f"<li><code>{_e(metric)}</code> = {_fmt(fd.get('value'), metric)} "
                f"(needs {direction} {_fmt(fd.get('threshold'), metric)})</li>"
            )
        else:
            rows.append(f"<li>{_e(f)}</li>")
    cls, word = ("pass", "✔ PASS") if passed else ("fail", "✖ FAIL")
    items = f"<ul>{''.join(rows)}</ul>" if rows else ""
    return f'<section class="banner {cls}" role="status">Quality gate: {word}{items}</section>'


def _summary(report: Mapping[str, Any]) -> str:
    datasets = _dict(report.get("datasets"))
    out = []
    for ds_name, ds in datasets.items():
        dsd = _dict(ds)
        rows = []
        if "n" in dsd:
            rows.append(["n", _fmt_count(dsd.get("n"))])
        for metric, value in _dict(dsd.get("metrics")).items():
            rows.append([f"<code>{_e(metric)}</code>", _fmt(value, str(metric))])
        misses = _list(dsd.get("safety_critical_misses"))
        if "safety_critical_misses" in dsd:
            rows.append(["safety-critical misses", str(len(misses))])
        if rows:
            out.append(
                f"<h3>{_e(ds_name)}</h3>" + _table([("metric", False), ("value", True)], rows)
            )
    flat = _dict(report.get("metrics"))
    if flat:
        rows = [[f"<code>{_e(k)}</code>", _fmt(v, str(k))] for k, v in flat.items()]
        out.append(
            f"<details><summary>All gate metrics ({len(flat)})</summary>"
            + _table([("metric", False), ("value", True)], rows)
            + "</details>"
        )
    if not out:
        return ""
    return '<section id="summary"><h2>Summary</h2>' + "".join(out) + "</section>"


def _comparison(report: Mapping[str, Any]) -> str:
    comparison = _dict(report.get("comparison"))
    if not comparison:
        return ""
    rows = []
    for metric, entry in comparison.items():
        name = str(metric)
        ed = _dict(entry)
        base, cur = ed.get("baseline"), ed.get("current")
        delta = _num(ed.get("delta"))
        base_f, cur_f = _num(base), _num(cur)
        if delta is None and base_f is not None and cur_f is not None:
            delta = cur_f - base_f
        if delta is None:
            delta_cell = _fmt(ed.get("delta"), name)
        else:
            shown = f"{delta:+.{_decimals(name)}f}"
            if float(shown) == 0:
                delta_cell = f'<span class="same">{shown} (same)</span>'
            else:
                better = (delta < 0) if _lower_is_better(name) else (delta > 0)
                cls, arrow, word = ("better", "▲", "better") if better else ("worse", "▼", "worse")
                delta_cell = f'<span class="{cls}">{arrow} {shown} ({word})</span>'
        rows.append([f"<code>{_e(name)}</code>", _fmt(base, name), _fmt(cur, name), delta_cell])
    table = _table(
        [("metric", False), ("baseline", True), ("current", True), ("delta", True)], rows
    )
    return (
        '<section id="comparison"><h2>Comparison with baseline run</h2>'
        '<p class="meta">For latency, readability grade, injection, diagnosis and miss metrics '
        "lower is better.</p>"
        f"{table}</section>"
    )


def _charts(report: Mapping[str, Any]) -> str:
    datasets = _dict(report.get("datasets"))
    latency = _dict(report.get("latency"))
    parts = []
    baseline = _baseline_charts(datasets)
    if baseline:
        parts.append("<h3>Retrieval against baselines</h3>" + "".join(baseline))
    recall = _route_recall_charts(datasets)
    if recall:
        parts.append("<h3>Routing recall per route</h3>" + "".join(recall))
    if latency:
        chart = _latency_chart(latency)
        keys: list[str] = []
        for stats in latency.values():
            for k in _dict(stats):
                if k not in keys:
                    keys.append(str(k))
        rows = [
            [f"<code>{_e(stage)}</code>"] + [_fmt(_dict(stats).get(k), "_ms") for k in keys]
            for stage, stats in latency.items()
        ]
        headers = [("stage", False)] + [(_e(k), True) for k in keys]
        parts.append("<h3>Latency</h3>" + chart + _table(headers, rows))
    if not parts:
        return ""
    return '<section id="charts" class="charts"><h2>Charts</h2>' + "".join(parts) + "</section>"


def _confusion(report: Mapping[str, Any]) -> str:
    datasets = _dict(report.get("datasets"))
    out = []
    for ds_name, ds in datasets.items():
        dsd = _dict(ds)
        conf = _dict(dsd.get("confusion"))
        per_route = _dict(dsd.get("per_route"))
        misses = _list(dsd.get("safety_critical_misses"))
        if not conf and not per_route and "safety_critical_misses" not in dsd:
            continue
        block = [f"<h3>{_e(ds_name)}</h3>"]
        labels = [str(x) for x in _list(conf.get("labels"))]
        matrix = [_list(r) for r in _list(conf.get("matrix"))]
        if labels or matrix:
            block.append(_confusion_table(labels, matrix))
        if per_route:
            rows = [
                [
                    f"<code>{_e(route)}</code>",
                    _fmt(_dict(s).get("precision")),
                    _fmt(_dict(s).get("recall")),
                    _fmt_count(_dict(s).get("support")),
                ]
                for route, s in per_route.items()
            ]
            block.append(
                _table(
                    [("route", False), ("precision", True), ("recall", True), ("support", True)],
                    rows,
                )
            )
        if misses:
            block.append(
                '<p><strong class="worse">Safety-critical misses:</strong> '
                + " ".join(f"<code>{_e(m)}</code>" for m in misses)
                + "</p>"
            )
        elif "safety_critical_misses" in dsd:
            block.append('<p class="better">No safety-critical misses.</p>')
        out.append("".join(block))
    if not out:
        return ""
    return (
        '<section id="routing"><h2>Routing: confusion matrices</h2>'
        '<p class="meta">Rows are the expected route, columns the predicted route; shading grows '
        "with the count, off-diagonal (wrong) cells with a count are outlined.</p>"
        + "".join(out)
        + "</section>"
    )


def _confusion_table(labels: list[str], matrix: list[list[Any]]) -> str:
    size = max(len(labels), len(matrix), max((len(r) for r in matrix), default=0))
    names = labels + [f"#{i}" for i in range(len(labels), size)]
    counts = [_num(c) for r in matrix for c in r]
    top = max((c for c in counts if c is not None), default=0.0) or 1.0
    head = (
        '<th class="corner">expected ↓ / predicted →</th>'
        + "".join(f"<th>{_e(n)}</th>" for n in names)
        + '<th class="num">total</th>'
    )
    body = []
    for i in range(size):
        row = matrix[i] if i < len(matrix) else []
        cells = []
        total = 0.0
        for j in range(size):
            raw = row[j] if j < len(row) else None
            c = _num(raw)
            kind = "diag" if i == j else "off"
            if c is None:
                cells.append(f'<td class="cell {kind}">{_fmt(raw) if raw is not None else ""}</td>')
                continue
            total += c
            alpha = 0.08 + 0.72 * (c / top) if c > 0 else 0.0
            fg = "#fff" if alpha > 0.5 else "#1b1b1b"
            nz = " nz" if c > 0 else ""
            cells.append(
                f'<td class="cell {kind}{nz}" style="background:rgba(0,114,178,{alpha:.2f});'
                f'color:{fg}">{_fmt_count(raw)}</td>'
            )
        body.append(
            f"<tr><th>{_e(names[i])}</th>{''.join(cells)}"
            f'<td class="num">{_fmt_count(total)}</td></tr>'
        )
    return f'<table class="cm"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _external(report: Mapping[str, Any]) -> str:
    external = _dict(report.get("external"))
    if not external:
        return ""
    rows = []
    distribution: Mapping[str, Any] = {}
    for name, entry in external.items():
        key = str(name)
        if key == "consumer_route_distribution":
            distribution = _dict(entry)
            continue
        ed = _dict(entry)
        value = ed.get("value") if ed else entry
        failing = _list(ed.get("failing_ids"))
        ids = (
            '<span class="ids">' + "".join(f"<code>{_e(i)}</code>" for i in failing) + "</span>"
            if failing
            else "—"
        )
        direction = "lower is better" if _lower_is_better(key) else "higher is better"
        rows.append(
            [
                f"<code>{_e(key)}</code>",
                _fmt(value, key),
                _fmt_count(ed.get("n")) if "n" in ed else "—",
                direction,
                ids,
            ]
        )
    parts = []
    if rows:
        parts.append(
            _table(
                [
                    ("figure", False),
                    ("value", True),
                    ("n", True),
                    ("", False),
                    ("failing ids", False),
                ],
                rows,
            )
        )
    if distribution:
        total = sum(_num(v) or 0.0 for v in distribution.values())
        drows = [
            [
                f"<code>{_e(route)}</code>",
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
        parts.append(
            "<h3>Consumer route distribution</h3>"
            + _table([("route", False), ("count", True), ("share", True)], drows)
            + f'<div class="charts">{chart}</div>'
        )
    return '<section id="external"><h2>External material</h2>' + "".join(parts) + "</section>"


# ---------------------------------------------------------------------------- items


def _is_failing(item: Mapping[str, Any]) -> bool:
    passed = item.get("passed")
    if isinstance(passed, bool):
        return not passed
    return bool(_list(item.get("failures")))


def _text_block(text: Any, limit: int, cls: str) -> str:
    full = "" if text is None else str(text)
    shown, cut = _truncate(full, limit)
    note = f' <span class="trunc">(truncated, {len(full)} characters in all)</span>' if cut else ""
    return f'<div class="{cls}">{_e(shown)}{note}</div>'


def _doc_ids(ids: list[Any], expected: set[str]) -> str:
    if not ids:
        return "—"
    return (
        '<span class="ids">'
        + "".join(
            f'<code class="hit" title="expected">{_e(d)}</code>'
            if str(d) in expected
            else f"<code>{_e(d)}</code>"
            for d in ids
        )
        + "</span>"
    )


def _item(item: Mapping[str, Any]) -> str:
    failing = _is_failing(item)
    cls, word = ("fail", "FAIL") if failing else ("pass", "PASS")
    rows: list[tuple[str, str]] = []
    if "dataset" in item:
        rows.append(("dataset", _e(item.get("dataset"))))
    messages = _list(item.get("messages"))
    if messages:
        msgs = []
        for m in messages:
            md = _dict(m)
            if md:
                content = "" if md.get("content") is None else str(md.get("content"))
                shown, cut = _truncate(content, MESSAGE_MAX_CHARS)
                note = ' <span class="trunc">(truncated)</span>' if cut else ""
                msgs.append(
                    f'<div class="msg"><span class="role">{_e(md.get("role", "?"))}:</span> '
                    f"{_e(shown)}{note}</div>"
                )
            else:
                msgs.append(f'<div class="msg">{_e(m)}</div>')
        rows.append(("conversation", "".join(msgs)))
    elif "question" in item:
        rows.append(("question", _text_block(item.get("question"), MESSAGE_MAX_CHARS, "msg")))
    if "expected_route" in item or "route" in item:
        exp, got = item.get("expected_route"), item.get("route")
        mismatch = "expected_route" in item and "route" in item and exp != got
        got_html = f'<span class="mismatch">{_e(got)}</span>' if mismatch else _e(got)
        rows.append(("route (expected → actual)", f"{_e(exp) or '—'} → {got_html or '—'}"))
    if "rule" in item:
        rows.append(("rule", f"<code>{_e(item.get('rule'))}</code>"))
    failures = _list(item.get("failures"))
    if failures:
        rows.append(
            (
                "failures",
                '<ul class="failures">' + "".join(f"<li>{_e(f)}</li>" for f in failures) + "</ul>",
            )
        )
    if "answer" in item:
        rows.append(("answer", _text_block(item.get("answer"), ANSWER_MAX_CHARS, "answer")))
    citations = _list(item.get("citations"))
    if citations:
        cites = []
        for c in citations:
            cd = _dict(c)
            if not cd:
                cites.append(f"<li>{_e(c)}</li>")
                continue
            title = _e(cd.get("title", ""))
            section = f" — {_e(cd['section'])}" if cd.get("section") else ""
            cites.append(
                f"<li>[{_e(cd.get('n', '?'))}] {title}{section} "
                f"<code>{_e(cd.get('doc_id', ''))}</code></li>"
            )
        rows.append(("citations", f"<ol>{''.join(cites)}</ol>"))
    expected = [str(d) for d in _list(item.get("expected_doc_ids"))]
    if expected:
        rows.append(("expected docs", _doc_ids(list(expected), set())))
    if "retrieved_doc_ids" in item:
        rows.append(
            ("retrieved docs", _doc_ids(_list(item.get("retrieved_doc_ids")), set(expected)))
        )
    scores = _dict(item.get("scores"))
    if scores:
        rows.append(("scores", " · ".join(f"{_e(k)} {_fmt(v, str(k))}" for k, v in scores.items())))
    timings = _dict(item.get("timings_ms"))
    if timings:
        rows.append(
            ("timings (ms)", " · ".join(f"{_e(k)} {_fmt(v, '_ms')}" for k, v in timings.items()))
        )
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<article class="item {cls}"><h4><code>{_e(item.get("id", "(no id)"))}</code>'
        f'<span class="badge {cls}">{word}</span></h4><dl>{body}</dl></article>'
    )


def _items(report: Mapping[str, Any]) -> str:
    if "items" not in report:
        return ""
    items = [_dict(i) for i in _list(report.get("items")) if _dict(i)]
    failing = [i for i in items if _is_failing(i)]
    passing = [i for i in items if not _is_failing(i)]
    parts = [f"<h3>Failing items ({len(failing)})</h3>"]
    if failing:
        parts.extend(_item(i) for i in failing)
    else:
        parts.append('<p class="empty">No failing items.</p>')
    by_dataset: dict[str, list[Mapping[str, Any]]] = {}
    for i in passing:
        by_dataset.setdefault(str(i.get("dataset", "(no dataset)")), []).append(i)
    parts.append(f"<h3>Passing items ({len(passing)})</h3>")
    if not by_dataset:
        parts.append('<p class="empty">No passing items.</p>')
    for ds_name, ds_items in by_dataset.items():
        parts.append(
            f"<details><summary>{_e(ds_name)}: {len(ds_items)} passing</summary>"
            + "".join(_item(i) for i in ds_items)
            + "</details>"
        )
    return f'<section id="items"><h2>Items ({len(items)})</h2>' + "".join(parts) + "</section>"


# ---------------------------------------------------------------------------- entry point


def render_html(report: dict[str, Any]) -> str:
    """Render an evaluation report dict as one self-contained, offline HTML5 page."""
    rep = _dict(report)
    meta = _dict(rep.get("meta"))
    title = "Pain Guide evaluation report"
    if "created" in meta:
        title += f" — {meta['created']}"
    body = "".join(
        [
            _header(rep),
            _gate(rep),
            _summary(rep),
            _comparison(rep),
            _charts(rep),
            _confusion(rep),
            _external(rep),
            _items(rep),
        ]
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )
