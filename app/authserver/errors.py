"""Auth errors in the shape Supabase Auth sends them: `{code, error_code, msg}`."""

from __future__ import annotations

from fastapi.responses import JSONResponse


class AuthError(Exception):
    """A refusal a client can act on. `keep` = the transaction's writes stand
    (e.g. a session ended because a refresh token was reused)."""

    def __init__(self, status: int, error_code: str, msg: str, *, keep: bool = False) -> None:
        super().__init__(msg)
        self.status = status
        self.error_code = error_code
        self.msg = msg
        self.keep = keep

    def response(self) -> JSONResponse:
        return JSONResponse({"code": self.status, "error_code": self.error_code,
                             "msg": self.msg}, status_code=self.status)


def invalid_credentials() -> AuthError:
    return AuthError(400, "invalid_credentials", "Invalid login credentials")


def validation(msg: str) -> AuthError:
    return AuthError(400, "validation_failed", msg)


def not_authorized(msg: str = "This endpoint requires a valid Bearer token") -> AuthError:
    return AuthError(401, "no_authorization", msg)


def forbidden(msg: str = "User not allowed") -> AuthError:
    return AuthError(403, "not_admin", msg)


def rate_limited(error_code: str, msg: str) -> AuthError:
    return AuthError(429, error_code, msg)
