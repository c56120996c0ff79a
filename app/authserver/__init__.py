"""The local Supabase Auth (served under /auth/v1 in local mode)."""

from __future__ import annotations

from app import dbadmin
from app.authserver.service import AuthServer
from app.authserver.service import build as build_server
from app.authserver.settings import load
from app.config import Settings


def build(settings: Settings) -> AuthServer:
    """The Auth server for this app: its pool connects as supabase_auth_admin."""
    url = settings.auth_database_url or dbadmin.with_user(
        settings.database_url, "supabase_auth_admin")
    config = load(sign_in_limit=settings.auth_sign_in_limit,
                  verify_limit=settings.auth_verify_limit, sms_limit=settings.auth_sms_limit)
    return build_server(auth_database_url=url, config=config, secret=settings.supabase_jwt_secret,
                        public_url=settings.public_base_url, mail_dir=settings.local_mail_dir)
