"""`painguide eval`: reports, the release gate, schema errors, and the HTML in a browser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from painguide.evals.datasets import load_dataset
from painguide.evals.runner import apply_gate, run_evaluation
from tests.conftest import ROOT, require_binary

pytestmark = pytest.mark.integration
GOLDEN = ROOT / "evals" / "datasets" / "questions.jsonl"
THRESHOLDS = ROOT / "evals" / "thresholds.toml"


def _subset(n: int = 60) -> list[Any]:
    items = load_dataset(GOLDEN, "golden")
    return [i for i in items if i.expected_doc_ids][:n]


def test_eval_writes_json_and_html(guide: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from painguide.evals.report_html import render_html

    report = run_evaluation(guide, {"golden": _subset()}, progress=False)
    gate = apply_gate(report, THRESHOLDS)
    m = report["metrics"]
    for key in (
        "golden.retrieval.hit@3",
        "golden.retrieval.mrr",
        "golden.retrieval.ndcg@5",
        "golden.grounding.supported",
        "golden.grounding.citation_validity",
        "golden.readability.grade_mean",
        "golden.latency.p95_ms",
    ):
        assert key in m, f"missing metric {key}"
    assert m["golden.grounding.citation_validity"] == 1.0
    assert set(report["datasets"]["golden"]["baselines"]) >= {
        "pain_guide",
        "dense_only",
        "bm25_only",
        "langchain_chroma_k4",
    }
    assert isinstance(gate["passed"], bool)
    page = render_html(report)
    assert "<svg" in page and "golden" in page


def test_weakened_configuration_fails_the_gate(guide: Any) -> None:
    from painguide.pipeline import PainGuide
    from painguide.retrieval import HybridRetriever

    weak_settings = guide.settings.model_copy(update={"retrieval_k": 1, "candidate_k": 1})
    weak = PainGuide(
        weak_settings, guide.kb, guide.router, HybridRetriever(guide.kb, candidate_k=1, mode="bm25")
    )
    report = run_evaluation(weak, {"golden": _subset()}, baselines=False, progress=False)
    # the evaluator ranks documents with its own depth; weaken what it sees as well
    gate = apply_gate(report, THRESHOLDS)
    strong = run_evaluation(guide, {"golden": _subset()}, baselines=False, progress=False)
    assert (
        report["metrics"]["golden.coverage.must_mention"]
        < strong["metrics"]["golden.coverage.must_mention"]
    )
    assert not gate["passed"], "a weakened configuration passed the release gate"
    assert any(f["metric"].startswith("golden.") for f in gate["failures"]), gate


def test_unknown_field_names_the_line(tmp_path: Path) -> None:
    from painguide.errors import DatasetError

    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps({"id": "a", "question": "q", "expected_route": "answer"})
        + "\n"
        + json.dumps({"id": "b", "question": "q", "expected_route": "answer", "colour": 1})
        + "\n"
    )
    with pytest.raises(DatasetError) as err:
        load_dataset(path)
    assert "d.jsonl:2" in str(err.value) and "colour" in str(err.value)


def test_cli_eval_check_on_an_unseen_dataset(
    settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from painguide.cli import main
    from painguide.config import get_settings

    data = tmp_path / "mine.jsonl"
    data.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {
                    "id": "1",
                    "question": "what is pacing?",
                    "expected_route": "answer",
                    "expected_doc_ids": ["pacing"],
                    "must_mention": ["pacing"],
                },
                {
                    "id": "2",
                    "question": "who won the world cup in 2010?",
                    "expected_route": "off_topic",
                },
                {
                    "id": "3",
                    "messages": [{"role": "user", "content": "my legs are numb and I wet myself"}],
                    "expected_route": "emergency",
                },
            ]
        )
        + "\n"
    )
    monkeypatch.setenv("PAINGUIDE_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("PAINGUIDE_CORPUS_DIR", str(settings.corpus_dir))
    get_settings.cache_clear()
    out = tmp_path / "report"
    try:
        code = main(
            ["eval", "--dataset", str(data), "--out", str(out), "--no-baselines", "--check"]
        )
    finally:
        get_settings.cache_clear()
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert {i["id"]: i["route"] for i in report["items"]} == {
        "1": "answer",
        "2": "off_topic",
        "3": "emergency",
    }
    assert (out / "report.html").stat().st_size > 2_000


def test_html_report_renders_in_chromium(guide: Any, output_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    from painguide.evals.report_html import render_html

    exe = require_binary("/usr/bin/chromium", "chromium")  # before minutes of evaluation
    report = run_evaluation(guide, {"golden": _subset(20)}, progress=False)
    apply_gate(report, THRESHOLDS)
    page_path = output_dir / "eval-report.html"
    page_path.write_text(render_html(report), encoding="utf-8")
    shot = output_dir / "eval-report.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=exe,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(page_path.as_uri())
        assert page.locator("svg").count() >= 1
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert shot.stat().st_size > 20_000
