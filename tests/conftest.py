"""Personas built through the real actions, and an API client that speaks as one of them."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.test import Client

from tierdesk.accounts.actions import (
    add_membership,
    create_organization,
    create_person,
    issue_api_token,
)
from tierdesk.accounts.models import Organization, Role, Team, Tier, User
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.models import Category, Ticket

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _english_unless_asked(request):
    """Messages built outside a request follow the active language: start every test in
    English, so no test sees a language left active by another. Requests still choose their
    own language (profile, Accept-Language, default Indonesian)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas have passwords; a deliberately slow hasher would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


DEFAULT_TIERS = importlib.import_module(
    "tierdesk.accounts.migrations.0002_default_tiers"
).DEFAULT_TIERS


@pytest.fixture
def tiers(db) -> dict[int, Tier]:
    """The default tiers the migration creates: L0 (no tickets) to L3. Recreated from the
    migration's own data when a transactional test (live server, threads) flushed them."""
    for level, name_id, name_en, handles_tickets in DEFAULT_TIERS:
        Tier.objects.get_or_create(
            level=level,
            defaults={"name_id": name_id, "name_en": name_en, "handles_tickets": handles_tickets},
        )
    return {tier.level: tier for tier in Tier.objects.all()}


@pytest.fixture
def teams(tiers) -> dict[str, Team]:
    made = {}
    for level, slug, name_id, name_en in [
        (2, "l2-network", "Jaringan", "Network"),
        (2, "l2-hosting", "Hosting", "Hosting"),
        (3, "l3-engineering", "Rekayasa", "Engineering"),
    ]:
        made[slug] = Team.objects.create(
            tier=tiers[level], slug=slug, name_id=name_id, name_en=name_en
        )
    return made


@pytest.fixture
def category(db) -> Category:
    return Category.objects.create(slug="akun", name_id="Akun & kata sandi", name_en="Accounts")


@pytest.fixture
def organization(tiers) -> Organization:
    return create_organization(name="PT Contoh Sejahtera", slug="contoh", domains=["contoh.test"])


@pytest.fixture
def other_organization(tiers) -> Organization:
    return create_organization(name="Sample Trading Ltd", slug="sample", domains=["sample.test"])


def _staff(username: str, role: str = Role.AGENT, language: str = "en") -> User:
    return create_person(
        username=username,
        email=f"{username}@tierdesk.test",
        password=PASSWORD,
        role=role,
        language=language,
    )


@pytest.fixture
def customer(organization) -> User:
    return create_person(
        username="customer",
        email="customer@contoh.test",
        password=PASSWORD,
        organization=organization,
        language="en",
    )


@pytest.fixture
def colleague(organization) -> User:
    """Another customer of the same organization."""
    return create_person(
        username="colleague",
        email="colleague@contoh.test",
        password=PASSWORD,
        organization=organization,
    )


@pytest.fixture
def other_org_customer(other_organization) -> User:
    return create_person(
        username="customer2",
        email="customer2@sample.test",
        password=PASSWORD,
        organization=other_organization,
        language="en",
    )


@pytest.fixture
def l1_agent(tiers) -> User:
    agent = _staff("agent1")
    add_membership(user=agent, tier=tiers[1])
    return agent


@pytest.fixture
def second_l1_agent(tiers) -> User:
    agent = _staff("agent1b")
    add_membership(user=agent, tier=tiers[1])
    return agent


@pytest.fixture
def l2_agent(tiers) -> User:
    agent = _staff("agent2")
    add_membership(user=agent, tier=tiers[2])
    return agent


@pytest.fixture
def l2_network_agent(tiers, teams) -> User:
    """Works only in the L2 network team."""
    agent = _staff("netagent")
    add_membership(user=agent, tier=tiers[2], team=teams["l2-network"])
    return agent


@pytest.fixture
def l3_agent(tiers) -> User:
    agent = _staff("agent3")
    add_membership(user=agent, tier=tiers[3])
    return agent


@pytest.fixture
def solo_agent(tiers) -> User:
    agent = _staff("solo")
    for level in (1, 2, 3):
        add_membership(user=agent, tier=tiers[level])
    return agent


@pytest.fixture
def supervisor(tiers) -> User:
    return _staff("lead", role=Role.SUPERVISOR)


@pytest.fixture
def make_ticket(customer):
    """Open a ticket as a customer (default: ``customer``) through the real action."""

    def make(requester: User | None = None, **fields: Any) -> Ticket:
        fields.setdefault("subject", "Tidak bisa login ke VPN")
        fields.setdefault("description", "Muncul pesan 'authentication failed' sejak pagi.")
        return open_ticket(actor=requester or customer, **fields).ticket

    return make


@pytest.fixture
def ticket(make_ticket) -> Ticket:
    return make_ticket()


@pytest.fixture
def held_ticket(ticket, l1_agent) -> Ticket:
    """The customer's ticket, taken by the L1 agent."""
    assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="me")
    ticket.refresh_from_db()
    return ticket


class ApiClient:
    """Calls /api/v1 as one person, with a real bearer token."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _token, plaintext = issue_api_token(user=user, name="tests")
            self.headers["Authorization"] = f"Bearer {plaintext}"

    def get(self, path: str, params: dict | None = None, **headers: str):
        return self.client.get("/api/v1" + path, params or {}, headers={**self.headers, **headers})

    def post(self, path: str, body: Any = None, *, raw: str | bytes | None = None, **headers: str):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            "/api/v1" + path,
            data=data,
            content_type="application/json",
            headers={**self.headers, **headers},
        )


@pytest.fixture
def api_as():
    return ApiClient
