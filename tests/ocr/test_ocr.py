"""OCR of rendered bills: fields extracted, wrong places and stale dates rejected, junk reviewed."""

from __future__ import annotations

from datetime import date, timedelta

from app.ocr import pages
from app.ocr.decide import decide
from tests.ocr.documents import as_bytes, bill, noisy

TODAY = date(2026, 3, 20)
RECENT = TODAY - timedelta(days=20)
PLACE = "Stellenbosch Local Municipality"
PERSON = "Thandi Mokoena"


def read(data: bytes) -> str:
    return pages.document_text(data)


def english_bill(**overrides: object) -> bytes:
    values: dict = {"municipality": PLACE, "name": PERSON, "street": "12 Dorp Street",
                    "town": "Stellenbosch", "postcode": "7600", "when": RECENT}
    values.update(overrides)
    return as_bytes(bill(**values))


def test_english_bill_is_verified_with_its_address() -> None:
    outcome = decide(read(english_bill()), municipality_name=PLACE, full_name=PERSON, today=TODAY)
    assert outcome.status == "verified", outcome.reasons
    assert outcome.address is not None and "Dorp Street" in outcome.address
    assert "Stellenbosch" in outcome.address
    assert outcome.document_date == RECENT
    assert outcome.name == PERSON


def test_afrikaans_bill_is_verified() -> None:
    data = as_bytes(bill(municipality="Drakenstein Munisipaliteit", name="Pieter van der Merwe",
                         street="7 Hoofstraat", town="Paarl", postcode="7646", when=RECENT,
                         afrikaans=True))
    outcome = decide(read(data), municipality_name="Paarl Municipality",
                     full_name="Pieter van der Merwe", today=TODAY)
    assert outcome.status == "verified", outcome.reasons
    assert outcome.address is not None and "Hoofstraat" in outcome.address
    assert outcome.document_date == RECENT


def test_rotated_scan_is_turned_upright_and_read() -> None:
    image = bill(municipality=PLACE, name=PERSON, street="12 Dorp Street", town="Stellenbosch",
                 postcode="7600", when=RECENT).rotate(90, expand=True)
    outcome = decide(read(as_bytes(image)), municipality_name=PLACE, full_name=PERSON,
                     today=TODAY)
    assert outcome.status == "verified", outcome.reasons
    assert outcome.address is not None and "Stellenbosch" in outcome.address


def test_noisy_scan_is_still_read() -> None:
    image = noisy(bill(municipality=PLACE, name=PERSON, street="12 Dorp Street",
                       town="Stellenbosch", postcode="7600", when=RECENT))
    outcome = decide(read(as_bytes(image, "JPEG")), municipality_name=PLACE, full_name=PERSON,
                     today=TODAY)
    assert outcome.document_date == RECENT
    assert outcome.status == "verified", outcome.reasons


def test_pdf_statement_is_rendered_and_read() -> None:
    image = bill(municipality=PLACE, name=PERSON, street="12 Dorp Street", town="Stellenbosch",
                 postcode="7600", when=RECENT)
    outcome = decide(read(as_bytes(image, "PDF")), municipality_name=PLACE, full_name=PERSON,
                     today=TODAY)
    assert outcome.status == "verified", outcome.reasons


def test_address_in_another_municipality_is_rejected() -> None:
    data = english_bill(town="Worcester", postcode="6850")
    outcome = decide(read(data), municipality_name=PLACE, full_name=PERSON, today=TODAY)
    assert outcome.status == "rejected"
    assert any(PLACE in reason for reason in outcome.reasons)


def test_stale_document_is_rejected() -> None:
    data = english_bill(when=TODAY - timedelta(days=140))
    outcome = decide(read(data), municipality_name=PLACE, full_name=PERSON, today=TODAY)
    assert outcome.status == "rejected"
    assert any("three months" in reason for reason in outcome.reasons)


def test_blank_page_needs_review() -> None:
    blank = as_bytes(noisy(bill(municipality="", name="", street="", town="", postcode="",
                                when=RECENT).crop((0, 0, 600, 400)), amount=0.01))
    outcome = decide(read(blank), municipality_name=PLACE, full_name=PERSON, today=TODAY)
    assert outcome.status == "needs_review"
