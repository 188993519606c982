"""Keep the garbage collector off the long-lived heap of a serving process.

The PHI detector's word lists and model, the templates, the routes and the ORM's metadata are
loaded once and live as long as the process: hundreds of thousands of objects that CPython's
cycle collector walks again at every full collection.  A page that builds many objects (the
trends page's eight charts) set one off every few requests: 150-180 ms of a 120 ms page (measured
with benchmarks/trends.py at the scale of a hub network).  After start-up those objects are moved
to the permanent generation (gc.freeze), which collections skip; what requests make is collected
as before.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger("telementor")


def settle() -> None:
    """Load what every process needs sooner or later (the PHI detector's data, so the first case
    checked does not pay for it), collect once, then freeze what is left."""
    from app.redaction import find_phi

    find_phi("Warm-up: Maria Lopez, seen 3/4/2024 at Gallup Indian Medical Center, MRN 123456.\n"
             "her son sevdinar was reffered from wamego; PATIENT'S SISTER SIDDHARTH CALLED.")
    gc.collect()
    gc.freeze()
    log.info("heap settled: %d long-lived objects frozen", gc.get_freeze_count())
