"""The yardstick for scripts/bench_tickets: FastAPI + one database round-trip."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.config import get_settings
from app.db import open_pool

settings = get_settings()
pool = open_pool(settings.database_url, min_size=2, max_size=settings.db_pool_max)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await pool.open()
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/bare")
async def bare() -> dict[str, int]:
    async with pool.connection() as conn:
        cur = await conn.execute("select 1 as one")
        row = await cur.fetchone()
    return {"one": row["one"] if row else 0}
