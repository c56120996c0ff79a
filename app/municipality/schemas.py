"""Bodies of the municipality API."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Municipality(BaseModel):
    id: UUID
    code: str
    name: str
    province: str | None
    whatsapp_number: str | None = Field(description="E.164, the number citizens write to")


class MunicipalityChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    whatsapp_number: str | None = Field(
        pattern=r"^\+[1-9][0-9]{6,14}$",
        description='E.164 (e.g. "+27215550100"), or null to stop taking WhatsApp reports')
