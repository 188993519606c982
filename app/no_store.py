"""Responses that carry case text must not be kept by the browser or any cache between.

A router whose pages or JSON can show case text is made with ``APIRouter(route_class=NoStoreRoute)``:
each response of its routes is sent with ``Cache-Control: no-store`` (a shared computer's back
button or disk cache then holds no case).  A route's own response object gets the header, so this
works for returned templates, JSON, PDFs and redirects alike.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

NO_STORE = "no-store"


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = NO_STORE
    return response


class NoStoreRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle_without_storing(request: Request) -> Response:
            return no_store(await handler(request))

        return handle_without_storing
