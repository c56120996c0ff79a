"""Bucket MIME allow-lists and sniffing what bytes really are."""

from __future__ import annotations

MAGIC: list[tuple[bytes, int, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"%PDF-", 0, "application/pdf"),
    (b"OggS", 0, "audio/ogg"),
    (b"ID3", 0, "audio/mpeg"),
    (b"\xff\xfb", 0, "audio/mpeg"),
    (b"\xff\xf3", 0, "audio/mpeg"),
    (b"\xff\xf2", 0, "audio/mpeg"),
    (b"#!AMR", 0, "audio/amr"),
    (b"\xff\xf1", 0, "audio/aac"),
    (b"\xff\xf9", 0, "audio/aac"),
]
# ISO media brands that are not plain MP4 video.
BRANDS = {b"3gp4": "video/3gpp", b"3gp5": "video/3gpp", b"3gp6": "video/3gpp",
          b"3g2a": "video/3gpp", b"M4A ": "audio/mp4"}


def base_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def allowed(content_type: str, allow_list: list[str] | None) -> bool:
    """Supabase's rule: no list allows all; `image/*` matches any image type."""
    if not allow_list:
        return True
    mime = base_type(content_type)
    for pattern in allow_list:
        pattern = pattern.lower()
        if pattern == mime or (pattern.endswith("/*") and mime.startswith(pattern[:-1])):
            return True
    return False


def sniff(data: bytes) -> str | None:
    """The type the bytes themselves say they are, or None when unrecognised."""
    for magic, offset, mime in MAGIC:
        if data[offset:offset + len(magic)] == magic:
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in {b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"}:
            return "image/heic"
        return BRANDS.get(brand, "video/mp4")
    return None


def extension_for(content_type: str) -> str:
    return {
        "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic",
        "video/mp4": "mp4", "video/3gpp": "3gp", "audio/ogg": "ogg", "audio/amr": "amr",
        "audio/aac": "aac", "audio/mp4": "m4a", "audio/mpeg": "mp3", "application/pdf": "pdf",
    }.get(base_type(content_type), "bin")
