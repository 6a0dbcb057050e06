"""The admin is where business settings live; tickets there are read-only."""

from __future__ import annotations

import pytest

from tierdesk.accounts.actions import create_person
from tierdesk.accounts.models import Role


@pytest.fixture
def admin_client_for(client, db):
    admin = create_person(username="root", password="pw-for-tests", role=Role.ADMIN)
    client.force_login(admin)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/accounts/tier/",
        "/admin/accounts/team/",
        "/admin/accounts/organization/",
        "/admin/accounts/user/",
        "/admin/tickets/category/",
        "/admin/tickets/ticket/",
    ],
)
def test_admin_pages_render(admin_client_for, held_ticket, path):
    assert admin_client_for.get(path).status_code == 200


@pytest.mark.django_db
def test_tickets_cannot_be_changed_in_the_admin(admin_client_for, held_ticket):
    page = admin_client_for.get(f"/admin/tickets/ticket/{held_ticket.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = admin_client_for.post(
        f"/admin/tickets/ticket/{held_ticket.pk}/change/",
        {"subject": "changed", "status": "closed"},
    )
    assert response.status_code == 403
    held_ticket.refresh_from_db()
    assert held_ticket.subject != "changed"
    assert held_ticket.status == "open"


@pytest.mark.django_db
def test_tiers_seeded_with_indonesian_and_english_names(tiers):
    assert [(tier.level, tier.handles_tickets) for tier in tiers.values()] == [
        (0, False),
        (1, True),
        (2, True),
        (3, True),
    ]
    from django.utils import translation

    with translation.override("id"):
        assert tiers[2].name == "Dukungan Teknis"
    with translation.override("en"):
        assert tiers[2].name == "Technical Support"
