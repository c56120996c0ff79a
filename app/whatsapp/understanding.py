"""What a person means, in whichever language they write it.

The words are data: each `words_*` key of the message library holds, per language, a
comma-separated list of what people write to mean one thing ("yes", "ewe", "ja" ...).
Every language's words are understood in every conversation, since people mix them, and
a new language brings its words with its texts. Matching ignores case, accents and
punctuation; digits keep working everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from app.templates.render import Library, Version
from app.vocab import CATEGORIES, SENSITIVE_CATEGORY, Row

YES, NO = "yes", "no"
# A short answer may carry a few words more ("yes please", "cha ngiyabonga").
ANSWER_TAIL = 3
# A description is a sentence, not a word (the description step asks for 10 letters).
DESCRIPTION_MIN = 10
# A keyword this long also matches the start of a longer word ("water" in "waterpyp").
PREFIX_MIN = 5


def normalise(text: str) -> str:
    """Lower case, accents dropped, punctuation turned into spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("'", ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


@dataclass(frozen=True)
class Lexicon:
    """A library's `words_*` lists, normalised, and the category words indexed."""

    words: dict[str, frozenset[str]]
    singles: dict[str, tuple[str, ...]]  # a one-word keyword -> the categories it names
    phrases: tuple[tuple[str, str], ...]  # (several-word keyword, category)


def lexicon(lib: Library) -> Lexicon:
    """Worked out once per library generation: `lib.derived` is kept with its texts
    across messages (app.templates.render)."""
    found = lib.derived.get("lexicon")
    if found is None:
        found = lib.derived["lexicon"] = build_lexicon(
            [v for (key, _), v in lib.texts.items() if key.startswith("words_")])
    return found


def build_lexicon(versions: list[Version]) -> Lexicon:
    merged: dict[str, set[str]] = {}
    for version in versions:
        merged.setdefault(version.key, set()).update(
            normalise(w) for w in version.body.split(","))
    lists = {key: frozenset(w for w in said if w) for key, said in merged.items()}
    singles: dict[str, tuple[str, ...]] = {}
    phrases: list[tuple[str, str]] = []
    for name in CATEGORIES:
        if name == SENSITIVE_CATEGORY:  # never guessed: chosen, after its own consent
            continue
        for keyword in lists.get(f"words_category_{name}", frozenset()):
            if " " in keyword:
                phrases.append((keyword, name))
            else:
                singles[keyword] = (*singles.get(keyword, ()), name)
    return Lexicon(lists, singles, tuple(phrases))


def words(lib: Library, key: str) -> frozenset[str]:
    """Every language's words for `key` (never recorded as sent: words are not messages)."""
    return lexicon(lib).words.get(key, frozenset())


def leading(said: str, phrases: Iterable[str]) -> str | None:
    """The longest of `phrases` that `said` starts with, as whole words."""
    hits = [p for p in phrases if said == p or said.startswith(p + " ")]
    return max(hits, key=len) if hits else None


def answer(lib: Library, body: str) -> str | None:
    """YES or NO for "1"/"2", "yes", "yebo", "ewe", "ja", "no", "cha", "hhayi", "hayi",
    "nee" (with a few more words after it); None when it is neither."""
    said = normalise(body)
    digit = re.match(r"^([12])(?: |$)", said)
    if digit:
        return YES if digit.group(1) == "1" else NO
    for meaning, key in ((NO, "words_no"), (YES, "words_yes")):
        phrase = leading(said, words(lib, key))
        if phrase is not None and len(said[len(phrase):].split()) <= ANSWER_TAIL:
            return meaning
    return None


def only(lib: Library, body: str, key: str) -> bool:
    """Whether `body` says nothing but `key`'s words (a greeting, thanks), give or take a
    word ("hello mama", "enkosi kakhulu")."""
    said = normalise(body)
    rest = f" {said} "
    matched = False
    for phrase in sorted(words(lib, key), key=len, reverse=True):
        while f" {phrase} " in rest:
            rest = rest.replace(f" {phrase} ", " ", 1)
            matched = True
    return matched and len(rest.split()) <= 1


def greeting(lib: Library, body: str) -> bool:
    return only(lib, body, "words_greeting") and category(lib, body) is None


def thanks(lib: Library, body: str) -> bool:
    return only(lib, body, "words_thanks") and category(lib, body) is None


def done(lib: Library, body: str) -> bool:
    """Finished sending photos: "1", "done", "klaar", "ndigqibile", or simply "no"."""
    said = normalise(body)
    return (said == "1" or leading(said, words(lib, "words_done")) == said
            or answer(lib, body) == NO)


def category(lib: Library, body: str) -> str | None:
    """The one category the text speaks of ("water", "amanzi ayavuza", "kragonderbreking"),
    or None when it names none or several equally. A whole word counts double a word's
    start ("waterpyp" has "water"), a phrase by its words ("amanzi amdaka" is sewage, not
    water). The protected category is never guessed."""
    said = normalise(body)
    known = lexicon(lib)
    tokens, padded = set(said.split()), f" {said} "
    scores: dict[str, int] = {}
    for phrase, name in known.phrases:
        if phrase in padded and f" {phrase} " in padded:
            scores[name] = scores.get(name, 0) + 2 * len(phrase.split())
    starts = {t[:n] for t in tokens for n in range(PREFIX_MIN, len(t))} - tokens
    for keyword, weight in [(t, 2) for t in tokens] + [(p, 1) for p in starts]:
        for name in known.singles.get(keyword, ()):
            scores[name] = scores.get(name, 0) + weight
    best = max(scores.values(), default=0)
    winners = [name for name, score in scores.items() if score == best]
    return winners[0] if best and len(winners) == 1 else None


def describes(lib: Library, body: str) -> bool:
    """Whether a message already says what is wrong ("there is a burst pipe on Main Road",
    "amanzi ayavuza"): a few words, not a greeting, thanks or a yes/no."""
    said = normalise(body)
    return (len(body.strip()) >= DESCRIPTION_MIN and len(said.split()) >= 2
            and not only(lib, body, "words_greeting") and not only(lib, body, "words_thanks")
            and answer(lib, body) is None)


def language(body: str, languages: list[Row]) -> str | None:
    """The language chosen by its number on the menu, its name or another name for it
    ("4", "isiXhosa", "xhosa"); `languages` are the active ones in menu order."""
    said = normalise(body)
    number = re.match(r"^(\d{1,2})(?: |$)", said)
    if number:
        index = int(number.group(1)) - 1
        return str(languages[index]["code"]) if 0 <= index < len(languages) else None
    for row in languages:
        names = {normalise(row["name"]), *(normalise(a) for a in row["aliases"])}
        if leading(said, names) is not None and len(said.split()) <= ANSWER_TAIL:
            return str(row["code"])
    return None


def command(lib: Library, body: str) -> str | None:
    """help, restart, stop, start, my_data, delete_my_data (the whole message) or status
    (its first word), in any language."""
    if body.strip() == "?":
        return "help"
    said = normalise(body)
    for name in ("delete_my_data", "my_data", "help", "restart", "stop", "start"):
        if said in words(lib, f"words_{name}"):
            return name
    status = leading(said, words(lib, "words_status"))
    if status is not None and (said == status or any(c.isdigit() for c in said)):
        return "status"  # "status", or "imeko TDEMO-2026-000123"; not "imeko yamanzi imbi"
    return None
