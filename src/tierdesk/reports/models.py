"""Daily roll-ups of the tier history, rebuilt from the timeline by ``reports/rollup.py``.

Nothing here is a source of truth: every row is recomputed wholesale, for its whole day,
from the ticket timeline (``Event``), the tier history (``TierPeriod``) and the ratings.
Deleting all of them and running ``refresh_rollups(full=True)`` gives the same rows back.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Organization, Team, User


class DayNumbers(models.Model):
    """The numbers of one day (desk time zone) that the roll-up tables share.

    A row with ``is_month`` holds a whole calendar month instead (``day`` is its first day):
    the sum of that month's day rows, built once the month is over, so a year reads twelve
    month rows and a few edge days instead of 365 days of histograms."""

    day = models.DateField(_("day"))
    is_month = models.BooleanField(_("whole month"), default=False)
    tier_level = models.PositiveSmallIntegerField(_("tier level"))
    # Resolutions at this tier that day, those that were first-contact resolutions, and
    # those reopened within the reopen window.
    resolved = models.PositiveIntegerField(default=0)
    first_contact = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    # Stints that ended that day: a stint is one stay of a ticket in the tier, from arrival
    # to escalation, de-escalation or resolution (a move between teams of the tier does not
    # end it).
    stints = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    deescalated = models.PositiveIntegerField(default=0)
    # De-escalations that day that brought a ticket back down to this tier after this tier
    # had escalated it: escalations that came back down.
    came_back = models.PositiveIntegerField(default=0)
    # {"<to level>": count} of the stints that ended by moving to another tier.
    moves = models.JSONField(default=dict, blank=True)
    # Stint durations: {"<bucket>": count}; see ``reports/histogram.py``. Wall-clock, and
    # business time on the ticket's SLA calendar (tickets with an SLA policy only).
    minutes = models.JSONField(default=dict, blank=True)
    business_minutes = models.JSONField(default=dict, blank=True)
    # Ratings given that day of resolutions made at this tier.
    csat_count = models.PositiveIntegerField(default=0)
    csat_sum = models.PositiveIntegerField(default=0)
    csat_scores = models.JSONField(default=dict, blank=True)  # {"1": n, ..., "5": n}
    # Per priority: {"<measure>:<priority>:<bucket>": count}; measures ``fr``/``frb`` (time
    # to first response, wall-clock/business, on the day of the first response, at the
    # tier then holding the ticket) and ``res``/``resb`` (opening to resolution).
    priority_minutes = models.JSONField(default=dict, blank=True)
    # SLA: first responses / resolutions that had a target, and those that met it.
    first_response_targets = models.PositiveIntegerField(default=0)
    first_response_met = models.PositiveIntegerField(default=0)
    resolution_targets = models.PositiveIntegerField(default=0)
    resolution_met = models.PositiveIntegerField(default=0)
    # The same per priority: {"<fr_target|fr_met|res_target|res_met>:<priority>": count}.
    sla_priority = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


class TierDay(DayNumbers):
    """What one tier did on one day (desk time zone), for one organization, or for all of
    them together when ``organization`` is empty (so the unfiltered report reads one row per
    tier and day)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )

    class Meta:
        verbose_name = _("tier day")
        verbose_name_plural = _("tier days")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "tier_level", "is_month"],
                condition=Q(organization__isnull=True),
                name="tierday_all_organizations",
            ),
            models.UniqueConstraint(
                fields=["organization", "day", "tier_level", "is_month"],
                condition=Q(organization__isnull=False),
                name="tierday_one_organization",
            ),
        ]
        indexes = [models.Index(fields=["day"], name="tierday_day")]

    def __str__(self) -> str:
        return f"L{self.tier_level} {self.day}"


class SliceDay(DayNumbers):
    """The same numbers split by the ticket's category and the team that held it (the team
    of the tier period the event ended), for the whole desk (``organization`` empty) and per
    organization. Read when a report is filtered by category or team, and for the
    per-category and per-team breakdowns."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    category = models.ForeignKey(
        "tickets.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )

    class Meta:
        verbose_name = _("tier day by category and team")
        verbose_name_plural = _("tier days by category and team")
        indexes = [
            models.Index(fields=["day", "category"], name="sliceday_day_category"),
            models.Index(fields=["organization", "day"], name="sliceday_organization_day"),
        ]

    def __str__(self) -> str:
        return f"L{self.tier_level} {self.day} {self.category_id}/{self.team_id}"


class AgentDay(models.Model):
    """What one agent did at one tier on one day: resolutions, escalations, ratings."""

    day = models.DateField(_("day"))
    agent = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("agent")
    )
    tier_level = models.PositiveSmallIntegerField(_("tier level"))
    resolved = models.PositiveIntegerField(default=0)
    first_contact = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    deescalated = models.PositiveIntegerField(default=0)
    csat_count = models.PositiveIntegerField(default=0)
    csat_sum = models.PositiveIntegerField(default=0)
    # Resolutions by the ticket's category: {"<category id>" or "": count}.
    resolved_categories = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("agent day")
        verbose_name_plural = _("agent days")
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "day", "tier_level"], name="agentday_one_per_tier"
            )
        ]
        indexes = [models.Index(fields=["day"], name="agentday_day")]

    def __str__(self) -> str:
        return f"{self.agent_id} L{self.tier_level} {self.day}"


class RollupState(models.Model):
    """One row: how far the roll-ups have read the timeline, and who is refreshing them."""

    last_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    # When today and yesterday were last recomputed whatever the events said.
    swept_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report roll-up state")
        verbose_name_plural = _("report roll-up state")

    def __str__(self) -> str:
        return f"events ≤ {self.last_event_id}"
