"""A typed address: matched against the municipality's places and routed to the team of
that area; one request for a pin when no place matches, then taken as typed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.db import fetch_all
from tests.support.texts import text
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard
from tests.whatsapp.test_evidence import file_it

AREA = {"type": "MultiPolygon", "coordinates": [[[[19.10, -34.10], [19.14, -34.10],
                                                  [19.14, -34.06], [19.10, -34.06],
                                                  [19.10, -34.10]]]]}
STREET = {"type": "LineString", "coordinates": [[19.11, -34.08], [19.13, -34.08]]}


@pytest.fixture
async def area_team(wa_tenant: dict[str, Any], database_url: str) -> AsyncIterator[Any]:
    """A roads team serving one area, and a street inside it among the places."""
    async with await AsyncConnection.connect(database_url) as owner:
        cur = await owner.execute(
            "insert into public.teams (tenant_id, name, categories, service_area) values"
            " (%s, 'Roads, Dwarsberg area', '{roads}', extensions.st_geomfromgeojson(%s)"
            "::extensions.geography) on conflict (tenant_id, name) do update set is_active = true"
            " returning id", (wa_tenant["id"], json.dumps(AREA)))
        row = await cur.fetchone()
        await owner.execute(
            "insert into public.places (tenant_id, name, kind, geom) values (%s,"
            " 'Dwarsbergweg', 'street', extensions.st_setsrid(extensions.st_geomfromgeojson(%s),"
            " 4326)::extensions.geography)", (wa_tenant["id"], json.dumps(STREET)))
        await owner.commit()
    assert row is not None
    yield row[0]
    async with await AsyncConnection.connect(database_url) as owner:
        await owner.execute("delete from public.places where tenant_id = %s", (wa_tenant["id"],))
        await owner.execute("update public.teams set is_active = false where id = %s", (row[0],))
        await owner.commit()


async def report_pothole(wa: WhatsApp, phone: str) -> None:
    await onboard(wa, phone)
    await wa.say(phone, "3")
    await wa.say(phone, "Deep pothole in the middle of the road, cars swerving")


async def test_a_typed_address_that_names_a_place_is_routed_to_that_areas_team(
    wa: WhatsApp, db: AsyncConnection[Any], area_team: Any,
) -> None:
    phone = new_phone()
    await report_pothole(wa, phone)
    reply = await wa.say(phone, "14 dwarsbergweg, by the school")
    assert reply == text("address_found", "en", place="Dwarsbergweg") + "\n\n" + text(
        "ask_photos", "en", max=5)
    tracking = await file_it(wa, phone)
    ticket = (await fetch_all(
        db, "select assigned_team_id, address, extensions.st_y(location::extensions.geometry)"
            " as lat, extensions.st_x(location::extensions.geometry) as lon"
            " from public.tickets where tracking_number = %s", (tracking,)))[0]
    assert ticket["assigned_team_id"] == area_team
    assert ticket["address"] == "14 dwarsbergweg, by the school"
    assert ticket["lat"] == pytest.approx(-34.08) and 19.11 <= ticket["lon"] <= 19.13


async def test_an_unknown_address_asks_once_for_a_pin_then_is_taken_as_typed(
    wa: WhatsApp, db: AsyncConnection[Any], area_team: Any,
) -> None:
    phone = new_phone()
    await report_pothole(wa, phone)
    assert await wa.say(phone, "Behind the old mill") == text("address_not_found", "en")
    conv = await fetch_all(db, "select state, asked_for_pin from public.whatsapp_conversations"
                               " where phone = %s", (phone,))
    assert conv[0]["state"] == "location" and conv[0]["asked_for_pin"] is True
    assert await wa.say(phone, "Behind the old mill, near the river") == text(
        "ask_photos", "en", max=5)
    tracking = await file_it(wa, phone)
    ticket = (await fetch_all(db, "select assigned_team_id, address, location"
                                  " from public.tickets where tracking_number = %s",
                              (tracking,)))[0]
    assert ticket["address"] == "Behind the old mill, near the river"
    assert ticket["location"] is None and ticket["assigned_team_id"] != area_team
    conv = await fetch_all(db, "select asked_for_pin from public.whatsapp_conversations"
                               " where phone = %s", (phone,))
    assert conv[0]["asked_for_pin"] is False  # cleared with the draft


async def test_a_pin_after_the_request_is_used(
    wa: WhatsApp, db: AsyncConnection[Any], area_team: Any,
) -> None:
    phone = new_phone()
    await report_pothole(wa, phone)
    await wa.say(phone, "Behind the old mill")
    assert await wa.say(phone, "", Latitude="-34.07", Longitude="19.12") == text(
        "ask_photos", "en", max=5)
    tracking = await file_it(wa, phone)
    ticket = (await fetch_all(db, "select assigned_team_id from public.tickets"
                                  " where tracking_number = %s", (tracking,)))[0]
    assert ticket["assigned_team_id"] == area_team
