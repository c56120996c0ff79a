"""Staff invitations: an admin invites through Auth (an email in the local mailbox), the
database decides who may be invited (never above one's own role, never oneself, only an
admin, only a team of the same municipality), retries are idempotent, all audited."""

from __future__ import annotations

import uuid

import httpx
import pytest
from psycopg import AsyncConnection

from app.authserver.settings import Mailbox
from app.config import Settings
from tests.support.tenants import Tenant, create_tenant


@pytest.fixture
async def town(database_url: str, settings: Settings) -> Tenant:
    return await create_tenant(database_url, settings.supabase_jwt_secret)


def newcomer() -> str:
    return f"newcomer.{uuid.uuid4().hex[:8]}@test.salga.example"


async def test_an_admin_invites_a_field_worker_into_a_team_and_the_email_goes_out(
    api: httpx.AsyncClient, town: Tenant, settings: Settings, owner: AsyncConnection
) -> None:
    team = await api.post("/api/v1/teams", json={"name": "Leak crew", "categories": ["water"]},
                          headers=town.auth("admin"))
    email = newcomer()
    body = {"email": email.upper(), "full_name": "Lindiwe Dube", "role": "field_worker",
            "team_id": team.json()["id"]}
    invited = await api.post("/api/v1/users", json=body, headers=town.auth("admin"))
    assert invited.status_code == 201, invited.text
    person = invited.json()
    assert person["email"] == email and person["role"] == "field_worker"
    (mail,) = Mailbox(settings.local_mail_dir).messages(to=email)
    assert "/auth/v1/verify" in mail["text"] and "dashboard" in mail["text"]

    staff = (await api.get("/api/v1/users", headers=town.auth("admin"))).json()
    (listed,) = [p for p in staff if p["id"] == person["user_id"]]
    assert listed["role"] == "field_worker" and listed["teams"] == ["Leak crew"]

    again = await api.post("/api/v1/users", json=body, headers=town.auth("admin"))
    assert again.status_code == 200 and again.json()["id"] == person["id"]
    assert len(Mailbox(settings.local_mail_dir).messages(to=email)) == 1
    other = await api.post("/api/v1/users", json={**body, "role": "manager"},
                           headers=town.auth("admin"))
    assert other.status_code == 409 and "email" in other.text

    cur = await owner.execute(
        "select actor_id, operation from public.audit_log where table_name = 'staff_invitations'"
        " and record_id = %s", (person["id"],))
    assert await cur.fetchall() == [{"actor_id": town.users["admin"], "operation": "INSERT"}]


async def test_only_admins_invite_and_never_themselves_nor_into_another_town(
    api: httpx.AsyncClient, town: Tenant, other_tenant: Tenant, settings: Settings
) -> None:
    for role in ("manager", "saps_liaison", "field_worker", "citizen"):
        refused = await api.post("/api/v1/users", json={
            "email": newcomer(), "full_name": "Someone", "role": "field_worker"},
            headers=town.auth(role))
        assert refused.status_code == 403, role
    myself = await api.post("/api/v1/users", json={
        "email": town.emails["admin"], "full_name": "Me Again", "role": "admin"},
        headers=town.auth("admin"))
    assert myself.status_code == 403
    theirs = await api.post("/api/v1/teams", json={"name": "Their crew", "categories": ["roads"]},
                            headers=other_tenant.auth("admin"))
    email = newcomer()
    crossed = await api.post("/api/v1/users", json={
        "email": email, "full_name": "Someone", "role": "field_worker",
        "team_id": theirs.json()["id"]}, headers=town.auth("admin"))
    assert crossed.status_code == 403
    assert Mailbox(settings.local_mail_dir).messages(to=email) == []
    taken = await api.post("/api/v1/users", json={
        "email": other_tenant.emails["manager"], "full_name": "Taken", "role": "manager"},
        headers=town.auth("admin"))
    assert taken.status_code == 409 and "email" in taken.text


@pytest.mark.parametrize("body, field", [
    ({"email": "not an email", "full_name": "X Y", "role": "manager"}, "email"),
    ({"email": "a@b.example", "full_name": "X Y", "role": "citizen"}, "role"),
    ({"email": "a@b.example", "full_name": "X Y", "role": "king"}, "role"),
    ({"email": "a@b.example", "full_name": "", "role": "manager"}, "full_name"),
    ({"email": "a@b.example", "full_name": "X Y", "role": "manager", "x": 1}, "x"),
])
async def test_a_bad_invitation_names_its_field(api: httpx.AsyncClient, town: Tenant,
                                                body: dict[str, object], field: str) -> None:
    answer = await api.post("/api/v1/users", json=body, headers=town.auth("admin"))
    assert answer.status_code == 422 and field in answer.text
