"""The app served by uvicorn in a thread, for tests that fire requests in parallel: each request
runs in the server's thread pool with its own database session, as in production."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
import uvicorn

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_server(app, *, port: int | None = None, lifespan: str = "off") -> Iterator[str]:
    """Serve ``app`` on loopback (a free port unless given) until the block ends."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def at_once(count: int, request: Callable[[httpx.Client], httpx.Response], *, base_url: str,
            cookies: httpx.Cookies | None = None) -> list[httpx.Response]:
    """`count` requests sent together from as many threads (a barrier releases them at once)."""
    barrier = threading.Barrier(count)

    def one(_: int) -> httpx.Response:
        with httpx.Client(base_url=base_url, cookies=cookies, timeout=30, follow_redirects=False) as client:
            barrier.wait()
            return request(client)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


@pytest.fixture
def server(app) -> Iterator[str]:
    """The test's app, live on a loopback port."""
    with live_server(app) as base_url:
        yield base_url


def browser_session(base_url: str, email: str, password: str) -> tuple[httpx.Cookies, str]:
    """A signed-in browser's cookies and CSRF token, to share between parallel requests (a double click)."""
    with httpx.Client(base_url=base_url, follow_redirects=False) as browser:
        token = CSRF_RE.search(browser.get("/password/forgot").text).group(1)
        response = browser.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"})
        assert response.status_code == 303, response.text
        token = CSRF_RE.search(browser.get("/password/forgot").text).group(1)
        return browser.cookies, token
