from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel


class Me(BaseModel):
    """The signed-in user, as their own profile row shows them."""

    id: UUID
    tenant_id: UUID
    municipality_code: str
    municipality_name: str
    role: str
    full_name: str | None
    preferred_language: str
    # The teams whose live topics (team:<id>) a field worker receives.
    team_ids: list[UUID] = []
