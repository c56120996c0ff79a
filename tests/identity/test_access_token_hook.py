"""The custom access token hook puts tenant and role into app_metadata."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from app.identity import repository
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


async def test_hook_adds_tenant_and_role(db: AsyncConnection[Any], tenant: Tenant) -> None:
    result = await repository.run_access_token_hook(db, event_for(tenant.users["manager"]))
    meta = result["claims"]["app_metadata"]
    assert meta == {"provider": "email", "tenant_id": str(tenant.id), "role": "manager"}
    assert result["claims"]["role"] == "authenticated"  # the Postgres role is untouched


async def test_hook_replaces_forged_app_metadata(db: AsyncConnection[Any], tenant: Tenant) -> None:
    forged = {"tenant_id": "00000000-0000-0000-0000-000000000000", "role": "admin"}
    result = await repository.run_access_token_hook(
        db, event_for(tenant.users["citizen"], forged))
    meta = result["claims"]["app_metadata"]
    assert meta["tenant_id"] == str(tenant.id)
    assert meta["role"] == "citizen"


async def test_user_without_profile_gets_no_tenant(db: AsyncConnection[Any]) -> None:
    forged = {"tenant_id": "00000000-0000-0000-0000-000000000000", "role": "admin"}
    result = await repository.run_access_token_hook(
        db, event_for("99999999-9999-4999-8999-999999999999", forged))
    assert result["claims"]["app_metadata"] == {}


async def test_inactive_profile_is_refused(db: AsyncConnection[Any], tenant: Tenant) -> None:
    await db.execute("update public.profiles set is_active = false where id = %s",
                     (tenant.users["field_worker"],))
    result = await repository.run_access_token_hook(db, event_for(tenant.users["field_worker"]))
    assert result["error"]["http_code"] == 403


@pytest.mark.parametrize("role", ["anon", "authenticated"])
async def test_api_roles_cannot_call_the_hook(db: AsyncConnection[Any], role: str) -> None:
    await act_as(db, {"role": role})
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await db.execute("select public.custom_access_token_hook(%s::jsonb)",
                         (json.dumps(event_for("x")),))
