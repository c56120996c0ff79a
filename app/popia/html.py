"""The access bundle as a page a person can read (and print to PDF from a browser)."""

from __future__ import annotations

from html import escape
from typing import Any

TITLES = {
    "profile": "Your details", "reports": "Your reports", "media": "Your photos and documents",
    "messages_sent": "Messages we sent you", "whatsapp_messages": "Our WhatsApp replies",
    "consents": "Your consents and the notices you saw",
    "data_requests": "Your requests about your information",
    "accessed_by": "Who worked with your information",
    "withheld": "What is not in this bundle, and why",
}


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return _table([value])
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return _table(value)
        return escape(", ".join(str(v) for v in value)) or "—"
    return escape("" if value is None else str(value)) or "—"


def _table(rows: list[dict[str, Any]]) -> str:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_value(row.get(c))}</td>" for c in columns) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_bundle(bundle: dict[str, Any]) -> str:
    sections = []
    for key, title in TITLES.items():
        value = bundle.get(key)
        shown = _value(value) if value else "<p>Nothing.</p>"
        sections.append(f"<section><h2>{escape(title)}</h2>{shown}</section>")
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Your information</title><style>body{font-family:sans-serif;margin:2rem}"
        "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;"
        "padding:.25rem .5rem;text-align:left;vertical-align:top;white-space:pre-wrap}"
        "</style></head><body>"
        "<h1>The information your municipality holds about you</h1>"
        f"<p>Prepared {escape(str(bundle.get('generated_at', '')))} under "
        f"{escape(str(bundle.get('legal_basis', '')))}.</p>"
        + "".join(sections) + "</body></html>")
