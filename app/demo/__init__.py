"""The demo hub built by ``telementor demo``: programs, people, a year of sessions, cases in every
state, attendance and certificates. Not used by the service itself.

``hub`` builds it all (idempotently) from ``data``; ``schedule``, ``cases``, ``presented`` and
``attendance`` each build one part through the same services a coordinator's clicks use.
"""

from app.demo.hub import DEMO_EMAILS, build

__all__ = ["DEMO_EMAILS", "build"]
