"""Open311 GeoReport v2 rules: jurisdictions, keys, services, requests and
mySociety's updates. Filing goes through `tickets.file_report`, as every
channel does; reads go through the database's public readers, which never
return a protected report or a personal field."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any
from uuid import UUID

from app.errors import Forbidden, Invalid, NotFound
from app.open311 import repository
from app.open311.schemas import SERVICE_CODES, RequestIn, RequestsQuery, UpdateIn, UpdatesQuery
from app.tickets import service as tickets
from app.vocab import Conn, Row

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-23T00:00:00+00:00"
OPEN = {"open", "in_progress", "escalated"}
# Our statuses in mySociety's update vocabulary.
UPDATE_STATUS = {"open": "open", "in_progress": "in_progress", "escalated": "investigating",
                 "resolved": "fixed", "closed": "closed"}


# Open311 speaks English to other systems: the service names and status words it shows.
SERVICE_NAMES = {"water": "Water", "electricity": "Electricity", "roads": "Roads",
                 "waste": "Waste collection", "sanitation": "Toilets and sewage",
                 "other": "Something else"}
STATUS_WORDS = {"open": "received, waiting to be handled", "in_progress": "being worked on",
                "escalated": "passed to a senior official", "resolved": "resolved",
                "closed": "closed"}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str, str]:
    """A fresh API key: (key, its hash, the prefix shown to admins)."""
    key = "o311_" + secrets.token_urlsafe(32)
    return key, hash_key(key), key[:9]


async def jurisdiction(conn: Conn, code: str | None) -> Row:
    if not code:
        raise Invalid("jurisdiction_id was not provided")
    row = await repository.jurisdiction(conn, code)
    if row is None:
        raise NotFound(f"jurisdiction_id {code[:8]} was not found")
    return row


async def client(conn: Conn, *, code: str, api_key: str) -> Row:
    row = await repository.client_for_key(conn, code=code, key_hash=hash_key(api_key))
    if row is None:
        raise Forbidden("api_key is not valid for this jurisdiction")
    return row


def discovery(base_url: str) -> dict[str, Any]:
    return {"changeset": CHANGESET, "contact": "Open311 support of the municipality concerned",
            "key_service": "Ask the municipality for an API key (one per client)",
            "endpoints": [{"specification": SPECIFICATION, "url": base_url,
                           "changeset": CHANGESET, "type": "production",
                           "formats": ["text/xml", "application/json"]}]}


DESCRIPTIONS = {
    "water": "Burst or leaking pipes, no water, low pressure, dirty water",
    "electricity": "Outages, damaged lines or boxes, street lights",
    "roads": "Potholes, damaged roads and pavements, stormwater drains",
    "waste": "Missed refuse collection, illegal dumping",
    "sanitation": "Blocked or overflowing sewers, broken public toilets",
    "other": "Any other municipal service problem",
}


def _service(code: str) -> dict[str, Any]:
    return {"service_code": code, "service_name": SERVICE_NAMES.get(code, code),
            "description": DESCRIPTIONS[code],
            "metadata": False, "type": "realtime", "keywords": code,
            "group": "municipal services"}


async def services(conn: Conn, *, code: str | None) -> list[dict[str, Any]]:
    """Ordinary categories only: personal safety reports are not a service."""
    await jurisdiction(conn, code)
    return [_service(c) for c in SERVICE_CODES]


async def service_definition(conn: Conn, *, code: str | None,
                             service_code: str) -> dict[str, Any]:
    await jurisdiction(conn, code)
    if service_code not in SERVICE_CODES:
        raise NotFound(f"service_code {service_code[:40]} was not found")
    return {"service_code": service_code, "attributes": []}


def _request(row: Row, municipality: str) -> dict[str, Any]:
    duplicate = row["duplicate_of"]
    return {
        "service_request_id": str(row["id"]),
        "status": "open" if row["status"] in OPEN else "closed",
        "status_notes": f"duplicate of {duplicate}" if duplicate else None,
        "service_name": SERVICE_NAMES.get(row["category"], row["category"]),
        "service_code": row["category"],
        "agency_responsible": municipality,
        "requested_datetime": row["created_at"], "updated_datetime": row["updated_at"],
        "expected_datetime": row["expected_at"] if row["status"] in OPEN else None,
        "lat": row["latitude"], "long": row["longitude"],
    }


def notice(municipality: Row) -> str:
    """No tracking number: ours count every report, protected ones included, so a
    sequence of them beside the public list would count protected reports."""
    return f"Received by {municipality['name']}"


async def file_request(conn: Conn, *, body: RequestIn) -> list[dict[str, Any]]:
    """File a request as the client holding the key (service role). A retry of the
    same request by the same client within 10 minutes returns the first one."""
    municipality = await jurisdiction(conn, body.jurisdiction_id)
    holder = await client(conn, code=municipality["code"], api_key=body.api_key)
    await repository.lock_client(conn, holder["client_id"])
    fingerprint = body.fingerprint()
    earlier = await repository.recent_submission(
        conn, client_id=holder["client_id"], fingerprint=fingerprint)
    if earlier is not None:
        return [{"service_request_id": str(earlier["ticket_id"]), "token": str(earlier["id"]),
                 "service_notice": notice(municipality)}]
    receipt = await tickets.file_report(
        conn, tenant_id=holder["tenant_id"], reporter_id=None, category=body.service_code,
        description=body.description, latitude=body.lat, longitude=body.long,
        address=body.address_string, source="api")
    token = await repository.add_submission(
        conn, tenant_id=holder["tenant_id"], ticket_id=UUID(str(receipt["id"])),
        client_id=holder["client_id"], contact=body.contact(), media_url=body.media_url,
        fingerprint=fingerprint)
    found = receipt.get("possible_duplicates") or []
    return [{
        "service_request_id": str(receipt["id"]), "token": str(token),
        "service_notice": notice(municipality),
        "possible_duplicates": [{"service_request_id": str(d["id"]),
                                 "distance_m": round(float(d["distance_m"]), 1)}
                                for d in found] or None,
    }]


async def list_requests(conn: Conn, *, query: RequestsQuery) -> list[dict[str, Any]]:
    municipality = await jurisdiction(conn, query.jurisdiction_id)
    rows = await repository.requests(
        conn, tenant_id=municipality["id"], ids=query.ids(), category=query.service_code,
        start=query.start_date, end=query.end_date, is_open=query.is_open(),
        limit=query.page_size, offset=(query.page - 1) * query.page_size)
    return [_request(r, municipality["name"]) for r in rows]


async def get_request(conn: Conn, *, code: str | None, request_id: str) -> list[dict[str, Any]]:
    municipality = await jurisdiction(conn, code)
    try:
        ticket_id = UUID(request_id)
    except ValueError as exc:
        raise NotFound(f"service_request_id {request_id[:40]} was not found") from exc
    rows = await repository.requests(
        conn, tenant_id=municipality["id"], ids=[ticket_id], category=None, start=None,
        end=None, is_open=None, limit=1, offset=0)
    if not rows:
        raise NotFound(f"service_request_id {request_id[:40]} was not found")
    return [_request(rows[0], municipality["name"])]


async def token(conn: Conn, *, code: str | None, value: str) -> list[dict[str, Any]]:
    municipality = await jurisdiction(conn, code)
    try:
        ticket_id = await repository.ticket_for_token(
            conn, tenant_id=municipality["id"], token=UUID(value))
    except ValueError:
        ticket_id = None
    if ticket_id is None:
        raise NotFound(f"token {value[:40]} was not found")
    return [{"service_request_id": str(ticket_id), "token": value}]


async def list_updates(conn: Conn, *, query: UpdatesQuery) -> list[dict[str, Any]]:
    municipality = await jurisdiction(conn, query.jurisdiction_id)
    rows = await repository.updates(conn, tenant_id=municipality["id"],
                                    start=query.start_date, end=query.end_date, limit=1000)
    return [{"update_id": str(r["id"]), "service_request_id": str(r["ticket_id"]),
             "status": "duplicate" if r["is_duplicate"] else UPDATE_STATUS[r["status"]],
             "updated_datetime": r["created_at"], "description": _update_text(r)}
            for r in rows]


def _update_text(row: Row) -> str:
    """A client's own words, else a plain account of the change (never staff's notes)."""
    if row["description"]:
        return str(row["description"])
    if row["is_duplicate"]:
        return "Closed: the same problem was already reported"
    return f"Report {STATUS_WORDS.get(row['status'], row['status'])}"


async def _apply_status(conn: Conn, ticket: Row, wanted: str, client_name: str) -> str:
    """Move the ticket as a client's update asks, where the rules allow; else leave it."""
    current = str(ticket["status"])
    if wanted in {"closed", "fixed"}:
        targets = ["resolved", "closed"] if current in OPEN else []
    elif wanted == "open":
        targets = ["in_progress"] if current == "resolved" else []
    else:
        targets = []
    for target in targets:
        if await repository.transition_allowed(conn, current, target):
            await repository.set_status_from_client(
                conn, ticket_id=ticket["id"], status=target, reason=f"update from {client_name}")
            return target
    return current


async def post_update(conn: Conn, *, body: UpdateIn) -> list[dict[str, Any]]:
    """A client's update on a request it filed (service role). Idempotent by update_id."""
    municipality = await jurisdiction(conn, body.jurisdiction_id)
    holder = await client(conn, code=municipality["code"], api_key=body.api_key)
    if body.update_id:
        existing = await repository.existing_update(
            conn, client_id=holder["client_id"], external_id=body.update_id)
        if existing is not None:
            return [{"update_id": str(existing)}]
    ticket = await repository.client_ticket(
        conn, client_id=holder["client_id"], ticket_id=body.service_request_id)
    if ticket is None:
        raise NotFound(f"service_request_id {body.service_request_id} was not found")
    status = await _apply_status(conn, ticket, body.status, "an Open311 client")
    update_id = await repository.add_update(
        conn, tenant_id=ticket["tenant_id"], ticket_id=ticket["id"], status=status,
        description=body.description, client_id=holder["client_id"],
        external_id=body.update_id)
    return [{"update_id": str(update_id)}]


async def add_key(conn: Conn, *, code: str, name: str) -> str:
    """A new client key for a municipality; only its hash is kept. Returns the key."""
    key, key_hash, prefix = new_key()
    try:
        await repository.add_client(conn, code=code.upper(), name=name, key_hash=key_hash,
                                    key_prefix=prefix)
    except LookupError as exc:
        raise NotFound(str(exc)) from exc
    return key


async def revoke_key(conn: Conn, *, code: str, name: str) -> None:
    if not await repository.revoke_client(conn, code=code.upper(), name=name):
        raise NotFound(f"no active Open311 client {name!r} in {code.upper()}")
