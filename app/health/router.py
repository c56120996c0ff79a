from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and database check")
async def health(request: Request) -> JSONResponse:
    """`{"status": "ok", "database": "ok"}`, or 503 when the database does not answer."""
    body: dict[str, Any] = {"status": "ok", "database": "ok",
                            "mode": "local" if request.app.state.settings.local_mode
                            else "supabase"}
    try:
        async with request.app.state.pool.connection(timeout=2) as conn:
            await conn.execute("select 1")
    except Exception:
        body.update(status="degraded", database="unavailable")
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)
