"""Bodies of the replies API."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    template_key: str = Field(min_length=2, max_length=64, pattern=r"^[a-z][a-z0-9_]+$",
                              description="A reply text of the message library (kind `reply`)")
    reply_key: UUID = Field(description="A fresh key per reply you mean: the same key again "
                                        "(a retry) queues nothing new")


class ReplyOut(BaseModel):
    id: int = Field(description="The queued message in the notification outbox")
    ticket_id: UUID
    template_key: str
    language: str = Field(description="The reporter's language the text is sent in")
    status: str
