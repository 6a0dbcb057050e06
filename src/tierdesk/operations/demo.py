"""The demo data: a small service provider with two client companies, staff in every tier
and a few dozen tickets told through the real ticket actions, then spread over the past
weeks so queues and reports look lived-in."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from tierdesk.accounts.actions import add_membership, create_organization, create_person
from tierdesk.accounts.models import Organization, Role, Team, Tier, User
from tierdesk.channels.actions import skip_notifications_so_far
from tierdesk.operations.demo_articles import load_articles
from tierdesk.operations.demo_tickets import DEMO_TICKETS, replay_sla_clocks
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.escalation import deescalate_ticket, escalate_ticket
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.actions.status import resolve_ticket, set_status
from tierdesk.tickets.models import Category, Event, Ticket, TierPeriod

MARKER_ORGANIZATION = "contoh"

DEMO_ACCOUNTS = [
    ("agent1", "agent, L1 Service Desk"),
    ("agent2", "agent, L2 Technical Support (network, hosting)"),
    ("agent3", "agent, L3 Advanced Support"),
    ("solo", "agent in every tier (a one-person shop)"),
    ("lead", "supervisor"),
    ("admin", "administrator (/admin/)"),
    ("customer", "customer, PT Contoh Sejahtera (customer@contoh.test)"),
    ("customer2", "customer, Sample Trading Ltd (customer2@sample.test)"),
]

TEAMS = [
    (2, "l2-network", "Jaringan", "Network"),
    (2, "l2-hosting", "Hosting", "Hosting"),
    (3, "l3-engineering", "Rekayasa & Vendor", "Engineering & Vendors"),
]

CATEGORIES = [
    ("akun", "Akun & kata sandi", "Accounts & passwords"),
    ("jaringan", "Jaringan", "Network"),
    ("email", "Surel", "E-mail"),
    ("hosting", "Hosting", "Hosting"),
    ("perangkat-lunak", "Perangkat lunak", "Software"),
    ("perangkat-keras", "Perangkat keras", "Hardware"),
    ("langganan", "Langganan & tagihan", "Subscription & billing"),
    ("panel-kontrol", "Panel kontrol", "Control panel"),
]

# username, first name, last name, role, organization slug, language, tier levels, team slugs
PEOPLE = [
    ("agent1", "Andi", "Pratama", Role.AGENT, None, "id", [1], []),
    ("agent2", "Dewi", "Lestari", Role.AGENT, None, "id", [2], []),
    ("agent3", "Rudi", "Hartono", Role.AGENT, None, "en", [3], []),
    ("solo", "Sam", "Solo", Role.AGENT, None, "", [1, 2, 3], []),
    ("lead", "Maya", "Kusuma", Role.SUPERVISOR, None, "id", [1, 2, 3], []),
    ("admin", "Admin", "Tierdesk", Role.ADMIN, None, "", [], []),
    ("customer", "Citra", "Wulandari", Role.CUSTOMER, "contoh", "id", [], []),
    ("budi", "Budi", "Santoso", Role.CUSTOMER, "contoh", "id", [], []),
    ("sari", "Sari", "Rahmawati", Role.CUSTOMER, "contoh", "id", [], []),
    ("customer2", "Claire", "Morgan", Role.CUSTOMER, "sample", "en", [], []),
    ("john", "John", "Carter", Role.CUSTOMER, "sample", "en", [], []),
]


def demo_is_loaded() -> bool:
    return Organization.objects.filter(slug=MARKER_ORGANIZATION).exists()


def load_demo(*, password: str, seed: int = 2026) -> int:
    """Create the demo data in one transaction; returns the number of tickets."""
    rng = random.Random(seed)
    with transaction.atomic():
        organizations = {
            "contoh": create_organization(
                name="PT Contoh Sejahtera", slug="contoh", domains=["contoh.test"]
            ),
            "sample": create_organization(
                name="Sample Trading Ltd", slug="sample", domains=["sample.test"]
            ),
        }
        create_organization(
            name="Tierdesk IT", slug="tierdesk-it", domains=["tierdesk.test"], is_internal=True
        )
        tiers = {tier.level: tier for tier in Tier.objects.all()}
        for level, slug, name_id, name_en in TEAMS:
            Team.objects.get_or_create(
                slug=slug, defaults={"tier": tiers[level], "name_id": name_id, "name_en": name_en}
            )
        for slug, name_id, name_en in CATEGORIES:
            Category.objects.get_or_create(
                slug=slug, defaults={"name_id": name_id, "name_en": name_en}
            )
        people = {}
        for username, first, last, role, org, language, levels, teams in PEOPLE:
            domain = {"contoh": "contoh.test", "sample": "sample.test"}.get(org, "tierdesk.test")
            person = create_person(
                username=username,
                email=f"{username}@{domain}",
                password=password,
                role=role,
                organization=organizations.get(org),
                first_name=first,
                last_name=last,
                language=language,
            )
            for level in levels:
                add_membership(user=person, tier=tiers[level])
            for team_slug in teams:
                team = Team.objects.get(slug=team_slug)
                add_membership(user=person, tier=team.tier, team=team)
            people[username] = person
        load_articles(people["agent1"])
        for story in DEMO_TICKETS:
            ticket = _tell(story, people)
            _spread_over_time(ticket, story["days_ago"], rng)
            replay_sla_clocks(ticket.pk)
        # The demo's history lies in the past: nobody is notified of it.
        skip_notifications_so_far()
    return len(DEMO_TICKETS)


def _tell(story: dict, people: dict[str, User]) -> Ticket:
    requester = people[story["requester"]]
    # Phone, chat and e-mail requests are logged by the L1 agent on the customer's behalf.
    by_agent = story["channel"] not in ("web", "api")
    ticket = open_ticket(
        actor=people["agent1"] if by_agent else requester,
        requester=requester.username if by_agent else None,
        subject=story["subject"],
        description=story["description"],
        category=story["category"],
        impact=story["impact"],
        urgency=story["urgency"],
        channel=story["channel"],
    ).ticket
    for step in story["story"]:
        verb, *arguments = step
        ticket_id = ticket.pk
        if verb == "customer_reply":
            add_message(actor=requester, ticket_id=ticket_id, body=arguments[0])
            continue
        actor = people[arguments[0]]
        if verb == "assign":
            assign_ticket(actor=actor, ticket_id=ticket_id, assignee="me")
        elif verb == "reply":
            add_message(actor=actor, ticket_id=ticket_id, body=arguments[1])
        elif verb == "note":
            add_message(actor=actor, ticket_id=ticket_id, body=arguments[1], is_internal=True)
        elif verb == "status":
            set_status(actor=actor, ticket_id=ticket_id, status=arguments[1])
        elif verb == "escalate":
            to_tier, team, reason, tried, findings = arguments[1:]
            escalate_ticket(
                actor=actor,
                ticket_id=ticket_id,
                to_tier=to_tier,
                team=team,
                reason=reason,
                tried=list(tried),
                findings=findings,
            )
        elif verb == "deescalate":
            deescalate_ticket(
                actor=actor, ticket_id=ticket_id, to_tier=arguments[1], instructions=arguments[2]
            )
        elif verb == "resolve":
            resolve_ticket(actor=actor, ticket_id=ticket_id, resolution=arguments[1])
        elif verb == "close":
            set_status(actor=actor, ticket_id=ticket_id, status="closed")
        else:
            raise ValueError(f"unknown demo step {verb!r}")
    return ticket


def _spread_over_time(ticket: Ticket, days_ago: int, rng: random.Random) -> None:
    """Move a freshly told ticket's history back to ``days_ago``, its steps minutes to hours
    apart, by mapping every timestamp the actions wrote to a new one."""
    now = timezone.now()
    events = list(Event.objects.filter(ticket=ticket).order_by("created_at", "id"))
    moments = sorted({event.created_at for event in events})
    start = now - timedelta(days=days_ago, hours=rng.randint(1, 9), minutes=rng.randint(0, 59))
    gaps = [timedelta(minutes=rng.randint(6, 300)) for _ in moments[1:]]
    room = now - start - timedelta(minutes=5)
    total = sum(gaps, timedelta())
    if total > room:
        gaps = [gap * (room / total) for gap in gaps]
    mapping: dict[datetime, datetime] = {moments[0]: start}
    for moment, gap in zip(moments[1:], gaps, strict=True):
        mapping[moment] = mapping[max(m for m in mapping if m < moment)] + gap
    for event in events:
        Event.objects.filter(pk=event.pk).update(created_at=mapping[event.created_at])
    for period in TierPeriod.objects.filter(ticket=ticket):
        TierPeriod.objects.filter(pk=period.pk).update(
            started_at=mapping.get(period.started_at, period.started_at),
            ended_at=mapping.get(period.ended_at, period.ended_at) if period.ended_at else None,
        )
    ticket.refresh_from_db()
    fields = ["created_at", "updated_at", "first_responded_at", "resolved_at", "closed_at"]
    Ticket.objects.filter(pk=ticket.pk).update(
        **{field: mapping.get(getattr(ticket, field), getattr(ticket, field)) for field in fields}
    )
