"""FixMyStreet-style sync both ways with mySociety's servicerequestupdates:
FixMyStreet files a request, polls our updates as staff work it, posts its
users' updates back (idempotent by update_id) and sees them move the ticket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from psycopg import AsyncConnection

from tests.open311.conftest import Open311, quick_key
from tests.open311.test_conformance import error, request_form
from tests.tickets.conftest import City, fetch


def window() -> dict[str, str]:
    now = datetime.now(UTC)
    return {"start_date": (now - timedelta(minutes=5)).isoformat(),
            "end_date": (now + timedelta(minutes=5)).isoformat()}


async def updates_of(o311: Open311, fmt: str, request_id: str) -> list[dict[str, Any]]:
    status, body = await o311.get("servicerequestupdates", fmt, **window())
    assert status == 200, body
    return [u for u in body if u["service_request_id"] == request_id]


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_status_travels_both_ways(
    o311: Open311, key: str, town: City, api: httpx.AsyncClient,
    owner: AsyncConnection[Any], fmt: str
) -> None:
    status, body = await o311.post("requests", fmt, **request_form(key, lat=None, long=None,
                                   address_string=f"7 Station Road ({fmt})"))
    request_id = body[0]["service_request_id"]
    assert await updates_of(o311, fmt, request_id) == []

    # Staff take it on: FixMyStreet sees it on its next poll.
    moved = await api.patch(f"/api/v1/tickets/{request_id}/status",
                            json={"status": "in_progress", "reason": "crew sent"},
                            headers=town.auth("manager"))
    assert moved.status_code == 200
    [update] = await updates_of(o311, fmt, request_id)
    assert update["status"] == "in_progress" and update["update_id"]
    assert update["description"] == "Report being worked on"  # never staff's own notes
    assert "crew sent" not in str(await updates_of(o311, fmt, request_id))

    # A FixMyStreet user says it is fixed: the ticket is resolved.
    fms_update = {"api_key": key, "service_request_id": request_id,
                  "update_id": f"fms-{uuid4()}", "status": "FIXED",
                  "description": "Looks fixed now, thanks",
                  "updated_datetime": datetime.now(UTC).isoformat(),
                  "first_name": "Sipho", "email": "sipho@example.org"}
    status, posted = await o311.post("servicerequestupdates", fmt, **fms_update)
    assert status == 200, posted
    ours = posted[0]["update_id"]
    status, again = await o311.post("servicerequestupdates", fmt, **fms_update)
    assert again == posted  # a retry is the same update, applied once
    [ticket] = await fetch(owner, "select status from public.tickets where id = %s", request_id)
    assert ticket["status"] == "resolved"
    rows = await fetch(owner, "select source, status from public.ticket_updates"
                       " where ticket_id = %s order by created_at", request_id)
    assert [(r["source"], r["status"]) for r in rows] == [("staff", "in_progress"),
                                                          ("open311", "resolved")]
    listed = await updates_of(o311, fmt, request_id)
    assert [u["status"] for u in listed] == ["in_progress", "fixed"]
    assert listed[1]["update_id"] == ours
    assert listed[1]["description"] == "Looks fixed now, thanks"
    assert "sipho" not in str(listed).lower()

    # Reopened by the user: back in progress. Then staff close it: FixMyStreet sees closed.
    status, _ = await o311.post("servicerequestupdates", fmt, **{
        **fms_update, "update_id": f"fms-{uuid4()}", "status": "OPEN",
        "description": "It is leaking again"})
    assert status == 200
    [ticket] = await fetch(owner, "select status from public.tickets where id = %s", request_id)
    assert ticket["status"] == "in_progress"
    await api.patch(f"/api/v1/tickets/{request_id}/status", json={"status": "closed"},
                    headers=town.auth("manager"))
    assert [u["status"] for u in await updates_of(o311, fmt, request_id)][-1] == "closed"


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_bad_updates_are_refused_and_change_nothing(
    o311: Open311, key: str, town: City, owner: AsyncConnection[Any], database_url: str,
    fmt: str
) -> None:
    status, body = await o311.post("requests", fmt, **request_form(key, lat=None, long=None,
                                   address_string=f"9 Station Road ({fmt})"))
    request_id = body[0]["service_request_id"]
    good = {"api_key": key, "service_request_id": request_id, "status": "CLOSED",
            "description": "Done", "update_id": f"fms-{uuid4()}"}
    other_client = await quick_key(database_url, town.tenant.code, f"Another client {fmt}")
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"api_key": "o311_wrong-key-000"}, 403, "api_key"),
        ({"api_key": other_client}, 404, "service_request_id"),
        ({"service_request_id": str(uuid4())}, 404, "service_request_id"),
        ({"service_request_id": "12"}, 400, "service_request_id"),
        ({"status": "DELETED"}, 400, "status"),
        ({"description": None}, 400, "description"),
        ({"updated_datetime": "2026-01-01T00:00:00"}, 400, "timezone"),
    ]
    for change, code, words in cases:
        status, answer = await o311.post("servicerequestupdates", fmt, **{**good, **change})
        assert status == code, (change, answer)
        assert words in error(answer, code), (change, answer)
    [ticket] = await fetch(owner, "select status from public.tickets where id = %s", request_id)
    assert ticket["status"] == "open"
    assert not await fetch(owner, "select 1 from public.ticket_updates where ticket_id = %s",
                           request_id)
    status, body = await o311.get("servicerequestupdates", fmt, start_date="2026-01-01T00:00:00Z",
                                  end_date="2026-06-01T00:00:00Z")
    assert status == 400 and "90 days" in error(body, 400)
