"""A file uploaded through a URL our API signed is owned by the person who asked
for it — as it will be on Supabase, where the signer (our service key) would
otherwise be recorded as the owner, i.e. nobody."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest
from psycopg import AsyncConnection

from tests.media.test_uploads import upload_via_api
from tests.storage.conftest import JPEG, Tickets
from tests.support.db import SERVICE_CLAIMS, act_as
from tests.support.tenants import Tenant


async def test_signed_uploads_are_owned_by_the_uploader(
    api: httpx.AsyncClient, tenant: Tenant, tickets: Tickets, db: AsyncConnection[Any]
) -> None:
    for ticket_id, bucket in ((tickets.ordinary, "evidence"), (tickets.sensitive, "gbv-evidence")):
        planned = await upload_via_api(api, tenant, "citizen", {
            "purpose": "evidence", "ticket_id": str(ticket_id), "filename": "x.jpg",
            "content_type": "image/jpeg", "size": len(JPEG)})
        cur = await db.execute(
            "select o.owner_id, m.user_id, m.source from storage.objects o"
            " join public.media_attachments m on m.bucket = o.bucket_id and m.path = o.name"
            " where o.bucket_id = %s and o.name = %s", (bucket, planned["path"]))
        row = await cur.fetchone()
        assert row == {"owner_id": str(tenant.users["citizen"]),
                       "user_id": tenant.users["citizen"], "source": "web"}, bucket


async def test_only_the_caller_plans_uploads_and_only_into_their_municipality(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant
) -> None:
    await act_as(db, tenant.claims["citizen"])
    for statement, params in (
        ("select private.plan_upload('evidence', %s)", (f"{other_tenant.id}/x/y.jpg",)),
        ("select * from private.upload_plans", None),
    ):
        await db.execute("savepoint s")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            await db.execute(statement, params)
        await db.execute("rollback to savepoint s")
    await act_as(db, SERVICE_CLAIMS)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await db.execute("select private.plan_upload('evidence', %s)", (f"{tenant.id}/x/y.jpg",))


async def test_no_api_role_touches_upload_plans(db: AsyncConnection[Any], tenant: Tenant) -> None:
    for claims in (tenant.claims["admin"], SERVICE_CLAIMS, {"role": "anon"}):
        for statement in ("truncate private.upload_plans",
                          "insert into private.upload_plans values ('evidence', 'p', %s, %s)",
                          "delete from private.upload_plans"):
            await db.execute("savepoint s")
            await act_as(db, claims)
            params = (tenant.users["admin"], tenant.id) if "%s" in statement else None
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                await db.execute(statement, params)
            await db.execute("rollback to savepoint s")
