"""The sentence a person reads for a timeline event, rendered in their language when shown.
Events store structured data only (STYLE.md: never translated text in history)."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import Event, EventKind


def _status(value: str | None) -> str:
    if value in Status.values:
        return str(Status(value).label)
    return value or "—"


def _team(value: str | None) -> str:
    return f" ({value})" if value else ""


def describe(event: Event) -> str:
    """One line saying what happened, e.g. “Escalated from L1 to L2 (l2-network)”."""
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.OPENED:
        return str(_("Opened the ticket"))
    if kind == EventKind.REPLY:
        return str(_("Replied"))
    if kind == EventKind.NOTE:
        return str(_("Added an internal note"))
    if kind == EventKind.STATUS_CHANGED:
        return str(
            format_lazy(
                _("Changed status from “{old}” to “{new}”"),
                old=_status(data.get("from")),
                new=_status(data.get("to")),
            )
        )
    if kind == EventKind.ASSIGNED:
        if data.get("to"):
            return str(format_lazy(_("Assigned to {agent}"), agent=data["to"]))
        return str(_("Released the ticket"))
    if kind == EventKind.ESCALATED:
        return str(
            format_lazy(
                _("Escalated from L{old} to L{new}{team}"),
                old=data.get("from_tier"),
                new=data.get("to_tier"),
                team=_team(data.get("to_team")),
            )
        )
    if kind == EventKind.DEESCALATED:
        return str(
            format_lazy(
                _("Sent back from L{old} to L{new}{team}"),
                old=data.get("from_tier"),
                new=data.get("to_tier"),
                team=_team(data.get("to_team")),
            )
        )
    if kind == EventKind.TRANSFERRED:
        return str(
            format_lazy(
                _("Moved from team {old} to team {new}"),
                old=data.get("from_team") or "—",
                new=data.get("to_team") or "—",
            )
        )
    if kind == EventKind.FIELD_CHANGED:
        return str(
            format_lazy(
                _("Changed {field} from {old} to {new}"),
                field=data.get("field"),
                old=data.get("from") or "—",
                new=data.get("to") or "—",
            )
        )
    if kind == EventKind.RESOLVED:
        return str(format_lazy(_("Resolved at L{tier}"), tier=data.get("tier")))
    if kind == EventKind.REOPENED:
        return str(_("Reopened the ticket"))
    if kind == EventKind.RATED:
        return str(format_lazy(_("Rated the resolution {score} of 5"), score=data.get("score")))
    return str(event.get_kind_display())
