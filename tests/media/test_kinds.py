"""What a WhatsApp file is: the kind Twilio declares, the type its bytes show, and
WhatsApp's size limit for it."""

from __future__ import annotations

import pytest

from app.media import kinds
from app.media.whatsapp import Rejected, cleaned_media
from app.storage import mime


@pytest.mark.parametrize(("declared", "kind"), [
    ("image/jpeg", "image"), ("audio/ogg; codecs=opus", "audio"), ("audio/amr", "audio"),
    ("audio/mpeg", "audio"), ("video/mp4", "video"), ("video/3gpp", "video"),
    ("application/pdf", "document"), ("", "image"), ("text/vcard", None),
    ("image/gif", None), ("application/x-msdownload", None),
])
def test_the_declared_type_decides_the_kind_and_unknown_kinds_are_not_kept(
    declared: str, kind: str | None,
) -> None:
    assert kinds.kind_of(declared) == kind


def test_whatsapps_limits_per_kind() -> None:
    assert [kinds.limit_of(k) // kinds.MB for k in ("image", "audio", "video", "document")] == [
        5, 16, 16, 100]


@pytest.mark.parametrize(("data", "sniffed"), [
    (b"#!AMR\n" + bytes(20), "audio/amr"),
    (b"\x00\x00\x00\x18ftyp3gp4" + bytes(20), "video/3gpp"),
    (b"\x00\x00\x00\x18ftypM4A " + bytes(20), "audio/mp4"),
    (b"\x00\x00\x00\x18ftypisom" + bytes(20), "video/mp4"),
    (b"OggS" + bytes(20), "audio/ogg"),
])
def test_voice_notes_and_videos_are_recognised_by_their_bytes(data: bytes, sniffed: str) -> None:
    assert mime.sniff(data) == sniffed


def test_evidence_is_kept_as_it_came_and_must_be_of_its_declared_kind() -> None:
    voice = b"OggS" + bytes(50)
    assert cleaned_media(voice, "audio") == (voice, "audio/ogg")
    with pytest.raises(Rejected, match="not an allowed video type"):
        cleaned_media(voice, "video")
