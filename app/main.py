"""create_app(): settings, database engine, middleware, routers, static files, error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from app import heap
from app.config import Settings, get_settings
from app.db import make_engine
from app.exports import pdf_pool
from app.deps import csrf_protect
from app.handlers import install_error_handlers, guard
from app.limits import BodyLimitMiddleware
from app.request_log import RequestLogMiddleware, configure_logging
from app.routers import (
    admin, attendance, auth, calendar, case_pages, cases, certificates, credit, health, home, members, profile, programs,
    reviews, sessions,
)
from app.routers import integrations as integration_routes
from app.routers import trends
from app.routers import accreditation as accreditation_routes
from app.routers import measures as measure_routes

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "telementor_session"


def _lifespan(settings: Settings) -> Callable:
    """Settle the heap (app/heap.py) before the PDF render processes start, so they inherit it
    frozen; tests build an app per test and skip both."""
    render_processes = pdf_pool.lifespan(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.env != "test":
            await to_thread.run_sync(heap.settle)
        async with render_processes(app):
            yield

    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="Telementor",
        version="0.1.0",
        description="Session manager for hub-and-spoke telementoring programs (Project ECHO style).",
        dependencies=[Depends(csrf_protect)],
        lifespan=_lifespan(settings),
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.add_middleware(BodyLimitMiddleware)  # inside guard: its 413s carry the security headers
    app.middleware("http")(guard)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=14 * 24 * 3600,
        same_site="lax",
        https_only=settings.is_production,
    )
    app.add_middleware(RequestLogMiddleware)  # outermost: times the whole request
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    routers = (health, auth, home, profile, programs, members, attendance, credit, certificates, sessions, calendar, cases, case_pages, reviews, admin)
    for module in routers:
        app.include_router(module.router)
    app.include_router(integration_routes.router)
    app.include_router(trends.router)
    app.include_router(accreditation_routes.router)
    app.include_router(measure_routes.router)
    return app
