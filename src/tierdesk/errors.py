"""Domain errors shared by every app.

An action raises one of these *before* it changes anything. Each adapter turns it
into its own kind of answer in one place (the API into JSON ``{detail, code}``
with ``status``), so a refusal is never a 500. ``message`` is a lazy translation,
rendered in the language of whoever reads it.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: Any, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it exists."""

    status = 404
    code = "not_found"


class NotAllowed(DomainError):
    """The actor may see the object but not do this to it."""

    status = 403
    code = "permission_denied"


class InvalidInput(DomainError):
    """A value is missing, malformed or out of range."""

    status = 422
    code = "invalid_input"


class Conflict(DomainError):
    """The request is valid but the object's current state refuses it."""

    status = 409
    code = "conflict"
