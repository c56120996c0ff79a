"""Storage errors in the shape Supabase Storage sends them.

Supabase's server answers every handled error with HTTP 400 (500 stays 500)
and a body `{"statusCode": "<real status>", "error": ..., "message": ...}`;
supabase-js and storage3 read `statusCode`, `error` and `message` from it.
"""

from __future__ import annotations

from fastapi.responses import JSONResponse


class StorageError(Exception):
    """A Storage failure a caller can act on; `status` is the real HTTP meaning."""

    def __init__(self, status: int, error: str, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.code = code or error

    def body(self) -> dict[str, str]:
        return {"statusCode": str(self.status), "code": self.code, "error": self.error,
                "message": self.message}

    def response(self) -> JSONResponse:
        # 507 (the disk is full) keeps its own status: a client should not retry at once.
        code = self.status if self.status == 507 else 500 if self.status >= 500 else 400
        return JSONResponse(self.body(), status_code=code)


def not_found() -> StorageError:
    return StorageError(404, "not_found", "Object not found", code="NoSuchKey")


def no_bucket() -> StorageError:
    return StorageError(404, "Bucket not found", "Bucket not found", code="NoSuchBucket")


def duplicate() -> StorageError:
    return StorageError(409, "Duplicate", "The resource already exists", code="KeyAlreadyExists")


def access_denied(message: str) -> StorageError:
    return StorageError(403, "Unauthorized", message, code="AccessDenied")


def invalid_jwt(message: str) -> StorageError:
    return StorageError(400, "InvalidJWT", message, code="InvalidJWT")


def too_large(limit: int) -> StorageError:
    return StorageError(413, "Payload too large",
                        f"The object exceeded the maximum allowed size of {limit} bytes",
                        code="EntityTooLarge")


def bad_mime(mime: str) -> StorageError:
    return StorageError(415, "invalid_mime_type", f"mime type {mime} is not supported",
                        code="InvalidMimeType")


def invalid(message: str) -> StorageError:
    return StorageError(400, "InvalidRequest", message, code="InvalidRequest")
