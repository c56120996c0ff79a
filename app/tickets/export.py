"""The ticket list as CSV, a page at a time, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

from app.vocab import Row

COLUMNS = ("tracking_number", "status", "category", "priority", "assigned_team_name",
           "assigned_to_name", "sla_status", "sla_response_deadline",
           "sla_resolution_deadline", "created_at", "updated_at", "address")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is quoted with a leading '."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def lines(rows: list[Row], *, header: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in COLUMNS])
    return out.getvalue()


async def csv_chunks(pages: AsyncIterator[list[Row]]) -> AsyncIterator[str]:
    """The header, then one chunk per page."""
    yield lines([], header=True)
    async for page in pages:
        yield lines(page)
