"""GET /healthz: the pipeline's state, or why it is unavailable."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from painguide import __version__
from painguide.errors import PainGuideError
from painguide.routes.state import State

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(state: State) -> Any:
    """Index loaded, document and chunk counts, model name, version, instance.

    503 ``{"status": "unavailable", "reason": ...}`` when the pipeline cannot start, with
    ``reason`` one of ``model_load_failed``, ``index_missing``, ``chroma_unreachable``,
    ``index_unavailable`` or ``load_failed``.
    """
    try:
        guide = await run_in_threadpool(state.holder.get)
    except PainGuideError as exc:
        body = {
            "status": "unavailable",
            "reason": exc.reason,
            "instance": state.instance,
            "version": __version__,
            "error": str(exc),
        }
        return JSONResponse(body, status_code=503)
    return {**guide.health(), "instance": state.instance}
