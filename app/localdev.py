"""Secrets for local development, generated once into `.local/secrets.env`."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import jwt
from cryptography.fernet import Fernet

from app.config import LOCAL_SECRETS

TEN_YEARS = 10 * 365 * 24 * 3600


def api_key(secret: str, role: str) -> str:
    """A Supabase-style API key: a long-lived JWT carrying only a role."""
    now = int(time.time())
    claims = {"iss": "supabase-demo", "role": role, "iat": now, "exp": now + TEN_YEARS}
    return jwt.encode(claims, secret, algorithm="HS256")


def generate() -> dict[str, str]:
    jwt_secret = secrets.token_urlsafe(48)
    return {
        "SUPABASE_JWT_SECRET": jwt_secret,
        "SUPABASE_ANON_KEY": api_key(jwt_secret, "anon"),
        "SUPABASE_SERVICE_ROLE_KEY": api_key(jwt_secret, "service_role"),
        "ENCRYPTION_KEY_CURRENT": Fernet.generate_key().decode(),
        "TWILIO_ACCOUNT_SID": "AC" + secrets.token_hex(16),
        "TWILIO_AUTH_TOKEN": secrets.token_hex(16),
    }


def ensure_local_secrets(path: Path = LOCAL_SECRETS) -> bool:
    """Write the secrets file if it is missing; True when it was written."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "# Generated for local development only. Never commit.\n" + "".join(
        f"{key}={value}\n" for key, value in generate().items()
    )
    path.write_text(body, encoding="utf-8")
    path.chmod(0o600)
    return True
