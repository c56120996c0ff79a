"""Texts the platform sends outside a conversation, and the labels every text shares.

Notifications about a citizen's own report (status changes) are rendered here
for the outbox; category and status labels and the emergency numbers are used
by the WhatsApp conversation too. English, isiZulu and Afrikaans; English when
a language is missing.
"""

from __future__ import annotations

from collections.abc import Mapping

EMERGENCY = {
    "en": "If you are in danger right now, call 10111 (SAPS) or the 24-hour Command Centre "
          "on 0800 428 428.",
    "zu": "Uma usengozini manje, shayela u-10111 (SAPS) noma i-Command Centre esebenza "
          "amahora angu-24 ku-0800 428 428.",
    "af": "As jy nou in gevaar is, bel 10111 (SAPS) of die 24-uur-bevelsentrum by "
          "0800 428 428.",
}

LABELS: dict[str, dict[str, str]] = {
    "cat_water": {"en": "Water", "zu": "Amanzi", "af": "Water"},
    "cat_electricity": {"en": "Electricity", "zu": "Ugesi", "af": "Elektrisiteit"},
    "cat_roads": {"en": "Roads", "zu": "Imigwaqo", "af": "Paaie"},
    "cat_waste": {"en": "Waste collection", "zu": "Ukuqoqwa kukadoti",
                  "af": "Vullisverwydering"},
    "cat_sanitation": {"en": "Toilets and sewage", "zu": "Amathoyilethi nendle",
                       "af": "Toilette en riool"},
    "cat_gbv": {"en": "Personal safety (private)", "zu": "Ukuphepha komuntu (kuyimfihlo)",
                "af": "Persoonlike veiligheid (privaat)"},
    "cat_other": {"en": "Something else", "zu": "Okunye", "af": "Iets anders"},
    "status_open": {"en": "received, waiting to be handled",
                    "zu": "utholakele, ulinde ukusingathwa",
                    "af": "ontvang, wag om hanteer te word"},
    "status_in_progress": {"en": "being worked on", "zu": "kusetshenzwa kuwo",
                           "af": "daar word aan gewerk"},
    "status_escalated": {"en": "passed to a senior official",
                         "zu": "udluliselwe kusikhulu esiphezulu",
                         "af": "na 'n senior amptenaar verwys"},
    "status_resolved": {"en": "resolved", "zu": "uxazululiwe", "af": "opgelos"},
    "status_closed": {"en": "closed", "zu": "uvaliwe", "af": "gesluit"},
}

NOTIFICATIONS: dict[str, dict[str, str]] = {
    "ticket_status_changed": {
        "en": "Update on your report {tracking_number}: {status}.",
        "zu": "Isibuyekezo ngombiko wakho {tracking_number}: {status}.",
        "af": "Nuus oor jou verslag {tracking_number}: {status}.",
    },
}


def pick(by_language: Mapping[str, str], language: str | None, **values: object) -> str:
    """The text in `language` (English when missing), with `values` filled in."""
    template = by_language.get(language or "en") or by_language["en"]
    return template.format(**values) if values else template


def emergency(language: str | None) -> str:
    return pick(EMERGENCY, language)


def label(prefix: str, value: str, language: str | None) -> str:
    """A category or status label (`cat`, `status`), or the raw value when there is none."""
    key = f"{prefix}_{value}"
    return pick(LABELS[key], language) if key in LABELS else value
