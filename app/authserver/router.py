"""`/auth/v1`: the local Supabase Auth (local mode only), for supabase-js and supabase-py."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, ValidationError

from app.auth import TokenError, TokenVerifier, bearer_token, client_ip
from app.authserver import admin, codes, schemas, service, sessions
from app.authserver.errors import AuthError, not_authorized
from app.authserver.repository import Conn
from app.authserver.service import AuthServer

router = APIRouter(prefix="/auth/v1", tags=["auth (local)"])
B = TypeVar("B", bound=BaseModel)


def server_of(request: Request) -> AuthServer:
    found: AuthServer = request.app.state.authserver
    return found


async def auth_transaction(request: Request) -> AsyncIterator[Conn]:
    """One transaction on Auth's own connection (as supabase_auth_admin)."""
    pool = server_of(request).pool
    assert pool is not None
    async with pool.connection() as conn:
        try:
            yield conn
        except AuthError as exc:
            await (conn.commit() if exc.keep else conn.rollback())
            raise
        except BaseException:
            await conn.rollback()
            raise
        else:
            await conn.commit()


DB = Annotated[Conn, Depends(auth_transaction, scope="function")]
Server = Annotated[AuthServer, Depends(server_of)]


def _claims(request: Request, *, admin_only: bool = False) -> dict[str, Any]:
    verifier: TokenVerifier = request.app.state.verifier
    try:
        claims = verifier.decode(bearer_token(request), allow_api_keys=admin_only)
    except (TokenError, Exception) as exc:
        raise AuthError(403 if admin_only else 401, "bad_jwt",
                        f"invalid JWT: {exc}" if isinstance(exc, TokenError)
                        else "This endpoint requires a valid Bearer token") from exc
    if admin_only and claims.get("role") != "service_role":
        raise AuthError(403, "not_admin", "User not allowed")
    return claims


def user_claims(request: Request) -> dict[str, Any]:
    if not request.headers.get("authorization"):
        raise not_authorized()
    return _claims(request)


def admin_claims(request: Request) -> dict[str, Any]:
    return _claims(request, admin_only=True)


Claims = Annotated[dict[str, Any], Depends(user_claims)]
AdminOnly = Annotated[dict[str, Any], Depends(admin_claims)]


def _ctx(request: Request) -> dict[str, Any]:
    return {"ip": client_ip(request), "user_agent": request.headers.get("user-agent", "")[:512]}


@router.get("/health")
async def health() -> dict[str, str]:
    return {"version": "local", "name": "GoTrue", "description": "SALGA local Auth"}


@router.get("/settings")
async def settings(server: Server) -> dict[str, Any]:
    return {"external": {"email": True, "phone": True}, "disable_signup":
            not server.config.enable_signup, "mailer_autoconfirm":
            not server.config.email_confirmations, "phone_autoconfirm": False,
            "sms_provider": "local", "saml_enabled": False}


@router.post("/signup")
async def signup(body: schemas.SignUp, request: Request, db: DB, server: Server) -> Any:
    return await service.sign_up(db, server, email=body.email, phone=body.phone,
                                 password=body.password, data=body.data, **_ctx(request))


@router.post("/token")
async def token(request: Request, db: DB, server: Server,
                grant_type: Annotated[str, Query(max_length=32)]) -> Any:
    payload = await _json(request)
    if grant_type == "password":
        grant = _validated(schemas.PasswordGrant, payload)
        return await service.password_grant(db, server, email=grant.email, phone=grant.phone,
                                            password=grant.password, **_ctx(request))
    if grant_type == "refresh_token":
        refresh = _validated(schemas.RefreshGrant, payload)
        return await sessions.refresh(db, refresh.refresh_token,
                                      reuse_interval=server.config.refresh_reuse_interval,
                                      **server.session_args())
    raise AuthError(400, "unsupported_grant_type", "unsupported_grant_type")


def _validated(model: type[B], payload: dict[str, Any]) -> B:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise AuthError(400, "validation_failed", f"{field}: {first['msg']}") from exc


async def _json(request: Request) -> dict[str, Any]:
    try:
        payload = await request.json()
    except ValueError as exc:
        raise AuthError(400, "bad_json", "Could not parse request body as JSON") from exc
    if not isinstance(payload, dict):
        raise AuthError(400, "bad_json", "Request body must be a JSON object")
    return payload


@router.post("/otp")
async def otp(body: schemas.Otp, request: Request, db: DB, server: Server) -> Any:
    return await codes.send_otp(db, server, phone=body.phone, email=body.email,
                                  create_user=body.create_user, data=body.data,
                                  ip=client_ip(request))


@router.post("/verify")
async def verify(body: schemas.Verify, request: Request, db: DB, server: Server) -> Any:
    return await codes.verify(db, server, kind=body.type, token=body.token, phone=body.phone,
                                email=body.email, token_hash=body.token_hash, **_ctx(request))


@router.get("/verify")
async def verify_link(request: Request, db: DB, server: Server,
                      token: Annotated[str, Query(max_length=255)],
                      type: Annotated[str, Query(max_length=32)],
                      redirect_to: Annotated[str | None, Query(max_length=2000)] = None) -> Any:
    """A link from an email: on to `redirect_to` with the session in the fragment."""
    # Only to the site or to this server's own origin (never an open redirect).
    own = str(request.base_url).rstrip("/")
    allowed = (server.config.site_url.rstrip("/") + "/", own + "/")
    target = redirect_to if redirect_to and (redirect_to + "/").startswith(allowed) \
        else server.config.site_url
    try:
        session = await codes.verify(db, server, kind=type, token=None, token_hash=token,
                                       **_ctx(request))
    except AuthError as exc:
        fragment = urlencode({"error": "access_denied", "error_code": exc.error_code,
                              "error_description": exc.msg})
        return RedirectResponse(f"{target}#{fragment}", status_code=303)
    fragment = urlencode({k: session[k] for k in ("access_token", "expires_at", "expires_in",
                                                  "refresh_token", "token_type")} | {"type": type})
    return RedirectResponse(f"{target}#{fragment}", status_code=303)


@router.post("/recover")
async def recover(body: schemas.Recover, request: Request, db: DB, server: Server,
                  redirect_to: Annotated[str | None, Query(max_length=2000)] = None) -> Any:
    return await codes.recover(db, server, email=body.email, redirect_to=redirect_to,
                                 ip=client_ip(request))


@router.get("/user")
async def get_user(claims: Claims, db: DB) -> Any:
    return await service.get_user(db, claims=claims)


@router.put("/user")
async def put_user(body: schemas.UserUpdate, claims: Claims, db: DB, server: Server) -> Any:
    return await service.update_user(db, server, claims=claims, password=body.password,
                                     data=body.data)


@router.post("/logout", status_code=204)
async def logout(claims: Claims, db: DB,
                 scope: Annotated[str, Query(max_length=16)] = "global") -> Response:
    await service.logout(db, claims=claims, scope=scope)
    return Response(status_code=204)


# ---- admin (service key) ----------------------------------------------------

@router.post("/invite")
async def invite(body: schemas.Invite, _: AdminOnly, db: DB, server: Server,
                 redirect_to: Annotated[str | None, Query(max_length=2000)] = None) -> Any:
    return await admin.invite(db, server, email=body.email, data=body.data,
                              redirect_to=redirect_to)


@router.get("/admin/users")
async def list_users(_: AdminOnly, db: DB, page: Annotated[int, Query(ge=1)] = 1,
                     per_page: Annotated[int, Query(ge=1, le=1000)] = 50) -> Any:
    body, total = await admin.list_users(db, page=page, per_page=per_page)
    return JSONResponse(body, headers={"x-total-count": str(total)})


@router.post("/admin/users")
async def create_user(body: schemas.AdminUser, _: AdminOnly, db: DB, server: Server) -> Any:
    return await admin.create_user(
        db, server, email=body.email, phone=body.phone, password=body.password,
        email_confirm=body.email_confirm, phone_confirm=body.phone_confirm,
        user_metadata=body.user_metadata, app_metadata=body.app_metadata,
        ban_duration=body.ban_duration)


@router.get("/admin/users/{user_id}")
async def admin_get_user(user_id: UUID, _: AdminOnly, db: DB) -> Any:
    return await admin.get_user(db, user_id=user_id)


@router.put("/admin/users/{user_id}")
async def admin_update_user(user_id: UUID, body: schemas.AdminUserUpdate, _: AdminOnly,
                            db: DB, server: Server) -> Any:
    return await admin.update_user(db, server, user_id=user_id,
                                   changes=body.model_dump(exclude_unset=True))


@router.delete("/admin/users/{user_id}")
async def admin_delete_user(user_id: UUID, _: AdminOnly, db: DB) -> Any:
    return await admin.delete_user(db, user_id=user_id)


# ---- the local mailbox (development only) -----------------------------------

@router.get("/mailbox", response_class=HTMLResponse, include_in_schema=False)
async def mailbox(request: Request, server: Server,
                  to: Annotated[str | None, Query(max_length=255)] = None) -> HTMLResponse:
    """Mail and SMS the local Auth server sent, newest first (development only)."""
    _development_only(request)
    items = "".join(
        f"<article><h2>{html.escape(m['subject'])}</h2><p>to {html.escape(m['to'])} · "
        f"{html.escape(m['sent_at'])}</p><pre>{html.escape(m['text'])}</pre></article>"
        for m in server.mailbox.messages(to=to))
    return HTMLResponse("<!doctype html><meta charset=utf-8><title>Local mailbox</title>"
                        f"<h1>Local mailbox</h1>{items or '<p>No messages.</p>'}")


@router.get("/mailbox.json", include_in_schema=False)
async def mailbox_json(request: Request, server: Server,
                       to: Annotated[str | None, Query(max_length=255)] = None
                       ) -> list[dict[str, Any]]:
    _development_only(request)
    return server.mailbox.messages(to=to)


def _development_only(request: Request) -> None:
    if not request.app.state.settings.is_development:
        raise AuthError(404, "not_found", "Not found")


def install(app: FastAPI) -> None:
    async def handle(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AuthError)
        return exc.response()

    app.add_exception_handler(AuthError, handle)
