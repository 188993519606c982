"""Large certificate batches on several cores.

WeasyPrint lays a document out on one core, at a cost of a few milliseconds per page however
little the page holds, so the certificates of a large session are cut into one contiguous chunk
per worker process. Each worker renders its chunk exactly as a batch is rendered in process (one
batched document, split into one PDF per learner) and the parts come back in input order.

Workers are spawned, never forked (the web server runs threads, and a forked child of a threaded
process can deadlock), and warm their fonts and stylesheets as they start. Each worker exits after
one chunk, so the memory of a large document goes back to the system; the pool starts a
replacement at once, which is warm by the time the next batch comes.

If worker processes cannot be started or die, the batch is rendered in process instead: slower,
never lost.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
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


class WorkerPool:
    """A lazily started pool of spawned worker processes, shared by the threads of a process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._key: tuple | None = None

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
                    initializer=initializer, max_tasks_per_child=1)
                self._key = key
            return self._executor

    def shutdown(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor, self._key = None, None


pool = WorkerPool()
