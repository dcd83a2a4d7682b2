"""The chat UIs: the Gradio app (``/``) and the compact iframe page (``/embed``).

No business logic lives here: both call the same pipeline object as the API and the CLI.
"""

from __future__ import annotations

import html
import json
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import gradio as gr

    from painguide.config import Settings
    from painguide.pipeline import PainGuide
    from painguide.types import Answer

log = logging.getLogger(__name__)

STARTERS: tuple[str, ...] = (
    "Why does exercise help my back pain?",
    "How do I start exercising when everything hurts?",
    "Is it OK to exercise if it hurts a bit?",
    "What should I do during a flare-up?",
    "Do I need a scan for my back pain?",
    "When is back pain an emergency?",
)
PRIVACY_NOTE = (
    "Privacy: Pain Guide does not store your messages. Your conversation stays in this browser "
    "tab and is gone when you close it. If you rate an answer, only the rating, the answer type "
    "and which sources it used are kept."
)
UI_CSS = """
.pg-note {font-size: 0.9em; color: #374151}
.pg-safety {border-left: 4px solid #b91c1c; padding-left: 8px}
.pg-sr-only {position: absolute !important; width: 1px !important; height: 1px !important;
  margin: -1px !important; padding: 0 !important; overflow: hidden !important;
  clip: rect(0 0 0 0) !important; white-space: nowrap !important; border: 0 !important}
.gradio-container :focus-visible, .gradio-container textarea:focus,
.gradio-container [role='log']:focus {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important}
#pg-input textarea::placeholder {color: #4b5563 !important; opacity: 1 !important}
#pg-examples .label, #pg-examples .label svg {color: #1f2937 !important}
#pg-chat a.pg-cite {color: #1e40af !important; text-decoration: underline !important}
.pg-srcs {margin: 0.4em 0 0 1.2em; padding: 0; font-size: 0.92em}
.pg-srcs li {margin: 0.1em 0}
"""
EMPTY_SOURCES = "_Sources for the latest reply appear here._"
_MARKER = re.compile(r"\[(\d{1,2})\]")


def theme(settings: Settings) -> Any:
    """A calm Gradio theme with the clinic's accent colour and AA-contrast label text."""
    import gradio as gr

    return gr.themes.Soft().set(
        button_primary_background_fill=settings.accent_color,
        button_primary_background_fill_hover=settings.accent_color,
        color_accent=settings.accent_color,
        block_label_text_color="#1f2937",
        block_title_text_color="#1f2937",
        input_placeholder_color="#4b5563",
    )


def link_markers(text: str, prefix: str, known: set[int]) -> str:
    """HTML-escaped text whose [n] markers link to the element ``{prefix}{n}`` of the reply."""
    escaped = html.escape(text, quote=False)

    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in known:
            return m.group(0)
        return f'<a class="pg-cite" href="#{prefix}{n}">[{n}]</a>'

    return _MARKER.sub(link, escaped)


def _reviews(citation: Any) -> list[dict[str, Any]]:
    """The citation's review records (absent on older indexes: then none)."""
    if isinstance(citation, dict):
        raw = citation.get("reviews")
    else:
        raw = getattr(citation, "reviews", None)
    return [r for r in (raw or []) if isinstance(r, dict)]


def review_line(review: dict[str, Any]) -> str:
    """'Reviewed 2026-12-02 by Pain Guide content editor: checked ...' (plain text)."""
    who = str(review.get("reviewed_by") or "").strip()
    when = str(review.get("date") or "").strip()
    checked = str(review.get("checked") or "").strip()
    line = "Reviewed" + (f" {when}" if when else "") + (f" by {who}" if who else "")
    return line + (f": checked {checked}" if checked else "")


def _reference(s: dict[str, Any]) -> str:
    title = s.get("title", "")
    label = f"[{title}]({s['url']})" if s.get("url") else str(title)
    extra = ", ".join(str(x) for x in (s.get("publisher"), s.get("year")) if x)
    return f"{label} ({extra})" if extra else label


def format_sources(answer: Answer) -> str:
    """Markdown for the details panel: passages used, then each document's full references and
    review record once (however many [n] cite it)."""
    if not answer.citations:
        return "_No sources for this reply._"
    lines = ["**Passages used**", ""]
    for p in answer.passages:
        lines.append(f"> [{p['n']}] *{p['title']}: {p['section']}*  ")
        lines.append(f"> {p['text']}")
        lines.append("")
    lines += ["**Full references**", ""]
    by_doc: dict[str, list[Any]] = {}
    for c in answer.citations:
        by_doc.setdefault(c.doc_id, []).append(c)
    for cites in by_doc.values():
        numbers = ", ".join(f"[{c.n}]" for c in cites)
        lines.append(f"**{cites[0].title}** (cited as {numbers})")
        lines.append("")
        lines += [f"- {_reference(s)}" for s in cites[0].sources]
        lines += [f"- {review_line(r)}" for r in _reviews(cites[0])]
        lines.append("")
    return "\n".join(lines)


def format_reply(answer: Answer, reply_no: int = 1) -> str:
    """The chat bubble: the answer with linked [n] markers, then one line per [n] (title and
    section); full references are in the details panel."""
    prefix = f"pg-a{reply_no}-s"
    text = link_markers(answer.answer, prefix, {c.n for c in answer.citations})
    if answer.route in {"emergency", "crisis", "urgent"}:
        text = f"⚠️ {text}"
    if answer.citations:
        items = "".join(
            f'<li id="{prefix}{c.n}" value="{c.n}" tabindex="-1">'
            f"{html.escape(c.title)}: {html.escape(c.section)}</li>"
            for c in answer.citations
        )
        text += f'\n\n<small>Sources:</small><ol class="pg-srcs">{items}</ol>'
    if answer.notice and not answer.notice.startswith("Pain Guide gives general education"):
        text += f"\n\n<small>{html.escape(answer.notice.split(' Pain Guide gives')[0])}</small>"
    return text


def status_html(state: str, key: str = "", text: str = "") -> str:
    """The hidden element the page script reads: busy while streaming, then the answer once."""
    spoken = " ".join(_MARKER.sub("", text).split())  # one line: a screen reader ignores layout
    return (
        f'<div data-pg-state="{state}" data-pg-key="{html.escape(key)}">{html.escape(spoken)}</div>'
    )


def _respond_stream(
    get_guide: Callable[[], PainGuide],
    message: str,
    history: list[dict[str, Any]],
    meta: list[dict[str, Any]],
) -> Iterator[tuple[Any, ...]]:
    """(chat, sources, box, meta, status) updates for one question: streamed text marked busy,
    then the final reply with linked markers and the answer for the live status, once."""
    import gradio as gr

    prior = [{"role": m["role"], "content": _plain(m.get("content"))} for m in history]
    history.append({"role": "user", "content": message})
    history.append({"role": "assistant", "content": ""})
    reply_no = sum(1 for m in history if m["role"] == "assistant")
    key = uuid.uuid4().hex[:12]
    busy = status_html("busy", key)
    try:
        for item in get_guide().stream(message, prior):
            if isinstance(item, str):
                history[-1] = {"role": "assistant", "content": html.escape(item, quote=False)}
                yield history, gr.update(), "", meta, busy
            else:
                history[-1] = {"role": "assistant", "content": format_reply(item, reply_no)}
                meta.append({"route": item.route, "cited": [c.chunk_id for c in item.citations]})
                done = status_html("done", key, f"Pain Guide answered: {item.answer}")
                yield history, format_sources(item), "", meta, done
    except Exception:  # never a traceback in the chat
        from painguide.safety.templates import UNAVAILABLE_MESSAGE

        log.exception("chat reply failed")
        history[-1] = {"role": "assistant", "content": UNAVAILABLE_MESSAGE}
        yield history, gr.update(), "", meta, status_html("done", key, UNAVAILABLE_MESSAGE)


def _header(settings: Settings) -> None:
    import gradio as gr

    if settings.logo_url:
        gr.HTML(f'<img src="{html.escape(settings.logo_url)}" alt="" style="height:48px">')
    gr.Markdown(f"# {html.escape(settings.clinic_name)}\n{html.escape(settings.intro_text)}")
    gr.Markdown(
        "**Education, not medical advice.** Pain Guide cannot examine or diagnose you. "
        f"In an emergency call {html.escape(settings.emergency_number)}. If you are having "
        f"thoughts of suicide, contact {html.escape(settings.crisis_line)}.",
        elem_classes=["pg-note", "pg-safety"],
    )


def build_ui(settings: Settings, get_guide: Callable[[], PainGuide]) -> gr.Blocks:
    """The Gradio Blocks app: streaming chat, sources panel, starters, notes, feedback."""
    import gradio as gr

    def respond(
        message: str, history: list[dict[str, Any]], meta: list[dict[str, Any]]
    ) -> Iterator[tuple[Any, ...]]:
        if not (message or "").strip():
            yield history or [], gr.update(), "", meta or [], gr.update()
            return
        yield from _respond_stream(get_guide, message, list(history or []), list(meta or []))

    def on_like(data: gr.LikeData, meta: list[dict[str, Any]]) -> None:
        if not settings.feedback_db_url:
            return
        from painguide.feedback import FeedbackStore

        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        answer_no = int(index) // 2
        if 0 <= answer_no < len(meta):
            FeedbackStore(settings.feedback_db_url).add(
                meta[answer_no]["route"],
                meta[answer_no]["cited"],
                "up" if data.liked else "down",
                None,
            )

    on_like.__annotations__["data"] = gr.LikeData  # Gradio reads the real type at run time

    with gr.Blocks(title=settings.clinic_name, analytics_enabled=False) as demo:
        _header(settings)
        meta = gr.State([])
        chatbot = gr.Chatbot(
            label="Conversation",
            show_label=False,  # the floating label covered message text on phones
            buttons=["copy_all"],  # no unnamed Share button
            height=460,
            elem_id="pg-chat",
            feedback_options=("Like", "Dislike"),
        )
        box = gr.Textbox(
            label="Your question",
            placeholder="Ask about pain, exercise or pacing…",
            show_label=False,
            elem_id="pg-input",
            max_length=settings.max_message_chars * 5,
        )
        with gr.Row():
            send = gr.Button("Send", variant="primary", elem_id="pg-send")
            clear = gr.Button("New conversation", elem_id="pg-clear")
        gr.Examples(list(STARTERS), inputs=box, label="Try asking", elem_id="pg-examples")
        with gr.Accordion(
            "Sources: full references and the exact passages used",
            open=False,
            elem_id="pg-sources-acc",
        ):
            sources = gr.Markdown(EMPTY_SOURCES, elem_id="pg-sources")
        status = gr.HTML("", elem_id="pg-final", elem_classes=["pg-sr-only"], js_on_load=None)
        contact = (
            f" [Contact the clinic]({settings.clinic_contact_url})."
            if settings.clinic_contact_url
            else ""
        )
        gr.Markdown(PRIVACY_NOTE + contact, elem_classes=["pg-note"])
        outputs = [chatbot, sources, box, meta, status]
        box.submit(respond, [box, chatbot, meta], outputs, api_name="chat")
        send.click(respond, [box, chatbot, meta], outputs, api_visibility="private")
        clear.click(
            lambda: ([], EMPTY_SOURCES, "", [], ""), None, outputs, api_visibility="private"
        )
        chatbot.like(on_like, [meta], None, api_visibility="private")
        demo.load(None, None, None, js=_asset("gradio_a11y.js"), api_visibility="private")
    return demo


def _asset(name: str) -> str:
    return resources.files("painguide").joinpath("ui_assets", name).read_text("utf-8")


def _plain(content: Any) -> str:
    """The answer text of a chat message, without the source list and link markup."""
    if isinstance(content, str):
        return html.unescape(re.sub(r"<[^>]+>", "", content.split("\n\n<small>")[0]))
    if isinstance(content, list):
        return " ".join(_plain(c.get("text", "") if isinstance(c, dict) else c) for c in content)
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return str(content or "")


def render_embed_page(settings: Settings) -> str:
    """The /embed page from its Jinja2 template, every value autoescaped."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("painguide", "ui_assets"),
        autoescape=True,  # escape every value, whatever the file name
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("embed.html").render(
        clinic_name=settings.clinic_name,
        intro=settings.intro_text,
        accent=settings.accent_color,
        emergency=settings.emergency_number,
        crisis=settings.crisis_line,
        privacy=PRIVACY_NOTE,
        logo_url=settings.logo_url or "",
        contact_url=settings.clinic_contact_url or "",
        starters_json=json.dumps(list(STARTERS[:4])),
    )
