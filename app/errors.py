"""One error convention for the whole app.

Services raise a `DomainError` (or a subclass naming its status) with a
message written for the user; they never import FastAPI. Our SQL raises with
SQLSTATEs of the form `SA` + HTTP status (`SA404`, `SA409`, ...) and PostgreSQL's
own integrity errors map to 409/422 — `status_for` is the one SQLSTATE parser.
Anything else is our bug: logged, 500. Every error body is `{"detail": ...}`.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from psycopg import errors as pg

log = logging.getLogger("salga.errors")


class DomainError(Exception):
    """Something the caller can act on; `status` is the HTTP status it becomes."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class Invalid(DomainError):
    status = 422


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class TooLarge(DomainError):
    status = 413


class Unauthorized(DomainError):
    status = 401


_BY_CLASS: list[tuple[type[Exception], int, str]] = [
    (pg.InsufficientPrivilege, 403, "not allowed"),
    (pg.UniqueViolation, 409, "already exists"),
    (pg.ForeignKeyViolation, 422, "refers to something that does not exist"),
    (pg.CheckViolation, 422, "value is not allowed"),
    (pg.NotNullViolation, 422, "a required value is missing"),
    (pg.DataException, 422, "value is not valid"),
    (pg.OperationalError, 503, "database unavailable"),
]


def sql_message(exc: Exception) -> str:
    diag = getattr(exc, "diag", None)
    return (diag.message_primary if diag else None) or str(exc)


def sa_status(exc: Exception) -> int | None:
    """The HTTP status our SQL raised as SQLSTATE `SA` + status (`SA409` -> 409), else None."""
    sqlstate = getattr(exc, "sqlstate", None) or ""
    return int(sqlstate[2:]) if sqlstate.startswith("SA") and sqlstate[2:].isdigit() else None


def status_for(exc: Exception) -> tuple[int, str] | None:
    """The HTTP status and message for a database error, or None for a bug."""
    ours = sa_status(exc)
    if ours is not None:
        return ours, sql_message(exc)
    for cls, code, message in _BY_CLASS:
        if isinstance(exc, cls):
            return code, _with_field(exc, message)
    return None


def _with_field(exc: Exception, message: str) -> str:
    """`language: refers to something that does not exist`: the column a foreign key
    refused, read from its constraint's name (`<table>_<column>_fkey`; the key's value is
    not in the error when the caller may not read the table it refers to)."""
    diag = getattr(exc, "diag", None)
    if (not isinstance(exc, pg.ForeignKeyViolation) or diag is None
            or not (diag.message_primary or "").startswith("insert or update")):
        return message
    found = re.fullmatch(rf"{re.escape(diag.table_name or '')}_(\w+)_fkey",
                         diag.constraint_name or "")
    return f"{found.group(1)}: {message}" if found else message


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    mapped = status_for(exc)
    if mapped is None:
        log.exception("unexpected database error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)
    code, message = mapped
    return JSONResponse({"detail": message}, status_code=code)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(pg.Error, _database_error)
    app.add_exception_handler(DomainError, _domain_error)
