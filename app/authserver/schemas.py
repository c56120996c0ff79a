"""Request bodies of the Auth API, as supabase-js and supabase-py send them.

Unknown fields (captcha tokens, PKCE challenges, channel) are ignored, as
Auth ignores what it does not use locally.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @field_validator("data", "user_metadata", "app_metadata", mode="before", check_fields=False)
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        """Clients send `null` for "no metadata"."""
        return {} if value is None else value


Metadata = dict[str, Any]


class SignUp(Body):
    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    password: str | None = Field(default=None, max_length=1000)
    data: Metadata = Field(default_factory=dict)


class PasswordGrant(Body):
    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    password: str | None = Field(default=None, max_length=1000)


class RefreshGrant(Body):
    refresh_token: str = Field(min_length=1, max_length=255)


class Otp(Body):
    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    create_user: bool = True
    data: Metadata = Field(default_factory=dict)


class Verify(Body):
    type: str = Field(max_length=32)
    token: str | None = Field(default=None, max_length=255)
    token_hash: str | None = Field(default=None, max_length=255)
    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=32)


class Recover(Body):
    email: str | None = Field(default=None, max_length=255)


class UserUpdate(Body):
    password: str | None = Field(default=None, max_length=1000)
    data: Metadata | None = None


class AdminUser(Body):
    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    password: str | None = Field(default=None, max_length=1000)
    email_confirm: bool = False
    phone_confirm: bool = False
    user_metadata: Metadata = Field(default_factory=dict)
    app_metadata: Metadata = Field(default_factory=dict)
    ban_duration: str | None = Field(default=None, max_length=64)


class AdminUserUpdate(Body):
    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    password: str | None = Field(default=None, max_length=1000)
    email_confirm: bool | None = None
    phone_confirm: bool | None = None
    user_metadata: Metadata | None = None
    app_metadata: Metadata | None = None
    ban_duration: str | None = Field(default=None, max_length=64)


class Invite(Body):
    email: str | None = Field(default=None, max_length=255)
    data: Metadata = Field(default_factory=dict)
