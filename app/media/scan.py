"""The post-upload check: the bytes must really be an allowed type; images lose EXIF/GPS."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from app.storage import mime

STRIPPABLE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class Verdict:
    reason: str | None  # None = clean
    cleaned: bytes | None = None  # replacement bytes without metadata, when changed


def check(data: bytes, *, declared: str | None, allowed: list[str] | None) -> Verdict:
    actual = mime.sniff(data)
    if actual is None:
        return Verdict("This file is not a photo, video, voice note or PDF we accept.")
    if not mime.allowed(actual, allowed):
        return Verdict(f"Files of type {actual} are not accepted here.")
    if declared and mime.base_type(declared) != actual:
        return Verdict(f"The file says it is {mime.base_type(declared)} but it is {actual}.")
    if actual in STRIPPABLE:
        return strip_metadata(data, actual)
    return Verdict(None)


def strip_metadata(data: bytes, actual: str) -> Verdict:
    """Re-save an image without EXIF (GPS, camera, owner) when it carries any."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        return Verdict("The image is damaged and cannot be opened.")
    if not image.getexif() and "exif" not in image.info:
        return Verdict(None)
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P" and image.getpalette():
        clean.putpalette(image.getpalette() or [])
    out = io.BytesIO()
    options = {"quality": 95} if actual == "image/jpeg" else {}
    clean.save(out, format=STRIPPABLE[actual], **options)
    return Verdict(None, out.getvalue())
