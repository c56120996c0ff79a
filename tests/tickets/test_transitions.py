"""Status rules, enforced by the database and shown through PATCH /status."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection

from tests.tickets.conftest import City, fetch, file

# Every allowed transition, walked by a manager.
WALKS = [
    ["in_progress", "escalated", "in_progress", "resolved", "in_progress", "resolved", "closed",
     "open", "escalated", "resolved", "closed"],
    ["closed"],
    ["in_progress", "closed"],
    ["escalated", "closed"],
]


async def patch(api: httpx.AsyncClient, city: City, ticket_id: str, status: str,
                role: str = "manager", **extra: Any) -> httpx.Response:
    return await api.patch(f"/api/v1/tickets/{ticket_id}/status",
                           json={"status": status, **extra}, headers=city.auth(role))


@pytest.mark.parametrize("walk", WALKS, ids=["-".join(w) for w in WALKS])
async def test_every_allowed_transition(api: httpx.AsyncClient, city: City,
                                        walk: list[str]) -> None:
    ticket = await file(api, city)
    for status in walk:
        response = await patch(api, city, ticket["id"], status)
        assert response.status_code == 200, (status, response.text)
        assert response.json()["status"] == status


@pytest.mark.parametrize("path,refused", [
    ([], "resolved"),
    (["closed"], "in_progress"),
    (["in_progress", "resolved"], "escalated"),
    (["in_progress", "resolved"], "open"),
    (["escalated"], "open"),
])
async def test_a_sample_of_refused_transitions_is_409(
    api: httpx.AsyncClient, city: City, path: list[str], refused: str
) -> None:
    ticket = await file(api, city)
    for status in path:
        assert (await patch(api, city, ticket["id"], status)).status_code == 200
    response = await patch(api, city, ticket["id"], refused)
    assert response.status_code == 409
    assert "cannot go from" in response.json()["detail"]


async def test_the_same_status_again_is_409_and_a_made_up_one_422(
    api: httpx.AsyncClient, city: City
) -> None:
    ticket = await file(api, city)
    assert (await patch(api, city, ticket["id"], "open")).status_code == 409
    assert (await patch(api, city, ticket["id"], "done")).status_code == 422
    extra = await api.patch(f"/api/v1/tickets/{ticket['id']}/status",
                            json={"status": "closed", "priority": "low"},
                            headers=city.auth("manager"))
    assert extra.status_code == 422


@pytest.mark.parametrize("role", ["field_worker", "saps_liaison"])
async def test_only_managers_and_admins_reopen_a_closed_ticket(
    api: httpx.AsyncClient, city: City, role: str
) -> None:
    ticket = await file(api, city, sensitive=role == "saps_liaison")
    assert (await patch(api, city, ticket["id"], "closed", role=role)).status_code == 200
    refused = await patch(api, city, ticket["id"], "open", role=role)
    assert refused.status_code == 409
    assert "reopen" in refused.json()["detail"]
    opener = "admin" if role == "saps_liaison" else "manager"
    assert (await patch(api, city, ticket["id"], "open", role=opener)).status_code == 200


async def test_a_citizen_cannot_change_the_status_of_their_own_report(
    api: httpx.AsyncClient, city: City
) -> None:
    ticket = await file(api, city)
    assert (await patch(api, city, ticket["id"], "closed", role="citizen")).status_code == 404


async def test_timestamps_follow_the_status(
    api: httpx.AsyncClient, city: City, owner: AsyncConnection[Any]
) -> None:
    ticket = await file(api, city)
    query = "select * from public.tickets where id = %s"
    await patch(api, city, ticket["id"], "in_progress")
    [first] = await fetch(owner, query, ticket["id"])
    assert first["first_responded_at"] is not None and first["resolved_at"] is None
    await patch(api, city, ticket["id"], "escalated", reason="Needs a contractor")
    [escalated] = await fetch(owner, query, ticket["id"])
    assert escalated["escalated_at"] is not None
    assert escalated["escalation_reason"] == "Needs a contractor"
    await patch(api, city, ticket["id"], "in_progress")
    await patch(api, city, ticket["id"], "resolved")
    [resolved] = await fetch(owner, query, ticket["id"])
    assert resolved["resolved_at"] is not None
    assert resolved["first_responded_at"] == first["first_responded_at"]
    await patch(api, city, ticket["id"], "closed")
    [closed] = await fetch(owner, query, ticket["id"])
    assert closed["closed_at"] is not None
    await patch(api, city, ticket["id"], "open")
    [reopened] = await fetch(owner, query, ticket["id"])
    assert reopened["closed_at"] is None and reopened["resolved_at"] is None
