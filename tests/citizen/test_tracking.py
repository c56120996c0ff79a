"""Public tracking: status, category and dates for anyone holding the number; a protected
report answers exactly as a number that does not exist; and the check for similar open
reports before filing."""

from __future__ import annotations

from typing import Any

import httpx
from psycopg import AsyncConnection

from tests.dashboard.test_browser import file_report, set_status
from tests.support.tenants import Tenant

PERSONAL = ("description", "address", "latitude", "longitude", "location", "reporter_id",
            "id", "assigned_to", "assigned_team_id", "phone", "email", "full_name")


async def test_anyone_sees_status_category_and_dates_and_nothing_else(
    api: httpx.AsyncClient, tenant: Tenant
) -> None:
    ticket = await file_report(api, tenant)
    await set_status(api, tenant, "manager", ticket["id"], "in_progress")
    answer = await api.get(f"/api/v1/track/{ticket['tracking_number']}")
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert set(found) == {"tracking_number", "status", "category", "created_at", "resolved_at",
                          "closed_at", "history"}
    assert (found["tracking_number"], found["status"], found["category"]) == (
        ticket["tracking_number"], "in_progress", "water")
    assert [step["status"] for step in found["history"]] == ["in_progress"]
    assert set(found["history"][0]) == {"status", "at"}
    assert not any(word in answer.text for word in ("Burst pipe", "12 Main Road"))
    assert not set(found) & set(PERSONAL)
    # Typed in lower case or with spaces around it, it is the same number.
    again = await api.get(f"/api/v1/track/{ticket['tracking_number'].lower()}%20")
    assert again.status_code == 422  # a space is not part of any number: the rule is the shape
    lower = await api.get(f"/api/v1/track/{ticket['tracking_number'].lower()}")
    assert lower.json() == found


async def test_a_protected_reference_is_answered_exactly_as_an_unknown_one(
    api: httpx.AsyncClient, tenant: Tenant
) -> None:
    protected = await file_report(api, tenant, sensitive=True)
    reference = protected["tracking_number"]
    unknown = reference[:-3] + ("AAA" if not reference.endswith("AAA") else "BBB")
    answers = [await api.get(f"/api/v1/track/{ref}") for ref in (reference, unknown)]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].content == answers[1].content
    drop = {"date", "x-request-id", "content-length"}
    headers = [{k: v for k, v in a.headers.items() if k not in drop} for a in answers]
    assert headers[0] == headers[1]
    # Signed in as its own reporter, or as a SAPS liaison, the public door stays the same.
    for role in ("citizen", "saps_liaison", "admin"):
        seen = await api.get(f"/api/v1/track/{reference}", headers=tenant.auth(role))
        assert seen.status_code == 404 and seen.content == answers[1].content, role


async def test_the_database_function_returns_nothing_for_protected_rows_even_to_staff(
    db: AsyncConnection[Any], api: httpx.AsyncClient, tenant: Tenant
) -> None:
    protected = await file_report(api, tenant, sensitive=True)
    ordinary = await file_report(api, tenant)
    for claims in ('{"role": "anon"}', None):
        role = "anon" if claims else "service_role"
        await db.execute(f"set local role {role}")
        cur = await db.execute("select public.track_report(%s) as p, public.track_report(%s) as o,"
                               " public.track_report(%s) as long, public.track_report(null) as n",
                               (protected["tracking_number"], ordinary["tracking_number"],
                                "X" * 5000))
        row = await cur.fetchone()
        assert row["p"] is None and row["long"] is None and row["n"] is None, role
        assert row["o"]["status"] == "open", role
        await db.execute("reset role")
    # Nothing else in the database is open to anon through it: it writes nothing.
    cur = await db.execute("select provolatile, prosecdef, proconfig from pg_proc"
                           " where proname = 'track_report'")
    fn = await cur.fetchone()
    assert fn["provolatile"] == "s" and fn["prosecdef"] and fn["proconfig"] == ["search_path=\"\""]


async def test_protected_and_unknown_references_take_the_same_path_through_the_database(
    db: AsyncConnection[Any], api: httpx.AsyncClient, tenant: Tenant
) -> None:
    """The same timing class: one probe of the unique index for both, filtered in that probe
    (the plan is the function's own query, run as its owner would)."""
    protected = await file_report(api, tenant, sensitive=True)
    plans = []
    for reference in (protected["tracking_number"], "NOPE-2026-000000"):
        cur = await db.execute(
            "explain (analyze, costs off, timing off, summary off, format json)"
            " select t.id from public.tickets t"
            "  where length(coalesce(%(r)s, '')) <= 40"
            "    and t.tracking_number = upper(btrim(%(r)s)) and not t.is_sensitive",
            {"r": reference})
        plan = (await cur.fetchone())["QUERY PLAN"][0]["Plan"]
        plans.append(plan)
    shapes = [[p["Node Type"], p.get("Plans", [{}])[0].get("Node Type"), p.get("Actual Rows")]
              for p in plans]
    assert shapes[0] == shapes[1], shapes
    assert all(p.get("Actual Rows") == 0 for p in plans)


async def test_bad_references_are_a_422_naming_the_field(api: httpx.AsyncClient) -> None:
    for bad in ("x", "A" * 41, "DEMO-2026-00001%3B", "%E2%80%AE123"):
        answer = await api.get(f"/api/v1/track/{bad}")
        assert answer.status_code == 422, bad
        assert "tracking_number" in answer.text, bad


async def test_similar_open_reports_are_shown_before_filing_never_protected(
    api: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    point = {"latitude": -33.91842, "longitude": 18.42321}
    body = {"category": "roads", "description": "Pothole swallowing cars", **point}
    first = await api.post("/api/v1/reports", json=body, headers=tenant.auth("citizen"))
    assert first.status_code == 201, first.text
    hidden = {**body, "category": "gbv", "is_sensitive": True}
    assert (await api.post("/api/v1/reports", json=hidden,
                           headers=tenant.auth("citizen"))).status_code == 201
    near = {"category": "roads", "latitude": -33.91845, "longitude": 18.42324}
    found = await api.get("/api/v1/reports/similar", params=near, headers=tenant.auth("citizen"))
    assert found.status_code == 200, found.text
    refs = [d["tracking_number"] for d in found.json()]
    assert first.json()["tracking_number"] in refs
    assert set(found.json()[0]) == {"id", "tracking_number", "status", "category", "created_at",
                                    "distance_m"}
    protected = await api.get("/api/v1/reports/similar", params={**near, "category": "gbv"},
                              headers=tenant.auth("citizen"))
    assert protected.status_code == 200 and protected.json() == []
    elsewhere = await api.get("/api/v1/reports/similar", params=near,
                              headers=other_tenant.auth("citizen"))
    assert first.json()["tracking_number"] not in [d["tracking_number"] for d in elsewhere.json()]
    assert (await api.get("/api/v1/reports/similar", params=near,
                          headers=tenant.auth("manager"))).status_code == 403
    assert (await api.get("/api/v1/reports/similar", params=near)).status_code == 401
    bad = await api.get("/api/v1/reports/similar", params={**near, "latitude": 91},
                        headers=tenant.auth("citizen"))
    assert bad.status_code == 422 and "latitude" in bad.text
