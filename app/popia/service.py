"""POPIA rules: notice before collection, consent per purpose, the 30-day clock,
the access bundle, erasure and the information officer's registers.

The database enforces the same rules (migration 0011); these functions
shape requests, give clear messages and never commit.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from app.auth import Caller
from app.crypto import default_cipher
from app.db import service_transaction
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.popia import repository as repo
from app.storage.service import StorageService
from app.vocab import Conn

PURPOSES = {
    "privacy_notice": "I have read the privacy notice of my municipality.",
    "progress_updates": "Send me updates about my own reports.",
    "saps_referral": "Refer my private report to the municipality's SAPS liaison officers.",
    "other_messages": "Send me other messages from the municipality (not about my reports).",
}
OUTCOMES = {
    "access": {"provided", "refused"},
    "correction": {"corrected", "refused", "note_attached"},
    "deletion": {"deleted", "refused"},
    "objection": {"restricted", "refused"},
}


async def notice(conn: Conn, *, code: str, language: str) -> dict[str, Any]:
    found = await repo.privacy_notice(conn, code=code, language=language)
    if not found:
        raise NotFound("no municipality with this code")
    return dict(found)


async def caller_notice(conn: Conn, *, caller: Caller, language: str) -> dict[str, Any]:
    code = await repo.municipality_code(conn, caller.municipality())
    if code is None:
        raise NotFound("your municipality was not found")
    return await notice(conn, code=code, language=language)


async def give_consent(conn: Conn, *, caller: Caller, purpose: str, notice_version: int,
                       language: str, ip: str, user_agent: str) -> dict[str, Any]:
    """Consent (or the notice's acknowledgement) against the notice the person saw;
    once per notice version: a repeat returns the record already made."""
    current = await caller_notice(conn, caller=caller, language=language)
    if current["version"] != notice_version:
        raise Conflict(f"notice_version: the current privacy notice is version "
                       f"{current['version']}; show it and ask again")
    existing = await repo.active_consent(conn, user_id=caller.user_id, purpose=purpose,
                                         notice_id=current["id"])
    if existing is not None:
        return existing
    return await repo.record_consent(
        conn, user_id=caller.user_id, tenant_id=caller.municipality(), purpose=purpose,
        description=PURPOSES[purpose], notice=current, ip=ip, user_agent=user_agent)


async def my_consents(conn: Conn, *, caller: Caller) -> list[dict[str, Any]]:
    return await repo.consents(conn, caller.user_id)


async def my_requests(conn: Conn, *, caller: Caller) -> list[dict[str, Any]]:
    return await repo.requests(conn, user_id=caller.user_id, tenant_id=None, status=None,
                               overdue=None)


async def withdraw_consent(conn: Conn, *, caller: Caller, purpose: str) -> None:
    if await repo.withdraw(conn, user_id=caller.user_id, purpose=purpose) == 0:
        raise NotFound(f"purpose: no consent given for {purpose!r}")


async def ask(conn: Conn, *, caller: Caller, kind: str, details: str | None) -> dict[str, Any]:
    return await repo.open_request(conn, tenant_id=caller.municipality(),
                                   user_id=caller.user_id, kind=kind, details=details)


def require_admin(caller: Caller) -> None:
    if caller.role != "admin":
        raise Forbidden("only the municipality's administrators (information officers) may")


async def queue(conn: Conn, *, caller: Caller, status: str | None,
                overdue: bool | None) -> list[dict[str, Any]]:
    require_admin(caller)
    return await repo.requests(conn, user_id=None, tenant_id=caller.municipality(),
                               status=status, overdue=overdue)


async def _request(conn: Conn, caller: Caller, request_id: UUID) -> dict[str, Any]:
    require_admin(caller)
    found = await repo.request_by_id(conn, request_id)
    if found is None:
        raise NotFound("no such request")
    return found


async def extend(conn: Conn, *, caller: Caller, request_id: UUID,
                 reason: str) -> dict[str, Any]:
    found = await _request(conn, caller, request_id)
    if found["status"] != "open":
        raise Conflict("a request is extended only once, and only while open")
    row = await repo.update_request(conn, request_id,
                                    {"status": "extended", "extension_reason": reason})
    assert row is not None
    return row


async def verify_requester(conn: Conn, *, caller: Caller, request_id: UUID) -> dict[str, Any]:
    await _request(conn, caller, request_id)
    row = await repo.update_request(conn, request_id, {"requester_verified_at": "now"})
    assert row is not None
    return row


async def complete(conn: Conn, *, caller: Caller, request_id: UUID, outcome: str,
                   reason: str | None) -> dict[str, Any]:
    """Record the outcome; a deletion that is granted erases the person in the same
    transaction (their files are queued for removal from Storage)."""
    found = await _request(conn, caller, request_id)
    if found["status"] == "completed":
        raise Conflict("this request is already completed")
    if outcome not in OUTCOMES[found["kind"]]:
        raise Invalid(f"outcome: a {found['kind']} request ends as one of "
                      f"{sorted(OUTCOMES[found['kind']])}")
    row = await repo.update_request(conn, request_id, {
        "status": "completed", "outcome": outcome, "outcome_reason": reason})
    assert row is not None
    if outcome == "deleted" and found["user_id"] is not None:
        await repo.erase(conn, found["user_id"])
        row = await repo.request_by_id(conn, request_id)
        assert row is not None
    return row


async def export(conn: Conn, *, caller: Caller) -> dict[str, Any]:
    """The caller's s23 bundle; their private reports' own words only once an admin has
    verified who is asking (the database hands over the ciphertext only then)."""
    bundle = await repo.bundle(conn, None)
    opened = {r["tracking_number"]: default_cipher().decrypt(r["encrypted_description"])
              for r in await repo.verified_private_reports(conn)}
    for report in bundle.get("reports", []):
        if report.get("private") and report["tracking_number"] in opened:
            report["content"] = opened[report["tracking_number"]]
    return bundle


async def remove_queued_files(pool: AsyncConnectionPool, storage: StorageService,
                              *, limit: int = 200) -> int:
    """Remove files queued by erasure and retention through the Storage API (the bytes go
    too); a failure stays queued for the next run. Returns how many were removed."""
    async with service_transaction(pool, actor="popia") as conn:
        due = await repo.storage_removals_due(conn, limit)
        removed = 0
        for item in due:
            try:
                await storage.remove(bucket=item["bucket"], paths=[item["path"]])
            except Exception as exc:  # any Storage failure: kept queued, retried later
                await repo.storage_removal_done(conn, item["id"], f"{type(exc).__name__}: {exc}")
                continue
            await repo.storage_removal_done(conn, item["id"], None)
            removed += 1
    return removed


async def register(conn: Conn, *, caller: Caller, table: str) -> list[dict[str, Any]]:
    require_admin(caller)
    return await repo.register(conn, table)


async def add_to_register(conn: Conn, *, caller: Caller, table: str,
                          fields: dict[str, Any]) -> dict[str, Any]:
    require_admin(caller)
    return await repo.add_to_register(conn, table, {**fields, "tenant_id": caller.municipality()})
