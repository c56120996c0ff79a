"""The FastAPI application: `uvicorn app.main:app` or `create_app(settings)`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from app import errors
from app.auth import TokenVerifier
from app.authserver import build as authserver_build
from app.authserver.router import install as install_authserver
from app.authserver.router import router as authserver_router
from app.casework.router import router as casework_router
from app.citizen.router import api as citizen_api
from app.citizen.router import pages as citizen_pages
from app.config import Settings, get_settings
from app.dashboard.router import router as dashboard_router
from app.db import open_pool
from app.duplicates.router import router as duplicates_router
from app.fieldwork.router import router as fieldwork_router
from app.guard import RequestGuard
from app.health.router import router as health_router
from app.identity import people
from app.identity.router import router as identity_router
from app.media.router import router as media_router
from app.municipality.router import router as municipality_router
from app.notes.router import router as notes_router
from app.notify.router import router as notify_router
from app.observability import docs as offline_docs
from app.observability import logs
from app.observability.middleware import ObservabilityMiddleware
from app.observability.router import router as metrics_router
from app.open311.router import router as open311_router
from app.places.router import router as places_router
from app.popia.router import router as popia_router
from app.realtime import wire as realtime_wire
from app.realtime.router import router as realtime_router
from app.replies.router import router as replies_router
from app.setup.router import router as setup_router
from app.staff.router import router as staff_router
from app.stats.router import router as stats_router
from app.storage import gateway as storage_gateway
from app.storage import service as storage_service
from app.templates.router import router as templates_router
from app.tickets.router import router as tickets_router
from app.verification.router import router as verification_router
from app.whatsapp.router import router as whatsapp_router

log = logging.getLogger("salga")


def routers(settings: Settings) -> list[APIRouter]:
    """Every router the app serves; local-mode gateways only without SUPABASE_URL."""
    found = [health_router, identity_router, tickets_router, dashboard_router, media_router,
             verification_router, whatsapp_router, notify_router, setup_router,
             notes_router, casework_router, stats_router, places_router, staff_router,
             duplicates_router, open311_router, popia_router,
             templates_router, metrics_router, replies_router, fieldwork_router,
             municipality_router,
             citizen_api, citizen_pages]
    if settings.local_mode:
        found.append(realtime_router)
        found.append(storage_gateway.router)
        found.append(authserver_router)
    return found


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.check()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await app.state.pool.open(wait=False)
        local_auth = app.state.authserver
        if local_auth is not None:
            await local_auth.pool.open(wait=False)
            forget_auth = people.serve_people_with(local_auth)
        try:
            yield
        finally:
            if local_auth is not None:
                forget_auth()
                await local_auth.pool.close()
            await app.state.pool.close()

    app = FastAPI(
        title="SALGA Trust Engine",
        version="0.1.0",
        summary="Municipal service-delivery reports, routed, tracked and audited.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.pool = open_pool(
        settings.database_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max
    )
    app.state.verifier = TokenVerifier(settings)
    app.state.storage, app.state.local_store = storage_service.build(settings, app.state.pool)
    app.state.authserver = authserver_build(settings) if settings.local_mode else None
    errors.install(app)
    app.add_middleware(RequestGuard)
    install_authserver(app)
    offline_docs.install(app)
    app.add_middleware(ObservabilityMiddleware)
    app.add_middleware(realtime_wire.ServerSocket)  # outermost: see app/realtime/wire.py
    for router in routers(settings):
        app.include_router(router)
    return app


def app_factory() -> FastAPI:
    """For `uvicorn --factory app.main:app_factory`: JSON log lines, then the app."""
    settings = get_settings()
    if settings.log_format == "json":
        logs.configure(settings.log_level)
    return create_app(settings)
