"""People are created only through Auth: the local Auth server in local mode, the
project's Auth admin API (service key) when SUPABASE_URL is set. Never by
inserting rows: on Supabase, auth.users has no defaults and service_role no access.

The Auth server works in its own transaction (as on Supabase), committed before
the caller's; calling again for the same email or phone returns the same person.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import httpx
from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row

from app.authserver import admin, repository, sessions
from app.authserver.errors import AuthError
from app.authserver.service import AuthServer, normalise_phone, password_grant
from app.authserver.settings import Mailbox, RateLimiter, load
from app.config import get_settings

Conn = AsyncConnection[Any]


FORGET_INVITE = {"salga_invite": None}  # Auth deletes app_metadata keys set to null
TAKEN = ("email_exists", "phone_exists")  # Auth's codes for an email or phone in use


class PersonError(ValueError):
    """Auth refused to create or sign in a person; the message says why."""


# The app's own local Auth server, by (event loop, database): a person created while
# the app serves reuses its warm supabase_auth_admin connections instead of opening
# a cold one each time (a new backend costs more than the person's rows).
_RUNNING: dict[tuple[int, str, str, str], AuthServer] = {}


def _where(dsn: str) -> tuple[int, str, str, str]:
    info = conninfo_to_dict(dsn)
    return (id(asyncio.get_running_loop()), str(info.get("host", "")),
            str(info.get("port", "")), str(info.get("dbname", "")))


def serve_people_with(server: AuthServer) -> Callable[[], None]:
    """Create people through `server`'s pool while it is open; returns the undo."""
    assert server.pool is not None and isinstance(server.pool.conninfo, str)
    key = _where(server.pool.conninfo)
    _RUNNING[key] = server

    def forget() -> None:
        _RUNNING.pop(key, None)
    return forget


@asynccontextmanager
async def local_auth(conn: Conn, *, secret: str | None = None
                     ) -> AsyncIterator[tuple[Conn, AuthServer]]:
    """The local Auth server on the same database as `conn`, connected as
    supabase_auth_admin, in one transaction committed on success."""
    settings = get_settings()
    running = _RUNNING.get(_where(conn.info.dsn))
    server = AuthServer(pool=None, config=running.config if running else load(),
                        secret=secret or settings.supabase_jwt_secret,
                        public_url=settings.public_base_url,
                        mailbox=Mailbox(settings.local_mail_dir), limiter=RateLimiter())
    async with _auth_connection(conn, running) as auth_conn:
        try:
            async with auth_conn.transaction():
                # Never wait forever on locks the caller's own transaction holds.
                await auth_conn.execute("set local lock_timeout = '10s'")
                yield auth_conn, server
        except AuthError as exc:
            raise PersonError(exc.msg) from exc


@asynccontextmanager
async def _auth_connection(conn: Conn, running: AuthServer | None) -> AsyncIterator[Conn]:
    """A connection as supabase_auth_admin: the running server's, or a new one."""
    if running is not None and running.pool is not None:
        async with running.pool.connection() as pooled:
            yield pooled
        return
    info = make_conninfo(conn.info.dsn, user="supabase_auth_admin",
                         password=conn.info.password or "")
    async with await AsyncConnection.connect(info, row_factory=dict_row) as fresh:
        yield fresh


def invite_metadata(*, municipality: str | None, tenant_id: UUID | str | None,
                    role: str) -> dict[str, Any]:
    """What the profile trigger reads once (app_metadata: only the service key sets it)."""
    invite: dict[str, Any] = {"role": role}
    if municipality:
        invite["municipality"] = municipality
    if tenant_id:
        invite["municipality_id"] = str(tenant_id)
    return {"salga_invite": invite}


async def create_person(
    conn: Conn, *, email: str | None = None, phone: str | None = None,
    password: str | None = None, municipality: str | None = None,
    tenant_id: UUID | str | None = None, role: str = "citizen", full_name: str | None = None,
    language: str = "en", invite: bool = False, redirect_to: str | None = None,
) -> UUID:
    """The person's auth user id, created through Auth if they do not exist yet."""
    if not email and not phone:
        raise PersonError("a person needs an email or a phone number")
    app_metadata = invite_metadata(municipality=municipality, tenant_id=tenant_id, role=role)
    user_metadata = {k: v for k, v in (("full_name", full_name), ("language", language)) if v}
    body = {"email": email, "phone": phone, "password": password, "email_confirm": not invite,
            "phone_confirm": True, "user_metadata": user_metadata,
            "app_metadata": app_metadata, "redirect_to": redirect_to}
    if get_settings().local_mode:
        return await _create_locally(conn, body, invite=invite)
    return await _create_remotely(body, invite=invite)


async def _create_locally(conn: Conn, body: dict[str, Any], *, invite: bool) -> UUID:
    async with local_auth(conn) as (auth_conn, server):
        # As on Supabase, where /invite cannot set app_metadata: create the user with
        # the role the profile trigger reads, then invite that (unconfirmed) user.
        # Auth refuses a taken email or phone before it writes anything: then the
        # person exists already (as the remote path finds them).
        try:
            user = await admin.create_user(
                auth_conn, server, email=body["email"], phone=body["phone"],
                password=body["password"], email_confirm=body["email_confirm"],
                phone_confirm=body["phone_confirm"], user_metadata=body["user_metadata"],
                app_metadata=body["app_metadata"], ban_duration=None)
        except AuthError as exc:
            existing = await _existing(auth_conn, email=body["email"], phone=body["phone"])
            if exc.error_code not in TAKEN or existing is None:
                raise
            await _add_missing_email(auth_conn, server, existing, body)
            return existing
        if invite and body["email"]:
            await admin.invite(auth_conn, server, email=body["email"],
                               data=body["user_metadata"], redirect_to=body["redirect_to"])
        # The profile trigger has read the invitation: it does not stay in tokens.
        await repository.update_user(auth_conn, UUID(user["id"]), raw_app_meta_data=admin.merged(
            user["app_metadata"], FORGET_INVITE))
        return UUID(user["id"])


async def _existing(auth_conn: Conn, *, email: str | None, phone: str | None) -> UUID | None:
    row = await repository.user_by_email(auth_conn, email) if email else None
    if row is None and phone:
        row = await repository.user_by_phone(auth_conn, normalise_phone(phone) or "")
    return UUID(str(row["id"])) if row else None


async def _add_missing_email(auth_conn: Conn, server: AuthServer, user_id: UUID,
                             body: dict[str, Any]) -> None:
    """Someone known by phone only (e.g. from WhatsApp) is now also given an
    email by an operator: the same person, so the email joins their account."""
    user = await repository.user_by_id(auth_conn, user_id)
    if body["email"] and user is not None and not user["email"]:
        await admin.update_user(auth_conn, server, user_id=user_id, changes={
            "email": body["email"], "email_confirm": body["email_confirm"]})


def _admin_client() -> httpx.AsyncClient:
    settings = get_settings()
    key = settings.supabase_service_role_key
    return httpx.AsyncClient(base_url=f"{settings.supabase_url.rstrip('/')}/auth/v1",
                             headers={"apikey": key, "Authorization": f"Bearer {key}"},
                             timeout=15)


async def _create_remotely(body: dict[str, Any], *, invite: bool) -> UUID:
    async with _admin_client() as client:
        # /invite cannot set app_metadata (the role): create the user with it first,
        # unconfirmed, then invite them — Auth invites an existing unconfirmed user.
        response = await client.post("/admin/users", json={
            k: v for k, v in body.items() if v is not None and k != "redirect_to"})
        if response.status_code == 422 and response.json().get("error_code") in (
                "email_exists", "phone_exists", "user_already_exists"):
            found = await _find_remotely(client, email=body["email"], phone=body["phone"])
            if found is not None:
                return found
        if response.status_code >= 400:
            raise PersonError(f"Auth refused the person: {response.text[:200]}")
        user_id = UUID(response.json()["id"])
        if invite and body["email"]:
            sent = await client.post("/invite", json={"email": body["email"],
                                                      "data": body["user_metadata"]},
                                     params={"redirect_to": body["redirect_to"]}
                                     if body["redirect_to"] else None)
            if sent.status_code >= 400:
                raise PersonError(f"Auth refused the invitation: {sent.text[:200]}")
        # The profile trigger has read the invitation: it does not stay in tokens.
        await client.put(f"/admin/users/{user_id}", json={"app_metadata": FORGET_INVITE})
        return user_id


async def _find_remotely(client: httpx.AsyncClient, *, email: str | None,
                         phone: str | None) -> UUID | None:
    digits = normalise_phone(phone) if phone else None
    page = 1
    while True:
        response = await client.get("/admin/users", params={"page": page, "per_page": 1000})
        users = response.json().get("users", []) if response.status_code == 200 else []
        for user in users:
            if (email and (user.get("email") or "").lower() == email.lower()) or (
                    digits and user.get("phone") == digits):
                return UUID(user["id"])
        if len(users) < 1000:
            return None
        page += 1


async def sign_in_with_password(conn: Conn, *, email: str, password: str,
                                secret: str | None = None) -> dict[str, Any]:
    """A session from the local Auth server's password sign-in (local mode only)."""
    async with local_auth(conn, secret=secret) as (auth_conn, server):
        return await password_grant(auth_conn, server, email=email, phone=None,
                                    password=password, ip=None, user_agent="salga")


async def new_session(conn: Conn, *, email: str, secret: str | None = None,
                      issuer: str | None = None, lifetime: int | None = None) -> dict[str, Any]:
    """A session for a person, as the local Auth server would open one (operators only)."""
    async with local_auth(conn, secret=secret) as (auth_conn, server):
        user = await repository.user_by_email(auth_conn, email)
        if user is None:
            raise PersonError(f"no user with email {email!r}")
        args = server.session_args() | {k: v for k, v in (("issuer", issuer),
                                                            ("lifetime", lifetime)) if v}
        return await sessions.issue(auth_conn, user, method="password", ip=None,
                                    user_agent="salga token", **args)
