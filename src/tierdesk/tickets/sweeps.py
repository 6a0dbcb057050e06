"""The SLA sweep: a periodic job that records each warning and breach exactly once and
applies the policy's escalation rule.

Per clock (first response, resolution, tier) and stage (warning, breach) one conditional
``UPDATE … WHERE instant <= now AND marker IS NULL AND status IN ('new', 'open') RETURNING``
claims the tickets whose moment has come, walking a partial index on the instant column;
the timeline events for the claimed rows are inserted in the same transaction. A second
worker running the same statement at the same time finds the marker set (PostgreSQL
re-checks the WHERE after waiting for the row lock; SQLite runs writers one at a time), so
it claims nothing twice. Escalations then go through the ticket actions, one ticket each.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from tierdesk.accounts.models import User
from tierdesk.sla.models import EscalationTrigger, PolicyTarget
from tierdesk.tickets.actions.sla_escalation import escalate_for_sla, tier_supervisors
from tierdesk.tickets.models import Event, EventKind, Ticket

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000


@dataclass(frozen=True)
class Stage:
    clock: str  # first_response, resolution, tier
    stage: str  # warning, breach
    instant: str  # column holding the moment
    marker: str  # column set once the event is recorded
    extra: str = ""  # further condition, matching the partial index


STAGES = [
    Stage(
        "first_response",
        "warning",
        "first_response_warn_at",
        "first_response_warned_at",
        "first_responded_at IS NULL",
    ),
    Stage(
        "first_response",
        "breach",
        "first_response_due",
        "first_response_breached_at",
        "first_responded_at IS NULL",
    ),
    Stage("resolution", "warning", "resolution_warn_at", "resolution_warned_at"),
    Stage("resolution", "breach", "resolution_due", "resolution_breached_at"),
    Stage("tier", "warning", "tier_warn_at", "tier_warned_at"),
    Stage("tier", "breach", "tier_due", "tier_breached_at"),
]

# The same literal predicate as the partial indexes (SQLite matches index conditions by term).
RUNNING_SQL = "status IN ('new', 'open')"


def _aware(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _claim(stage: Stage, now: datetime, limit: int) -> list[tuple]:
    """Set ``stage.marker`` on up to ``limit`` due tickets; the rows this call changed."""
    table = connection.ops.quote_name(Ticket._meta.db_table)
    moment = connection.ops.adapt_datetimefield_value(now)
    condition = f"{stage.instant} <= %s AND {stage.marker} IS NULL AND {RUNNING_SQL}"
    if stage.extra:
        condition += f" AND {stage.extra}"
    # PostgreSQL: lock the candidates in index order, so racing workers wait for each other
    # instead of deadlocking; after the wait the row is re-checked, and one another worker
    # already marked drops out. (Not SKIP LOCKED: a row locked by another stage's claim
    # would be skipped, and the empty claim taken for "nothing left".)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"UPDATE {table} SET {stage.marker} = %s "
        f"WHERE id IN (SELECT id FROM {table} WHERE {condition} "
        f"ORDER BY {stage.instant}, id LIMIT %s{lock}) "
        f"AND {condition} "
        f"RETURNING id, assignee_id, tier_id, sla_policy_id, priority, {stage.instant}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [moment, moment, limit, moment])
        return cursor.fetchall()


def _record(stage: Stage, rows: list[tuple], now: datetime, supervisors, usernames) -> None:
    kind = EventKind.SLA_WARNING if stage.stage == "warning" else EventKind.SLA_BREACHED
    events = []
    for ticket_id, assignee_id, tier_id, policy_id, priority, instant in rows:
        notify = []
        if assignee_id is not None and assignee_id in usernames:
            notify.append(usernames[assignee_id])
        supervisor = supervisors.get(tier_id) or supervisors.get(None)
        if supervisor is not None and supervisor.username not in notify:
            notify.append(supervisor.username)
        moment = _aware(instant)
        events.append(
            {
                "ticket_id": ticket_id,
                "kind": kind,
                "created_at": now,
                "is_internal": True,
                "data": {
                    "clock": stage.clock,
                    "at": moment.isoformat() if moment else None,
                    "policy": policy_id,
                    "priority": priority,
                    "notify": notify,
                },
            }
        )
    _insert_events(events)


def _insert_events(events: list[dict]) -> None:
    """One ``executemany`` INSERT: a model-instance ``bulk_create`` spends most of a large
    sweep building objects. All events share kind and time; columns not given take their
    model default."""
    if not events:
        return
    fields = [field for field in Event._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Values shared by every row are prepared once; only the ticket and the data vary.
    shared = {**{field.attname: field.get_default() for field in fields}, **events[0]}
    prepared = {
        field.attname: field.get_db_prep_save(shared[field.attname], connection=connection)
        for field in fields
    }
    data_field = Event._meta.get_field("data")
    rows = []
    for event in events:
        row = dict(prepared)
        row["ticket_id"] = event["ticket_id"]
        row["data"] = connection.ops.adapt_json_value(event["data"], data_field.encoder)
        rows.append([row[field.attname] for field in fields])
    table = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _rules() -> dict[tuple[int, str], tuple[str, str]]:
    return {
        (policy_id, priority): (trigger, kind)
        for policy_id, priority, trigger, kind in PolicyTarget.objects.exclude(
            escalation_trigger=EscalationTrigger.NONE
        ).values_list("policy_id", "priority", "escalation_trigger", "escalation_kind")
    }


def sweep(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Record every warning and breach due by ``now`` once, then escalate by the rules.
    Returns counts per ``clock.stage`` and per escalation outcome."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    supervisors = tier_supervisors()
    rules = _rules()
    escalations: dict[int, tuple[str, str, str]] = {}
    for stage in STAGES:
        claimed = 0
        while True:
            with transaction.atomic():
                rows = _claim(stage, now, batch_size)
                if rows:
                    assignee_ids = {row[1] for row in rows if row[1] is not None}
                    usernames = dict(
                        User.objects.filter(pk__in=assignee_ids).values_list("pk", "username")
                    )
                    _record(stage, rows, now, supervisors, usernames)
            claimed += len(rows)
            for ticket_id, _assignee, _tier, policy_id, priority, _instant in rows:
                rule = rules.get((policy_id, priority))
                if rule and rule[0] == stage.stage and ticket_id not in escalations:
                    escalations[ticket_id] = (stage.clock, stage.stage, rule[1])
            # Stop only on an empty claim: a short batch may mean another worker took part of
            # it, and more rows may still be due.
            if not rows:
                break
        counts[f"{stage.clock}.{stage.stage}"] = claimed
    for ticket_id, (clock, stage_name, kind) in escalations.items():
        try:
            outcome = escalate_for_sla(
                ticket_id=ticket_id, clock=clock, stage=stage_name, kind=kind
            )
        except Exception:  # one ticket must not stop the others; the marker is already set
            logger.exception("SLA escalation of ticket %s failed", ticket_id)
            outcome = "failed"
        key = f"escalation.{outcome.split(':')[0]}"
        counts[key] = counts.get(key, 0) + 1
    return counts


@task()
def sweep_sla() -> dict[str, int]:
    """Periodic job (settings.TIERDESK_PERIODIC_JOBS): record SLA warnings and breaches."""
    return sweep()
