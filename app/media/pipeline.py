"""The one media pipeline, for web uploads and WhatsApp photos alike.

The bytes decide the type (the declared Content-Type is not trusted); images
lose their EXIF/XMP (GPS, camera, owner) — orientation is applied first, so
the picture still stands the right way up.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from app.storage import mime

STRIPPABLE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"]


@dataclass(frozen=True)
class Verdict:
    reason: str | None  # None = clean
    cleaned: bytes | None = None  # replacement bytes without metadata, when changed
    content_type: str | None = None  # what the bytes really are, when recognised

    @property
    def clean(self) -> bool:
        return self.reason is None


def check(data: bytes, *, declared: str | None, allowed: list[str] | None) -> Verdict:
    """Is this file what it says, of a type we take here? Images come back without metadata."""
    actual = mime.sniff(data)
    if actual is None:
        return Verdict("This file is not a photo, video, voice note or PDF we accept.")
    if not mime.allowed(actual, allowed):
        return Verdict(f"Files of type {actual} are not accepted here.", content_type=actual)
    if declared and mime.base_type(declared) != actual:
        return Verdict(f"The file says it is {mime.base_type(declared)} but it is {actual}.",
                       content_type=actual)
    if actual in STRIPPABLE:
        return strip_metadata(data, actual)
    return Verdict(None, content_type=actual)


def has_metadata(image: Image.Image) -> bool:
    keys = ("exif", "xmp", "XML:com.adobe.xmp")
    return bool(image.getexif()) or any(key in image.info for key in keys)


def strip_metadata(data: bytes, actual: str) -> Verdict:
    """Re-save an image without EXIF/XMP when it carries any (orientation applied first)."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        return Verdict("The image is damaged and cannot be opened.", content_type=actual)
    if not has_metadata(image):
        return Verdict(None, content_type=actual)
    upright = ImageOps.exif_transpose(image) or image
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    if upright.mode == "P" and upright.getpalette():
        clean.putpalette(upright.getpalette() or [])
    out = io.BytesIO()
    options = {"quality": 95} if actual == "image/jpeg" else {}
    clean.save(out, format=STRIPPABLE[actual], **options)
    return Verdict(None, out.getvalue(), content_type=actual)
