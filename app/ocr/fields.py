"""Name, address and document date from a bill's text (English and Afrikaans)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "january": 1, "januarie": 1, "jan": 1, "february": 2, "februarie": 2, "feb": 2,
    "march": 3, "maart": 3, "mar": 3, "mrt": 3, "april": 4, "apr": 4, "may": 5, "mei": 5,
    "june": 6, "junie": 6, "jun": 6, "july": 7, "julie": 7, "jul": 7, "august": 8,
    "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oktober": 10, "oct": 10, "okt": 10, "november": 11, "nov": 11, "december": 12,
    "desember": 12, "dec": 12, "des": 12,
}
DATE_LABELS = r"(?:statement|invoice|bill|account|document|issue|issued|print)?\s*" \
              r"(?:date|datum|staat\s*datum|rekeningdatum)"
NAME_LABELS = r"(?:account\s*holder|customer|name|naam|rekeninghouer|klant)"
ADDRESS_LABELS = r"(?:service|physical|postal|residential|property)?\s*" \
                 r"(?:address|adres|woonadres|posadres)"
GENERIC_WORDS = {"municipality", "local", "metropolitan", "metro", "city", "of", "the",
                 "district", "munisipaliteit", "plaaslike", "stad", "van", "die"}


@dataclass(frozen=True)
class Fields:
    name: str | None
    address: str | None
    document_date: date | None


def _lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


def _parse_date(text: str) -> date | None:
    text = text.strip().lower()
    m = re.search(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if m:
        return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    if m:
        return _safe(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.search(r"(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})", text)
    if m and m.group(2) in MONTHS:
        return _safe(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    m = re.search(r"([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})", text)
    if m and m.group(1) in MONTHS:
        return _safe(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)))
    return None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _after_label(lines: list[str], label: str) -> tuple[int, str] | None:
    pattern = re.compile(rf"^{label}\s*[:\-]?\s*(.*)$", re.IGNORECASE)
    for i, line in enumerate(lines):
        m = pattern.match(line)
        if m:
            return i, m.group(1).strip()
    return None


def document_date(lines: list[str]) -> date | None:
    found = _after_label(lines, DATE_LABELS)
    if found:
        i, rest = found
        parsed = _parse_date(rest) or (_parse_date(lines[i + 1]) if i + 1 < len(lines) else None)
        if parsed:
            return parsed
    for line in lines:
        parsed = _parse_date(line)
        if parsed:
            return parsed
    return None


def address(lines: list[str]) -> str | None:
    """The labelled address and the lines that continue it (up to a postal code)."""
    found = _after_label(lines, ADDRESS_LABELS)
    if not found:
        return None
    i, rest = found
    parts = [rest] if rest else []
    for line in lines[i + 1:i + 5]:
        if re.match(rf"^(?:{DATE_LABELS}|{NAME_LABELS}|account|rekening|amount|bedrag)\b",
                    line, re.IGNORECASE):
            break
        parts.append(line)
        if re.search(r"\b\d{4}\b\s*$", line):
            break
    joined = ", ".join(p.strip(" ,") for p in parts if p.strip(" ,"))
    return joined or None


def name(lines: list[str]) -> str | None:
    found = _after_label(lines, NAME_LABELS)
    if found and found[1]:
        return found[1]
    return None


def extract(text: str) -> Fields:
    lines = _lines(text)
    return Fields(name=name(lines), address=address(lines), document_date=document_date(lines))


def place_words(municipality_name: str) -> set[str]:
    """The words that identify a municipality (without 'Local Municipality', 'City of', ...)."""
    words = {w for w in re.findall(r"[a-z]+", municipality_name.lower()) if len(w) > 2}
    return words - GENERIC_WORDS


def in_municipality(text: str, municipality_name: str) -> bool:
    words = place_words(municipality_name)
    found = set(re.findall(r"[a-z]+", text.lower()))
    return bool(words) and words <= found
