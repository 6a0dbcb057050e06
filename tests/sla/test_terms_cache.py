"""The SLA terms of a new ticket come from a per-process cache checked against one revision
token per lookup: one query instead of four to six, and an edit (here or in another process)
is seen by the very next lookup."""

from __future__ import annotations

import pytest

from tierdesk.accounts.actions import create_person
from tierdesk.accounts.models import Role
from tierdesk.sla.actions import save_policy
from tierdesk.sla.models import (
    Calendar,
    OrganizationPolicy,
    Policy,
    PolicyTarget,
    Revision,
    WorkingInterval,
)
from tierdesk.sla.services import terms_for_organization, terms_for_policy


@pytest.fixture
def admin(db):
    return create_person(username="root", password="pw-for-tests", role=Role.ADMIN, language="en")


@pytest.mark.django_db
def test_a_repeated_lookup_is_one_query(organization, django_assert_num_queries):
    first = terms_for_organization(organization.pk, "P3")
    assert (first.policy_name, first.resolution_minutes) == ("Standard", 1620)
    with django_assert_num_queries(1):
        again = terms_for_organization(organization.pk, "P3")
    with django_assert_num_queries(1):
        other_priority = terms_for_organization(organization.pk, "P1")
    with django_assert_num_queries(1):
        by_policy = terms_for_policy(first.policy_id, "P3", "default")
    assert again == first == by_policy
    assert other_priority.resolution_minutes == 240


@pytest.mark.django_db
def test_a_change_committed_by_another_process_is_seen_at_once(organization):
    assert terms_for_organization(organization.pk, "P3").resolution_minutes == 1620
    # Another process changes a target and, in the same transaction, the revision token.
    PolicyTarget.objects.filter(policy__name="Standard", priority="P3").update(
        resolution_minutes=600
    )
    assert terms_for_organization(organization.pk, "P3").resolution_minutes == 1620  # cached
    Revision.objects.update(token="another-process")
    assert terms_for_organization(organization.pk, "P3").resolution_minutes == 600


@pytest.mark.django_db
def test_admin_style_saves_and_deletes_invalidate(organization):
    standard = terms_for_organization(organization.pk, "P3")
    gold = Policy.objects.create(name="Gold", calendar=Calendar.objects.get(name="24x7"))
    PolicyTarget.objects.create(
        policy=gold, priority="P3", first_response_minutes=10, resolution_minutes=60
    )
    link = OrganizationPolicy.objects.create(organization=organization, policy=gold)
    terms = terms_for_organization(organization.pk, "P3")
    assert (terms.policy_name, terms.reason, terms.resolution_minutes) == (
        "Gold",
        "organization",
        60,
    )
    link.delete()
    assert terms_for_organization(organization.pk, "P3") == standard
    office = Calendar.objects.get(name="Office hours (Jakarta)")
    WorkingInterval.objects.filter(calendar=office, weekday=0).delete()
    assert not terms_for_organization(organization.pk, "P3").schedule.intervals[0]


@pytest.mark.django_db
def test_an_api_edit_is_seen_by_the_next_ticket(admin, organization):
    assert terms_for_organization(organization.pk, "P1").first_response_minutes == 30
    standard = Policy.objects.get(name="Standard")
    save_policy(
        actor=admin,
        policy_id=standard.pk,
        name="Standard",
        calendar=standard.calendar.name,
        is_default=True,
        targets=[{"priority": "P1", "first_response_minutes": 5, "resolution_minutes": 60}],
    )
    terms = terms_for_organization(organization.pk, "P1")
    assert (terms.first_response_minutes, terms.resolution_minutes) == (5, 60)
    assert terms_for_organization(organization.pk, "P3").resolution_minutes is None
