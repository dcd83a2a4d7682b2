"""What every route shares: the app's state object and the 503 helpers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from painguide.errors import PainGuideError
from painguide.safety.templates import BUSY_MESSAGE, UNAVAILABLE_MESSAGE

if TYPE_CHECKING:
    from painguide.config import Settings
    from painguide.feedback import FeedbackStore
    from painguide.server import Conversations, GuideHolder, RateLimiter

log = logging.getLogger(__name__)

QUEUE_WAIT_S = 30.0  # how long a request waits for a free slot before a friendly 503


@dataclass
class AppState:
    """The pipeline holder, limits and stores one app instance serves with."""

    settings: Settings
    holder: GuideHolder
    limiter: RateLimiter
    client_key: Callable[[Request], str]
    conversations: Conversations
    slots: asyncio.Semaphore
    feedback_store: FeedbackStore | None
    instance: str

    async def acquire_slot(self) -> bool:
        """Wait for one of ``max_concurrent`` slots; False after QUEUE_WAIT_S (then 503 busy)."""
        try:
            await asyncio.wait_for(self.slots.acquire(), timeout=QUEUE_WAIT_S)
            return True
        except TimeoutError:
            return False


def app_state(request: Request) -> AppState:
    """The AppState of the app serving ``request`` (a FastAPI dependency)."""
    state: AppState = request.app.state.pg
    return state


def busy() -> JSONResponse:
    """503: every slot stayed taken for QUEUE_WAIT_S."""
    return JSONResponse({"error": "busy", "message": BUSY_MESSAGE}, status_code=503)


def unavailable(exc: PainGuideError) -> JSONResponse:
    """503 for a pipeline that cannot start, with the machine-readable reason."""
    log.warning("pipeline unavailable (%s): %s", exc.reason, exc)
    body: dict[str, Any] = {
        "error": "temporarily_unavailable",
        "reason": exc.reason,
        "message": UNAVAILABLE_MESSAGE,
    }
    return JSONResponse(body, status_code=503, headers={"Retry-After": "10"})


# A route parameter ``state: State`` receives the AppState.
State = Annotated[AppState, Depends(app_state)]
