"""Files a citizen sends during a report: photos, voice notes, videos, documents.

Each file is queued with the kind Twilio declared (the worker checks the bytes
agree and applies WhatsApp's size limit for that kind). Only images are photos
and use up the photo allowance; voice notes, videos and documents are kept as
evidence beside them, up to the same number. Files of other kinds are refused
at once, politely.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.media import kinds
from app.whatsapp import repository as repo

if TYPE_CHECKING:
    from app.whatsapp.conversation import Context


@dataclass
class Queued:
    photos: int = 0  # photos now waiting for the draft (all messages)
    new_photos: int = 0  # of this message
    new_other: int = 0  # voice notes, videos, documents of this message
    refused: int = 0  # of a kind we do not keep
    over: int = 0  # beyond the allowance

    @property
    def kept_other(self) -> bool:
        return self.new_other > 0


async def queue(ctx: Context) -> Queued:
    """Queue this message's files; what happened to them."""
    conv_id, msg, most = ctx.conv["id"], ctx.msg, ctx.settings.max_photos
    done = Queued(photos=await repo.waiting_media_count(ctx.conn, conv_id))
    other = await repo.waiting_media_count(ctx.conn, conv_id, photos=False)
    for index, url in enumerate(msg.media_urls):
        declared = msg.media_types[index] if index < len(msg.media_types) else ""
        kind = kinds.kind_of(declared)
        if kind is None:
            done.refused += 1
            continue
        if (done.photos if kind == "image" else other) >= most:
            done.over += 1
            continue
        await repo.queue_media(ctx.conn, tenant_id=ctx.municipality["id"],
                               conversation_id=conv_id, message_sid=msg.message_sid,
                               index=index, url=url, kind=kind, declared=declared)
        if kind == "image":
            done.photos += 1
            done.new_photos += 1
        else:
            other += 1
            done.new_other += 1
    return done
