"""What Open311 clients send, validated; errors name the field."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.errors import Invalid
from app.vocab import CATEGORIES, SENSITIVE_CATEGORY

SERVICE_CODES = tuple(c for c in CATEGORIES if c != SENSITIVE_CATEGORY)
MAX_WINDOW = timedelta(days=90)
MAX_DEPTH = 100_000

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: dict[str, Any]) -> M:
    """The model, or Invalid naming the first field that is wrong."""
    try:
        return model.model_validate({k: v for k, v in data.items() if v not in ("", None)})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "request"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise Invalid(f"{field}: {message}") from exc


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("must include a timezone (Z or an offset)")
    return value


def _known_service(value: str | None) -> str | None:
    if value is not None and value not in SERVICE_CODES:
        raise ValueError("is not a service of this jurisdiction")
    return value


class _Base(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    jurisdiction_id: str = Field(min_length=2, max_length=8)


class _Keyed(_Base):
    api_key: str = Field(min_length=8, max_length=200)


class RequestIn(_Keyed):
    """POST requests: a service, a place (lat + long, or an address), a description."""

    service_code: str
    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    address_string: str | None = Field(default=None, min_length=3, max_length=500)
    description: str = Field(min_length=1, max_length=4000)
    media_url: str | None = Field(default=None, max_length=2000, pattern=r"^https?://\S+$")
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=30, pattern=r"^\+?[0-9 ()-]{6,30}$")
    device_id: str | None = Field(default=None, max_length=100)
    account_id: str | None = Field(default=None, max_length=100)

    _known = field_validator("service_code")(_known_service)

    @model_validator(mode="after")
    def _where(self) -> RequestIn:
        if (self.lat is None) != (self.long is None):
            raise ValueError("give both lat and long, or neither")
        if self.lat is None and not self.address_string:
            raise ValueError("give a location: lat and long, or address_string")
        return self

    def fingerprint(self) -> str:
        """What identifies a retry of this request: service, place and text."""
        asked = json.dumps([self.service_code, self.lat, self.long, self.address_string,
                            self.description, self.media_url, self.contact()])
        return hashlib.sha256(asked.encode()).hexdigest()

    def contact(self) -> dict[str, str]:
        fields = ("email", "first_name", "last_name", "phone", "device_id", "account_id")
        return {f: getattr(self, f) for f in fields if getattr(self, f)}


class RequestsQuery(_Base):
    """GET requests: filters, at most 90 days apart, newest first, in pages."""

    service_request_id: str | None = Field(default=None, max_length=4000)
    service_code: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    status: str | None = Field(default=None, max_length=20)
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=1000, ge=1, le=1000)

    _dates = field_validator("start_date", "end_date")(_aware)

    _known = field_validator("service_code")(_known_service)

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if not set(value.split(",")) <= {"open", "closed"}:
            raise ValueError("must be open, closed or open,closed")
        return value

    @model_validator(mode="after")
    def _window(self) -> RequestsQuery:
        if self.page * self.page_size > MAX_DEPTH:
            raise ValueError(f"pages reach back {MAX_DEPTH:,} requests at most;"
                             " narrow start_date/end_date instead")
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValueError("end_date is before start_date")
            if self.end_date - self.start_date > MAX_WINDOW:
                raise ValueError("start_date and end_date may be at most 90 days apart")
        elif self.start_date:
            self.end_date = self.start_date + MAX_WINDOW
        elif self.end_date:
            self.start_date = self.end_date - MAX_WINDOW
        return self

    def ids(self) -> list[UUID] | None:
        if not self.service_request_id:
            return None
        try:
            return [UUID(i.strip()) for i in self.service_request_id.split(",")][:1000]
        except ValueError as exc:
            raise Invalid("service_request_id: is not one of our request ids") from exc

    def is_open(self) -> bool | None:
        return None if not self.status or "," in self.status else self.status == "open"


class UpdatesQuery(_Base):
    """GET servicerequestupdates (mySociety): a time window, at most 90 days."""

    start_date: datetime | None = None
    end_date: datetime | None = None

    _dates = field_validator("start_date", "end_date")(_aware)

    @model_validator(mode="after")
    def _window(self) -> UpdatesQuery:
        if self.start_date and self.end_date and (
                self.end_date < self.start_date or self.end_date - self.start_date > MAX_WINDOW):
            raise ValueError("start_date and end_date must be in order, at most 90 days apart")
        return self


UPDATE_STATUSES = {"open", "closed", "fixed", "in_progress", "investigating",
                   "action_scheduled", "not_councils_responsibility", "no_further_action",
                   "duplicate", "internal_referral"}


class UpdateIn(_Keyed):
    """POST servicerequestupdates (mySociety): a client's update on a request it filed."""

    service_request_id: UUID
    update_id: str | None = Field(default=None, max_length=100)
    status: str = Field(max_length=40)
    description: str = Field(min_length=1, max_length=4000)
    updated_datetime: datetime | None = None
    media_url: str | None = Field(default=None, max_length=2000, pattern=r"^https?://\S+$")

    _when = field_validator("updated_datetime")(_aware)

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value.lower() not in UPDATE_STATUSES:
            raise ValueError("is not an update status (OPEN, CLOSED, FIXED, ...)")
        return value.lower()
