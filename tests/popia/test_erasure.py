"""Erasure leaves no trace: after it, a search of every text and jsonb column of every
table in the database finds none of the person's name, phone number, email or address,
while the audit trail is still all there, append-only, and the reports remain as
de-identified statistics."""

from __future__ import annotations

import httpx
from psycopg import AsyncConnection, sql
from psycopg.rows import dict_row

from app.config import Settings
from tests.dashboard.support import ARTIFACTS
from tests.open311.conftest import Open311, quick_key
from tests.popia.conftest import Citizen, new_citizen, one
from tests.support.tenants import Tenant, acknowledge_notice
from tests.test_cli import salga
from tests.whatsapp.conftest import WhatsApp

SEARCHED_TYPES = ("text", "character varying", "character", "json", "jsonb", "ARRAY",
                  "USER-DEFINED", "inet")
SKIPPED_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


async def whole_database_search(database_url: str, needles: list[str]) -> list[str]:
    """Every (table.column, needle) where a needle appears, in any schema."""
    found: list[str] = []
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        cur = await conn.execute(
            "select c.table_schema, c.table_name, c.column_name from information_schema.columns c"
            " join information_schema.tables t using (table_schema, table_name)"
            " where t.table_type = 'BASE TABLE' and c.table_schema <> all(%s)"
            "   and c.data_type = any(%s)", (list(SKIPPED_SCHEMAS), list(SEARCHED_TYPES)))
        columns = await cur.fetchall()
        assert len(columns) > 100
        for col in columns:
            query = sql.SQL("select count(*) as n from {}.{} where {}::text ilike any(%s)").format(
                sql.Identifier(col["table_schema"]), sql.Identifier(col["table_name"]),
                sql.Identifier(col["column_name"]))
            patterns = [f"%{n}%" for n in needles]
            row = await (await conn.execute(query, (patterns,))).fetchone()
            if row and row["n"]:
                found.append(f"{col['table_schema']}.{col['table_name']}.{col['column_name']}")
        await conn.rollback()
    return found


async def leave_traces(api: httpx.AsyncClient, wa: WhatsApp, town: Tenant,
                       me: Citizen, database_url: str) -> str:
    """A web report, a WhatsApp report from the same phone, a status update sent to them."""
    async with await AsyncConnection.connect(database_url) as conn:
        await acknowledge_notice(conn, me.id, town.id)
        await conn.commit()
    web = await api.post("/api/v1/reports", headers=me.auth, json={
        "category": "roads", "description": f"Pothole outside the house of {me.name}",
        "address": "17 Erasure Lane, Ward 9"})
    assert web.status_code == 201, web.text
    for body in ("hi", "1", "1", "1", "Streetlight at 17 Erasure Lane is off"):
        await wa.say(me.phone, body)
    await wa.say(me.phone, "", Latitude="-26.2041", Longitude="28.0473",
                 Address="17 Erasure Lane, Ward 9")
    assert "17 Erasure Lane" in await wa.say(me.phone, "1")  # the summary
    assert "Erasure" not in await wa.say(me.phone, "1")  # filed
    moved = await api.patch(f"/api/v1/tickets/{web.json()['id']}/status",
                           headers=town.auth("manager"), json={"status": "in_progress"})
    assert moved.status_code in (200, 201), moved.text
    return str(web.json()["id"])


async def test_erasing_a_person_leaves_zero_matches_in_a_whole_database_search(
    api: httpx.AsyncClient, town: Tenant, town_wa: WhatsApp, database_url: str,
    settings: Settings,
) -> None:
    me = await new_citizen(database_url, settings.supabase_jwt_secret, town)
    ticket_id = await leave_traces(api, town_wa, town, me, database_url)
    needles = [me.phone, me.phone.removeprefix("+27"), me.email, me.name, "17 Erasure Lane"]
    assert len(await whole_database_search(database_url, needles)) >= 5

    bundle = (await api.get("/api/v1/me/export", headers=me.auth)).json()
    assert bundle["profile"]["email"] == me.email and len(bundle["reports"]) == 2
    assert {"person": f"Manager {town.code}", "role": "manager"}.items() <= next(
        a for a in bundle["accessed_by"] if a["role"] == "manager").items()
    page = await api.get("/api/v1/me/export.html", headers=me.auth)
    assert "Who worked with your information" in page.text and f"Manager {town.code}" in page.text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "my-data-export.html").write_text(page.text, encoding="utf-8")

    asked = await town_wa.say(me.phone, "delete my data")
    assert "DSR-" in asked
    audit_before = await one(database_url, "select count(*) as n from public.audit_log")
    queue = (await api.get("/api/v1/data-requests", headers=town.auth("admin"))).json()
    request = next(r for r in queue if r["user_id"] == str(me.id) and r["kind"] == "deletion")
    assert request["channel"] == "whatsapp"
    done = await api.post(f"/api/v1/data-requests/{request['id']}/complete",
                          headers=town.auth("admin"), json={"outcome": "deleted"})
    assert done.status_code == 200, done.text
    assert done.json()["user_id"] is None and done.json()["outcome"] == "deleted"

    assert await whole_database_search(database_url, needles) == []
    audit_after = await one(database_url, "select count(*) as n from public.audit_log")
    assert audit_after["n"] > audit_before["n"]  # erasure is audited; nothing was removed
    ticket = await one(database_url, "select reporter_id, address, description, category,"
                       " deidentified_at from public.tickets where id = %s", (ticket_id,))
    assert ticket["reporter_id"] is None and ticket["address"] is None
    assert ticket["category"] == "roads" and ticket["deidentified_at"] is not None
    sealed = await one(database_url, "select new_values ->> 'address' as v from public.audit_log"
                       " where table_name = 'tickets' and record_id = %s"
                       " and operation = 'INSERT'", (ticket_id,))
    assert sealed["v"].startswith("pii:")
    gone = await one(database_url, "select private.reveal_personal(%s) as v", (sealed["v"],))
    assert gone["v"] is None  # the key is destroyed: the entry can never be read again
    assert (await api.get("/api/v1/me/export", headers=me.auth)).status_code in (401, 404)


async def test_salga_person_erase_by_phone(
    town: Tenant, database_url: str, settings: Settings
) -> None:
    me = await new_citizen(database_url, settings.supabase_jwt_secret, town)
    staff = salga(database_url, "person", "erase", "--email", town.emails["manager"])
    assert staff.returncode == 1 and "no citizen" in staff.stderr
    done = salga(database_url, "person", "erase", "--phone", me.phone)
    assert done.returncode == 0, done.stderr
    assert f"erased {me.id}" in done.stdout
    assert await whole_database_search(database_url, [me.phone, me.email, me.name]) == []


async def test_what_an_open311_client_sent_about_a_person_is_sealed_and_goes_with_them(
    api: httpx.AsyncClient, town: Tenant, database_url: str, settings: Settings
) -> None:
    me = await new_citizen(database_url, settings.supabase_jwt_secret, town)
    key = await quick_key(database_url, town.code, "A neighbourhood app")
    local_phone = "0" + me.phone.removeprefix("+27")  # as a resident types it: 082 …
    sent = await Open311(api, town.code).post(
        "requests", api_key=key, service_code="water", address_string="Main Road",
        description="Hydrant leaking", phone=local_phone, email=me.email.upper(),
        first_name=me.name)
    assert sent[0] == 201, sent
    stored = await one(database_url, "select s.id, a.new_values -> 'contact' as audited"
                       " from public.open311_submissions s join public.audit_log a"
                       " on a.table_name = 'open311_submissions' and a.record_id = s.id::text"
                       " where s.contact ->> 'phone' = %s", (local_phone,))
    assert str(stored["audited"]).startswith("pii:")  # never in clear in the audit trail
    assert len(await whole_database_search(database_url, [local_phone, me.name])) >= 1

    done = salga(database_url, "person", "erase", "--phone", me.phone)
    assert done.returncode == 0, done.stderr
    assert await whole_database_search(
        database_url, [me.phone, local_phone, me.email, me.name]) == []
