"""Rules of the message library: managers draft, only admins approve or retire.

The database holds the same rules (policies and the guard trigger of
migration 0011); these checks give a clear message before it refuses.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.auth import Caller
from app.errors import Conflict, Forbidden, NotFound
from app.languages import repository as languages
from app.templates import render
from app.templates import repository as repo
from app.vocab import Conn, Row

DRAFTING_ROLES = frozenset({"manager", "admin"})


def shaped(row: Row) -> dict[str, Any]:
    return {**row, "key": row["template_key"]}


def require_staff(caller: Caller) -> None:
    if not caller.is_staff:
        raise Forbidden("only municipal staff work with the message library")


async def library(conn: Conn, *, caller: Caller, key: str | None, language: str | None,
                  status: str | None) -> dict[str, Any]:
    require_staff(caller)
    rows = await repo.list_versions(conn, key=key, language=language, status=status)
    keys = [{"key": k["template_key"], "kind": k["kind"], "variables": k["variables"]}
            for k in await repo.keys(conn) if key is None or k["template_key"] == key]
    return {"keys": keys, "templates": [shaped(r) for r in rows],
            "languages": await languages.active(conn)}


async def draft(conn: Conn, *, caller: Caller, key: str, language: str, body: str,
                note: str | None) -> dict[str, Any]:
    if caller.role not in DRAFTING_ROLES:
        raise Forbidden("only managers and admins draft texts")
    row = await repo.insert_draft(conn, tenant_id=caller.municipality(), key=key,
                                  language=language, body=body, note=note)
    return shaped(row)


async def change_status(conn: Conn, *, caller: Caller, template_id: UUID, status: str,
                        note: str | None) -> dict[str, Any]:
    if caller.role != "admin":
        raise Forbidden("only an administrator approves or retires texts")
    found = await repo.visible(conn, template_id)
    if found is None:
        raise NotFound("no such text version")
    if found["status"] == "retired" or (status == "approved" and found["status"] != "draft"):
        raise Conflict(f"a {found['status']} text cannot be {status}; draft a new version")
    row = await repo.set_status(conn, template_id=template_id, status=status,
                                approval_note=note if status == "approved" else None)
    if row is None:
        raise Forbidden("platform defaults are changed by drafting your municipality's own")
    return shaped(row)


def preview(*, caller: Caller, body: str, values: dict[str, str]) -> str:
    require_staff(caller)
    return render.fill(body, dict(values))
