"""Internal notes: staff who can see the ticket, never the citizen, sealed on protected reports."""

from __future__ import annotations

import httpx
import pytest
from psycopg import AsyncConnection

from app.config import Settings
from tests.tickets.conftest import City, build_city, fetch, file


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    return await build_city(database_url, settings.supabase_jwt_secret)


def notes_url(ticket: dict) -> str:
    return f"/api/v1/tickets/{ticket['id']}/notes"


async def test_staff_who_see_the_ticket_add_and_read_notes_with_their_names(
    api: httpx.AsyncClient, town: City
) -> None:
    ticket = await file(api, town)
    for role in ("field_worker", "manager", "admin"):
        response = await api.post(notes_url(ticket), json={"body": f"From the {role}"},
                                  headers=town.auth(role))
        assert response.status_code == 201, (role, response.text)
        assert response.json()["author_role"] == role
    listed = (await api.get(notes_url(ticket), headers=town.auth("field_worker"))).json()
    assert [n["body"] for n in listed] == ["From the field_worker", "From the manager",
                                           "From the admin"]
    assert all(n["author_name"] for n in listed[1:])


async def test_citizens_and_outsiders_neither_read_nor_write_notes(
    api: httpx.AsyncClient, town: City, other_tenant
) -> None:
    ticket = await file(api, town)
    assert (await api.get(notes_url(ticket), headers=town.auth("citizen"))).status_code == 403
    assert (await api.post(notes_url(ticket), json={"body": "x"},
                           headers=town.auth("citizen"))).status_code == 403
    for headers in (town.auth("saps_liaison"), other_tenant.auth("manager")):
        assert (await api.get(notes_url(ticket), headers=headers)).status_code == 404
        assert (await api.post(notes_url(ticket), json={"body": "x"},
                               headers=headers)).status_code == 404


async def test_a_note_on_a_protected_report_is_sealed_like_the_report(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    ticket = await file(api, town, category="gbv", sensitive=True, where=None)
    response = await api.post(notes_url(ticket), json={"body": "Spoke to her safely"},
                              headers=town.auth("saps_liaison"))
    assert response.status_code == 201 and response.json()["body"] == "Spoke to her safely"
    (row,) = await fetch(owner, "select body, encrypted_body, is_sensitive from"
                         " public.ticket_notes where ticket_id = %s", ticket["id"])
    assert row["body"] is None and row["is_sensitive"]
    assert "Spoke" not in row["encrypted_body"]
    audit = await fetch(owner, "select new_values::text as v, is_sensitive from public.audit_log"
                        " where table_name = 'ticket_notes' and new_values ->> 'ticket_id' = %s",
                        ticket["id"])
    assert audit and all(a["is_sensitive"] and "Spoke" not in a["v"] for a in audit)
    assert (await api.get(notes_url(ticket), headers=town.auth("manager"))).status_code == 404


async def test_an_unreadable_sealed_note_shows_as_unreadable(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    ticket = await file(api, town, category="gbv", sensitive=True, where=None)
    await owner.execute("insert into public.ticket_notes (ticket_id, encrypted_body)"
                        " values (%s, 'not-a-fernet-token')", (ticket["id"],))
    response = await api.get(notes_url(ticket), headers=town.auth("admin"))
    assert response.status_code == 200 and response.json()[0]["body"] is None


async def test_a_plain_note_on_a_protected_report_is_refused_by_the_database(
    owner: AsyncConnection, api: httpx.AsyncClient, town: City
) -> None:
    ticket = await file(api, town, category="gbv", sensitive=True, where=None)
    with pytest.raises(Exception, match="stored only encrypted"):
        await owner.execute("insert into public.ticket_notes (ticket_id, body)"
                            " values (%s, 'plain')", (ticket["id"],))
