"""The chat UIs: the Gradio app (``/``) and the compact iframe page (``/embed``).

No business logic lives here: both call the same pipeline object as the API and the CLI.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import gradio as gr

    from painguide.config import Settings
    from painguide.pipeline import PainGuide
    from painguide.types import Answer

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
.pg-note {font-size: 0.9em; opacity: 0.85}
.pg-safety {border-left: 4px solid #b91c1c; padding-left: 8px}
"""


def theme(settings: Settings) -> Any:
    """A calm Gradio theme with the clinic's accent colour."""
    import gradio as gr

    return gr.themes.Soft().set(
        button_primary_background_fill=settings.accent_color,
        button_primary_background_fill_hover=settings.accent_color,
        color_accent=settings.accent_color,
    )


def format_sources(answer: Answer) -> str:
    """Markdown: numbered sources (title, section, references) and the exact passages used."""
    if not answer.citations:
        return "_No sources for this reply._"
    lines = ["**Sources**", ""]
    for c in answer.citations:
        refs = "; ".join(
            f"[{s['title']}]({s['url']}) ({s['publisher']}, {s['year']})"
            if s.get("url")
            else f"{s['title']} ({s['publisher']}, {s['year']})"
            for s in c.sources
        )
        lines.append(f"[{c.n}] **{c.title}**: {c.section}. {refs}")
        lines.append("")
    lines += ["**Passages used**", ""]
    for p in answer.passages:
        lines.append(f"> [{p['n']}] *{p['title']}: {p['section']}*  ")
        lines.append(f"> {p['text']}")
        lines.append("")
    return "\n".join(lines)


def format_reply(answer: Answer) -> str:
    """The chat bubble text: the answer, then a compact source list."""
    text = answer.answer
    if answer.route in {"emergency", "crisis", "urgent"}:
        text = f"⚠️ {text}"
    if answer.citations:
        srcs = " · ".join(f"[{c.n}] {c.title}" for c in answer.citations)
        text += f"\n\n<small>Sources: {html.escape(srcs)}</small>"
    if answer.notice and not answer.notice.startswith("Pain Guide gives general education"):
        text += f"\n\n<small>{html.escape(answer.notice.split(' Pain Guide gives')[0])}</small>"
    return text


def build_ui(settings: Settings, get_guide: Callable[[], PainGuide]) -> gr.Blocks:
    """The Gradio Blocks app: streaming chat, sources panel, starters, notes, feedback."""
    import gradio as gr

    def respond(
        message: str, history: list[dict[str, Any]], meta: list[dict[str, Any]]
    ) -> Iterator[tuple[Any, ...]]:
        history = list(history or [])
        meta = list(meta or [])
        if not (message or "").strip():
            yield history, gr.update(), "", meta
            return
        prior = [{"role": m["role"], "content": _plain(m.get("content"))} for m in history]
        history.append({"role": "user", "content": message})
        history.append({"role": "assistant", "content": ""})
        try:
            guide = get_guide()
            for item in guide.stream(message, prior):
                if isinstance(item, str):
                    history[-1] = {"role": "assistant", "content": item}
                    yield history, gr.update(), "", meta
                else:
                    history[-1] = {"role": "assistant", "content": format_reply(item)}
                    meta.append(
                        {"route": item.route, "cited": [c.chunk_id for c in item.citations]}
                    )
                    yield history, format_sources(item), "", meta
        except Exception:  # never a traceback in the chat
            from painguide.safety.templates import UNAVAILABLE_MESSAGE

            history[-1] = {"role": "assistant", "content": UNAVAILABLE_MESSAGE}
            yield history, gr.update(), "", meta

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
        if settings.logo_url:
            gr.HTML(f'<img src="{html.escape(settings.logo_url)}" alt="" style="height:48px">')
        gr.Markdown(f"# {html.escape(settings.clinic_name)}\n{html.escape(settings.intro_text)}")
        gr.Markdown(
            "**Education, not medical advice.** Pain Guide cannot examine or diagnose you. "
            f"In an emergency call {html.escape(settings.emergency_number)}. If you are having "
            f"thoughts of suicide, contact {html.escape(settings.crisis_line)}.",
            elem_classes=["pg-note", "pg-safety"],
        )
        meta = gr.State([])
        chatbot = gr.Chatbot(
            label="Pain Guide", height=460, elem_id="pg-chat", feedback_options=("Like", "Dislike")
        )
        box = gr.Textbox(
            placeholder="Ask about pain, exercise or pacing…",
            show_label=False,
            elem_id="pg-input",
            max_length=settings.max_message_chars * 5,
        )
        with gr.Row():
            send = gr.Button("Send", variant="primary", elem_id="pg-send")
            clear = gr.Button("New conversation")
        gr.Examples(list(STARTERS), inputs=box, label="Try asking")
        with gr.Accordion("Sources and the exact passages used", open=False):
            sources = gr.Markdown(
                "_Sources for the latest reply appear here._", elem_id="pg-sources"
            )
        contact = (
            f" [Contact the clinic]({settings.clinic_contact_url})."
            if settings.clinic_contact_url
            else ""
        )
        gr.Markdown(PRIVACY_NOTE + contact, elem_classes=["pg-note"])
        outputs = [chatbot, sources, box, meta]
        box.submit(respond, [box, chatbot, meta], outputs, api_name="chat")
        send.click(respond, [box, chatbot, meta], outputs, api_visibility="private")
        clear.click(
            lambda: ([], "_Sources for the latest reply appear here._", "", []),
            None,
            outputs,
            api_visibility="private",
        )
        chatbot.like(on_like, [meta], None, api_visibility="private")
    return demo


def _plain(content: Any) -> str:
    if isinstance(content, str):
        return content.split("\n\n<small>")[0]
    if isinstance(content, list):
        return " ".join(_plain(c.get("text", "") if isinstance(c, dict) else c) for c in content)
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return str(content or "")


def render_embed_page(settings: Settings) -> str:
    """The /embed page with the clinic's branding filled in (all values escaped)."""
    template = resources.files("painguide").joinpath("ui_assets", "embed.html").read_text("utf-8")
    values = {
        "CLINIC_NAME": html.escape(settings.clinic_name),
        "INTRO": html.escape(settings.intro_text),
        "ACCENT": html.escape(settings.accent_color),
        "EMERGENCY": html.escape(settings.emergency_number),
        "CRISIS": html.escape(settings.crisis_line),
        "PRIVACY": html.escape(PRIVACY_NOTE),
        "LOGO": (
            f'<img src="{html.escape(settings.logo_url)}" alt="" class="logo">'
            if settings.logo_url
            else ""
        ),
        "CONTACT": (
            f'<a href="{html.escape(settings.clinic_contact_url)}" target="_blank" '
            f'rel="noopener">Contact the clinic</a>'
            if settings.clinic_contact_url
            else ""
        ),
        "STARTERS_JSON": html.escape(json.dumps(list(STARTERS[:4]))),
    }
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template
