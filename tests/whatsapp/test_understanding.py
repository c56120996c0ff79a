"""What people write, understood in every language from the library's words (the approved
defaults of the test database, read once per module)."""

from __future__ import annotations

from typing import Any

import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.languages import repository as languages
from app.templates import render
from app.templates.render import Library
from app.whatsapp import understanding as understand


@pytest.fixture(scope="module")
async def lib(database_url: str) -> Library:
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        return await render.load(conn, tenant_id=None)


@pytest.fixture(scope="module")
async def offered(database_url: str) -> list[Any]:
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        return await languages.active(conn)


def test_case_accents_and_punctuation_do_not_matter() -> None:
    assert understand.normalise("  YEBO!!  ") == "yebo"
    assert understand.normalise("Ewé.") == "ewe"
    assert understand.normalise("Kragonderbreking, in Kerk-straat?") == (
        "kragonderbreking in kerk straat")
    assert understand.normalise("Don't") == "dont"


@pytest.mark.parametrize("said", ["1", "yes", "Yes please", "yep", "OK", "yebo", "Yebo!",
                                  "ewe", "Ewé", "ewe ndiyavuma", "ja", "Ja, asseblief",
                                  "kulungile"])
def test_yes_in_every_language(lib: Library, said: str) -> None:
    assert understand.answer(lib, said) == understand.YES


@pytest.mark.parametrize("said", ["2", "no", "No thanks", "nope", "cha", "hhayi", "Hhayi.",
                                  "hayi", "hayi bo", "qha", "nee", "Nee dankie", "andivumi"])
def test_no_in_every_language(lib: Library, said: str) -> None:
    assert understand.answer(lib, said) == understand.NO


@pytest.mark.parametrize("said", ["maybe", "angazi", "what is this about", "3", "",
                                  "yes but no but yes and more"])
def test_neither_yes_nor_no(lib: Library, said: str) -> None:
    assert understand.answer(lib, said) is None


@pytest.mark.parametrize(("said", "category"), [
    ("water", "water"), ("Amanzi", "water"), ("manzi", "water"),
    ("amanzi ayavuza", "water"), ("there is a burst pipe on Main Road", "water"),
    ("Die waterpyp lek", "water"), ("electricity", "electricity"), ("ugesi", "electricity"),
    ("umbane", "electricity"), ("Kragonderbreking!", "electricity"), ("krag", "electricity"),
    ("potholes", "roads"), ("imigodi", "roads"), ("indlela", "roads"),
    ("Groot slaggat voor die skool", "roads"), ("udoti", "waste"),
    ("inkunkuma ayiqokelelwanga", "waste"), ("vullis", "waste"), ("rubbish", "waste"),
    ("sewage", "sanitation"), ("amanzi amdaka aphuma kwithoyilethi", "sanitation"),
    ("riool loop oor", "sanitation"),
])
def test_categories_by_name_and_common_words(lib: Library, said: str, category: str) -> None:
    assert understand.category(lib, said) == category


@pytest.mark.parametrize("said", ["hello", "angazi", "the water and the power are both off",
                                  "my husband hurts me"])
def test_no_category_when_none_or_several_match(lib: Library, said: str) -> None:
    assert understand.category(lib, said) is None


@pytest.mark.parametrize("said", ["hello", "Hi!", "hi there", "Good morning", "sawubona",
                                  "Sawubona mama", "molo", "Molweni", "hallo", "Goeie more"])
def test_greetings(lib: Library, said: str) -> None:
    assert understand.greeting(lib, said) and not understand.thanks(lib, said)
    assert not understand.describes(lib, said)


@pytest.mark.parametrize("said", ["thanks", "Thank you very much!", "ngiyabonga",
                                  "Ngiyabonga kakhulu", "enkosi", "Enkosi kakhulu",
                                  "ndiyabulela", "dankie", "Baie dankie"])
def test_thanks(lib: Library, said: str) -> None:
    assert understand.thanks(lib, said) and not understand.greeting(lib, said)


def test_a_greeting_with_a_problem_is_a_description(lib: Library) -> None:
    said = "Hello, there is a burst pipe on Main Road"
    assert not understand.greeting(lib, said)
    assert understand.describes(lib, said)
    assert understand.describes(lib, "amanzi ayavuza")
    assert not understand.describes(lib, "water")


@pytest.mark.parametrize("said", ["1", "done", "Klaar", "ngiqedile", "ndigqibile", "no",
                                  "cha", "nee", "hayi", "No photos"])
def test_done_with_photos(lib: Library, said: str) -> None:
    assert understand.done(lib, said)


@pytest.mark.parametrize(("said", "code"), [
    ("1", "en"), ("English", "en"), ("2", "zu"), ("zulu", "zu"), ("isiZulu", "zu"),
    ("3", "af"), ("Afrikaans", "af"), ("4", "xh"), ("isiXhosa", "xh"), ("xhosa", "xh"),
    ("XHOSA please", "xh"),
])
def test_the_language_by_number_or_name(offered: list[Any], said: str, code: str) -> None:
    assert understand.language(said, offered) == code


@pytest.mark.parametrize("said", ["5", "0", "hello", "en die water lek"])
def test_not_a_language(offered: list[Any], said: str) -> None:
    assert understand.language(said, offered) is None


@pytest.mark.parametrize(("said", "command"), [
    ("help", "help"), ("?", "help"), ("usizo", "help"), ("uncedo", "help"), ("hulp", "help"),
    ("restart", "restart"), ("qala kwakhona", "restart"), ("STOP", "stop"), ("yima", "stop"),
    ("misa", "stop"), ("start", "start"), ("qala", "start"), ("my data", "my_data"),
    ("iinkcukacha zam", "my_data"), ("cima iinkcukacha zam", "delete_my_data"),
    ("status TDEMO-2026-000001", "status"), ("imeko TDEMO-2026-000001", "status"),
    ("isimo", "status"), ("water", None), ("stop the leak please", None),
    ("imeko yamanzi imbi kakhulu", None),
])
def test_commands_in_every_language(lib: Library, said: str, command: str | None) -> None:
    assert understand.command(lib, said) == command
