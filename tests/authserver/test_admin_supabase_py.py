"""supabase-py's auth.admin against the local Auth server, and the rows it writes:
the columns the real Auth server sets (auth.users has no defaults on Supabase)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row
from supabase_auth.errors import AuthApiError

from app.authserver.settings import Mailbox
from app.config import Settings
from supabase import ClientOptions, create_client
from tests.authserver.conftest import PASSWORD, new_email, new_phone
from tests.support.server import LiveServer
from tests.support.tenants import Tenant


def admin_client(live_server: LiveServer, key: str) -> Any:
    options = ClientOptions(auto_refresh_token=False, persist_session=False)
    return create_client(live_server.base_url, key, options=options).auth.admin


def auth_rows(database_url: str, user_id: str) -> dict[str, Any]:
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        user = conn.execute("select * from auth.users where id = %s", (user_id,)).fetchone()
        identities = conn.execute("select * from auth.identities where user_id = %s",
                                  (user_id,)).fetchall()
        profile = conn.execute("select * from public.profiles where id = %s",
                               (user_id,)).fetchone()
    return {"user": user, "identities": identities, "profile": profile}


def test_create_update_ban_list_and_delete_through_supabase_py(
    live_server: LiveServer, settings: Settings, database_url: str, tenant: Tenant,
) -> None:
    admin = admin_client(live_server, settings.supabase_service_role_key)
    email = new_email("staff")
    created = admin.create_user({
        "email": email, "password": PASSWORD, "email_confirm": True,
        "user_metadata": {"full_name": "Zanele Staff"},
        "app_metadata": {"salga_invite": {"municipality": tenant.code, "role": "manager"}},
    }).user
    rows = auth_rows(database_url, created.id)
    user = rows["user"]
    assert str(user["instance_id"]) == "00000000-0000-0000-0000-000000000000"
    assert user["aud"] == "authenticated" and user["role"] == "authenticated"
    assert user["encrypted_password"].startswith("$2")  # bcrypt, as Auth
    assert user["created_at"] and user["updated_at"] and user["email_confirmed_at"]
    assert user["raw_app_meta_data"]["provider"] == "email"
    assert user["raw_app_meta_data"]["providers"] == ["email"]
    assert [i["provider"] for i in rows["identities"]] == ["email"]
    # The profile trigger placed the person where the admin said, with that role.
    assert rows["profile"]["tenant_id"] == tenant.id and rows["profile"]["role"] == "manager"

    updated = admin.update_user_by_id(created.id, {"ban_duration": "1h",
                                                   "user_metadata": {"language": "zu"}}).user
    assert updated.banned_until is not None
    assert updated.user_metadata == {"full_name": "Zanele Staff", "language": "zu"}
    listed = admin.list_users(page=1, per_page=1000)
    assert created.id in {u.id for u in listed}
    assert admin.get_user_by_id(created.id).user.email == email
    admin.delete_user(created.id)
    assert auth_rows(database_url, created.id)["user"] is None
    assert auth_rows(database_url, created.id)["profile"] is None


def test_invitations_land_in_the_local_mailbox(
    live_server: LiveServer, settings: Settings,
) -> None:
    admin = admin_client(live_server, settings.supabase_service_role_key)
    email = new_email("invited")
    invited = admin.invite_user_by_email(email).user
    assert invited.invited_at is not None and invited.email_confirmed_at is None
    (mail,) = Mailbox(settings.local_mail_dir).messages(to=email)
    assert "/auth/v1/verify?token=" in mail["text"] and "type=invite" in mail["text"]


def test_only_the_service_key_reaches_the_admin_api(
    live_server: LiveServer, settings: Settings, tenant: Tenant,
) -> None:
    for key in (settings.supabase_anon_key, tenant.tokens["admin"]):
        with pytest.raises(AuthApiError) as caught:
            admin_client(live_server, key).create_user({"email": new_email(), "password": PASSWORD})
        assert caught.value.status == 403


def test_phone_people_are_stored_as_auth_stores_them(
    live_server: LiveServer, settings: Settings, database_url: str,
) -> None:
    admin = admin_client(live_server, settings.supabase_service_role_key)
    phone = new_phone()
    created = admin.create_user({"phone": phone, "phone_confirm": True}).user
    assert created.phone == phone.removeprefix("+")
    rows = auth_rows(database_url, created.id)
    assert rows["user"]["phone"] == phone.removeprefix("+") and rows["user"]["phone_confirmed_at"]
    assert rows["user"]["encrypted_password"] == ""
    assert [i["provider"] for i in rows["identities"]] == ["phone"]
    assert rows["profile"] is None  # no municipality named: no profile, no role
