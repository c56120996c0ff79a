"""`salga templates review`: every text beside its English one, for a first-language
speaker to check; one clear line when the language or municipality is unknown."""

from __future__ import annotations

import csv
import io

from tests.test_cli import salga


def test_the_isixhosa_review_sheet_lists_every_text_beside_english(database_url: str) -> None:
    made = salga(database_url, "templates", "review", "xh")
    assert made.returncode == 0, made.stderr
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(made.stdout))}
    assert rows["cat_water"]["english"] == "Water" and rows["cat_water"]["text"] == "Amanzi"
    assert rows["filed"]["variables"] == "tracking_number" and rows["filed"]["version_id"]
    assert all(r["text"] for r in rows.values()), [k for k, r in rows.items() if not r["text"]]


def test_an_unknown_language_or_municipality_is_one_clear_line(database_url: str) -> None:
    for args in (("templates", "review", "tlh"),
                 ("templates", "review", "xh", "--municipality", "NOSUCH")):
        made = salga(database_url, *args)
        assert made.returncode == 1 and made.stdout == ""
        assert made.stderr.startswith("error: no ") and len(made.stderr.splitlines()) == 1
