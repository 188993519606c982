"""Zoom and Microsoft Teams through their public APIs (httpx): meetings made for sessions and
attendance reports fetched after them. The HTTP clients here know nothing of the database; the
worker (jobs.py) reads what it needs, closes its transaction, calls the platform, then writes the
outcome in a new transaction. Sources of every API shape: docs/integrations.md."""
