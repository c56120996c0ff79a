"""The request id: taken from `X-Request-ID` when it is sane, otherwise made here.

It travels in a context variable so log lines carry it, and into every
database transaction the request opens (`app.request_id`, see
`app.telemetry.dbconn`), where the audit trigger's row picks it up: a log
line and an audit entry of the same request name the same id.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

HEADER = "x-request-id"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_current: ContextVar[str | None] = ContextVar("salga_request_id", default=None)


def current() -> str | None:
    """The id of the request this code runs for, if any."""
    return _current.get()


def new_id(offered: str | None = None) -> str:
    """Keep a caller's id when it is a plain token (a proxy's); otherwise a fresh one."""
    if offered and _SANE.match(offered):
        return offered
    return uuid.uuid4().hex


def bind(request_id: str | None) -> object:
    """Make `request_id` current; returns the token `unbind` needs."""
    return _current.set(request_id)


def unbind(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
