"""Database errors a user can cause become clear 4xx responses.

Our SQL raises with SQLSTATEs of the form `SA` + HTTP status (`SA404`,
`SA409`, `SA422`, ...) and a message written for the user; PostgreSQL's own
integrity errors map to 409/422. Anything else is our bug: logged, 500.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from psycopg import errors as pg

log = logging.getLogger("salga.errors")

_BY_CLASS: list[tuple[type[Exception], int, str]] = [
    (pg.InsufficientPrivilege, 403, "not allowed"),
    (pg.UniqueViolation, 409, "already exists"),
    (pg.ForeignKeyViolation, 422, "refers to something that does not exist"),
    (pg.CheckViolation, 422, "value is not allowed"),
    (pg.NotNullViolation, 422, "a required value is missing"),
    (pg.DataException, 422, "value is not valid"),
    (pg.OperationalError, 503, "database unavailable"),
]


def status_for(exc: Exception) -> tuple[int, str] | None:
    """The HTTP status and message for a database error, or None for a bug."""
    sqlstate = getattr(exc, "sqlstate", None) or ""
    if sqlstate.startswith("SA") and sqlstate[2:].isdigit():
        diag = getattr(exc, "diag", None)
        message = (diag.message_primary if diag else None) or str(exc)
        return int(sqlstate[2:]), message
    for cls, code, message in _BY_CLASS:
        if isinstance(exc, cls):
            return code, message
    return None


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    mapped = status_for(exc)
    if mapped is None:
        log.exception("unexpected database error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)
    code, message = mapped
    return JSONResponse({"detail": message}, status_code=code)


def install(app: FastAPI) -> None:
    app.add_exception_handler(pg.Error, _database_error)
