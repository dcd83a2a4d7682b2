"""A real browser (Playwright + Debian's Chromium) against the live server: the example clinic
page with the /embed iframe, a site that may not frame the chat, and the Gradio UI."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, require_binary

pytestmark = pytest.mark.integration

CLINIC_PAGE = ROOT / "examples" / "clinic-site" / "index.html"
SNIPPET_URL = "http://127.0.0.1:7860/embed"
QUESTION = "Why does exercise help my back pain?"
ANSWER_TIMEOUT_MS = 60_000

# Records every text the last bot bubble shows (each delta replaces the bubble's text node),
# so the test can tell that the reply was streamed, not only that it ended up complete.
RECORD_RENDERS = """() => {
  window.__pgRenders = [];
  const log = document.getElementById("log");
  new MutationObserver((records) => {
    for (const r of records) {
      if (!(r.target instanceof HTMLElement) || !r.target.classList.contains("bot")) continue;
      for (const n of r.addedNodes) {
        if (n.nodeType === Node.TEXT_NODE) window.__pgRenders.push(n.data);
      }
    }
  }).observe(log, {childList: true, subtree: true});
}"""


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticSite:
    """The example clinic page, served by Python's http.server on a loopback port."""

    def __init__(self, root: Path, port: int) -> None:
        handler = functools.partial(QuietHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{port}"
        self.origin = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)


def clinic_site_dir(root: Path, embed_url: str) -> Path:
    """A copy of the example clinic page with the snippet pointing at the live server."""
    html = CLINIC_PAGE.read_text("utf-8")
    assert html.count(SNIPPET_URL) == 1, f"{CLINIC_PAGE} should embed {SNIPPET_URL} once"
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(html.replace(SNIPPET_URL, embed_url), "utf-8")
    return root


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (sync API)."""
    from playwright.sync_api import sync_playwright

    exe = require_binary(str(CHROMIUM), "chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture()
def clinic_site(live_server: Any, tmp_path: Path) -> Iterator[StaticSite]:
    """The clinic page on the one origin the live server allows to frame /embed."""
    site = StaticSite(
        clinic_site_dir(tmp_path / "clinic", f"{live_server.url}/embed"), live_server.clinic_port
    )
    yield site
    site.stop()


@pytest.fixture()
def other_site(live_server: Any, tmp_path: Path) -> Iterator[StaticSite]:
    """The same page on another port: an origin that is not allowed to frame /embed."""
    site = StaticSite(clinic_site_dir(tmp_path / "other", f"{live_server.url}/embed"), free_port())
    assert site.origin != f"http://127.0.0.1:{live_server.clinic_port}"
    yield site
    site.stop()


def test_clinic_page_embeds_a_streaming_cited_chat(
    live_server: Any, clinic_site: StaticSite, page: Any, output_dir: Path
) -> None:
    expected = httpx.post(
        f"{live_server.url}/api/v1/ask", json={"message": QUESTION}, timeout=60
    ).json()
    assert expected["route"] == "answer" and expected["citations"], f"API {QUESTION!r}: {expected}"

    page.goto(clinic_site.url + "/", wait_until="load")
    assert "Riverside Physiotherapy" in page.inner_text("h1"), page.inner_text("body")[:300]
    chat = page.frame_locator("iframe")
    box = chat.locator("textarea#q")
    box.wait_for(state="visible", timeout=30_000)
    frame = next((f for f in page.frames if f.url == f"{live_server.url}/embed"), None)
    assert frame is not None, f"no /embed frame among {[f.url for f in page.frames]}"
    frame.evaluate(RECORD_RENDERS)

    box.fill(QUESTION)
    box.press("Enter")
    reply = chat.locator(".msg.bot").last
    reply.locator("ol.cites li").first.wait_for(state="visible", timeout=ANSWER_TIMEOUT_MS)
    assert chat.locator(".msg.user").last.inner_text() == QUESTION, "question bubble missing"

    text = reply.locator("p.answer-text").inner_text()
    items = reply.locator("ol.cites li").all_inner_texts()
    assert text.strip(), f"{QUESTION!r}: empty bot bubble"
    assert text == expected["answer"], (
        f"{QUESTION!r}: bubble shows {text!r}, the API answers {expected['answer']!r}"
    )
    assert len(items) == len(expected["citations"]), f"citation list {items}"
    for item, cite in zip(items, expected["citations"], strict=True):
        assert item.startswith(f"{cite['title']}: {cite['section']}"), f"citation item {item!r}"
    renders: list[str] = frame.evaluate("() => window.__pgRenders")
    partial = [r for r in renders if r and r != text and r != "…" and text.startswith(r)]
    assert partial, f"{QUESTION!r}: no intermediate (streamed) rendering among {renders}"
    assert renders[-1] == text, f"last rendering {renders[-1]!r} is not the answer {text!r}"

    shot = output_dir / "clinic-embed.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.exists() and shot.stat().st_size > 10_000, f"screenshot {shot} missing or tiny"


def test_other_sites_cannot_frame_the_chat(
    live_server: Any, other_site: StaticSite, page: Any
) -> None:
    r = httpx.get(f"{live_server.url}/embed", timeout=30)
    csp = r.headers.get("content-security-policy", "")
    assert csp.startswith("frame-ancestors "), f"/embed CSP: {csp!r}"
    allowed = csp.split()[1:]
    assert other_site.origin not in allowed, f"{other_site.origin} may frame /embed: {csp!r}"
    assert "*" not in allowed and "http:" not in allowed, f"/embed CSP too open: {csp!r}"

    embed_responses: list[Any] = []
    page.on(
        "response",
        lambda resp: (
            embed_responses.append(resp) if resp.url == f"{live_server.url}/embed" else None
        ),
    )
    page.goto(other_site.url + "/", wait_until="load")
    assert "Riverside Physiotherapy" in page.inner_text("h1"), page.inner_text("body")[:300]
    page.locator("iframe").wait_for(state="attached", timeout=10_000)

    deadline = time.monotonic() + 8
    while not embed_responses and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert embed_responses, f"the browser never requested {live_server.url}/embed"
    assert embed_responses[0].status == 200, f"/embed status {embed_responses[0].status}"
    page.wait_for_timeout(3_000)  # give a (wrongly) allowed frame ample time to render

    rendered = []
    for frame in page.frames:
        if frame == page.main_frame:
            continue
        try:
            if frame.query_selector("textarea#q") is not None:
                rendered.append(frame.url)
        except Exception:  # a blocked (error) frame may refuse evaluation
            continue
    assert not rendered, f"{other_site.origin} could frame the chat: {rendered}"
    assert page.frame_locator("iframe").locator("textarea#q").count() == 0, (
        f"{other_site.origin}: the chat box is attached inside the iframe"
    )


def test_gradio_ui_answers_with_citations(live_server: Any, page: Any, output_dir: Path) -> None:
    page.goto(live_server.url + "/", wait_until="load")
    box = page.locator("#pg-input textarea")
    box.wait_for(state="visible", timeout=60_000)
    box.fill(QUESTION)
    box.press("Enter")
    chat = page.locator("#pg-chat")
    # the final reply (not a streamed part) ends with the compact source list
    bot = chat.locator(".message.bot, [data-testid='bot']").filter(has_text="Sources:").last
    bot.wait_for(state="visible", timeout=ANSWER_TIMEOUT_MS)
    reply = bot.inner_text()
    assert "[1]" in reply, f"{QUESTION!r}: Gradio reply without [1]: {reply!r}"
    assert "Sources:" in reply, f"{QUESTION!r}: Gradio reply without sources: {reply!r}"
    assert QUESTION in chat.inner_text(), f"{QUESTION!r} not shown in the chat"

    shot = output_dir / "gradio-ui.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.exists() and shot.stat().st_size > 10_000, f"screenshot {shot} missing or tiny"
