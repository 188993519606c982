"""A serving process freezes its long-lived heap after start-up (app/heap.py)."""

from __future__ import annotations

import gc

from app import heap


def test_settle_loads_the_detector_and_freezes_what_lives_on() -> None:
    try:
        heap.settle()
        assert gc.get_freeze_count() > 10_000  # the detector's data, the modules, the app
        before = gc.get_count()[2]
        gc.collect(2)  # a full collection no longer walks them
        assert gc.get_count()[2] <= before
    finally:
        gc.unfreeze()  # tests go on building apps: let them be collected
