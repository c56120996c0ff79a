"""Every Open311 endpoint, in JSON and in XML (validated against the spec's
shapes), with good and bad input: errors are the spec's {code, description}
lists with 400/403/404, and bad input changes nothing."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from psycopg import AsyncConnection

from tests.open311.conftest import Open311, make_key
from tests.tickets.conftest import IN_NORTH, City, fetch

FORMATS = ["json", "xml"]
ORDINARY = {"water", "electricity", "roads", "waste", "sanitation", "other"}


def request_form(key: str, **extra: Any) -> dict[str, Any]:
    return {"api_key": key, "service_code": "water", "lat": IN_NORTH[0] + 0.003,
            "long": IN_NORTH[1] + 0.003, "description": "Water pouring from a hydrant",
            **extra}


def error(body: Any, code: int) -> str:
    """The one error of an error list, checked for shape."""
    assert isinstance(body, list) and len(body) == 1, body
    assert int(body[0]["code"]) == code
    return str(body[0]["description"])


async def count_tickets(owner: AsyncConnection[Any], town: City) -> int:
    rows = await fetch(owner, "select count(*) as n from public.tickets where tenant_id = %s",
                       town.tenant.id)
    return int(rows[0]["n"])


@pytest.mark.parametrize("fmt", FORMATS)
async def test_discovery_and_services(o311: Open311, fmt: str) -> None:
    status, discovery = await o311.get("discovery", fmt)
    assert status == 200
    [endpoint] = discovery["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}

    status, services = await o311.get("services", fmt)
    assert status == 200 and {s["service_code"] for s in services} == ORDINARY
    assert all(s["type"] == "realtime" and str(s["metadata"]).lower() == "false"
               for s in services)

    status, definition = await o311.get("services/roads", fmt)
    assert status == 200 and definition["service_code"] == "roads"
    assert definition["attributes"] in ([], "")
    for unknown in ("gbv", "potholes"):
        status, body = await o311.get(f"services/{unknown}", fmt)
        assert status == 404 and unknown in error(body, 404)


@pytest.mark.parametrize("fmt", FORMATS)
async def test_jurisdiction_is_required_and_must_exist(o311: Open311, fmt: str) -> None:
    status, body = await o311.get("services", fmt, jurisdiction_id="")
    assert status == 400 and "jurisdiction_id" in error(body, 400)
    status, body = await o311.get("services", fmt, jurisdiction_id="NOWHERE")
    assert status == 404 and "jurisdiction_id" in error(body, 404)
    status, body = await o311.get("requests", fmt, jurisdiction_id="NOWHERE")
    assert status == 404


async def test_an_unknown_format_is_a_400_error_list(o311: Open311) -> None:
    response = await o311.api.get("/open311/v2/services.csv",
                                  params={"jurisdiction_id": o311.code})
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "format must be json or xml"}]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_request_is_filed_like_every_other_report(
    o311: Open311, key: str, town: City, owner: AsyncConnection[Any], fmt: str
) -> None:
    asked = request_form(
        key, email="thandi@example.org", first_name="Thandi", last_name="Mokoena",
        phone="+27 82 555 0101", media_url="https://fms.example/photo/1.jpeg",
        description=f"Water pouring from a hydrant ({fmt})")
    status, body = await o311.post("requests", fmt, **asked)
    assert status == 201, body
    [receipt] = body
    assert set(receipt) <= {"service_request_id", "token", "service_notice",
                            "possible_duplicates"}
    [ticket] = await fetch(owner, "select * from public.tickets where id = %s",
                           receipt["service_request_id"])
    assert ticket["source"] == "api" and ticket["reporter_id"] is None
    assert ticket["assigned_team_id"] == town.teams["Water North"]  # routed on filing
    assert ticket["sla_resolution_deadline"] is not None
    # No tracking number: ours are one sequence with protected reports.
    assert ticket["tracking_number"] not in str(body)
    assert receipt["service_notice"].startswith("Received by Test Municipality")
    [kept] = await fetch(owner, "select contact, media_url, id from public.open311_submissions"
                         " where ticket_id = %s", ticket["id"])
    assert kept["contact"]["email"] == "thandi@example.org"
    assert str(kept["id"]) == receipt["token"]

    # A retry of the very same request is the same request, filed once.
    before = await count_tickets(owner, town)
    status, retried = await o311.post("requests", fmt, **asked)
    assert status == 201 and retried[0]["service_request_id"] == receipt["service_request_id"]
    assert retried[0]["token"] == receipt["token"]
    assert await count_tickets(owner, town) == before

    # Another report of the same thing: the first is offered as a possible duplicate.
    status, again = await o311.post("requests", fmt, **request_form(
        key, description=f"Hydrant still pouring water ({fmt})"))
    assert status == 201
    found = [d["service_request_id"] for d in again[0]["possible_duplicates"]]
    assert receipt["service_request_id"] in found

    status, token = await o311.get(f"tokens/{receipt['token']}", fmt)
    assert status == 200 and token == [{"service_request_id": receipt["service_request_id"],
                                        "token": receipt["token"]}]
    for unknown in (str(uuid4()), "not-a-token"):
        status, body = await o311.get(f"tokens/{unknown}", fmt)
        assert status == 404 and "token" in error(body, 404)


BAD_REQUESTS: list[tuple[dict[str, Any], str]] = [
    ({"service_code": "gbv"}, "service_code"),
    ({"service_code": "potholes"}, "service_code"),
    ({"service_code": None}, "service_code"),
    ({"description": "x" * 4001}, "description"),
    ({"description": None}, "description"),
    ({"long": None}, "lat and long"),
    ({"lat": None, "long": None}, "address_string"),
    ({"lat": "north"}, "lat"),
    ({"lat": 91}, "lat"),
    ({"lat": "nan"}, "lat"),
    ({"long": "inf"}, "long"),
    ({"address_string": "x" * 501, "lat": None, "long": None}, "address_string"),
    ({"jurisdiction_id": "x" * 9}, "jurisdiction_id"),
    ({"media_url": "javascript:alert(1)"}, "media_url"),
    ({"email": "not-an-email"}, "email"),
    ({"api_key": None}, "api_key"),
]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_bad_requests_are_400_naming_the_field_and_file_nothing(
    o311: Open311, key: str, town: City, owner: AsyncConnection[Any], fmt: str
) -> None:
    before = await count_tickets(owner, town)
    for change, field in BAD_REQUESTS:
        status, body = await o311.post("requests", fmt, **{**request_form(key), **change})
        assert status == 400, (change, body)
        assert field in error(body, 400), (change, body)
    response = await o311.api.post(f"/open311/v2/requests.{fmt}", json=request_form(key),
                                   params={"jurisdiction_id": o311.code})
    assert response.status_code == 400
    for content in (b"description=\xff\xfe&service_code=water", b"description=" + b"x" * 70_000):
        response = await o311.api.post(
            f"/open311/v2/requests.{fmt}", content=content,
            params={"jurisdiction_id": o311.code, "api_key": key},
            headers={"content-type": "application/x-www-form-urlencoded"})
        assert response.status_code == 400, response.text
    assert await count_tickets(owner, town) == before


@pytest.mark.parametrize("fmt", FORMATS)
async def test_keys_are_per_client_and_municipality_and_revocable(
    o311: Open311, key: str, town: City, owner: AsyncConnection[Any], database_url: str,
    fmt: str
) -> None:
    before = await count_tickets(owner, town)
    status, body = await o311.post("requests", fmt, **request_form("o311_forged-key-123"))
    assert status == 403 and "api_key" in error(body, 403)
    elsewhere = Open311(o311.api, "DEMOX")  # an unknown jurisdiction is a 404 first
    status, body = await elsewhere.post("requests", fmt, **request_form(key))
    assert status == 404

    spare = make_key(database_url, town.tenant.code, f"Spare {fmt}")
    status, _ = await o311.post("requests", fmt, **request_form(spare, address_string=None))
    assert status == 201
    [client] = await fetch(owner, "select key_hash, key_prefix from public.open311_clients"
                           " where name = %s and tenant_id = %s", f"Spare {fmt}", town.tenant.id)
    assert client["key_hash"] == hashlib.sha256(spare.encode()).hexdigest()
    assert spare.startswith(client["key_prefix"])
    assert not await fetch(owner, "select 1 from public.audit_log where new_values::text"
                           " like %s", f"%{spare}%")
    from tests.test_cli import salga

    revoked = salga(database_url, "open311", "key", "revoke", "--municipality",
                    town.tenant.code, "--name", f"Spare {fmt}")
    assert revoked.returncode == 0, revoked.stderr
    status, body = await o311.post("requests", fmt, **request_form(spare))
    assert status == 403
    assert await count_tickets(owner, town) == before + 1


@pytest.mark.parametrize("fmt", FORMATS)
async def test_listing_requests_with_filters_and_pages(
    o311: Open311, key: str, fmt: str
) -> None:
    filed = []
    for i, code in enumerate(("roads", "roads", "waste")):
        status, body = await o311.post("requests", fmt, **request_form(
            key, service_code=code, lat=None, long=None, address_string="3 Church Street",
            email="private@example.org", description=f"Report {i} ({fmt})"))
        assert status == 201
        filed.append(body[0]["service_request_id"])
    status, listed = await o311.get("requests", fmt, service_request_id=",".join(filed))
    assert status == 200 and [r["service_request_id"] for r in listed] == filed[::-1]
    for request in listed:
        assert request["status"] == "open" and request["expected_datetime"]
        assert not set(request) & {"description", "address", "email", "first_name",
                                   "last_name", "phone", "account_id", "media_url"}
    status, waste = await o311.get("requests", fmt, service_request_id=",".join(filed),
                                   service_code="waste")
    assert [r["service_request_id"] for r in waste] == filed[2:]
    status, closed = await o311.get("requests", fmt, service_request_id=",".join(filed),
                                    status="closed")
    assert status == 200 and closed == []
    status, page = await o311.get("requests", fmt, service_request_id=",".join(filed),
                                  page_size=2, page=2)
    assert [r["service_request_id"] for r in page] == filed[:1]
    now = datetime.now(UTC)
    status, recent = await o311.get("requests", fmt, start_date=(now - timedelta(hours=1))
                                    .isoformat(), end_date=(now + timedelta(hours=1)).isoformat())
    assert status == 200 and set(filed) <= {r["service_request_id"] for r in recent}

    status, one = await o311.get(f"requests/{filed[0]}", fmt)
    assert status == 200 and one[0]["service_code"] == "roads"
    assert one[0]["requested_datetime"] and one[0]["expected_datetime"]


BAD_QUERIES: list[tuple[dict[str, Any], str]] = [
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"}, "90 days"),
    ({"start_date": "2026-05-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "before"),
    ({"start_date": "2026-01-01T00:00:00"}, "timezone"),
    ({"start_date": "yesterday"}, "start_date"),
    ({"status": "pending"}, "status"),
    ({"service_code": "gbv"}, "service_code"),
    ({"page_size": 1001}, "page_size"),
    ({"page": 0}, "page"),
    ({"page": 101, "page_size": 1000}, "narrow start_date"),
    ({"service_request_id": "DEMO-2026-000001"}, "service_request_id"),
]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_bad_queries_are_400_naming_the_field(o311: Open311, fmt: str) -> None:
    for params, words in BAD_QUERIES:
        status, body = await o311.get("requests", fmt, **params)
        assert status == 400, (params, body)
        assert words in error(body, 400), (params, body)
    for unknown in (str(uuid4()), "12345"):
        status, body = await o311.get(f"requests/{unknown}", fmt)
        assert status == 404 and "service_request_id" in error(body, 404)


async def test_simultaneous_copies_of_a_request_file_it_once(
    o311: Open311, key: str, town: City, owner: AsyncConnection[Any]
) -> None:
    before = await count_tickets(owner, town)
    asked = request_form(key, description=f"Sent three times at once {uuid4()}")
    answers = await asyncio.gather(*(o311.post("requests", "json", **asked) for _ in range(3)))
    assert {status for status, _ in answers} == {201}
    assert len({body[0]["service_request_id"] for _, body in answers}) == 1
    assert await count_tickets(owner, town) == before + 1
