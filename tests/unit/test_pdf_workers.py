"""Large certificate batches in worker processes: same certificates, same order, and a batch is
never lost when workers cannot run."""

from __future__ import annotations

import logging
import os
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.exports import pdf_workers
from app.exports.pdf import render_certificates_batch
from app.exports.pdf_workers import WorkerPool, chunk_count, split_evenly
from tests.unit.test_pdf_certificates import qr_modules
from tests.unit.test_pdf_samples import make_certificate, pdf_text


def test_split_evenly_keeps_order_and_sizes_differ_by_at_most_one():
    chunks = split_evenly(list(range(11)), 3)
    assert chunks == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]
    assert split_evenly([1, 2], 2) == [[1], [2]]


def test_chunk_count_one_per_worker_but_no_chunk_below_the_minimum():
    assert chunk_count(10 * pdf_workers.MIN_CHUNK, 4) == 4
    assert chunk_count(3 * pdf_workers.MIN_CHUNK, 4) == 3
    assert chunk_count(2 * pdf_workers.MIN_CHUNK - 1, 4) == 1
    assert chunk_count(1000, 1) == chunk_count(1000, 0) == 1
    assert chunk_count(0, 4) == 1


@pytest.fixture
def small_chunks(monkeypatch):
    """Worker processes for a batch of a few certificates (normally only large ones use them)."""
    monkeypatch.setattr(pdf_workers, "MIN_CHUNK", 2)
    yield
    pdf_workers.pool.shutdown()


def test_batch_in_workers_gives_each_learner_their_own_certificate_in_order(small_chunks):
    names = ["Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Mary Jackson", "Edith Clarke"]
    certificates = [make_certificate(learner_name=name, code=f"W{index:04d}", revoked=index == 3)
                    for index, name in enumerate(names)]
    in_workers = render_certificates_batch(certificates, workers=2)
    in_process = render_certificates_batch(certificates, workers=1)
    assert len(in_workers) == len(names)
    for index, (part, reference) in enumerate(zip(in_workers, in_process, strict=True)):
        assert len(PdfReader(BytesIO(part)).pages) == 1
        text = pdf_text(part)
        assert [name for name in names if name in text] == [names[index]]
        assert text == pdf_text(reference)
        assert qr_modules(part) == qr_modules(reference)
        assert ("REVOKED" in text) == (index == 3)


def _exit_abruptly(chunk: list[int]) -> list[int]:
    os._exit(3)  # a worker killed mid-batch (out of memory, say)


def _fail(chunk: list[int]) -> list[int]:
    raise ValueError(f"bad chunk {chunk}")


def _double(chunk: list[int]) -> list[int]:
    return [2 * item for item in chunk]


def test_worker_pool_returns_results_in_chunk_order():
    pool = WorkerPool()
    try:
        assert pool.map(_double, [[1, 2], [3], [4, 5]], workers=2) == [[2, 4], [6], [8, 10]]
    finally:
        pool.shutdown()


def test_worker_pool_that_dies_reports_none_so_the_caller_renders_in_process(caplog):
    pool = WorkerPool()
    with caplog.at_level(logging.WARNING, logger="app.exports.pdf_workers"):
        assert pool.map(_exit_abruptly, [[1], [2]], workers=2) is None
    assert "rendering in process" in caplog.text
    # The broken pool was dropped: the next batch gets fresh workers.
    try:
        assert pool.map(_double, [[1], [2]], workers=2) == [[2], [4]]
    finally:
        pool.shutdown()


def test_worker_pool_raises_the_rendering_error_itself():
    pool = WorkerPool()
    try:
        with pytest.raises(ValueError, match="bad chunk"):
            pool.map(_fail, [[1], [2]], workers=2)
    finally:
        pool.shutdown()


def test_batch_is_rendered_in_process_when_workers_fail(small_chunks, monkeypatch):
    monkeypatch.setattr(pdf_workers.pool, "map", lambda *args, **kwargs: None)
    certificates = [make_certificate(learner_name=f"Learner {index}", code=f"F{index}")
                    for index in range(4)]
    parts = render_certificates_batch(certificates, workers=2)
    assert [f"Learner {index}" in pdf_text(part) for index, part in enumerate(parts)] == [True] * 4


ORPHAN_SCRIPT = """
import sys, time
from app.exports.pdf_workers import WorkerPool
pool = WorkerPool()
print(*pool.start(workers=1), flush=True)
time.sleep(120)
"""


def test_a_render_process_exits_when_its_parent_is_killed_without_shutting_it_down():
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    parent = subprocess.Popen([sys.executable, "-c", ORPHAN_SCRIPT], cwd=Path(__file__).resolve().parents[2],
                              stdout=subprocess.PIPE, text=True)
    try:
        [child] = [int(pid) for pid in parent.stdout.readline().split()]
        assert Path(f"/proc/{child}").exists()
    finally:
        parent.send_signal(signal.SIGKILL)  # no lifespan, no atexit: only the child's own watch can help
        parent.wait(10)
    deadline = time.monotonic() + 4 * pdf_workers.PARENT_CHECK_SECONDS + 5
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists()
