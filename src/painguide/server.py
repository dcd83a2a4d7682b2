"""The ASGI app: HTTP API, health check, iframe embed page and the Gradio chat UI at ``/``.

Example::

    painguide serve --port 7860
    curl -X POST localhost:7860/api/v1/ask -H 'content-type: application/json' \
         -d '{"message": "Why does exercise help back pain?"}'
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import socket
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from painguide.errors import PainGuideError, PipelineLoadError
from painguide.safety.templates import (
    RATE_LIMITED_MESSAGE,
    TOO_LARGE_MESSAGE,
    UNAVAILABLE_MESSAGE,
)

if TYPE_CHECKING:
    from fastapi import FastAPI, Request

    from painguide.config import Settings
    from painguide.pipeline import PainGuide
    from painguide.routes.state import AppState

__all__ = ["UNAVAILABLE_MESSAGE", "create_app", "serve"]

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64_000  # a question plus 20 turns of history fits easily
GUIDE_RETRY_S = 5.0  # how often a failed pipeline load (index down) is retried
CONVERSATION_TTL_S = 1_800  # server-side conversations (optional) expire after 30 minutes
MAX_CONVERSATIONS = 1_000  # and at most this many are kept in memory


class RateLimiter:
    """Sliding one-minute window per client key (thread safe, bounded memory)."""

    def __init__(self, per_minute: int, max_clients: int = 10_000) -> None:
        self.per_minute = per_minute
        self.max_clients = max_clients
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record a hit; False when the client is over its limit."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            self._hits.move_to_end(key)
            while hits and now - hits[0] > 60:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return False
            hits.append(now)
            while len(self._hits) > self.max_clients:
                self._hits.popitem(last=False)
            return True


class Conversations:
    """Optional server-side conversation memory: bounded, expiring, never written to disk."""

    def __init__(self) -> None:
        self._data: OrderedDict[str, tuple[float, list[dict[str, str]]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, cid: str) -> list[dict[str, str]]:
        """Turns of a live conversation (empty when unknown or expired)."""
        with self._lock:
            item = self._data.get(cid)
            if not item or time.monotonic() - item[0] > CONVERSATION_TTL_S:
                self._data.pop(cid, None)
                return []
            return list(item[1])

    def append(self, cid: str, user: str, assistant: str) -> None:
        """Add one exchange, keeping the newest turns only."""
        from painguide.conversation import MAX_HISTORY_TURNS

        with self._lock:
            turns = self._data.get(cid, (0.0, []))[1]
            turns = [
                *turns,
                {"role": "user", "content": user},
                {"role": "assistant", "content": assistant},
            ][-MAX_HISTORY_TURNS:]
            self._data[cid] = (time.monotonic(), turns)
            self._data.move_to_end(cid)
            while len(self._data) > MAX_CONVERSATIONS:
                self._data.popitem(last=False)


class GuideHolder:
    """Loads the pipeline once; after a failure, retries on later requests (every few seconds).

    The failure is kept as its own exception (``ModelLoadError``, ``IndexMissingError``,
    ``ChromaUnreachableError``...) so /healthz and the log say what happened.
    """

    def __init__(self, settings: Settings, guide: PainGuide | None = None) -> None:
        self.settings = settings
        self.guide = guide
        self.failure: PainGuideError | None = None
        self._last_try = 0.0
        self._lock = threading.Lock()

    @property
    def error(self) -> str | None:
        """The last load failure as text (None when loaded or not tried yet)."""
        return str(self.failure) if self.failure else None

    def get(self) -> PainGuide:
        """The pipeline, loading it if needed; raises the PainGuideError that stopped it."""
        if self.guide is not None:
            return self.guide
        with self._lock:
            if self.guide is not None:
                return self.guide
            if self.failure and time.monotonic() - self._last_try < GUIDE_RETRY_S:
                raise self.failure
            self._last_try = time.monotonic()
            try:
                self.guide = self._load()
            except PainGuideError as exc:
                log.error("Pain Guide could not start (%s): %s", exc.reason, exc)
                self.failure = exc
                raise
            self.failure = None
            return self.guide

    def _load(self) -> PainGuide:
        from painguide.pipeline import PainGuide

        try:
            return PainGuide.from_settings(self.settings)
        except PainGuideError:
            raise
        except Exception as exc:  # a failure none of our errors names: keep its type
            log.exception("unexpected error while loading the pipeline")
            raise PipelineLoadError(exc) from exc


def frame_ancestors(settings: Settings) -> str:
    """The CSP frame-ancestors value: this site plus the configured clinic origins."""
    return " ".join(["'self'", *settings.allowed_origins])


class ClientAddress:
    """The visitor's address: X-Forwarded-For is believed only from a trusted proxy.

    With no trusted proxies (the default) the socket peer is the client and X-Forwarded-For is
    ignored. When the peer is a trusted proxy, the client is the right-most X-Forwarded-For
    entry that is not itself a trusted proxy: entries left of it were written by the visitor
    and can be anything.
    """

    def __init__(self, trusted: list[str]) -> None:
        self.networks = [ipaddress.ip_network(t, strict=False) for t in trusted]

    def trusts(self, host: str) -> bool:
        """True when ``host`` is one of the configured proxies."""
        try:
            addr = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return False
        return any(addr in net for net in self.networks)

    def __call__(self, request: Request) -> str:
        peer = request.client.host if request.client else "unknown"
        if not self.networks or not self.trusts(peer):
            return peer
        hops = [
            hop.strip()
            for header in request.headers.getlist("x-forwarded-for")
            for hop in header.split(",")
            if hop.strip()
        ]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        return hops[0] if hops else peer


class HeadAsGet:
    """ASGI middleware: HEAD is answered by the GET route (uvicorn drops the body).

    FastAPI routes declare GET only, so HEAD /healthz or /embed would be a 404; uptime monitors,
    load balancers and link checkers send HEAD.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}

            async def send_headers_only(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.body":
                    message = {**message, "body": b""}
                await send(message)

            await self.app(scope, receive, send_headers_only)
            return
        await self.app(scope, receive, send)


def instance_name(settings: Settings) -> str:
    """This process's name for the X-Painguide-Instance header and /healthz."""
    return settings.instance_id or f"{socket.gethostname()}-{os.getpid()}"


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """uvicorn settings every way of serving the app shares (``serve`` and the tests).

    ``timeout_keep_alive`` outlives every client's idle limit, so an idle connection is always
    closed by the client side: when the server closed first, a request the client was sending on
    that connection at the same moment was lost (a ReadError under load). X-Forwarded-For is
    handled by ClientAddress (PAINGUIDE_TRUSTED_PROXIES), so uvicorn's own proxy handling, which
    trusts any loopback peer, is off.
    """
    return {
        "timeout_keep_alive": settings.keep_alive_s,
        "proxy_headers": False,
        "server_header": False,
        "log_level": "warning",
    }


def create_app(
    settings: Settings, guide: PainGuide | None = None, mount_ui: bool = True
) -> FastAPI:
    """Build the FastAPI app (the Gradio UI is mounted at ``/`` unless ``mount_ui`` is False)."""
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware

    from painguide import __version__
    from painguide.routes import api, embed, feedback, health
    from painguide.routes.state import AppState

    state = AppState(
        settings=settings,
        holder=GuideHolder(settings, guide),
        limiter=RateLimiter(settings.rate_limit_per_minute),
        client_key=ClientAddress(settings.trusted_proxies),
        conversations=Conversations(),
        slots=asyncio.Semaphore(settings.max_concurrent),
        feedback_store=_feedback_store(settings),
        instance=instance_name(settings),
    )
    app = FastAPI(
        title="Pain Guide API",
        version=__version__,
        description="Grounded, cited education about pain and moving safely with it. "
        "Every message is safety-routed first; see the `route` field of each answer.",
    )
    app.state.pg = state
    app.state.holder = state.holder
    app.state.settings = settings
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
        max_age=600,
    )
    app.middleware("http")(_guard(state))
    for module in (health, api, feedback, embed):
        app.include_router(module.router)
    if mount_ui:
        app = _mount_ui(app, state)
    app.add_middleware(HeadAsGet)
    return app


def _feedback_store(settings: Settings) -> Any:
    if not settings.feedback_db_url:
        return None
    from painguide.feedback import FeedbackStore

    return FeedbackStore(settings.feedback_db_url)


def _guard(state: AppState) -> Callable[[Request, Any], Awaitable[Any]]:
    """Middleware: body size and rate limit on POST /api/*, security headers on every answer."""
    from fastapi.responses import JSONResponse

    async def guard(request: Request, call_next: Any) -> Any:
        if request.method == "POST" and request.url.path.startswith("/api/"):
            length = int(request.headers.get("content-length") or 0)
            if length > MAX_BODY_BYTES:
                body = {"error": "too_large", "message": TOO_LARGE_MESSAGE}
                return JSONResponse(body, status_code=413)
            if not state.limiter.allow(state.client_key(request)):
                body = {"error": "rate_limited", "message": RATE_LIMITED_MESSAGE}
                return JSONResponse(body, status_code=429, headers={"Retry-After": "60"})
        response = await call_next(request)
        response.headers["X-Painguide-Instance"] = state.instance
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if "text/html" in response.headers.get("content-type", ""):
            response.headers["Content-Security-Policy"] = (
                f"frame-ancestors {frame_ancestors(state.settings)}"
            )
        return response

    return guard


def _mount_ui(app: FastAPI, state: AppState) -> FastAPI:
    """The Gradio chat UI at ``/``."""
    import gradio as gr

    from painguide.ui import UI_CSS, build_ui, theme

    blocks = build_ui(state.settings, state.holder.get)
    mounted: FastAPI = gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        theme=theme(state.settings),
        css=UI_CSS,
        footer_links=[],
        ssr_mode=False,
    )
    return mounted


def serve(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    ensure_index: bool = False,
) -> None:
    """Run the server with uvicorn (building the index first when asked and stale)."""
    import uvicorn

    from painguide.privacy import install_log_redaction

    if ensure_index:
        from painguide.ingest import index_is_current, ingest

        if not index_is_current(settings):
            report = ingest(settings)
            log.warning("%s", report.summary())
    install_log_redaction()
    app = create_app(settings)
    uvicorn.run(
        app, host=host or settings.host, port=port or settings.port, **uvicorn_options(settings)
    )
