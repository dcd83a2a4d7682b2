"""Accessibility in a real browser: axe-core (npm, pinned in tests/a11y) injected by Playwright
into Debian's Chromium, on `/` (Gradio) and `/embed`, fresh and after an answer, at desktop and
phone sizes; and a keyboard-only conversation on each page (no mouse anywhere)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT

pytestmark = pytest.mark.integration

AXE_JS = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": (1280, 900), "phone": (375, 740)}
QUESTION = "Why does exercise help my back pain?"
ANSWER_TIMEOUT_MS = 60_000
MAX_TABS = 80

# Per page: the question box, the conversation region, the polite status that announces the
# finished answer, the [n] source list of the latest reply and the control that opens the
# full references.
PAGES: dict[str, dict[str, str]] = {
    "/": {
        "box": "#pg-input textarea",
        "log": "#pg-chat [role='log']",
        "status": "#pg-announce",
        "sources": "#pg-chat .pg-srcs",
        "details": "#pg-sources-acc button.label-wrap",
    },
    "/embed": {
        "box": "#q",
        "log": "#log",
        "status": "#status",
        "sources": "#log ol.cites",
        "details": "#log details.refs summary",
    },
}

RUN_AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ': ' +
                       (n.failureSummary || '').split('\\n')[1])}));
}"""

# Records every non-empty text of the live status and every aria-busy value of the log.
RECORD_ANNOUNCEMENTS = """([statusSel, logSel]) => {
  window.__pgSaid = []; window.__pgBusy = [];
  const status = document.querySelector(statusSel), log = document.querySelector(logSel);
  new MutationObserver(() => {
    const t = status.textContent.trim(); if (t) window.__pgSaid.push(t);
  }).observe(status, {childList: true, characterData: true, subtree: true});
  new MutationObserver(() => window.__pgBusy.push(log.getAttribute('aria-busy')))
    .observe(log, {attributes: true, attributeFilter: ['aria-busy']});
}"""

# What the focused element looks like (its outline decides whether focus is visible).
FOCUS_STATE = """() => {
  const e = document.activeElement; if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), id: e.id, label: e.getAttribute('aria-label') || '',
          text: (e.innerText || e.value || '').slice(0, 60), outline: s.outlineStyle,
          width: parseFloat(s.outlineWidth) || 0, shadow: s.boxShadow};
}"""


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (alpha ignored: opaque here)."""

    def parse(c: str) -> tuple[float, float, float]:
        nums = [float(x) for x in re.findall(r"[\d.]+", c)[:3]]
        assert len(nums) == 3, f"cannot read colour {c!r}"
        return nums[0], nums[1], nums[2]

    hi, lo = sorted((_luminance(parse(fg)), _luminance(parse(bg))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE_JS.exists(), (
        f"{AXE_JS} is missing: run `npm ci --prefix tests/a11y` (make test does this)"
    )
    return AXE_JS.read_text("utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), (
        f"{CHROMIUM} is missing: run `sudo apt-get install -y chromium` (make test does this)"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def api_answer(live_server: Any) -> dict[str, Any]:
    """The answer the API gives to QUESTION: what both UIs must show and announce."""
    data = httpx.post(f"{live_server.url}/api/v1/ask", json={"message": QUESTION}, timeout=60)
    answer = data.json()
    assert answer["route"] == "answer" and answer["citations"], f"API {QUESTION!r}: {answer}"
    return dict(answer)


def open_page(browser: Any, url: str, path: str, size: tuple[int, int]) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(url + path, wait_until="load")
    sel = PAGES[path]
    page.locator(sel["box"]).wait_for(state="visible", timeout=60_000)
    page.locator(sel["log"]).wait_for(state="attached", timeout=30_000)
    return context, page


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source)
    return list(page.evaluate(RUN_AXE, AXE_TAGS))


def wait_for_answer(page: Any, path: str) -> None:
    """Wait until the reply's source list is shown and the log is no longer busy."""
    sel = PAGES[path]
    page.locator(sel["sources"]).last.wait_for(state="visible", timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_function(
        "(s) => document.querySelector(s).getAttribute('aria-busy') !== 'true'",
        arg=sel["log"],
        timeout=10_000,
    )


def wait_for_announcement(page: Any, path: str) -> str:
    """Wait until the live status has said something; return what it said."""
    status = PAGES[path]["status"]
    page.wait_for_function(
        "(s) => { const e = document.querySelector(s); return !!e && !!e.textContent.trim(); }",
        arg=status,
        timeout=ANSWER_TIMEOUT_MS,
    )
    return str(page.locator(status).inner_text())


def format_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}: {len(violations)} axe violation(s)"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n}" for n in v["nodes"][:6]]
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", list(PAGES))
def test_no_axe_violations_fresh_and_after_an_answer(
    live_server: Any, browser: Any, axe_source: str, output_dir: Path, path: str, viewport: str
) -> None:
    size = VIEWPORTS[viewport]
    context, page = open_page(browser, live_server.url, path, size)
    try:
        where = f"{path} at {size[0]}x{size[1]}"
        violations = axe_violations(page, axe_source)
        assert not violations, format_violations(f"{where}, fresh", violations)

        sel = PAGES[path]
        box = page.locator(sel["box"])
        placeholder = box.evaluate("e => getComputedStyle(e, '::placeholder').color")
        background = box.evaluate("e => getComputedStyle(e).backgroundColor")
        ratio = contrast(placeholder, background)
        assert ratio >= 4.5, f"{where}: placeholder {placeholder} on {background} is {ratio:.2f}:1"

        box.fill(QUESTION)
        box.press("Enter")
        wait_for_answer(page, path)
        page.locator(sel["details"]).last.click()  # the full references panel, open
        page.wait_for_timeout(300)
        violations = axe_violations(page, axe_source)
        assert not violations, format_violations(f"{where}, after {QUESTION!r}", violations)

        name = "gradio" if path == "/" else "embed"
        shot = output_dir / f"a11y-{name}-{viewport}.png"
        page.screenshot(path=str(shot), full_page=False)
    finally:
        context.close()


def tab_to(
    page: Any, predicate: str, seen: list[dict[str, Any]], key: str = "Tab"
) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until the focused element matches the JS predicate; record
    every stop."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        state = page.evaluate(FOCUS_STATE)
        if state:
            seen.append(state)
        if page.evaluate(predicate):
            return dict(state or {})
    raise AssertionError(f"{predicate} never got focus in {MAX_TABS} Tab presses: {seen[-10:]}")


def assert_focus_visible(where: str, seen: list[dict[str, Any]]) -> None:
    """Every Tab stop shows an outline of at least 2 px (a box-shadow ring can be white on
    white, as Gradio's Send button's was)."""
    hidden = [s for s in seen if s["outline"] == "none" or s["width"] < 2]
    assert not hidden, f"{where}: focus not visible on {hidden}"


@pytest.mark.parametrize("path", list(PAGES))
def test_keyboard_only_question_and_answer(
    live_server: Any, browser: Any, api_answer: dict[str, Any], path: str
) -> None:
    sel = PAGES[path]
    context, page = open_page(browser, live_server.url, path, VIEWPORTS["desktop"])
    try:
        page.locator(sel["status"]).wait_for(state="attached", timeout=30_000)
        page.evaluate(RECORD_ANNOUNCEMENTS, [sel["status"], sel["log"]])
        assert page.get_by_role("main").count() == 1, f"{path}: no single main landmark"
        named_box = page.get_by_role("textbox", name="Your question", exact=True)
        assert named_box.count() == 1, f"{path}: the question box is not named 'Your question'"
        seen: list[dict[str, Any]] = []
        tab_to(page, f"() => document.activeElement.matches({sel['box']!r})", seen)
        page.keyboard.type(QUESTION)
        page.keyboard.press("Enter")
        wait_for_answer(page, path)
        said = wait_for_announcement(page, path)
        page.wait_for_timeout(1_500)  # any repeated announcement would arrive by now

        answer = api_answer["answer"]
        spoken = " ".join(re.sub(r" ?\[\d{1,2}\]", "", answer).split())  # one line
        announcements = page.evaluate("() => window.__pgSaid")
        busy = page.evaluate("() => window.__pgBusy")
        assert announcements == [f"Pain Guide answered: {spoken}"], (
            f"{path} {QUESTION!r}: the answer should be announced once, got {announcements}"
        )
        assert said == announcements[0], f"{path}: status shows {said!r}"
        assert "true" in busy and busy[-1] == "false", f"{path}: aria-busy went {busy}"

        # read the answer: focus is back in the question box; Shift+Tab to the conversation
        on_log = f"() => document.activeElement.matches({sel['log']!r})"
        log_state = tab_to(page, on_log, seen, key="Shift+Tab")
        assert log_state["label"] == "Conversation", f"{path}: log region named {log_state}"
        region = page.locator(sel["log"]).inner_text()
        first = answer.split(" [1]")[0]
        assert first in region, f"{path}: {first!r} not in the conversation {region[-600:]!r}"

        # [1] is a link to the reply's first source entry; Enter moves focus there
        tab_to(page, "() => document.activeElement.matches('a[href*=\"-s1\"]')", seen)
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        focused = page.evaluate(
            "() => [document.activeElement.id, document.activeElement.innerText]"
        )
        cite = api_answer["citations"][0]
        assert focused[0].endswith("-s1"), f"{path}: [1] moved focus to {focused}"
        assert focused[1].startswith(f"{cite['title']}: {cite['section']}"), (
            f"{path}: [1] points at {focused[1]!r}, expected {cite['title']}: {cite['section']}"
        )

        # the full references open from the keyboard and say whether they are open
        tab_to(page, f"() => document.activeElement.matches({sel['details']!r})", seen)
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        opened = page.locator(sel["details"]).last
        if path == "/":
            assert opened.get_attribute("aria-expanded") == "true", f"{path}: aria-expanded"
            text = page.locator("#pg-sources").inner_text()
        else:
            text = page.locator("#log details.refs").last.inner_text()
        source_title = cite["sources"][0]["title"]
        assert source_title in text, f"{path}: {source_title!r} not in the references {text!r}"
        assert_focus_visible(path, seen)
    finally:
        context.close()
