"""A ticket's history shows every status change: from, to, who (name and role),
when, and the reason given — beside its assignments."""

from __future__ import annotations

import httpx

from tests.tickets.conftest import City, file


async def test_history_shows_each_status_change_with_its_reason(
    api: httpx.AsyncClient, city: City
) -> None:
    ticket = await file(api, city)
    path = f"/api/v1/tickets/{ticket['id']}"
    for status, reason in (("in_progress", "crew dispatched"), ("resolved", None)):
        moved = await api.patch(f"{path}/status", json={"status": status, "reason": reason},
                                headers=city.auth("manager"))
        assert moved.status_code == 200, moved.text
    history = await api.get(f"{path}/history", headers=city.auth("manager"))
    assert history.status_code == 200, history.text
    changes = [e for e in history.json()["items"] if e["action"] == "status_changed"]
    assert [(c["details"]["from"], c["details"]["to"], c["details"]["reason"])
            for c in changes] == [("open", "in_progress", "crew dispatched"),
                                  ("in_progress", "resolved", None)]
    for change in changes:
        assert change["actor_id"] == str(city.tenant.users["manager"])
        assert change["details"]["actor_role"] == "manager"
        assert change["details"]["actor_name"] == f"Manager {city.tenant.code}"
        assert change["at"]
    kinds = [e["kind"] for e in history.json()["items"]]
    assert "assignment" in kinds  # routed on filing, still there


async def test_field_workers_see_the_history_of_their_teams_tickets_only(
    api: httpx.AsyncClient, city: City
) -> None:
    ticket = await file(api, city)
    await api.patch(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "in_progress"},
                    headers=city.auth("manager"))
    mine = await api.get(f"/api/v1/tickets/{ticket['id']}/history",
                         headers=city.auth("field_worker"))
    assert mine.status_code == 200
    assert any(e["action"] == "status_changed" for e in mine.json()["items"])
    citizen = await api.get(f"/api/v1/tickets/{ticket['id']}/history",
                            headers=city.auth("citizen"))
    assert citizen.status_code == 404
