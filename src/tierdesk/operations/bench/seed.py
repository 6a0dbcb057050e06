"""``tierdesk bench seed``: a realistic, deterministic data set at any size, loaded in bulk.

Tickets are not opened through the actions one by one (a million would take hours): each
ticket's life is simulated by :class:`Story`, whose verbs mirror the ticket actions step by
step (the same event kinds, the same ``data`` shapes, the same tier periods, first response,
resolution tier and escalation count), and the rows are written in large batches — SQLite's
``executemany`` or PostgreSQL's ``COPY`` — inside one transaction per batch.
``tests/bench/test_seed.py`` checks that the rows match what the real actions write.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from tierdesk.accounts.models import (
    Membership,
    Organization,
    OrganizationDomain,
    Role,
    Team,
    Tier,
    User,
)
from tierdesk.channels.models import OutboxCursor
from tierdesk.operations.bench import texts
from tierdesk.operations.bench.story import StopStory, Story
from tierdesk.tickets.actions.common import PRIORITY_MATRIX
from tierdesk.tickets.models import Category, Event, Ticket, TierPeriod

BENCH_PASSWORD = "bench"
# From this many tickets on, secondary indexes are dropped for the load and built at the end.
INDEX_REBUILD_FROM = 50_000
MARKER_USERNAME = "bench-lead"  # present once a bench data set was loaded
DAY = 86_400

TEAMS = [
    (2, "l2-network", "Jaringan", "Network"),
    (2, "l2-hosting", "Hosting", "Hosting"),
    (3, "l3-engineering", "Rekayasa & Vendor", "Engineering & Vendors"),
]
CATEGORIES = [
    ("akun", "Akun & kata sandi", "Accounts & passwords", "l2-network"),
    ("jaringan", "Jaringan", "Network", "l2-network"),
    ("email", "Surel", "E-mail", "l2-hosting"),
    ("hosting", "Hosting", "Hosting", "l2-hosting"),
    ("perangkat-lunak", "Perangkat lunak", "Software", "l2-hosting"),
    ("perangkat-keras", "Perangkat keras", "Hardware", "l2-network"),
    ("langganan", "Langganan & tagihan", "Subscription & billing", "l2-hosting"),
    ("panel-kontrol", "Panel kontrol", "Control panel", "l2-hosting"),
]
CATEGORY_WEIGHTS = [30, 18, 16, 10, 12, 8, 3, 3]
# How a ticket ends, in the proportions a tiered desk aims for: most solved at L1.
OUTCOMES = ["l1", "l2", "l3", "back_to_l1"]
OUTCOME_WEIGHTS = [74, 19, 5, 2]
CHANNELS = ["web", "email", "phone", "chat", "api"]
CHANNEL_WEIGHTS = [30, 30, 22, 13, 5]
ORG_WORDS_ID = ["Maju", "Sejahtera", "Nusantara", "Sentosa", "Abadi", "Mandiri", "Jaya", "Makmur"]
ORG_WORDS_EN = ["Pacific", "Harbour", "Summit", "Lotus", "Meridian", "Orchid", "Coral", "Atlas"]
FIRST_NAMES = ["Budi", "Sari", "Dewi", "Agus", "Rina", "Putri", "Joko", "Wati", "Claire", "John"]
LAST_NAMES = ["Santoso", "Wijaya", "Lestari", "Hartono", "Kusuma", "Pratama", "Morgan", "Tan"]


@dataclass(frozen=True)
class Sizes:
    organizations: int
    customers: int
    l1_agents: int
    l2_agents_per_team: int
    l3_agents: int

    @classmethod
    def for_tickets(cls, tickets: int) -> Sizes:
        return cls(
            organizations=max(3, min(400, tickets // 2500)),
            customers=max(6, min(20_000, tickets // 50)),
            l1_agents=max(2, min(40, tickets // 25_000)),
            l2_agents_per_team=max(1, min(10, tickets // 100_000)),
            l3_agents=max(1, min(8, tickets // 125_000)),
        )


@dataclass
class Rows:
    """The rows of one batch, as tuples in the column order of ``COLUMNS``."""

    tickets: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    periods: list[tuple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.tickets) + len(self.events) + len(self.periods)


TICKET_COLUMNS = [
    "id",
    "subject",
    "description",
    "requester_id",
    "organization_id",
    "category_id",
    "priority",
    "impact",
    "urgency",
    "channel",
    "status",
    "tier_id",
    "team_id",
    "assignee_id",
    "created_at",
    "updated_at",
    "first_responded_at",
    "resolved_at",
    "closed_at",
    "resolved_tier_id",
    "escalation_count",
    "paused_since",
    "paused_seconds",
    "clock_checkpoint_at",
]
EVENT_COLUMNS = ["id", "ticket_id", "kind", "actor_id", "created_at", "body", "is_internal", "data"]
PERIOD_COLUMNS = ["id", "ticket_id", "tier_id", "team_id", "started_at", "ended_at", "end_reason"]


@dataclass
class World:
    """The people, tiers and teams the stories are told with (ids and usernames)."""

    tier_ids: dict[int, int]
    team_ids: dict[str, int]
    team_tier: dict[str, int]
    category_ids: dict[str, int]
    category_team: dict[str, str]
    organizations: list[tuple[int, bool]]  # (id, speaks English)
    organization_weights: list[float]
    customers: dict[int, list[tuple[int, str]]]  # organization id -> [(id, username)]
    l1_agents: list[tuple[int, str]]
    team_agents: dict[str, list[tuple[int, str]]]


class Seeder:
    def __init__(self, *, tickets: int, seed: int, months: int = 12, batch: int = 20_000):
        self.count = tickets
        self.seed = seed
        self.months = months
        self.batch = batch
        self.rng = random.Random(seed)
        self.now = int(time.time())
        self.start = self.now - months * 30 * DAY
        self.postgres = connection.vendor == "postgresql"
        self.world: World | None = None

    # -- people, organizations, teams --

    def build_world(self) -> World:
        rng = self.rng
        sizes = Sizes.for_tickets(self.count)
        tiers = {tier.level: tier for tier in Tier.objects.filter(level__in=[1, 2, 3])}
        teams = {}
        for level, slug, name_id, name_en in TEAMS:
            teams[slug], _ = Team.objects.get_or_create(
                slug=slug, defaults={"tier": tiers[level], "name_id": name_id, "name_en": name_en}
            )
        categories = {}
        for slug, name_id, name_en, _team in CATEGORIES:
            categories[slug], _ = Category.objects.get_or_create(
                slug=slug, defaults={"name_id": name_id, "name_en": name_en}
            )
        password = make_password(BENCH_PASSWORD)
        internal = Organization.objects.create(
            name="Bench IT Services", slug="bench-it", is_internal=True
        )
        organizations, english_flags = [], []
        for number in range(1, sizes.organizations + 1):
            english = rng.random() < 0.3
            english_flags.append(english)
            words = ORG_WORDS_EN if english else ORG_WORDS_ID
            name = " ".join(rng.sample(words, 2))
            name = f"{name} Ltd {number}" if english else f"PT {name} {number}"
            organizations.append(
                Organization(name=name, slug=f"bench-org-{number:04d}", is_internal=False)
            )
        organizations = Organization.objects.bulk_create(organizations)
        english_of = {org.pk: flag for org, flag in zip(organizations, english_flags, strict=True)}
        OrganizationDomain.objects.bulk_create(
            OrganizationDomain(organization=org, domain=f"{org.slug}.bench.test")
            for org in organizations
        )
        people = []
        for number in range(1, sizes.customers + 1):
            org = organizations[(number - 1) % len(organizations)]
            people.append(
                User(
                    username=f"bench-c{number:05d}",
                    email=f"c{number:05d}@{org.slug}.bench.test",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    role=Role.CUSTOMER,
                    organization=org,
                    language="en" if english_of[org.pk] else "id",
                    password=password,
                )
            )

        def staff(username: str, role: str = Role.AGENT) -> User:
            return User(
                username=username,
                email=f"{username}@bench-it.bench.test",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                role=role,
                organization=internal,
                language=rng.choice(["id", "en", ""]),
                password=password,
                is_staff=role != Role.AGENT,
            )

        l1 = [staff(f"bench-l1-{n:02d}") for n in range(1, sizes.l1_agents + 1)]
        per_team = {
            "l2-network": [
                staff(f"bench-l2net-{n:02d}") for n in range(1, sizes.l2_agents_per_team + 1)
            ],
            "l2-hosting": [
                staff(f"bench-l2host-{n:02d}") for n in range(1, sizes.l2_agents_per_team + 1)
            ],
            "l3-engineering": [staff(f"bench-l3-{n:02d}") for n in range(1, sizes.l3_agents + 1)],
        }
        leads = [staff(MARKER_USERNAME, Role.SUPERVISOR), staff("bench-lead2", Role.SUPERVISOR)]
        agents = l1 + [agent for team in per_team.values() for agent in team]
        User.objects.bulk_create(people + agents + leads, batch_size=2000)
        memberships = [Membership(user=agent, tier=tiers[1]) for agent in l1]
        for slug, members in per_team.items():
            team = teams[slug]
            memberships += [
                Membership(user=agent, tier_id=team.tier_id, team=team) for agent in members
            ]
        memberships += [
            Membership(user=lead, tier=tiers[level]) for lead in leads for level in (1, 2, 3)
        ]
        Membership.objects.bulk_create(memberships)
        customers: dict[int, list[tuple[int, str]]] = {}
        for person in people:
            customers.setdefault(person.organization_id, []).append((person.pk, person.username))
        # A few large clients and a long tail, like a managed service provider's book.
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(organizations))]
        self.world = World(
            tier_ids={level: tier.pk for level, tier in tiers.items()},
            team_ids={slug: team.pk for slug, team in teams.items()},
            team_tier={slug: team.tier.level for slug, team in teams.items()},
            category_ids={slug: category.pk for slug, category in categories.items()},
            category_team={slug: team for slug, *_rest, team in CATEGORIES},
            organizations=[(org.pk, english_of[org.pk]) for org in organizations],
            organization_weights=list(_cumulative(weights)),
            customers=customers,
            l1_agents=[(agent.pk, agent.username) for agent in l1],
            team_agents={
                slug: [(agent.pk, agent.username) for agent in members]
                for slug, members in per_team.items()
            },
        )
        return self.world

    # -- tickets --

    def _phrases(self) -> dict[str, Any]:
        rng = random.Random(self.seed + 1)
        phrases: dict[str, Any] = {"requests": {}}
        for slug, (indonesian, english) in texts.REQUESTS.items():
            for is_english, templates in ((False, indonesian), (True, english)):
                filled = []
                for _ in range(40):
                    subject, description = rng.choice(templates)
                    values = {
                        "host": rng.choice(texts.HOSTS),
                        "app": rng.choice(texts.APPS),
                        "place": rng.choice(texts.PLACES_EN if is_english else texts.PLACES_ID),
                    }
                    filled.append((subject.format(**values), description.format(**values)))
                phrases["requests"][slug, is_english] = filled
        for name in ("REPLIES", "CUSTOMER_REPLIES", "RESOLUTIONS"):
            indonesian, english = getattr(texts, name)
            phrases[name, False] = texts.variants(indonesian, rng, 30, english=False)
            phrases[name, True] = texts.variants(english, rng, 30, english=True)
        for name in ("NOTES", "REASONS", "TRIED", "FINDINGS", "INSTRUCTIONS", "TRANSFER_NOTES"):
            phrases[name] = texts.variants(getattr(texts, name), rng, 40, english=False)
        phrases["ON_HOLD_NOTES"] = texts.ON_HOLD_NOTES
        return phrases

    def tell(self, story: Story, phrases: dict[str, Any]) -> tuple:
        """Simulate one ticket and return its row (events and periods stay on the story)."""
        rng, world = story.rng, self.world
        org_id, english = rng.choices(world.organizations, cum_weights=world.organization_weights)[
            0
        ]
        customer = rng.choice(world.customers[org_id])
        category = rng.choices(list(world.category_ids), weights=CATEGORY_WEIGHTS)[0]
        subject, description = rng.choice(phrases["requests"][category, english])
        channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
        impact = urgency = ""
        if rng.random() < 0.7:
            impact = rng.choice(["high", "medium", "medium", "low", "low"])
            urgency = rng.choice(["high", "medium", "medium", "low"])
            priority = str(PRIORITY_MATRIX[(impact, urgency)])
        else:
            priority = rng.choice(["P2", "P3", "P3", "P3", "P4"])
        l1 = rng.choice(world.l1_agents)
        # The portal and the API are the customer's own; L1 logs phone, chat and e-mail
        # requests on the customer's behalf (as open_ticket allows and the demo does).
        opener = customer[0] if channel in ("web", "api") else l1[0]
        story.open(opener, channel, priority, description)
        say = phrases
        with contextlib.suppress(StopStory):
            self._live(story, say, rng, english, customer, l1, category)
        world_tiers, teams = world.tier_ids, world.team_ids
        return (
            story.id,
            subject,
            description,
            customer[0],
            org_id,
            world.category_ids[category],
            priority,
            impact,
            urgency,
            channel,
            story.status,
            world_tiers[story.tier],
            teams[story.team] if story.team else None,
            story.assignee[0] if story.assignee else None,
            story.events[0][2],
            story.updated_at,
            story.first_responded_at,
            story.resolved_at,
            story.closed_at,
            world_tiers[story.resolved_tier] if story.resolved_tier else None,
            story.escalation_count,
            story.paused_since,
            story.paused_seconds,
            story.checkpoint,
        )

    def _live(self, story, say, rng, english, customer, l1, category) -> None:
        world = self.world
        story.wait(300, 4 * 3600)
        story.assign(l1)
        if rng.random() < 0.35:
            story.wait(60, 1800)
            story.note(l1[0], rng.choice(say["NOTES"]))
        outcome = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0]
        story.wait(120, 3 * 3600)
        story.reply(l1[0], rng.choice(say["REPLIES", english]))
        if rng.random() < 0.25:
            story.wait(60, 600)
            story.set_status(l1[0], "pending")
            story.wait(600, DAY)
            story.customer_reply(customer[0], rng.choice(say["CUSTOMER_REPLIES", english]))
        holder = l1
        if outcome != "l1":
            team = world.category_team[category]
            story.wait(600, 6 * 3600)
            story.escalate(
                holder[0],
                2,
                team,
                rng.choice(say["REASONS"]),
                rng.sample(say["TRIED"], rng.randint(1, 3)),
                rng.choice(say["FINDINGS"]),
            )
            story.wait(900, 8 * 3600)
            holder = rng.choice(world.team_agents[team])
            story.assign(holder)
            if rng.random() < 0.05:
                other = "l2-hosting" if team == "l2-network" else "l2-network"
                story.wait(1800, 6 * 3600)
                story.transfer(holder[0], other, rng.choice(say["TRANSFER_NOTES"]))
                story.wait(900, 4 * 3600)
                holder = rng.choice(world.team_agents[other])
                story.assign(holder)
            if rng.random() < 0.4:
                story.wait(600, 4 * 3600)
                story.note(holder[0], rng.choice(say["NOTES"]))
            if outcome == "l3":
                story.wait(3600, DAY)
                story.escalate(
                    holder[0],
                    3,
                    "l3-engineering",
                    rng.choice(say["REASONS"]),
                    rng.sample(say["TRIED"], rng.randint(1, 4)),
                    rng.choice(say["FINDINGS"]),
                )
                story.wait(1800, DAY)
                holder = rng.choice(world.team_agents["l3-engineering"])
                story.assign(holder)
                if rng.random() < 0.3:
                    story.wait(3600, DAY)
                    story.set_status(holder[0], "on_hold", rng.choice(say["ON_HOLD_NOTES"]))
                    story.wait(DAY, 5 * DAY)
                    story.set_status(holder[0], "open")
            elif outcome == "back_to_l1":
                story.wait(3600, DAY)
                story.deescalate(holder[0], 1, rng.choice(say["INSTRUCTIONS"]))
                story.wait(900, 6 * 3600)
                holder = rng.choice(world.l1_agents)
                story.assign(holder)
            story.wait(1800, 2 * DAY)
            story.reply(holder[0], rng.choice(say["REPLIES", english]))
        story.wait(600, DAY)
        story.resolve(holder[0], rng.choice(say["RESOLUTIONS", english]))
        if rng.random() < 0.03:
            story.wait(3600, 3 * DAY)
            story.customer_reply(customer[0], rng.choice(say["CUSTOMER_REPLIES", english]))
            story.wait(1800, DAY)
            story.resolve(holder[0], rng.choice(say["RESOLUTIONS", english]))
        story.wait(3 * DAY, 7 * DAY)
        story.set_status(holder[0], "closed")

    def load_world(self) -> World:
        """The people and places of a bench data set already in the database (to add more
        tickets to it)."""
        sizes_by_org: dict[int, list[tuple[int, str]]] = {}
        english: dict[int, bool] = {}
        customers = User.objects.filter(username__startswith="bench-c", role=Role.CUSTOMER)
        for pk, username, org_id, language in customers.order_by("id").values_list(
            "id", "username", "organization_id", "language"
        ):
            sizes_by_org.setdefault(org_id, []).append((pk, username))
            english[org_id] = language == "en"
        organizations = sorted(sizes_by_org)
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(organizations))]
        agents = dict(
            Membership.objects.filter(user__username__startswith="bench-")
            .exclude(user__username__startswith="bench-lead")
            .values_list("user__username", "team__slug")
        )
        ids = dict(User.objects.filter(username__in=agents).values_list("username", "id"))
        team_agents: dict[str, list[tuple[int, str]]] = {slug: [] for _l, slug, *_r in TEAMS}
        for username, team in sorted(agents.items()):
            if team:
                team_agents[team].append((ids[username], username))
        teams = {team.slug: team for team in Team.objects.select_related("tier")}
        self.world = World(
            tier_ids=dict(Tier.objects.values_list("level", "id")),
            team_ids={slug: team.pk for slug, team in teams.items()},
            team_tier={slug: team.tier.level for slug, team in teams.items()},
            category_ids=dict(Category.objects.values_list("slug", "id")),
            category_team={slug: team for slug, *_rest, team in CATEGORIES},
            organizations=[(pk, english[pk]) for pk in organizations],
            organization_weights=list(_cumulative(weights)),
            customers=sizes_by_org,
            l1_agents=[(ids[u], u) for u, team in sorted(agents.items()) if not team],
            team_agents=team_agents,
        )
        return self.world

    def run(self, progress: Callable[[str], None] = print) -> dict[str, Any]:
        started = time.monotonic()
        with transaction.atomic():
            if bench_data_present():
                self.load_world()
            else:
                self.build_world()
        phrases = self._phrases()
        next_ticket = (Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        next_event = (Event.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        next_period = (
            TierPeriod.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        span = self.now - self.start
        rows = Rows()
        totals = {"tickets": 0, "events": 0, "tier_periods": 0}
        writer = self._postgres_writer() if self.postgres else self._sqlite_writer()
        rng = random.Random(self.seed + 2)
        dropped = self._drop_indexes() if self.count >= INDEX_REBUILD_FROM else []
        for number in range(self.count):
            # Tickets arrive in time order, so ids grow with creation time as in real life.
            at = self.start + int((number + rng.random()) * span / self.count)
            story = Story(next_ticket + number, at, self.now, rng)
            rows.tickets.append(self.tell(story, phrases))
            for kind, actor, moment, body, internal, data in story.events:
                rows.events.append(
                    (next_event, story.id, kind, actor, moment, body, internal, data)
                )
                next_event += 1
            for tier, team, begun, ended, reason in story.periods:
                rows.periods.append(
                    (
                        next_period,
                        story.id,
                        self.world.tier_ids[tier],
                        self.world.team_ids[team] if team else None,
                        begun,
                        ended,
                        reason,
                    )
                )
                next_period += 1
            if len(rows.tickets) >= self.batch or number == self.count - 1:
                totals["tickets"] += len(rows.tickets)
                totals["events"] += len(rows.events)
                totals["tier_periods"] += len(rows.periods)
                writer(rows)
                rows = Rows()
                elapsed = time.monotonic() - started
                done = sum(totals.values())
                progress(
                    f"  {totals['tickets']:>9,} tickets, {done:>11,} rows, "
                    f"{elapsed:7.1f} s, {done / elapsed:>9,.0f} rows/s"
                )
        if dropped:
            progress(f"  rebuilding {len(dropped)} indexes ...")
            self._create_indexes(dropped)
        self._finish()
        elapsed = time.monotonic() - started
        people = User.objects.filter(username__startswith="bench-").count()
        return {
            **totals,
            "people": people,
            "organizations": len(self.world.organizations),
            "seconds": round(elapsed, 1),
            "rows_per_second": round(sum(totals.values()) / elapsed),
        }

    # -- writers --

    def _sqlite_writer(self) -> Callable[[Rows], None]:
        from datetime import UTC, datetime

        def moment(seconds: int | None) -> str | None:
            if seconds is None:
                return None
            return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -400000")  # 400 MB for this connection
        tables = self._tables()
        insert = {
            table: f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
            f"({', '.join(['?'] * len(columns))})"
            for table, columns in tables.items()
        }
        raw = connection.connection
        more_ticket = self.defaults[Ticket._meta.db_table]
        more_event = self.defaults[Event._meta.db_table]
        more_period = self.defaults[TierPeriod._meta.db_table]

        def write(rows: Rows) -> None:
            tickets = [
                (
                    *row[:14],
                    *map(moment, row[14:19]),
                    *row[19:21],
                    moment(row[21]),
                    row[22],
                    moment(row[23]),
                    *more_ticket,
                )
                for row in rows.tickets
            ]
            events = [
                (a, b, c, d, moment(e), f, int(g), json.dumps(h), *more_event)
                for a, b, c, d, e, f, g, h in rows.events
            ]
            periods = [
                (a, b, c, d, moment(e), moment(f), g, *more_period)
                for a, b, c, d, e, f, g in rows.periods
            ]
            with transaction.atomic():
                raw.executemany(insert[Ticket._meta.db_table], tickets)
                raw.executemany(insert[Event._meta.db_table], events)
                raw.executemany(insert[TierPeriod._meta.db_table], periods)

        return write

    def _postgres_writer(self) -> Callable[[Rows], None]:
        from datetime import UTC, datetime

        def moment(seconds: int | None) -> datetime | None:
            return None if seconds is None else datetime.fromtimestamp(seconds, UTC)

        tables = self._tables()
        more_ticket = self.defaults[Ticket._meta.db_table]
        more_event = self.defaults[Event._meta.db_table]
        more_period = self.defaults[TierPeriod._meta.db_table]

        def write(rows: Rows) -> None:
            with transaction.atomic(), connection.cursor() as wrapper:
                cursor = wrapper.cursor
                for model, source in (
                    (
                        Ticket,
                        (
                            (
                                *r[:14],
                                *map(moment, r[14:19]),
                                *r[19:21],
                                moment(r[21]),
                                r[22],
                                moment(r[23]),
                                *more_ticket,
                            )
                            for r in rows.tickets
                        ),
                    ),
                    (
                        Event,
                        (
                            (a, b, c, d, moment(e), f, g, json.dumps(h), *more_event)
                            for a, b, c, d, e, f, g, h in rows.events
                        ),
                    ),
                    (
                        TierPeriod,
                        (
                            (a, b, c, d, moment(e), moment(f), g, *more_period)
                            for a, b, c, d, e, f, g in rows.periods
                        ),
                    ),
                ):
                    table = model._meta.db_table
                    columns = ", ".join(tables[table])
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in source:
                            copy.write_row(row)

        return write

    def _tables(self) -> dict[str, list[str]]:
        """Each table's columns: the ones the stories fill, then every other column of the
        model (added since by other features) with its default, as ``Model()`` would save."""
        tables = {}
        self.defaults = {}
        for model, columns in (
            (Ticket, TICKET_COLUMNS),
            (Event, EVENT_COLUMNS),
            (TierPeriod, PERIOD_COLUMNS),
        ):
            others = [f for f in model._meta.concrete_fields if f.column not in columns]
            tables[model._meta.db_table] = columns + [f.column for f in others]
            self.defaults[model._meta.db_table] = tuple(
                f.get_db_prep_save(f.get_default(), connection) for f in others
            )
        return tables

    def _drop_indexes(self) -> list[str]:
        """Drop the secondary indexes of the bulk-loaded tables (building them once at the end
        is much faster than keeping them up to date row by row); returns their definitions.
        Indexes that back constraints stay."""
        tables = [Ticket._meta.db_table, Event._meta.db_table, TierPeriod._meta.db_table]
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid "
                    "JOIN pg_class t ON t.oid = x.indrelid "
                    "WHERE t.relname = ANY(%s) AND NOT x.indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
                    [tables],
                )
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    f"AND tbl_name IN ({', '.join(['%s'] * len(tables))})",
                    tables,
                )
            found = cursor.fetchall()
            for name, _definition in found:
                cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _name, definition in found]

    def _create_indexes(self, definitions: list[str]) -> None:
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SET maintenance_work_mem = '512MB'")
            for definition in definitions:
                cursor.execute(definition)

    def _finish(self) -> None:
        """The seeded timeline is history: the mail job starts after it (as migration
        ``channels/0002`` makes an existing installation do), instead of mailing customers
        and agents about every event of the year. Then move the id sequences past the rows
        written with explicit ids; on PostgreSQL, do what autovacuum would do shortly after a
        bulk load (statistics, visibility map)."""
        newest = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
        OutboxCursor.objects.update_or_create(name="email", defaults={"last_event_id": newest})
        if not self.postgres:
            return  # SQLite's AUTOINCREMENT follows explicit ids by itself
        tables = [model._meta.db_table for model in (Ticket, Event, TierPeriod)]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
        vacuum(tables)


def vacuum(tables: list[str]) -> None:
    """On PostgreSQL, what autovacuum would do soon after a bulk load: the planner's statistics
    and the visibility map. Without the map, every bitmap heap scan of a freshly loaded table
    checks each row it reads (see docs/benchmarks.md, the PostgreSQL rerun after VACUUM)."""
    if connection.vendor != "postgresql":
        return
    # VACUUM cannot run in a transaction (a test's, say): the statistics alone then.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {table}")


def _cumulative(weights: list[float]):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def bench_data_present() -> bool:
    return User.objects.filter(username=MARKER_USERNAME).exists()


def seed(*, tickets: int, seed: int = 7, progress: Callable[[str], None] = print) -> dict:
    return Seeder(tickets=tickets, seed=seed).run(progress)
