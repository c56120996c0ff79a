"""The thin renderer: approved texts from the library, filled in.

A `Library` holds the approved version of every key a municipality uses
(its own, else the platform default) in every language. Each text it
renders is remembered in `used`, so whatever is sent records the versions
it was made of. Drafts are never loaded: only `status = 'approved'` rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from app.templates import repository as repo
from app.vocab import Conn


class MissingText(LookupError):
    """No approved text for a key (in any language), or a variable was not given."""


@dataclass(frozen=True)
class Version:
    id: UUID
    key: str
    language: str
    version: int
    body: str


@dataclass
class Library:
    texts: dict[tuple[str, str], Version]
    used: list[UUID] = field(default_factory=list)
    # What readers derive from the texts (the conversation's word lists), worked out once.
    derived: dict[str, Any] = field(default_factory=dict)

    def version(self, key: str, language: str | None) -> Version:
        """The approved version of `key` in `language` (English when it has none)."""
        found = self.texts.get((key, language or "en")) or self.texts.get((key, "en"))
        if found is None:
            raise MissingText(f"no approved text for {key!r}")
        return found

    def text(self, key: str, language: str | None, **values: object) -> str:
        chosen = self.version(key, language)
        try:
            rendered = chosen.body.format(**values) if values else chosen.body
        except (KeyError, IndexError) as exc:
            raise MissingText(f"variable {exc} missing for {key!r}") from exc
        if chosen.id not in self.used:
            self.used.append(chosen.id)
        return rendered

    def label(self, prefix: str, value: str, language: str | None) -> str:
        """A category or status label (`cat`, `status`), or the raw value when there is none."""
        key = f"{prefix}_{value}"
        if (key, "en") not in self.texts:
            return value
        return self.text(key, language)

    def emergency(self, language: str | None) -> str:
        return self.text("emergency", language)


# Texts by (municipality, library generation), kept across messages: a webhook reads a
# few hundred texts per message otherwise. Writing any text stamps a new generation
# (migration 0023), so the next message reads the new set. What readers derive from
# the texts (word lists ...) is kept beside them.
_KEPT: dict[tuple[UUID | None, str], tuple[dict[tuple[str, str], Version], dict[str, Any]]] = {}
KEPT_AT_MOST = 512


async def load(conn: Conn, *, tenant_id: UUID | None, generation: str | None = None
               ) -> Library:
    """Every approved text `tenant_id`'s citizens receive (a fresh `used` list each time).
    `generation`: the library generation when the caller has read it already."""
    if generation is None:
        generation = await repo.library_generation(conn, tenant_id=tenant_id)
    kept = _KEPT.get((tenant_id, generation))
    if kept is None:
        rows = await repo.approved_texts(conn, tenant_id=tenant_id)
        kept = ({(r["template_key"], r["language"]): Version(
            id=r["id"], key=r["template_key"], language=r["language"], version=r["version"],
            body=r["body"]) for r in rows}, {})
        if len(_KEPT) >= KEPT_AT_MOST:
            _KEPT.clear()
        _KEPT[(tenant_id, generation)] = kept
    return Library(kept[0], derived=kept[1])


def fill(body: str, values: dict[str, object]) -> str:
    """A preview: known values filled in, the others left as {name}."""
    class Keep(dict[str, object]):
        def __missing__(self, name: str) -> str:
            return "{" + name + "}"

    return body.format_map(Keep(values))
