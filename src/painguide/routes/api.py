"""The chat API: POST /api/v1/ask, POST /api/v1/ask/stream, GET /api/v1/conversation."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from painguide.errors import PainGuideError
from painguide.routes.state import AppState, State, busy, unavailable
from painguide.safety.templates import UNAVAILABLE_MESSAGE

log = logging.getLogger(__name__)

MAX_INPUT_CHARS = 20_000  # longer messages are refused; up to max_message_chars is answered

router = APIRouter(tags=["chat"])


class HistoryTurn(BaseModel):
    """One earlier turn of the conversation."""

    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_INPUT_CHARS)


class AskRequest(BaseModel):
    """Body of POST /api/v1/ask."""

    message: str = Field(max_length=MAX_INPUT_CHARS, description="The person's message.")
    history: list[HistoryTurn] = Field(
        default_factory=list, max_length=40, description="Earlier turns, oldest first."
    )
    conversation_id: str | None = Field(
        None, max_length=64, description="Optional: let the server keep the turns (30 min)."
    )


def _history(state: AppState, body: AskRequest) -> list[dict[str, str]]:
    turns = [t.model_dump() for t in body.history]
    if body.conversation_id:
        turns = state.conversations.get(body.conversation_id) + turns
    return turns


@router.post("/api/v1/ask")
async def ask(body: AskRequest, state: State) -> Any:
    """Route and answer one message; returns the answer contract."""
    if not await state.acquire_slot():
        return busy()
    try:
        guide = await run_in_threadpool(state.holder.get)
        answer = await run_in_threadpool(guide.ask, body.message, _history(state, body))
    except PainGuideError as exc:
        return unavailable(exc)
    finally:
        state.slots.release()
    data = answer.to_dict()
    if body.conversation_id:
        state.conversations.append(body.conversation_id, body.message, answer.answer)
        data["conversation_id"] = body.conversation_id
    status = 503 if answer.decision and "index_unavailable" in answer.decision.rule else 200
    if status == 503:
        data["error"] = "temporarily_unavailable"
    return JSONResponse(data, status_code=status)


@router.post("/api/v1/ask/stream")
async def ask_stream(body: AskRequest, state: State) -> Any:
    """Server-sent events: ``delta`` events with the growing text, then ``answer``."""
    if not await state.acquire_slot():
        return busy()
    try:
        guide = await run_in_threadpool(state.holder.get)
    except PainGuideError as exc:
        state.slots.release()
        return unavailable(exc)
    history = _history(state, body)

    def events() -> Iterator[str]:
        try:
            for item in guide.stream(body.message, history):
                if isinstance(item, str):
                    yield f"data: {json.dumps({'type': 'delta', 'text': item})}\n\n"
                else:
                    if body.conversation_id:
                        state.conversations.append(body.conversation_id, body.message, item.answer)
                    payload = {"type": "answer", "answer": item.to_dict()}
                    yield f"data: {json.dumps(payload)}\n\n"
        except Exception:  # the stream has started: report in-band, never a traceback
            log.exception("streaming failed")
            yield f"data: {json.dumps({'type': 'error', 'message': UNAVAILABLE_MESSAGE})}\n\n"
        finally:
            state.slots.release()

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        # X-Accel-Buffering: nginx passes each event on at once, even where buffering is on
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.get("/api/v1/conversation")
async def new_conversation() -> Any:
    """A fresh conversation id for clients that let the server keep the turns."""
    return {"conversation_id": uuid.uuid4().hex}
