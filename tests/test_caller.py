"""The typed caller: built once from a verified token, with the role helpers services use."""

from __future__ import annotations

import time
import uuid

import httpx
import jwt
import pytest

from app.auth import Caller
from app.config import Settings
from app.errors import Forbidden
from tests.support.tenants import Tenant


def caller(role: str | None, tenant: str | None = None) -> Caller:
    meta = {k: v for k, v in (("role", role), ("tenant_id", tenant)) if v}
    return Caller.from_claims({"sub": str(uuid.uuid4()), "app_metadata": meta})


@pytest.mark.parametrize(("role", "sensitive", "staff", "assigns", "filter_"), [
    ("citizen", False, False, False, False),
    ("field_worker", False, True, False, False),
    ("manager", False, True, True, False),
    ("saps_liaison", True, True, True, True),
    ("admin", True, True, True, None),
])
def test_role_helpers(role: str, sensitive: bool, staff: bool, assigns: bool,
                      filter_: bool | None) -> None:
    who = caller(role, str(uuid.uuid4()))
    assert (who.sees_sensitive, who.is_staff, who.may_assign, who.sensitivity_filter) == (
        sensitive, staff, assigns, filter_)


def test_an_unknown_role_grants_nothing() -> None:
    who = caller("superuser", str(uuid.uuid4()))
    assert who.role is None and not who.is_staff and not who.sees_sensitive


def test_an_account_without_a_municipality_is_refused_where_one_is_needed() -> None:
    with pytest.raises(Forbidden):
        caller("citizen").municipality()


async def test_a_token_from_another_issuer_is_401(
    api: httpx.AsyncClient, tenant: Tenant, settings: Settings
) -> None:
    claims = {**tenant.claims["admin"], "iss": "https://attacker.example/auth/v1",
              "exp": int(time.time()) + 60}
    token = jwt.encode(claims, settings.supabase_jwt_secret, algorithm="HS256")
    response = await api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "issuer" in response.json()["detail"]


async def test_a_token_whose_subject_is_not_a_user_id_is_401(
    api: httpx.AsyncClient, tenant: Tenant, settings: Settings
) -> None:
    claims = {**tenant.claims["manager"], "sub": "not-a-uuid"}
    token = jwt.encode(claims, settings.supabase_jwt_secret, algorithm="HS256")
    response = await api.get("/api/v1/tickets", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
