"""The warm PDF render processes over the web service's life: started and warmed before the
first request is accepted, shut down when the service stops (SIGTERM included: uvicorn runs the
lifespan's exit on it), so no render process outlives `telementor serve`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from anyio import to_thread

from app.config import Settings
from app.exports import pdf_workers
from app.exports.pdf import warm_up

log = logging.getLogger("telementor.pdf")


def workers_of(settings: Settings) -> int:
    return pdf_workers.default_workers() if settings.pdf_workers is None else settings.pdf_workers


def lifespan(settings: Settings) -> Callable:
    @asynccontextmanager
    async def render_processes(_app) -> AsyncIterator[None]:
        workers = workers_of(settings)
        # Tests build an app per test: they start the processes on first use instead, so a test
        # that renders nothing does not pay seconds for them.
        if workers >= 1 and settings.env != "test":
            pids = await to_thread.run_sync(lambda: pdf_workers.pool.start(workers=workers, initializer=warm_up))
            log.info("%d warm PDF render process(es) started", len(pids))
        try:
            yield
        finally:
            await to_thread.run_sync(pdf_workers.pool.shutdown)
    return render_processes
