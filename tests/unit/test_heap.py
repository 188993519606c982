"""A serving process freezes its long-lived heap after start-up (app/heap.py)."""

from __future__ import annotations

import gc

from app import heap


def test_settle_loads_the_detector_and_freezes_what_lives_on() -> None:
    try:
        heap.settle()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the detector's data, the modules, the app
        # A full collection walks the oldest generation: the frozen objects are no longer in it.
        assert len(gc.get_objects(generation=2)) < frozen / 10
    finally:
        gc.unfreeze()  # tests go on building apps: let them be collected
