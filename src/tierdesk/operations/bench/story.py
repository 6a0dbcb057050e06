"""A ticket's life told in memory with the verbs of the ticket actions, for bulk loading.

Each method of :class:`Story` is the bulk twin of one action in ``tierdesk.tickets.actions``:
the same events (kind, actor, internal flag, ``data`` shape), the same tier periods, first
response, resolution tier, escalation count and SLA clock bookkeeping — for tickets without an
SLA policy (no due times; pauses are still kept and recorded). ``tests/bench/test_seed.py``
compares the result with what the real actions write.
"""

from __future__ import annotations

import random
from typing import Any

from tierdesk.tickets.models import EventKind, TierPeriod

RUNNING = frozenset({"new", "open"})
WAITING = frozenset({"pending", "on_hold"})


class StopStory(Exception):
    """The next step of a ticket's life lies in the future: it stays where it is now."""


class Story:
    """One ticket's life, told with the same verbs and row shapes as the ticket actions
    (``tierdesk.tickets.actions``): each method is the bulk twin of one action."""

    def __init__(self, ticket_id: int, at: int, now: int, rng: random.Random) -> None:
        self.rng = rng
        self.id = ticket_id
        self.at = at
        self.now = now
        self.status = "new"
        self.tier = 1
        self.team: str | None = None
        self.assignee: tuple[int, str] | None = None
        self.first_responded_at: int | None = None
        self.resolved_at: int | None = None
        self.resolved_tier: int | None = None
        self.closed_at: int | None = None
        self.escalation_count = 0
        self.updated_at = at
        # SLA clocks of a ticket without a policy (tickets/actions/clocks.py with no terms):
        # no due times, no business time, but pauses are kept and recorded.
        self.paused_since: int | None = None
        self.paused_seconds = 0.0
        self.checkpoint = at
        self.events: list[tuple] = []
        self.periods: list[list] = []

    # -- bookkeeping shared by the verbs (tickets/actions/common.py) --

    def wait(self, low: int, high: int) -> None:
        """Let ``low``–``high`` seconds pass; stop the story if that is after now."""
        at = self.at + self.rng.randint(low, high)
        if at > self.now:
            raise StopStory
        self.at = at

    def event(
        self, kind: str, actor: int | None, *, body: str = "", internal: bool = False, data=None
    ) -> None:
        self.events.append((kind, actor, self.at, body, internal, data or {}))
        self.updated_at = self.at

    def sla(self) -> dict[str, Any]:
        return {
            "policy": None,
            "reason": "",
            "first_response_due": None,
            "resolution_due": None,
            "tier_due": None,
            "paused": self.paused_since is not None,
            "business_minutes": 0.0,
            "paused_minutes": round(self.paused_seconds / 60, 2),
        }

    def move_status(self, target: str, actor: int) -> None:
        previous = self.status
        self.event(EventKind.STATUS_CHANGED, actor, data={"from": previous, "to": target})
        self.status = target
        was_running, runs = previous in RUNNING, target in RUNNING
        change = None
        if was_running == runs:
            if previous in WAITING and target not in WAITING and self.paused_since is not None:
                self.paused_seconds += self.at - self.paused_since
                self.paused_since = None
                self.checkpoint = self.at
        elif was_running:
            self.checkpoint = self.at
            if target in WAITING:
                self.paused_since = self.at
                change = EventKind.SLA_PAUSED
        else:
            if self.paused_since is not None:
                self.paused_seconds += self.at - self.paused_since
                self.paused_since = None
                change = EventKind.SLA_RESUMED
            self.checkpoint = self.at
        if change is not None:
            self.event(change, actor, internal=True, data=self.sla())

    def tier_changed(self) -> None:
        self.checkpoint = self.at

    def start_period(self) -> None:
        self.periods.append([self.tier, self.team, self.at, None, ""])

    def end_period(self, reason: str) -> None:
        for period in self.periods:
            if period[3] is None:
                period[3], period[4] = self.at, reason

    # -- the verbs --

    def open(self, actor: int, channel: str, priority: str, description: str) -> None:
        data = {"channel": channel, "priority": priority, "tier": 1, "sla": self.sla()}
        self.event(EventKind.OPENED, actor, body=description, data=data)
        self.start_period()

    def assign(self, agent: tuple[int, str]) -> None:
        previous = self.assignee[1] if self.assignee else None
        self.event(
            EventKind.ASSIGNED, agent[0], internal=True, data={"from": previous, "to": agent[1]}
        )
        self.assignee = agent
        if self.status == "new":
            self.move_status("open", agent[0])

    def reply(self, agent: int, body: str) -> None:
        if self.first_responded_at is None:
            self.first_responded_at = self.at
        if self.status == "new":
            self.move_status("open", agent)
        self.event(EventKind.REPLY, agent, body=body)

    def note(self, agent: int, body: str) -> None:
        self.event(EventKind.NOTE, agent, body=body, internal=True)

    def customer_reply(self, customer: int, body: str) -> None:
        if self.status == "resolved":
            self.reopen(customer, "")
        elif self.status == "pending":
            self.move_status("open", customer)
        self.event(EventKind.REPLY, customer, body=body)

    def set_status(self, agent: int, target: str, note: str = "") -> None:
        self.move_status(target, agent)
        if target == "closed":
            self.closed_at = self.at
        if note:
            self.event(EventKind.NOTE, agent, body=note, internal=True)

    def _relocate(
        self, actor: int, tier: int, team: str | None, kind: str, end_reason: str, **handoff
    ) -> None:
        data = {
            "from_tier": self.tier,
            "to_tier": tier,
            "from_team": self.team,
            "to_team": team,
            "previous_assignee": self.assignee[1] if self.assignee else None,
            **handoff,
        }
        self.end_period(end_reason)
        tier_moved = tier != self.tier
        self.tier, self.team, self.assignee = tier, team, None
        self.start_period()
        if tier_moved:
            self.tier_changed()
            data["sla"] = self.sla()
        body = next(iter(handoff.values())) if kind != EventKind.ESCALATED else handoff["reason"]
        self.event(kind, actor, body=body, internal=True, data=data)

    def escalate(self, actor: int, tier: int, team: str | None, reason, tried, findings) -> None:
        self._relocate(
            actor,
            tier,
            team,
            EventKind.ESCALATED,
            TierPeriod.EndReason.ESCALATED,
            reason=reason,
            tried=tried,
            findings=findings,
        )
        self.escalation_count += 1

    def deescalate(self, actor: int, tier: int, instructions: str) -> None:
        self._relocate(
            actor,
            tier,
            None,
            EventKind.DEESCALATED,
            TierPeriod.EndReason.DEESCALATED,
            instructions=instructions,
        )

    def transfer(self, actor: int, team: str, note: str) -> None:
        self._relocate(
            actor,
            self.tier,
            team,
            EventKind.TRANSFERRED,
            TierPeriod.EndReason.TRANSFERRED,
            note=note,
        )

    def resolve(self, agent: int, resolution: str) -> None:
        self.move_status("resolved", agent)
        self.resolved_at = self.at
        self.resolved_tier = self.tier
        if self.first_responded_at is None:
            self.first_responded_at = self.at
        self.end_period(TierPeriod.EndReason.RESOLVED)
        sla = {**self.sla(), "first_response_met": True, "resolution_met": True}
        data = {"tier": self.tier, "team": self.team, "sla": sla}
        self.event(EventKind.RESOLVED, agent, body=resolution, data=data)

    def reopen(self, actor: int, reason: str) -> None:
        self.move_status("open", actor)
        self.resolved_at = None
        self.resolved_tier = None
        self.start_period()
        self.tier_changed()
        data = {"tier": self.tier, "sla": self.sla()}
        self.event(EventKind.REOPENED, actor, body=reason, data=data)
