"""People are created only through Auth (app/identity/people.py): the profile
trigger places them, repeated calls return the same person, invitations go out
by email, and nothing is ever inserted into auth.users by us."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.authserver.settings import Mailbox
from app.config import Settings
from app.identity import people
from app.identity import service as identity
from app.main import create_app
from tests.support.tenants import Tenant


async def rows(database_url: str, user_id: Any) -> dict[str, Any]:
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        cur = await conn.execute(
            "select u.email, u.phone, u.aud, u.email_confirmed_at, u.invited_at,"
            " i.provider, p.tenant_id, p.role, p.preferred_language from auth.users u"
            " join auth.identities i on i.user_id = u.id"
            " left join public.profiles p on p.id = u.id where u.id = %s", (user_id,))
        found = await cur.fetchall()
    assert len(found) == 1, found
    return dict(found[0])


async def test_a_whatsapp_citizen_is_created_through_auth_into_their_municipality(
    database_url: str, tenant: Tenant
) -> None:
    phone = f"+2786{uuid.uuid4().int % 10**7:07d}"
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        first = await people.create_person(conn, phone=phone, tenant_id=tenant.id,
                                           language="zu")
        again = await people.create_person(conn, phone=phone, tenant_id=tenant.id)
    assert first == again
    row = await rows(database_url, first)
    assert row["phone"] == phone.removeprefix("+") and row["provider"] == "phone"
    assert row["aud"] == "authenticated"
    assert (row["tenant_id"], row["role"], row["preferred_language"]) == (tenant.id, "citizen",
                                                                          "zu")
    # Later an operator gives the same person an email: it joins their account.
    email = f"known.{uuid.uuid4().hex[:8]}@test.salga.example"
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        same = await people.create_person(conn, email=email, phone=phone,
                                          password=uuid.uuid4().hex)
        assert same == first
        assert await people.create_person(conn, email=email) == first


async def test_staff_without_a_password_are_invited_by_email(
    database_url: str, tenant: Tenant, settings: Settings
) -> None:
    email = f"invitee.{uuid.uuid4().hex[:8]}@test.salga.example"
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn, \
            conn.transaction():
        user_id = await identity.add_user(conn, email=email, role="field_worker",
                                          municipality_code=tenant.code)
    row = await rows(database_url, user_id)
    assert row["invited_at"] is not None and row["email_confirmed_at"] is None
    assert (row["tenant_id"], row["role"]) == (tenant.id, "field_worker")
    (mail,) = Mailbox(settings.local_mail_dir).messages(to=email)
    assert mail["subject"] == "You have been invited" and "type=invite" in mail["text"]


async def test_the_api_roles_cannot_create_people_in_the_database(
    db: AsyncConnection[Any],
) -> None:
    await db.execute("set local role service_role")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await db.execute("insert into auth.users (id, email) values (gen_random_uuid(), 'x@y.z')")


async def test_the_mailbox_page_is_for_development_only(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    page = await api.get("/auth/v1/mailbox")
    assert page.status_code == 200 and "Local mailbox" in page.text
    production = create_app(settings.model_copy(update={"environment": "production"}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=production),
                                 base_url="http://app") as client:
        for path in ("/auth/v1/mailbox", "/auth/v1/mailbox.json"):
            assert (await client.get(path)).status_code == 404


async def test_while_the_app_serves_people_are_created_on_its_auth_connections(
    database_url: str, settings: Settings, tenant: Tenant
) -> None:
    """A webhook creating a citizen reuses the app's warm Auth connections (opening a
    database connection per person costs more than the person); outside the app, or
    once it stops, a connection of its own."""
    app = create_app(settings)
    pool = app.state.authserver.pool
    async with app.router.lifespan_context(app), await AsyncConnection.connect(
            database_url, row_factory=dict_row) as conn:
        served_before = pool.get_stats().get("requests_num", 0)
        for _ in range(3):
            await people.create_person(conn, phone=f"+2786{uuid.uuid4().int % 10**7:07d}",
                                       tenant_id=tenant.id)
        assert pool.get_stats().get("requests_num", 0) - served_before == 3
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        alone = await people.create_person(conn, phone=f"+2786{uuid.uuid4().int % 10**7:07d}",
                                           tenant_id=tenant.id)
    assert (await rows(database_url, alone))["tenant_id"] == tenant.id
