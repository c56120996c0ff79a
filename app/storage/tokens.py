"""Signed URL tokens: JWTs signed with the project's JWT secret, as Supabase Storage does."""

from __future__ import annotations

import time
from typing import Any

import jwt

from app.storage import errors


def sign_download(secret: str, *, bucket: str, path: str, expires_in: int) -> str:
    now = int(time.time())
    return jwt.encode({"url": f"{bucket}/{path}", "iat": now, "exp": now + expires_in},
                      secret, algorithm="HS256")


def sign_upload(secret: str, *, bucket: str, path: str, owner: str | None, upsert: bool,
                expires_in: int) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {"url": f"{bucket}/{path}", "upsert": upsert, "iat": now,
                              "exp": now + expires_in}
    if owner:
        claims["owner"] = owner
    return jwt.encode(claims, secret, algorithm="HS256")


def verify(secret: str, token: str, *, bucket: str, path: str) -> dict[str, Any]:
    """The token's claims when it is valid for exactly this object; StorageError otherwise."""
    try:
        claims: dict[str, Any] = jwt.decode(token, secret, algorithms=["HS256"],
                                            options={"require": ["exp", "url"]})
    except jwt.ExpiredSignatureError as exc:
        raise errors.invalid_jwt("jwt expired") from exc
    except jwt.PyJWTError as exc:
        raise errors.invalid_jwt("invalid signature") from exc
    if claims.get("url") != f"{bucket}/{path}":
        raise errors.invalid_jwt("The url do not match the signature")
    return claims
