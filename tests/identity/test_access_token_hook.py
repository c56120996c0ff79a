"""The custom access token hook puts tenant and role into app_metadata.

Called as Auth calls it: on Auth's own connection, as supabase_auth_admin."""

from __future__ import annotations

import json
import uuid
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.authserver import repository
from app.identity import service as identity
from tests.support.db import act_as
from tests.support.tenants import Tenant


def event_for(user_id: Any, app_metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "user_id": str(user_id),
        "authentication_method": "password",
        "claims": {"sub": str(user_id), "aud": "authenticated", "role": "authenticated",
                   "exp": 1, "iat": 0, "email": "", "phone": "", "aal": "aal1",
                   "session_id": "s", "is_anonymous": False,
                   "app_metadata": app_metadata or {"provider": "email"}},
    }


async def test_hook_adds_tenant_and_role(auth_db: AsyncConnection[Any], tenant: Tenant) -> None:
    result = await repository.run_access_token_hook(auth_db, event_for(tenant.users["manager"]))
    meta = result["claims"]["app_metadata"]
    assert meta == {"provider": "email", "tenant_id": str(tenant.id), "role": "manager"}
    assert result["claims"]["role"] == "authenticated"  # the Postgres role is untouched


async def test_hook_replaces_forged_app_metadata(
    auth_db: AsyncConnection[Any], tenant: Tenant
) -> None:
    forged = {"tenant_id": "00000000-0000-0000-0000-000000000000", "role": "admin"}
    result = await repository.run_access_token_hook(
        auth_db, event_for(tenant.users["citizen"], forged))
    meta = result["claims"]["app_metadata"]
    assert meta["tenant_id"] == str(tenant.id)
    assert meta["role"] == "citizen"


async def test_user_without_profile_gets_no_tenant(auth_db: AsyncConnection[Any]) -> None:
    forged = {"tenant_id": "00000000-0000-0000-0000-000000000000", "role": "admin"}
    result = await repository.run_access_token_hook(
        auth_db, event_for("99999999-9999-4999-8999-999999999999", forged))
    assert result["claims"]["app_metadata"] == {}


async def test_inactive_profile_is_refused(
    auth_db: AsyncConnection[Any], database_url: str, tenant: Tenant
) -> None:
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as owner, \
            owner.transaction():
        user_id = await identity.add_user(
            owner, email=f"leaver.{uuid.uuid4().hex[:8]}@test.salga.example",
            role="field_worker", municipality_code=tenant.code, password=uuid.uuid4().hex)
        await owner.execute("update public.profiles set is_active = false where id = %s",
                            (user_id,))
    result = await repository.run_access_token_hook(auth_db, event_for(user_id))
    assert result["error"]["http_code"] == 403


async def test_postgres_cannot_become_the_auth_server(db: AsyncConnection[Any]) -> None:
    """Since 2025 postgres is not a member of supabase_auth_admin on Supabase."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await db.execute("set local role supabase_auth_admin")


@pytest.mark.parametrize("role", ["anon", "authenticated"])
async def test_api_roles_cannot_call_the_hook(db: AsyncConnection[Any], role: str) -> None:
    await act_as(db, {"role": role})
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await db.execute("select public.custom_access_token_hook(%s::jsonb)",
                         (json.dumps(event_for("x")),))
