"""GET /embed: the compact chat page a clinic puts in an iframe."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from painguide.routes.state import State

router = APIRouter(tags=["ui"])


@router.get("/embed", response_class=HTMLResponse)
async def embed(state: State) -> Any:
    """A compact chat view for a clinic's iframe."""
    from painguide.ui import render_embed_page

    return HTMLResponse(render_embed_page(state.settings))
