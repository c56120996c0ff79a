"""The baseline for scripts/bench_whatsapp: a bare FastAPI endpoint doing one insert."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from psycopg_pool import AsyncConnectionPool

pool = AsyncConnectionPool(os.environ["DATABASE_URL"], min_size=2, max_size=20, open=False)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await pool.open()
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.post("/bare")
async def bare(request: Request) -> Response:
    body = await request.body()
    async with pool.connection() as conn:
        await conn.execute("insert into bench.bare (body) values (%s)", (body.decode(),))
    return Response("<Response/>", media_type="application/xml")
