"""The words every domain shares: row and connection types, roles, categories,
languages and statuses. Defined once here; the database's check constraints
hold the same lists (migrations 0002 and 0004). Languages are the exception:
they are rows of `public.languages` (migration 0015), so only the shape of a
code is known here and the database's foreign keys say which exist."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from psycopg import AsyncConnection
from pydantic import StringConstraints

Row = dict[str, Any]
Conn = AsyncConnection[Any]

Role = Literal["citizen", "field_worker", "manager", "admin", "saps_liaison"]
ROLES: tuple[Role, ...] = get_args(Role)
STAFF_ROLES: frozenset[str] = frozenset({"field_worker", "manager", "admin", "saps_liaison"})
# Who may ever see a sensitive (GBV) report: its municipality's liaisons and admins.
SENSITIVE_ROLES: frozenset[str] = frozenset({"saps_liaison", "admin"})
ASSIGNING_ROLES: frozenset[str] = frozenset({"manager", "admin", "saps_liaison"})

Category = Literal["water", "electricity", "roads", "waste", "sanitation", "gbv", "other"]
CATEGORIES: tuple[Category, ...] = get_args(Category)
SENSITIVE_CATEGORY: Category = "gbv"

# A language code ("en", "xh"); which ones exist is data (public.languages).
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]

Status = Literal["open", "in_progress", "escalated", "resolved", "closed"]
STATUSES: tuple[Status, ...] = get_args(Status)
SlaStatus = Literal["on_track", "warning", "breached_response", "breached_resolution"]

PROVINCES = ("EC", "FS", "GP", "KZN", "LP", "MP", "NC", "NW", "WC")
