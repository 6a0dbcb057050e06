"""Within this app only: any save or delete of an SLA settings row (admin, API, shell,
cascades) replaces the revision token in the same transaction, so every process's cache of
SLA terms (``services.py``) sees the change with its next lookup. Bulk writes, which send no
signals, call ``services.bump_revision()`` themselves."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from tierdesk.sla import models

WATCHED = (
    models.Calendar,
    models.WorkingInterval,
    models.ClosedDate,
    models.Policy,
    models.PolicyTarget,
    models.TierTarget,
    models.OrganizationPolicy,
)


def _changed(sender, raw: bool = False, **kwargs) -> None:
    if raw:  # loading fixtures
        return
    from tierdesk.sla.services import bump_revision

    bump_revision()


def connect() -> None:
    for model in WATCHED:
        post_save.connect(
            _changed, sender=model, dispatch_uid=f"sla-revision-save-{model.__name__}"
        )
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"sla-revision-delete-{model.__name__}"
        )
