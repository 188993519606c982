"""Domain errors. Services raise them; only the handlers in app.main turn them into HTTP."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    title = "Bad request"

    def __init__(self, message: str = "", *, fields: dict[str, str] | None = None,
                 extra: dict | None = None) -> None:
        super().__init__(message or self.title)
        self.message = message or self.title
        self.fields = fields or {}
        # More structured detail for the JSON body (for example the PHI findings of a refused save).
        self.extra = extra or {}


class NotFound(DomainError):
    status_code = 404
    title = "Not found"


class Forbidden(DomainError):
    status_code = 403
    title = "Forbidden"


class NotAuthenticated(DomainError):
    status_code = 401
    title = "Sign-in required"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"


class InvalidInput(DomainError):
    """Input that fails validation; `fields` maps each field name to its message."""

    status_code = 422
    title = "Please correct the highlighted fields"


class InvalidTransition(DomainError):
    status_code = 409
    title = "This change is not allowed now"


class TooManyAttempts(DomainError):
    status_code = 429
    title = "Too many attempts"
