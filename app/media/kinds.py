"""What kinds of file a WhatsApp message may carry, and WhatsApp's size limit for each.

Twilio says what a file is (MediaContentType); the worker then checks that the
bytes agree, through the one media pipeline. Only images are photos (cleaned of
EXIF/GPS); voice notes, videos and documents are kept as they came.
"""

from __future__ import annotations

from typing import Literal

from app.storage import mime

Kind = Literal["image", "audio", "video", "document"]
MB = 1024 * 1024

TYPES: dict[Kind, list[str]] = {
    "image": ["image/jpeg", "image/png", "image/webp"],
    "audio": ["audio/ogg", "audio/amr", "audio/mpeg", "audio/aac", "audio/mp4"],
    "video": ["video/mp4", "video/3gpp"],
    "document": ["application/pdf"],
}
# WhatsApp's own limits: a larger file never reaches a WhatsApp user either.
LIMITS: dict[Kind, int] = {"image": 5 * MB, "audio": 16 * MB, "video": 16 * MB,
                           "document": 100 * MB}


def kind_of(declared: str | None) -> Kind | None:
    """The kind of a file Twilio declared as `declared`; None for files we do not keep
    (stickers' animations, contacts, unknown types). An undeclared file is taken as a
    photo, as before kinds were known; the worker still checks its bytes."""
    base = mime.base_type(declared or "")
    if not base:
        return "image"
    for kind, types in TYPES.items():
        if base in types:
            return kind
    return None


def types_of(kind: str) -> list[str]:
    """The types a file of `kind` may really be (a photo's for an unknown kind)."""
    for known, types in TYPES.items():
        if known == kind:
            return types
    return TYPES["image"]


def limit_of(kind: str) -> int:
    """The size limit in bytes of a file of `kind` (a photo's for an unknown kind)."""
    for known, limit in LIMITS.items():
        if known == kind:
            return limit
    return LIMITS["image"]
