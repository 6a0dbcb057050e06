"""A hand-built history with known answers, made through the real actions at set times.

All in March 2026, Jakarta time (the desk's time zone); the report period is 1–10 March.

| ticket | organization | what happens | resolutions in the period |
| --- | --- | --- | --- |
| T1 | contoh | opened 2 Mar 09:00, resolved at L1 09:30 | L1, first contact |
| T2 | sample | L1 escalates to L2 at 10:00, L2 resolves 11:30 | L2 |
| T3 | contoh | L1→L2 09:20, L2→L3 10:00, L3→L1 11:00, L1 resolves 11:45 | L1 |
| T4 | contoh | L1 resolves 09:50; reopened 4 Mar 10:00 (within 7 days); resolved 10:15 | L1, L1 |
| T5 | contoh | L1 resolves 10:00; reopened 20 Mar (after the window) | L1, first contact |

Stints ended in the period, in minutes: L1 30, 60 (esc), 20 (esc), 45, 50, 15, 60;
L2 90, 40 (esc); L3 60 (de-escalated).
Ratings: T1 5 and T2 3 (2 Mar), T4's first resolution 2 (3 Mar), its second 4 (4 Mar).

T1–T5 have no category and priority P3; they are measured by the default SLA policy
(office hours 08:00–17:00 Mon–Fri, Jakarta, Indonesian holidays; P3: first response 240,
resolution 1,620 business minutes). Their first response is their first resolution (no
replies): T1 30, T2 150 (at L2), T3 165, T4 50, T5 60 minutes — all within office hours
and within target.

``extended_history`` adds two tickets opened by the L1 agent for the customers, with a
category, a priority and teams:

- T6, contoh, category akun, P2: opened Fri 6 Mar 16:00; L1 replies 16:20 (first
  response); L1→L2 team l2-network 16:30; resolved at L2 Mon 9 Mar 09:30.
- T7, sample, category jaringan, P1: opened Mon 9 Mar 08:00; L1→L2 team l2-hosting 08:30;
  L2 de-escalates to L1 09:00 (came back down); L1 resolves 13:00.

T6's L2 stint: 3,900 wall-clock minutes over the weekend, 120 business minutes (16:30–17:00
and 08:00–09:30). T7 misses both P1 targets (first response 30, resolution 240 business
minutes): its first response is its resolution, 300 minutes after opening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tierdesk.accounts.models import User
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.escalation import deescalate_ticket, escalate_ticket
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.actions.satisfaction import rate_ticket
from tierdesk.tickets.actions.status import reopen_ticket, resolve_ticket
from tierdesk.tickets.models import Category

JAKARTA = ZoneInfo("Asia/Jakarta")
PERIOD = (date(2026, 3, 1), date(2026, 3, 10))
HANDOFF = {"reason": "Needs the next tier", "tried": ["Restarted it"], "findings": "Still broken"}


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JAKARTA)


@dataclass
class History:
    tickets: dict[str, int]
    customer: User
    other_org_customer: User
    l1_agent: User
    l2_agent: User
    l3_agent: User


class Desk:
    """Runs each action at a set moment."""

    def at(self, *parts: int):
        return time_machine.travel(wib(*parts), tick=False)

    def open(self, requester: User, when: tuple) -> int:
        with self.at(*when):
            return open_ticket(
                actor=requester, subject="Email down", description="No mail"
            ).ticket.pk

    def take(self, agent: User, ticket_id: int, when: tuple) -> None:
        with self.at(*when):
            assign_ticket(actor=agent, ticket_id=ticket_id, assignee="me")

    def escalate(self, agent: User, ticket_id: int, to_tier: int, when: tuple) -> None:
        with self.at(*when):
            escalate_ticket(actor=agent, ticket_id=ticket_id, to_tier=to_tier, **HANDOFF)

    def deescalate(self, agent: User, ticket_id: int, to_tier: int, when: tuple) -> None:
        with self.at(*when):
            deescalate_ticket(
                actor=agent, ticket_id=ticket_id, to_tier=to_tier, instructions="Reset the PIN"
            )

    def resolve(self, agent: User, ticket_id: int, when: tuple) -> None:
        with self.at(*when):
            resolve_ticket(actor=agent, ticket_id=ticket_id, resolution="Fixed")

    def reopen(self, customer: User, ticket_id: int, when: tuple) -> None:
        with self.at(*when):
            reopen_ticket(actor=customer, ticket_id=ticket_id, reason="Broken again")

    def open_for(
        self, agent: User, requester: User, when: tuple, *, priority: str, category: str
    ) -> int:
        with self.at(*when):
            return open_ticket(
                actor=agent,
                subject="VPN login fails",
                description="The VPN refuses the password",
                requester=requester.username,
                organization=requester.organization.slug,
                priority=priority,
                category=category,
            ).ticket.pk

    def reply(self, agent: User, ticket_id: int, when: tuple) -> None:
        with self.at(*when):
            add_message(actor=agent, ticket_id=ticket_id, body="We are looking into it.")

    def escalate_to_team(
        self, agent: User, ticket_id: int, to_tier: int, team: str, when: tuple
    ) -> None:
        with self.at(*when):
            escalate_ticket(actor=agent, ticket_id=ticket_id, to_tier=to_tier, team=team, **HANDOFF)

    def rate(self, customer: User, ticket_id: int, score: int, when: tuple) -> None:
        with self.at(*when):
            rate_ticket(actor=customer, ticket_id=ticket_id, score=score, comment="")


@pytest.fixture
def desk() -> Desk:
    return Desk()


def build_until_reopen(desk: Desk, customer, other, l1, l2, l3) -> dict[str, int]:
    """Everything of the history up to (not including) T4's reopen on 4 March."""
    t = {}
    t["T1"] = desk.open(customer, (2026, 3, 2, 9, 0))
    desk.take(l1, t["T1"], (2026, 3, 2, 9, 10))
    desk.resolve(l1, t["T1"], (2026, 3, 2, 9, 30))

    t["T2"] = desk.open(other, (2026, 3, 2, 9, 0))
    desk.take(l1, t["T2"], (2026, 3, 2, 9, 5))
    desk.escalate(l1, t["T2"], 2, (2026, 3, 2, 10, 0))
    desk.take(l2, t["T2"], (2026, 3, 2, 10, 30))
    desk.resolve(l2, t["T2"], (2026, 3, 2, 11, 30))

    t["T3"] = desk.open(customer, (2026, 3, 2, 9, 0))
    desk.take(l1, t["T3"], (2026, 3, 2, 9, 5))
    desk.escalate(l1, t["T3"], 2, (2026, 3, 2, 9, 20))
    desk.take(l2, t["T3"], (2026, 3, 2, 9, 30))
    desk.escalate(l2, t["T3"], 3, (2026, 3, 2, 10, 0))
    desk.take(l3, t["T3"], (2026, 3, 2, 10, 10))
    desk.deescalate(l3, t["T3"], 1, (2026, 3, 2, 11, 0))
    desk.take(l1, t["T3"], (2026, 3, 2, 11, 5))
    desk.resolve(l1, t["T3"], (2026, 3, 2, 11, 45))

    t["T4"] = desk.open(customer, (2026, 3, 2, 9, 0))
    desk.take(l1, t["T4"], (2026, 3, 2, 9, 10))
    desk.resolve(l1, t["T4"], (2026, 3, 2, 9, 50))

    t["T5"] = desk.open(customer, (2026, 3, 2, 9, 0))
    desk.take(l1, t["T5"], (2026, 3, 2, 9, 15))
    desk.resolve(l1, t["T5"], (2026, 3, 2, 10, 0))

    desk.rate(customer, t["T1"], 5, (2026, 3, 2, 12, 0))
    desk.rate(other, t["T2"], 3, (2026, 3, 2, 12, 0))
    desk.rate(customer, t["T4"], 2, (2026, 3, 3, 8, 0))
    return t


def build_rest(desk: Desk, t: dict[str, int], customer, l1) -> None:
    desk.reopen(customer, t["T4"], (2026, 3, 4, 10, 0))
    desk.resolve(l1, t["T4"], (2026, 3, 4, 10, 15))
    desk.rate(customer, t["T4"], 4, (2026, 3, 4, 11, 0))
    desk.reopen(customer, t["T5"], (2026, 3, 20, 9, 0))


@pytest.fixture
def history(desk, customer, other_org_customer, l1_agent, l2_agent, l3_agent) -> History:
    people = (customer, other_org_customer, l1_agent, l2_agent, l3_agent)
    tickets = build_until_reopen(desk, *people)
    build_rest(desk, tickets, customer, l1_agent)
    return History(tickets, *people)


def build_more(desk: Desk, h: History, network_agent: User) -> dict[str, int]:
    Category.objects.get_or_create(slug="akun", defaults={"name_id": "Akun", "name_en": "Accounts"})
    Category.objects.get_or_create(
        slug="jaringan", defaults={"name_id": "Jaringan", "name_en": "Network"}
    )
    l1, l2 = h.l1_agent, h.l2_agent
    t = {}
    t["T6"] = desk.open_for(l1, h.customer, (2026, 3, 6, 16, 0), priority="P2", category="akun")
    desk.take(l1, t["T6"], (2026, 3, 6, 16, 5))
    desk.reply(l1, t["T6"], (2026, 3, 6, 16, 20))
    desk.escalate_to_team(l1, t["T6"], 2, "l2-network", (2026, 3, 6, 16, 30))
    desk.take(network_agent, t["T6"], (2026, 3, 9, 8, 10))
    desk.resolve(network_agent, t["T6"], (2026, 3, 9, 9, 30))

    t["T7"] = desk.open_for(
        l1, h.other_org_customer, (2026, 3, 9, 8, 0), priority="P1", category="jaringan"
    )
    desk.take(l1, t["T7"], (2026, 3, 9, 8, 5))
    desk.escalate_to_team(l1, t["T7"], 2, "l2-hosting", (2026, 3, 9, 8, 30))
    desk.take(l2, t["T7"], (2026, 3, 9, 8, 40))
    desk.deescalate(l2, t["T7"], 1, (2026, 3, 9, 9, 0))
    desk.take(l1, t["T7"], (2026, 3, 9, 9, 5))
    desk.resolve(l1, t["T7"], (2026, 3, 9, 13, 0))
    return t


@pytest.fixture
def extended_history(desk, history, teams, l2_network_agent) -> History:
    history.tickets.update(build_more(desk, history, l2_network_agent))
    return history
