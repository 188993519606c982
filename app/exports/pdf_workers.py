"""Warm, long-lived PDF render processes, shared by the threads of a process.

WeasyPrint lays a document out on one core, and building its fonts and parsing the stylesheets
costs ~0.5 s; a server whose threads each built their own paid that on the first PDF of every
thread. Instead a small pool of processes is started once (``start``: at server start-up, warmed
by their initializer before any request needs them), renders every PDF the server makes
(``run`` for one document, ``map`` for a large batch cut into one contiguous chunk per process,
parts back in input order), and is shut down when the server exits (``shutdown``: from the
application's lifespan, and at interpreter exit as a last resort). A render process also exits
on its own when its parent is gone (killed without a chance to shut the pool down), so no
process outlives the server.

Workers are spawned, never forked (the web server runs threads, and a forked child of a threaded
process can deadlock). Each is replaced after TASKS_PER_PROCESS tasks, so the memory of large
documents goes back to the system; the replacement warms as it starts.

If worker processes cannot be started or die, the work is done in process instead: slower,
never lost.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

logger = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

# More processes than this buy little for one request and hold memory for all of them.
MAX_DEFAULT_WORKERS = 4
# Handing a chunk to another process costs tens of milliseconds (pickling, queues); below this
# many certificates per chunk, one process is as fast.
MIN_CHUNK = 50
# A process is replaced after this many tasks (single documents or chunks of a batch).
TASKS_PER_PROCESS = 200
# How often a render process checks that the process that started it is still there.
PARENT_CHECK_SECONDS = 2.0


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    return max(1, min(MAX_DEFAULT_WORKERS, available_cpus()))


def chunk_count(items: int, workers: int) -> int:
    """How many chunks to cut a batch into: one per worker, none smaller than MIN_CHUNK."""
    return max(1, min(workers, items // MIN_CHUNK))


def split_evenly(items: Sequence[Item], parts: int) -> list[list[Item]]:
    """Contiguous chunks in order whose sizes differ by at most one."""
    size, extra = divmod(len(items), parts)
    chunks, start = [], 0
    for index in range(parts):
        end = start + size + (index < extra)
        chunks.append(list(items[start:end]))
        start = end
    return chunks


def watch_parent(parent_pid: int, *, interval: float = PARENT_CHECK_SECONDS) -> None:
    """In a render process: exit as soon as the process that started it is gone (killed with
    SIGKILL, say, before it could shut its pool down), instead of waiting on its queue forever."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _start_worker(parent_pid: int, initializer: Callable[[], object] | None) -> None:
    watch_parent(parent_pid)
    if initializer is not None:
        initializer()


class WorkerPool:
    """A pool of spawned worker processes, shared by the threads of a process: started (and
    warmed) with ``start`` or on first use, kept until ``shutdown``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._key: tuple | None = None

    def start(self, *, workers: int, initializer: Callable[[], object] | None = None) -> list[int]:
        """Start the processes now and wait until each has run ``initializer`` (warm): the first
        request then finds them ready. Returns their process ids."""
        executor = self._executor_for(workers, initializer)
        # Each submission that finds no idle process spawns one, so `workers` quick tasks submitted
        # together start them all; a task only runs after its process's initializer has.
        futures = [executor.submit(os.getpid) for _ in range(workers)]
        for future in futures:
            future.result()
        return self.process_ids()

    def process_ids(self) -> list[int]:
        with self._lock:
            if self._executor is None:
                return []
            return sorted(process.pid for process in (self._executor._processes or {}).values())

    def run(self, function: Callable[..., Result], *args: object, workers: int,
            initializer: Callable[[], object] | None = None) -> Result | None:
        """``function(*args)`` in a worker process; None when no worker could do it (the caller
        then works in process). An exception raised by ``function`` itself is raised here."""
        try:
            future = self._executor_for(workers, initializer).submit(function, *args)
        except (BrokenProcessPool, OSError, RuntimeError) as error:  # RuntimeError: shut down meanwhile
            return self._unavailable(error)
        try:
            return future.result()
        except (BrokenProcessPool, OSError) as error:
            return self._unavailable(error)

    def _unavailable(self, error: Exception) -> None:
        logger.warning("PDF worker processes unavailable (%s); rendering in process", type(error).__name__)
        self.shutdown()
        return None

    def map(self, function: Callable[[list[Item]], Result], chunks: list[list[Item]], *,
            workers: int, initializer: Callable[[], object] | None = None) -> list[Result] | None:
        """``function`` applied to each chunk in a worker process, results in chunk order; None
        when no worker could do it (the caller then works in process). An exception raised by
        ``function`` itself is raised here, as it would be in process."""
        try:
            executor = self._executor_for(workers, initializer)
            futures = [executor.submit(function, chunk) for chunk in chunks]
            return [future.result() for future in futures]
        except (BrokenProcessPool, OSError) as error:
            logger.warning("PDF worker processes unavailable (%s); rendering in process",
                           type(error).__name__)
            self.shutdown()
            return None

    def _executor_for(self, workers: int,
                      initializer: Callable[[], object] | None) -> ProcessPoolExecutor:
        key = (workers, initializer)
        with self._lock:
            if self._executor is None or self._key != key:
                if self._executor is not None:
                    self._executor.shutdown(wait=True)
                self._executor = ProcessPoolExecutor(
                    max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker, initargs=(os.getpid(), initializer),
                    max_tasks_per_child=TASKS_PER_PROCESS)
                self._key = key
            return self._executor

    def shutdown(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor, self._key = None, None


pool = WorkerPool()
# The application's lifespan shuts the pool down; this covers every other way out of the process
# (the worker command, a script, a test run).
atexit.register(pool.shutdown)
