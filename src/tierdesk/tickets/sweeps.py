"""The SLA sweep: a periodic job that records each warning and breach exactly once and
applies the policy's escalation rule.

Per clock (first response, resolution, tier) and stage (warning, breach) one conditional
``UPDATE … WHERE instant <= now AND marker IS NULL AND status IN ('new', 'open') RETURNING``
claims the tickets whose moment has come, walking a partial index on the instant column;
the timeline events for the claimed rows are inserted in the same transaction, by one
``INSERT … SELECT`` that builds their data in the database. A second
worker running the same statement at the same time finds the marker set (PostgreSQL
re-checks the WHERE after waiting for the row lock; SQLite runs writers one at a time), so
it claims nothing twice. Escalations then go through the ticket actions, one ticket each.

Before that, the sweep works through the recalculation requests a policy or calendar edit
left (``sla.Recalculation``): the open tickets concerned get their due times computed again
in batches, each recorded once on the timeline.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from tierdesk.accounts.models import User
from tierdesk.sla.models import EscalationTrigger, PolicyTarget, Recalculation
from tierdesk.tickets.actions import clocks
from tierdesk.tickets.actions.sla_escalation import escalate_for_sla, tier_supervisors
from tierdesk.tickets.lifecycle import ACTIVE_STATUSES
from tierdesk.tickets.models import Event, EventKind, Ticket

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
RECALCULATION_BATCH_SIZE = 500
# Seconds of due-time recalculation per sweep at most, so warnings keep coming every minute
# while a policy edit that touches many tickets is worked off over several sweeps.
RECALCULATION_BUDGET_SECONDS = 20.0


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


def _claim(stage: Stage, now: datetime, limit: int) -> list[tuple]:
    """Set ``stage.marker`` on up to ``limit`` due tickets; ``(id, policy id, priority)`` of
    the rows this call changed."""
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
        f"RETURNING id, sla_policy_id, priority"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [moment, moment, limit, moment])
        return cursor.fetchall()


# SQL that differs between the two databases: JSON builders, the instant as ISO 8601 text
# (what ``datetime.isoformat()`` gives for a UTC instant) and "id in this list".
_SQL = {
    "postgresql": {
        "object": "jsonb_build_object",
        "array": "jsonb_build_array",
        "empty": "'[]'::jsonb",
        "text": "%s::text",
        "mapping": "jsonb_each_text(%s::jsonb)",
        "iso": (
            "to_char({column} AT TIME ZONE 'UTC', CASE WHEN date_part('microseconds', {column})"
            "::bigint %% 1000000 = 0 THEN 'YYYY-MM-DD\"T\"HH24:MI:SS' "
            "ELSE 'YYYY-MM-DD\"T\"HH24:MI:SS.US' END) || '+00:00'"
        ),
        "ids": "= ANY(%s)",
    },
    "sqlite": {
        "object": "json_object",
        "array": "json_array",
        "empty": "json('[]')",
        "text": "%s",
        "mapping": "json_each(%s)",
        "iso": "replace({column}, ' ', 'T') || '+00:00'",
        "ids": "IN (SELECT value FROM json_each(%s))",
    },
}


def _record(stage: Stage, ticket_ids: list[int], now: datetime, supervisors) -> None:
    """Insert one event per claimed ticket with a single ``INSERT … SELECT``: the event data
    (clock, moment, policy, priority, who to notify: the holder, then the tier's supervisor)
    is built by the database from the ticket rows, so no Python runs per ticket."""
    if not ticket_ids:
        return
    sql_of = _SQL["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    kind = EventKind.SLA_WARNING if stage.stage == "warning" else EventKind.SLA_BREACHED
    quote = connection.ops.quote_name
    array = sql_of["array"]
    given = {
        "ticket": ("claimed.id", []),
        "kind": ("%s", [kind]),
        "actor": ("NULL", []),
        "created_at": ("%s", [connection.ops.adapt_datetimefield_value(now)]),
        "is_internal": ("%s", [True]),
        "data": (
            f"{sql_of['object']}('clock', {sql_of['text']}, 'at', claimed.moment, "
            "'policy', claimed.policy, 'priority', claimed.priority, 'notify', "
            "CASE WHEN claimed.assignee IS NULL AND claimed.supervisor IS NULL "
            f"THEN {sql_of['empty']} "
            f"WHEN claimed.assignee IS NULL THEN {array}(claimed.supervisor) "
            "WHEN claimed.supervisor IS NULL OR claimed.supervisor = claimed.assignee "
            f"THEN {array}(claimed.assignee) "
            f"ELSE {array}(claimed.assignee, claimed.supervisor) END)",
            [stage.clock],
        ),
    }
    columns, expressions, params = [], [], []
    for field in Event._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        expression, values = given.get(field.name, ("%s", None))
        if values is None:  # a column added later: its model default, the same for all
            values = [field.get_db_prep_save(field.get_default(), connection=connection)]
        expressions.append(expression)
        params.extend(values)
    fallback = supervisors.get(None)
    mapping = {
        str(tier_id): user.username
        for tier_id, user in supervisors.items()
        if tier_id is not None and user is not None
    }
    moment = sql_of["iso"].format(column=f"t.{stage.instant}")
    sql = (
        f"INSERT INTO {quote(Event._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} FROM ("
        f"SELECT t.id AS id, t.sla_policy_id AS policy, t.priority AS priority, "
        f"{moment} AS moment, u.username AS assignee, "
        f"COALESCE(supervisor.value, {sql_of['text']}) AS supervisor "
        f"FROM {quote(Ticket._meta.db_table)} t "
        f"LEFT JOIN {quote(User._meta.db_table)} u ON u.id = t.assignee_id "
        f"LEFT JOIN {sql_of['mapping']} AS supervisor "
        f"ON supervisor.key = CAST(t.tier_id AS TEXT) "
        f"WHERE t.id {sql_of['ids']}) claimed ORDER BY claimed.id"
    )
    ids = list(ticket_ids) if connection.vendor == "postgresql" else json.dumps(ticket_ids)
    # Placeholders in the order they appear: the outer SELECT's, then the inner one's.
    params += [fallback.username if fallback else None, json.dumps(mapping), ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _rules() -> dict[tuple[int, str], tuple[str, str]]:
    return {
        (policy_id, priority): (trigger, kind)
        for policy_id, priority, trigger, kind in PolicyTarget.objects.exclude(
            escalation_trigger=EscalationTrigger.NONE
        ).values_list("policy_id", "priority", "escalation_trigger", "escalation_kind")
    }


def _terms_and_instants(ticket: Ticket) -> tuple:
    return (
        ticket.sla_policy_id,
        ticket.sla_policy_reason,
        *(
            getattr(ticket, f"{clock}_{part}")
            for clock in clocks.CLOCKS
            for part in ("due", "warn_at")
        ),
    )


def _write_clocks(tickets: list[Ticket]) -> None:
    """Save the clock fields of ``tickets`` with one ``executemany`` UPDATE by id
    (``bulk_update`` builds a CASE expression per field and row, and spends its time there)."""
    if not tickets:
        return
    fields = [Ticket._meta.get_field(name) for name in clocks.CLOCK_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    rows = [
        [
            *(
                field.get_db_prep_save(getattr(ticket, field.attname), connection=connection)
                for field in fields
            ),
            ticket.pk,
        ]
        for ticket in tickets
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(Ticket._meta.db_table)} SET {assignments} WHERE id = %s", rows
        )


def _recalculate_batch(request_id: int, now: datetime, batch_size: int) -> int | None:
    """Recompute the next batch of one request's open tickets; how many, or None when the
    request is finished (by this call or before). The request row is written first, so two
    workers take turns on it (PostgreSQL: row lock; SQLite: the write lock) and each ticket
    is recalculated, and recorded, once."""
    with transaction.atomic():
        if not Recalculation.objects.filter(pk=request_id, finished_at__isnull=True).update(
            next_ticket_id=F("next_ticket_id")
        ):
            return None
        request = Recalculation.objects.get(pk=request_id)
        selection = Q(pk__in=[])
        if request.policy_id is not None:
            selection |= Q(sla_policy_id=request.policy_id)
        if request.organization_ids:
            selection |= Q(organization_id__in=request.organization_ids)
        tickets = list(
            Ticket.objects.select_for_update()
            .filter(selection, status__in=ACTIVE_STATUSES, pk__gt=request.next_ticket_id)
            .order_by("pk")[:batch_size]
        )
        events = []
        changed = []
        for ticket in tickets:
            before = _terms_and_instants(ticket)
            clocks.reevaluate(ticket, now)
            if _terms_and_instants(ticket) == before:
                continue  # same policy, same due and warning times: nothing to tell
            changed.append(ticket)
            events.append(
                Event(
                    ticket=ticket,
                    kind=EventKind.SLA_RECALCULATED,
                    created_at=now,
                    is_internal=True,
                    data={"because": "policy", **clocks.summary(ticket)},
                )
            )
        _write_clocks(changed)
        Event.objects.bulk_create(events)
        if tickets:
            request.next_ticket_id = tickets[-1].pk
        request.tickets += len(changed)
        if len(tickets) < batch_size:
            request.finished_at = now
        request.save(update_fields=["next_ticket_id", "tickets", "finished_at"])
        return len(changed)


def recalculate_due_times(
    now: datetime | None = None,
    batch_size: int = RECALCULATION_BATCH_SIZE,
    budget_seconds: float | None = None,
) -> int:
    """Work through the pending requests to recompute due times after a policy or
    calendar edit (``sla.actions.request_recalculation``); the number of tickets whose due
    times changed. Safe with several workers: they share the batches. With a budget, stops
    after the batch that used it up; the next run continues where this one stopped."""
    now = now or timezone.now()
    started = time.monotonic()
    changed = 0
    pending = Recalculation.objects.filter(finished_at__isnull=True).order_by("pk")
    for request_id in list(pending.values_list("pk", flat=True)):
        while (count := _recalculate_batch(request_id, now, batch_size)) is not None:
            changed += count
            if budget_seconds is not None and time.monotonic() - started > budget_seconds:
                return changed
    return changed


def sweep(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Recompute due times a policy edit asked for, then record every warning and breach
    due by ``now`` once, then escalate by the rules. Returns counts per ``clock.stage``,
    per escalation outcome and of ``recalculated`` tickets."""
    now = now or timezone.now()
    counts: dict[str, int] = {
        "recalculated": recalculate_due_times(now, budget_seconds=RECALCULATION_BUDGET_SECONDS)
    }
    supervisors = tier_supervisors()
    rules = _rules()
    escalations: dict[int, tuple[str, str, str]] = {}
    for stage in STAGES:
        claimed = 0
        while True:
            with transaction.atomic():
                rows = _claim(stage, now, batch_size)
                _record(stage, [row[0] for row in rows], now, supervisors)
            claimed += len(rows)
            for ticket_id, policy_id, priority in rows:
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
