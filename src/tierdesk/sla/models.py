"""Business calendars, SLA policies and which organization has which policy.

Rows edited by admins (admin site or API); the arithmetic lives in ``businesstime.py`` and
turning rows into plain values in ``services.py``. Nothing here knows about tickets.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Organization, Tier
from tierdesk.sla.validation import (
    validate_holiday_country,
    validate_time_zone,
)

PRIORITIES = [
    ("P1", _("P1 – Critical")),
    ("P2", _("P2 – High")),
    ("P3", _("P3 – Medium")),
    ("P4", _("P4 – Low")),
]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Calendar(models.Model):
    """When the service desk works: hours per weekday in a time zone, less holidays."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Jakarta", validators=[validate_time_zone]
    )
    is_24x7 = models.BooleanField(
        _("around the clock (24x7)"),
        default=False,
        help_text=_("Every minute counts, holidays too; working hours are ignored."),
    )
    holiday_country = models.CharField(
        _("public holidays of"),
        max_length=8,
        blank=True,
        default="ID",
        validators=[validate_holiday_country],
        help_text=_("Country code, e.g. ID for Indonesia; empty for no public holidays."),
    )
    holiday_subdivision = models.CharField(
        _("region"), max_length=16, blank=True, help_text=_("Optional province or state code.")
    )
    include_joint_leave = models.BooleanField(
        _("joint leave days are closed"),
        default=True,
        help_text=_("Also close on government joint leave days (cuti bersama)."),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.holiday_subdivision and self.holiday_country:
            from tierdesk.sla.validation import validate_holiday_subdivision

            validate_holiday_subdivision(self.holiday_country, self.holiday_subdivision)


class WorkingInterval(models.Model):
    """One stretch of working hours on a weekday. An end at or before the start runs past
    midnight into the next day (22:00–06:00); 00:00–00:00 is the whole day."""

    calendar = models.ForeignKey(
        Calendar, on_delete=models.CASCADE, related_name="intervals", verbose_name=_("calendar")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["weekday", "start"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def length_minutes(self) -> int:
        return interval_length(self.start, self.end)


def interval_length(start, end) -> int:
    begin = start.hour * 60 + start.minute
    finish = end.hour * 60 + end.minute
    length = (finish - begin) % (24 * 60)
    return length or 24 * 60


class ClosedDate(models.Model):
    """A day the desk is closed besides the public holidays (company holiday, office move)."""

    calendar = models.ForeignKey(
        Calendar,
        on_delete=models.CASCADE,
        related_name="closed_dates",
        verbose_name=_("calendar"),
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("why"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("closed date")
        verbose_name_plural = _("closed dates")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="one_closed_date_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class Policy(models.Model):
    """Targets for first response and resolution per priority, measured on a calendar."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    calendar = models.ForeignKey(
        Calendar, on_delete=models.PROTECT, related_name="policies", verbose_name=_("calendar")
    )
    is_default = models.BooleanField(
        _("default policy"),
        default=False,
        help_text=_("Applies to organizations without a policy of their own."),
    )
    warning_fraction = models.FloatField(
        _("warn at"),
        default=0.75,
        validators=[MinValueValidator(0.01), MaxValueValidator(0.99)],
        help_text=_("Fraction of a target after which a warning is raised, e.g. 0.75."),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_policy"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.warning_fraction is not None and not 0 < self.warning_fraction < 1:
            raise ValidationError(
                {"warning_fraction": _("The warning fraction must be between 0 and 1.")}
            )


class EscalationTrigger(models.TextChoices):
    NONE = "none", _("No automatic escalation")
    WARNING = "warning", _("On warning")
    BREACH = "breach", _("On breach")


class EscalationKind(models.TextChoices):
    HIERARCHICAL = "hierarchical", _("Hierarchical: notify and assign to the supervisor")
    FUNCTIONAL = "functional", _("Functional: move up one tier with a handoff")


POSITIVE_MINUTES = [MinValueValidator(1, _("A target must be at least one minute."))]


class PolicyTarget(models.Model):
    """First-response and resolution targets of one priority, in business minutes."""

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="targets", verbose_name=_("policy")
    )
    priority = models.CharField(_("priority"), max_length=2, choices=PRIORITIES)
    first_response_minutes = models.PositiveIntegerField(
        _("first response (business minutes)"), validators=POSITIVE_MINUTES
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution (business minutes)"), validators=POSITIVE_MINUTES
    )
    escalation_trigger = models.CharField(
        _("escalate"),
        max_length=10,
        choices=EscalationTrigger.choices,
        default=EscalationTrigger.NONE,
    )
    escalation_kind = models.CharField(
        _("escalation"),
        max_length=15,
        choices=EscalationKind.choices,
        default=EscalationKind.HIERARCHICAL,
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["priority"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "priority"], name="one_target_per_priority"),
            models.CheckConstraint(
                condition=Q(first_response_minutes__gt=0) & Q(resolution_minutes__gt=0),
                name="targets_are_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.priority}"


class TierTarget(models.Model):
    """How long one tier may hold a ticket of a priority before it resolves or escalates it."""

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="tier_targets", verbose_name=_("policy")
    )
    priority = models.CharField(_("priority"), max_length=2, choices=PRIORITIES)
    tier = models.ForeignKey(
        Tier, on_delete=models.CASCADE, related_name="+", verbose_name=_("tier")
    )
    minutes = models.PositiveIntegerField(_("business minutes"), validators=POSITIVE_MINUTES)

    class Meta:
        verbose_name = _("tier target")
        verbose_name_plural = _("tier targets")
        ordering = ["priority", "tier__level"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "priority", "tier"], name="one_tier_target_per_priority"
            ),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="tier_target_is_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.priority} L{self.tier.level}"


class OrganizationPolicy(models.Model):
    """The contract: which policy an organization's tickets are measured by."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="sla_policy",
        verbose_name=_("organization"),
    )
    policy = models.ForeignKey(
        Policy,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("policy"),
    )

    class Meta:
        verbose_name = _("organization's SLA policy")
        verbose_name_plural = _("organizations' SLA policies")

    def __str__(self) -> str:
        return f"{self.organization} → {self.policy}"


class Revision(models.Model):
    """One row whose ``token`` changes (to a fresh random value, never reused, so a rolled
    back change cannot be mistaken for a committed one) in the same transaction as any change
    to a calendar, its hours or closed dates, a policy, its targets or an organization's
    contract. Processes cache the SLA terms per token: checking it is one primary-key read."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SLA settings revision")
        verbose_name_plural = _("SLA settings revisions")

    def __str__(self) -> str:
        return self.token


class Recalculation(models.Model):
    """Open tickets whose due times must be computed again after a policy or calendar edit:
    those measured by ``policy`` and those of ``organization_ids`` (whose contract changed).
    The background worker works through them in batches of ticket ids above
    ``next_ticket_id`` and sets ``finished_at``; a newer request for the same policy makes
    an unfinished older one redundant."""

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organization_ids = models.JSONField(default=list, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    next_ticket_id = models.BigIntegerField(default=0)
    tickets = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("due-time recalculation")
        verbose_name_plural = _("due-time recalculations")
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(finished_at__isnull=True),
                name="sla_recalculation_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.requested_at:%Y-%m-%d %H:%M}"
