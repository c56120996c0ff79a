"""Open311 GeoReport v2 under /open311/v2 (thin: parse, call the service, render).

Reads run as `anon` and reach tickets only through the database's Open311
readers; writes need a client's api_key and run as the service role. Every
error is the spec's list of {code, description}, in the format asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import psycopg
from fastapi import APIRouter, Request
from fastapi.responses import Response

from app import errors
from app.db import SERVICE_CLAIMS, transaction_as
from app.errors import DomainError, Invalid
from app.open311 import service
from app.open311.render import FORMATS, respond
from app.open311.render import errors as error_list
from app.open311.schemas import RequestIn, RequestsQuery, UpdateIn, UpdatesQuery, parse
from app.streams import read_capped
from app.vocab import Conn

router = APIRouter(prefix="/open311/v2", tags=["open311"])
log = logging.getLogger("salga.open311")
ANON = {"role": "anon"}
FORM_LIMIT = 64 * 1024
Work = Callable[[Conn], Awaitable[Any]]


async def _answer(request: Request, fmt: str, root: str, work: Work, *,
                  write: bool = False, status: int = 200) -> Response:
    """Run `work` in one transaction (anon, or the service role for writes) and render."""
    if fmt not in FORMATS:
        return error_list("json", 400, "format must be json or xml")
    try:
        async with transaction_as(request.app.state.pool, SERVICE_CLAIMS if write else ANON,
                                  user_agent=request.headers.get("user-agent", "")) as conn:
            body = await work(conn)
    except DomainError as exc:
        code = {422: 400, 409: 400, 413: 400}.get(exc.status, exc.status)
        return error_list(fmt, code, exc.message)
    except psycopg.Error as exc:
        found = errors.status_for(exc)
        if found is None:
            log.exception("open311 request failed")
            return error_list(fmt, 400, "the request could not be processed")
        code, message = found
        return error_list(fmt, 400 if code in (409, 422) else code, message)
    return respond(fmt, root, body, status)


async def _form(request: Request) -> dict[str, Any]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise Invalid("send the fields as application/x-www-form-urlencoded")
    raw = await read_capped(request.stream(), limit=FORM_LIMIT,
                            declared=request.headers.get("content-length"))
    try:
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError as exc:
        raise Invalid("the body is not UTF-8") from exc


def _query(request: Request) -> dict[str, Any]:
    return dict(request.query_params)


@router.get("/discovery.{fmt}", summary="Discovery document")
async def discovery(request: Request, fmt: str) -> Response:
    base = str(request.base_url).rstrip("/") + "/open311/v2"
    if fmt not in FORMATS:
        return error_list("json", 400, "format must be json or xml")
    return respond(fmt, "discovery", service.discovery(base))


@router.get("/services.{fmt}", summary="Service list (ordinary categories)")
async def services(request: Request, fmt: str) -> Response:
    code = request.query_params.get("jurisdiction_id")
    return await _answer(request, fmt, "services",
                         lambda c: service.services(c, code=code))


@router.get("/services/{service_code}.{fmt}", summary="Service definition")
async def service_definition(request: Request, service_code: str, fmt: str) -> Response:
    code = request.query_params.get("jurisdiction_id")
    return await _answer(request, fmt, "service_definition",
                         lambda c: service.service_definition(c, code=code,
                                                              service_code=service_code))


@router.post("/requests.{fmt}", summary="File a service request (api_key)")
async def post_request(request: Request, fmt: str) -> Response:
    async def work(conn: Conn) -> Any:
        body = parse(RequestIn, {**_query(request), **await _form(request)})
        return await service.file_request(conn, body=body)
    return await _answer(request, fmt, "service_requests", work, write=True, status=201)


@router.get("/requests.{fmt}", summary="Service requests, newest first")
async def get_requests(request: Request, fmt: str) -> Response:
    async def work(conn: Conn) -> Any:
        return await service.list_requests(conn, query=parse(RequestsQuery, _query(request)))
    return await _answer(request, fmt, "service_requests", work)


@router.get("/requests/{request_id}.{fmt}", summary="One service request")
async def get_request(request: Request, request_id: str, fmt: str) -> Response:
    code = request.query_params.get("jurisdiction_id")
    return await _answer(request, fmt, "service_requests",
                         lambda c: service.get_request(c, code=code, request_id=request_id))


@router.get("/tokens/{token}.{fmt}", summary="The request a token became")
async def get_token(request: Request, token: str, fmt: str) -> Response:
    code = request.query_params.get("jurisdiction_id")
    return await _answer(request, fmt, "service_requests",
                         lambda c: service.token(c, code=code, value=token))


@router.get("/servicerequestupdates.{fmt}", summary="Status updates (mySociety extension)")
async def get_updates(request: Request, fmt: str) -> Response:
    async def work(conn: Conn) -> Any:
        return await service.list_updates(conn, query=parse(UpdatesQuery, _query(request)))
    return await _answer(request, fmt, "service_requests_updates", work)


@router.post("/servicerequestupdates.{fmt}", summary="Post an update (mySociety extension)")
async def post_update(request: Request, fmt: str) -> Response:
    async def work(conn: Conn) -> Any:
        body = parse(UpdateIn, {**_query(request), **await _form(request)})
        return await service.post_update(conn, body=body)
    return await _answer(request, fmt, "service_request_updates", work, write=True)
