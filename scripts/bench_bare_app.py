"""The ceilings every bench measures beside its figures, on the same pool settings:
`/plain` (FastAPI, no database), `/bare` (one `select 1` through the pool) and
`/insert` (one bare insert of the request body)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from app.config import get_settings
from app.db import open_pool

settings = get_settings()
pool = open_pool(settings.database_url, min_size=2, max_size=settings.db_pool_max)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await pool.open()
    async with pool.connection() as conn:
        await conn.execute("create schema if not exists bench")
        await conn.execute("create table if not exists bench.bare"
                           " (id bigint generated always as identity primary key, body text)")
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/plain")
async def plain() -> dict[str, int]:
    return {"one": 1}


@app.get("/bare")
async def bare() -> dict[str, int]:
    async with pool.connection() as conn:
        cur = await conn.execute("select 1 as one")
        row = await cur.fetchone()
    return {"one": row["one"] if row else 0}


@app.post("/insert")
async def insert(request: Request) -> Response:
    body = await request.body()
    async with pool.connection() as conn:
        await conn.execute("insert into bench.bare (body) values (%s)", (body.decode(),))
    return Response("<Response/>", media_type="application/xml")
