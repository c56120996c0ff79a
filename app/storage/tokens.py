"""Signed URL tokens: JWTs signed with the project's JWT secret, as Supabase Storage does."""

from __future__ import annotations

import time
from typing import Any

import jwt

from app.storage import errors

# A token says what it is for: an upload token never downloads, and a download
# token never uploads (and each names one bucket and one exact path).
DOWNLOAD, UPLOAD = "download", "upload"


def sign_download(secret: str, *, bucket: str, path: str, expires_in: int,
                  signer: str | None = None) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {"url": f"{bucket}/{path}", "kind": DOWNLOAD, "iat": now,
                              "exp": now + expires_in}
    if signer:
        claims["signer"] = signer
    return jwt.encode(claims, secret, algorithm="HS256")


def sign_upload(secret: str, *, bucket: str, path: str, owner: str | None, upsert: bool,
                expires_in: int) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {"url": f"{bucket}/{path}", "kind": UPLOAD, "upsert": upsert,
                              "iat": now, "exp": now + expires_in}
    if owner:
        claims["owner"] = owner
    return jwt.encode(claims, secret, algorithm="HS256")


def verify(secret: str, token: str, *, kind: str, bucket: str, path: str) -> dict[str, Any]:
    """The token's claims when it is a `kind` token for exactly this object; StorageError
    otherwise."""
    try:
        claims: dict[str, Any] = jwt.decode(token, secret, algorithms=["HS256"],
                                            options={"require": ["exp", "url", "kind"]})
    except jwt.ExpiredSignatureError as exc:
        raise errors.invalid_jwt("jwt expired") from exc
    except jwt.PyJWTError as exc:
        raise errors.invalid_jwt("invalid signature") from exc
    if claims.get("kind") != kind:
        raise errors.invalid_jwt(f"this token is not for {kind}s")
    if claims.get("url") != f"{bucket}/{path}":
        raise errors.invalid_jwt("The url do not match the signature")
    return claims
