"""Checks on the plain values an action receives, shared by every app's actions. Each refusal
is an ``InvalidInput`` naming the field, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.errors import InvalidInput


def clean_text(
    value: Any, *, field: str, label: Any, max_length: int, required: bool = True
) -> str:
    """``value`` stripped; refused when it is not text, holds NUL characters (PostgreSQL
    refuses them), is empty while required, or is longer than ``max_length``."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(format_lazy(_("{field} must be text."), field=label), field=field)
    text = (value or "").strip()
    if "\x00" in text:
        raise InvalidInput(
            format_lazy(_("{field} must not contain NUL characters."), field=label), field=field
        )
    if required and not text:
        raise InvalidInput(format_lazy(_("{field} is required."), field=label), field=field)
    if len(text) > max_length:
        raise InvalidInput(
            format_lazy(
                _("{field} is too long (at most {limit} characters)."),
                field=label,
                limit=max_length,
            ),
            field=field,
        )
    return text


def clean_choice(
    value: Any, choices: type, *, field: str, label: Any, required: bool = False
) -> str | None:
    """One of ``choices.values``; empty gives None unless ``required``."""
    if (value is None or value == "") and not required:
        return None
    if value not in choices.values:
        raise InvalidInput(
            format_lazy(
                _("{field} must be one of: {allowed}."),
                field=label,
                allowed=", ".join(choices.values),
            ),
            field=field,
        )
    return value
