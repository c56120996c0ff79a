"""From a document's text to a verification outcome with reasons a person can read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.ocr import fields

MAX_AGE = timedelta(days=92)  # "at most three months old"
MIN_TEXT = 40


@dataclass
class Outcome:
    status: str  # verified | rejected | needs_review
    address: str | None = None
    name: str | None = None
    document_date: date | None = None
    reasons: list[str] = field(default_factory=list)


def decide(text: str, *, municipality_name: str, full_name: str | None, today: date) -> Outcome:
    if len(text.strip()) < MIN_TEXT:
        return Outcome("needs_review", reasons=["The document could not be read."])
    found = fields.extract(text)
    outcome = Outcome("verified", address=found.address, name=found.name,
                      document_date=found.document_date)
    if found.document_date is None:
        outcome.reasons.append("No document date was found.")
    elif found.document_date > today + timedelta(days=1):
        outcome.reasons.append("The document date is in the future.")
    elif today - found.document_date > MAX_AGE:
        outcome.status = "rejected"
        outcome.reasons.append(
            f"The document is dated {found.document_date.isoformat()}, more than three months ago.")
    if found.address is None:
        outcome.reasons.append("No address was found.")
    elif not fields.in_municipality(found.address, municipality_name):
        outcome.status = "rejected"
        outcome.reasons.append(f"The address is not in {municipality_name}.")
    if full_name and found.name and not (
        set(full_name.lower().split()) & set(found.name.lower().replace(",", " ").split())
    ):
        outcome.reasons.append("The name on the document does not match the account.")
    if outcome.status == "verified" and outcome.reasons:
        outcome.status = "needs_review"
    return outcome
