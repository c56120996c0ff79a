"""SQL of the local Auth server, run as `supabase_auth_admin` (as Supabase Auth does).

Columns are set here, in code, exactly where the real Auth server sets them:
`auth.users` has no column defaults on Supabase.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid4

from psycopg import AsyncConnection

Row = dict[str, Any]
Conn = AsyncConnection[Any]
INSTANCE_ID = UUID(int=0)

USER_COLUMNS = """
  u.id, u.aud, u.role, u.email, u.encrypted_password, u.email_confirmed_at, u.invited_at,
  u.confirmation_sent_at, u.recovery_sent_at, u.phone, u.phone_confirmed_at, u.confirmed_at,
  u.last_sign_in_at, u.raw_app_meta_data, u.raw_user_meta_data, u.banned_until,
  u.created_at, u.updated_at, u.deleted_at, u.is_anonymous
"""


async def _one(conn: Conn, query: str, params: Any = None) -> Row | None:
    cur = await conn.execute(query, params)
    return await cur.fetchone()


async def user_by_id(conn: Conn, user_id: UUID) -> Row | None:
    return await _one(conn, f"select {USER_COLUMNS} from auth.users u where u.id = %s",
                      (user_id,))


async def user_by_email(conn: Conn, email: str) -> Row | None:
    return await _one(
        conn, f"select {USER_COLUMNS} from auth.users u"
        " where lower(u.email) = lower(%s) and u.is_sso_user = false", (email,))


async def user_by_phone(conn: Conn, phone: str) -> Row | None:
    return await _one(conn, f"select {USER_COLUMNS} from auth.users u where u.phone = %s",
                      (phone,))


async def insert_user(
    conn: Conn, *, email: str | None, phone: str | None, password_hash: str | None,
    app_metadata: dict[str, Any], user_metadata: dict[str, Any], email_confirmed: bool,
    phone_confirmed: bool, invited: bool,
) -> Row:
    user_id = uuid4()
    await conn.execute(
        """
        insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password,
          email_confirmed_at, phone_confirmed_at, invited_at, confirmation_sent_at,
          raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at,
          is_sso_user, is_anonymous)
        values (%(instance)s, %(id)s, 'authenticated', 'authenticated', %(email)s, %(phone)s,
          coalesce(%(hash)s, ''), case when %(ec)s then now() end,
          case when %(pc)s then now() end, case when %(inv)s then now() end,
          case when %(inv)s then now() end, %(app)s, %(user)s, false, now(), now(), false, false)
        """,
        {"instance": INSTANCE_ID, "id": user_id, "email": email, "phone": phone,
         "hash": password_hash, "ec": email_confirmed, "pc": phone_confirmed, "inv": invited,
         "app": json.dumps(app_metadata), "user": json.dumps(user_metadata)},
    )
    provider = "email" if email else "phone"
    identity = {"sub": str(user_id), "email_verified": email_confirmed,
                "phone_verified": phone_confirmed}
    if email:
        identity["email"] = email
    if phone:
        identity["phone"] = phone
    await conn.execute(
        """
        insert into auth.identities (provider_id, user_id, identity_data, provider,
                                     last_sign_in_at, created_at, updated_at, id)
        values (%s, %s, %s, %s, now(), now(), now(), %s)
        """,
        (str(user_id), user_id, json.dumps(identity), provider, uuid4()),
    )
    found = await user_by_id(conn, user_id)
    assert found is not None
    return found


async def identities(conn: Conn, user_id: UUID) -> list[Row]:
    cur = await conn.execute(
        "select id, user_id, identity_data, provider, provider_id, last_sign_in_at, created_at,"
        " updated_at, email from auth.identities where user_id = %s order by created_at",
        (user_id,))
    return await cur.fetchall()


async def update_user(conn: Conn, user_id: UUID, **fields: Any) -> Row | None:
    """Set the given columns (names are ours, never the caller's) and updated_at."""
    allowed = {"email", "phone", "encrypted_password", "email_confirmed_at",
               "phone_confirmed_at", "raw_app_meta_data", "raw_user_meta_data",
               "banned_until", "last_sign_in_at", "recovery_sent_at", "confirmation_sent_at",
               "invited_at"}
    assert set(fields) <= allowed, fields
    sets: list[str] = []
    params: dict[str, Any] = {"id": user_id}
    for name, value in fields.items():
        sets.append(f"{name} = %({name})s")
        params[name] = json.dumps(value) if name.startswith("raw_") else value
    await conn.execute(
        f"update auth.users set {', '.join([*sets, 'updated_at = now()'])} where id = %(id)s",
        params)
    return await user_by_id(conn, user_id)


async def delete_user(conn: Conn, user_id: UUID) -> bool:
    cur = await conn.execute("delete from auth.users where id = %s", (user_id,))
    return cur.rowcount > 0


async def list_users(conn: Conn, *, page: int, per_page: int) -> tuple[list[Row], int]:
    cur = await conn.execute(
        f"select {USER_COLUMNS} from auth.users u order by u.created_at, u.id"
        " limit %s offset %s", (per_page, (page - 1) * per_page))
    rows = await cur.fetchall()
    total = await _one(conn, "select count(*) as n from auth.users")
    return rows, int(total["n"]) if total else 0


# ---- sessions and refresh tokens -------------------------------------------

async def create_session(conn: Conn, *, user_id: UUID, ip: str | None,
                         user_agent: str | None) -> UUID:
    session_id = uuid4()
    await conn.execute(
        "insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)"
        " values (%s, %s, now(), now(), 'aal1', %s, %s)",
        (session_id, user_id, user_agent or None, ip or None))
    return session_id


async def session(conn: Conn, session_id: UUID) -> Row | None:
    return await _one(conn, "select id, user_id, created_at, not_after from auth.sessions"
                      " where id = %s", (session_id,))


async def insert_refresh_token(conn: Conn, *, token: str, user_id: UUID, session_id: UUID,
                               parent: str | None) -> None:
    await conn.execute(
        "insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at,"
        " updated_at, parent, session_id) values (%s, %s, %s, false, now(), now(), %s, %s)",
        (INSTANCE_ID, token, str(user_id), parent, session_id))


async def refresh_token_for_update(conn: Conn, token: str) -> Row | None:
    return await _one(
        conn, "select id, token, user_id, revoked, parent, session_id, updated_at"
        " from auth.refresh_tokens where token = %s for update", (token,))


async def child_token(conn: Conn, token: str) -> Row | None:
    return await _one(
        conn, "select token, revoked from auth.refresh_tokens where parent = %s"
        " order by id desc limit 1", (token,))


async def revoke_token(conn: Conn, token_id: int) -> None:
    await conn.execute("update auth.refresh_tokens set revoked = true, updated_at = now()"
                       " where id = %s", (token_id,))


async def touch_session(conn: Conn, session_id: UUID) -> None:
    await conn.execute("update auth.sessions set refreshed_at = now() at time zone 'utc',"
                       " updated_at = now() where id = %s", (session_id,))


async def delete_sessions(conn: Conn, *, user_id: UUID, only: UUID | None = None,
                          keep: UUID | None = None) -> None:
    """End one session (`only`), all but one (`keep`), or all of a user's sessions."""
    if only is not None:
        await conn.execute("delete from auth.sessions where id = %s and user_id = %s",
                           (only, user_id))
    elif keep is not None:
        await conn.execute("delete from auth.sessions where user_id = %s and id <> %s",
                           (user_id, keep))
    else:
        await conn.execute("delete from auth.sessions where user_id = %s", (user_id,))


# ---- one-time tokens (OTP, recovery, invite) -------------------------------

async def save_one_time_token(conn: Conn, *, user_id: UUID, token_type: str, token_hash: str,
                              relates_to: str) -> None:
    await conn.execute(
        """
        insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to,
                                          created_at, updated_at)
        values (%s, %s, %s, %s, %s, now(), now())
        on conflict (user_id, token_type) do update
          set token_hash = excluded.token_hash, relates_to = excluded.relates_to,
              created_at = now(), updated_at = now()
        """, (uuid4(), user_id, token_type, token_hash, relates_to))


async def one_time_token(conn: Conn, *, token_hash: str, token_types: tuple[str, ...]
                         ) -> Row | None:
    return await _one(
        conn, "select id, user_id, token_type, relates_to, created_at from auth.one_time_tokens"
        " where token_hash = %s and token_type = any(%s) for update",
        (token_hash, list(token_types)))


async def delete_one_time_token(conn: Conn, token_id: UUID) -> None:
    await conn.execute("delete from auth.one_time_tokens where id = %s", (token_id,))


async def audit(conn: Conn, *, action: str, actor: UUID | None, ip: str | None) -> None:
    """Auth's own audit trail (auth.audit_log_entries), as the Auth server keeps it."""
    await conn.execute(
        "insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address)"
        " values (%s, %s, %s, now(), %s)",
        (INSTANCE_ID, uuid4(), json.dumps({"action": action, "actor_id": str(actor or "")}),
         (ip or "")[:64]))


async def run_access_token_hook(conn: Conn, event: dict[str, Any]) -> Any:
    """The hook, called on Auth's own connection (as supabase_auth_admin), 2 s timeout."""
    await conn.execute("set local statement_timeout = '2s'")
    row = await _one(conn, "select public.custom_access_token_hook(%s::jsonb) as result",
                     (json.dumps(event),))
    assert row is not None
    return row["result"]
