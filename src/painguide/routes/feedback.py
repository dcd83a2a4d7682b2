"""POST /api/v1/feedback: thumbs up/down without any message text."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from painguide.routes.state import State

router = APIRouter(tags=["chat"])


class FeedbackRequest(BaseModel):
    """Body of POST /api/v1/feedback: no message text, only what the answer was."""

    route: str = Field(max_length=32)
    cited_ids: list[str] = Field(default_factory=list, max_length=20)
    rating: Literal["up", "down"]
    reason: str | None = Field(None, max_length=300)


@router.post("/api/v1/feedback")
async def feedback(body: FeedbackRequest, state: State) -> Any:
    """Store a thumbs up/down (route, cited ids, rating, short reason) when enabled."""
    store = state.feedback_store
    if store is None:
        return JSONResponse(
            {"stored": False, "message": "Feedback storage is not enabled on this server."},
            status_code=404,
        )
    fid = await run_in_threadpool(store.add, body.route, body.cited_ids, body.rating, body.reason)
    return {"stored": True, "id": fid}
