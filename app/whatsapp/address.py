"""A typed address: put on the map through the municipality's places, or asked again.

A name the municipality's places know ("Kerkstraat", "Ward 12") puts the report
at that place, so the database routes it to the team whose service area holds
it, like a shared pin. An address no place matches gets one request for a pin;
a second unmatched answer is taken as it was typed (routed by category, as
before places existed). A municipality without places is never asked twice,
and a protected report is never asked for more location than the person gave.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.places import service as places
from app.vocab import SENSITIVE_CATEGORY
from app.whatsapp import repository as repo

if TYPE_CHECKING:
    from app.whatsapp.conversation import Context


async def typed(ctx: Context) -> str:
    """The reply to a typed address at the location step (the state moves on, or stays
    for the one pin request)."""
    text = ctx.msg.body[:500]
    ask_photos = ctx.t("ask_photos", max=ctx.settings.max_photos)
    if ctx.get("category") == SENSITIVE_CATEGORY:
        ctx.go("photos", latitude=None, longitude=None, address=text)
        return ask_photos
    place = await places.match(ctx.conn, tenant_id=ctx.municipality["id"], text=text)
    if place is not None:
        ctx.go("photos", latitude=place["latitude"], longitude=place["longitude"],
               address=text, asked_for_pin=False)
        return ctx.t("address_found", place=place["name"]) + "\n\n" + ask_photos
    if not ctx.get("asked_for_pin") and await repo.has_places(
            ctx.conn, tenant_id=ctx.municipality["id"]):
        ctx.go("location", asked_for_pin=True)
        return ctx.t("address_not_found")
    ctx.go("photos", latitude=None, longitude=None, address=text, asked_for_pin=False)
    return ask_photos
