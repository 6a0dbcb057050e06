"""tierdesk sla explain TD-000123: why a ticket is (or is not) overdue."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.sla.models import Policy, PolicyTarget, TierTarget
from tierdesk.sla.validation import WEEKDAY_NAMES
from tierdesk.tickets.actions.clocks import business_minutes_spent
from tierdesk.tickets.models import EventKind, Ticket, parse_ticket_number


class Command(BaseCommand):
    help = (
        "Service-level clocks. `tierdesk sla explain TD-000123` prints the policy and why it "
        "applies, the calendar, the pauses, the business time spent and every due time of one "
        "ticket: the answer to “why is this overdue?”."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        explain = sub.add_parser("explain", help="Explain the SLA clocks of one ticket.")
        explain.add_argument("ticket", help="Ticket number, e.g. TD-000123.")

    def handle(self, *args, verb: str, ticket: str, **options) -> None:
        ticket_id = parse_ticket_number(ticket)
        row = (
            Ticket.objects.select_related("organization", "tier", "sla_policy__calendar")
            .filter(pk=ticket_id or 0)
            .first()
        )
        if row is None:
            raise CommandError(_("Ticket not found."))
        self.explain(row)

    def line(self, label: str, value: object = "") -> None:
        self.stdout.write(f"{label:<28} {value}".rstrip())

    def explain(self, ticket: Ticket) -> None:
        now = timezone.now()
        policy: Policy | None = ticket.sla_policy
        zone = ZoneInfo(policy.calendar.time_zone if policy else ticket.organization.time_zone)

        def when(moment: datetime | None) -> str:
            if moment is None:
                return "—"
            local = moment.astimezone(zone)
            late = ""
            if moment < now:
                late = _(" (passed)")
            return (
                f"{local:%Y-%m-%d %H:%M %Z} / {moment.astimezone(ZoneInfo('UTC')):%H:%M} UTC{late}"
            )

        self.line(_("Ticket"), f"{ticket.number} {ticket.subject}")
        self.line(_("Status"), ticket.get_status_display())
        self.line(_("Priority"), ticket.get_priority_display())
        self.line(_("Organization"), ticket.organization.name)
        self.line(_("Tier"), ticket.tier.code)
        self.line(_("Opened"), when(ticket.created_at))
        if policy is None:
            self.line(_("SLA policy"), _("none: no default policy and no contract"))
            return
        self.line(_("SLA policy"), f"{policy.name} ({ticket.get_sla_policy_reason_display()})")
        calendar = policy.calendar
        if calendar.is_24x7:
            hours = _("24x7")
        else:
            hours = ", ".join(
                f"{WEEKDAY_NAMES[i.weekday]} {i.start:%H:%M}–{i.end:%H:%M}"
                for i in calendar.intervals.all()
            )
        self.line(_("Calendar"), f"{calendar.name}, {calendar.time_zone}")
        self.line(_("Working hours"), hours)
        if not calendar.is_24x7:
            holidays = calendar.holiday_country or _("none")
            self.line(_("Public holidays"), holidays)
            closed = ", ".join(f"{d.date:%Y-%m-%d}" for d in calendar.closed_dates.all()[:20])
            if closed:
                self.line(_("Closed dates"), closed)
        target = PolicyTarget.objects.filter(policy=policy, priority=ticket.priority).first()
        if target is not None:
            self.line(
                _("Targets"),
                _("first response %(first)s min, resolution %(resolution)s min")
                % {"first": target.first_response_minutes, "resolution": target.resolution_minutes},
            )
            trigger = target.get_escalation_trigger_display()
            self.line(_("Escalation rule"), f"{trigger} / {target.get_escalation_kind_display()}")
        tier_target = TierTarget.objects.filter(
            policy=policy, priority=ticket.priority, tier=ticket.tier
        ).first()
        if tier_target is not None:
            self.line(_("Tier target"), f"{ticket.tier.code}: {tier_target.minutes} min")
        self.line(_("Warning at"), f"{policy.warning_fraction:.0%}")
        self.stdout.write("")
        self.line(_("Pauses"))
        pause_start = None
        for event in ticket.events.filter(
            kind__in=[EventKind.SLA_PAUSED, EventKind.SLA_RESUMED, EventKind.RESOLVED]
        ).order_by("created_at", "id"):
            if event.kind == EventKind.SLA_PAUSED:
                pause_start = event.created_at
            elif pause_start is not None:
                self.line("", f"{when(pause_start)}  →  {when(event.created_at)}")
                pause_start = None
        if ticket.paused_since is not None:
            self.line("", f"{when(ticket.paused_since)}  →  {_('still paused')}")
        self.line(
            _("Time paused"), _("%(minutes).0f min") % {"minutes": ticket.paused_seconds / 60}
        )
        self.line(
            _("Business time spent"),
            _("%(minutes).0f min") % {"minutes": business_minutes_spent(ticket, now)},
        )
        self.stdout.write("")
        self.line(_("First response due"), when(ticket.first_response_due))
        self.line(_("  responded"), when(ticket.first_responded_at))
        self.line(_("  warned / breached"), self._marks(ticket, "first_response", when))
        self.line(_("Resolution due"), when(ticket.resolution_due))
        self.line(_("  warned / breached"), self._marks(ticket, "resolution", when))
        self.line(_("Tier target due"), when(ticket.tier_due))
        self.line(_("  warned / breached"), self._marks(ticket, "tier", when))
        events = ticket.events.filter(kind__startswith="sla.").order_by("created_at", "id")
        if events.exists():
            self.stdout.write("")
            self.line(_("SLA timeline"))
            for event in events:
                detail = event.data.get("clock") or event.data.get("because") or ""
                self.line("", f"{when(event.created_at)}  {event.get_kind_display()} {detail}")

    @staticmethod
    def _marks(ticket: Ticket, clock: str, when) -> str:
        warned = getattr(ticket, f"{clock}_warned_at")
        breached = getattr(ticket, f"{clock}_breached_at")
        return f"{when(warned) if warned else '—'} / {when(breached) if breached else '—'}"
