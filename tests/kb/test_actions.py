"""Writing, publishing, retiring, versions, KCS drafts and the L0 events."""

from __future__ import annotations

import pytest

from tierdesk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tierdesk.kb import actions
from tierdesk.kb.models import Article, ArticleEvent, ArticleVersion
from tierdesk.kb.queries import (
    article_counts,
    deflection_rate,
    search_articles,
    suggest_articles,
    visible_articles,
)
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.escalation import escalate_ticket
from tierdesk.tickets.actions.status import resolve_ticket

pytestmark = pytest.mark.django_db


def test_every_save_keeps_a_version_and_the_index_follows(write_article, l1_agent, customer):
    article = write_article(publish=False)
    assert search_articles(customer, "kata sandi").items == []  # a draft is not found
    actions.publish_article(actor=l1_agent, article_id=article.pk)
    assert [hit.id for hit in search_articles(customer, "sandi").items] == [article.pk]
    actions.revise_article(
        actor=l1_agent,
        article_id=article.pk,
        title="Mengganti pencetak",
        body="Toner baru.",
        language="id",
        category=None,
        visibility="public",
    )
    assert search_articles(customer, "sandi").items == []
    assert [hit.id for hit in search_articles(customer, "printer").items] == [article.pk]
    actions.retire_article(actor=l1_agent, article_id=article.pk)
    assert search_articles(customer, "printer").items == []
    versions = list(ArticleVersion.objects.filter(article=article).values_list("number", "status"))
    assert versions == [(1, "draft"), (2, "published"), (3, "published"), (4, "retired")]


def test_customers_cannot_write_and_nothing_is_saved(customer):
    with pytest.raises(NotAllowed):
        actions.create_article(actor=customer, title="x", body="y", language="id")
    assert not Article.objects.exists()


def test_bad_fields_are_refused_before_anything_changes(l1_agent):
    for fields in (
        {"title": "", "body": "y", "language": "id"},
        {"title": "x", "body": "y", "language": "fr"},
        {"title": "x", "body": "y", "language": "id", "visibility": "secret"},
        {"title": "x", "body": "y", "language": "id", "category": "nope"},
        {"title": "x", "body": "y", "language": "id", "tiers": [2]},  # public with tiers
        {"title": "x" * 201, "body": "y", "language": "id"},
        {"title": "x", "body": "y\x00", "language": "id"},
    ):
        with pytest.raises(InvalidInput):
            actions.create_article(actor=l1_agent, **fields)
    assert not Article.objects.exists()
    assert not ArticleVersion.objects.exists()


def test_html_in_bodies_is_sanitized(write_article):
    article = write_article(
        body='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">'
    )
    assert "<script" not in article.body_html
    assert "<img" not in article.body_html  # raw HTML is shown as text, never as markup
    assert 'href="javascript' not in article.body_html


def test_translations_are_linked_and_one_per_language(write_article, l1_agent):
    original = write_article()
    english = actions.create_article(
        actor=l1_agent,
        title="Reset password",
        body="Open the portal.",
        language="en",
        translation_of=original.pk,
    )
    assert english.translation_group == original.translation_group
    with pytest.raises(Conflict):
        actions.create_article(
            actor=l1_agent, title="Lagi", body="x", language="id", translation_of=original.pk
        )


def test_retired_cannot_be_published_without_going_back_to_draft(write_article, l1_agent):
    article = write_article()
    actions.retire_article(actor=l1_agent, article_id=article.pk)
    with pytest.raises(Conflict):
        actions.publish_article(actor=l1_agent, article_id=article.pk)
    actions.restore_article(actor=l1_agent, article_id=article.pk)
    actions.publish_article(actor=l1_agent, article_id=article.pk)


def test_internal_articles_limited_to_tiers(
    write_article, l1_agent, l2_agent, customer, supervisor
):
    article = write_article(visibility="internal", tiers=[2], actor=l2_agent)
    assert article in visible_articles(l2_agent)
    assert article not in visible_articles(l1_agent)
    assert article not in visible_articles(customer)
    assert article in visible_articles(supervisor)
    assert search_articles(l1_agent, "sandi").items == []
    assert [hit.id for hit in search_articles(l2_agent, "sandi").items] == [article.pk]
    assert search_articles(customer, "sandi").items == []


def test_anonymous_reading_follows_the_setting(write_article, settings):
    article = write_article()
    settings.TIERDESK_KB_PUBLIC = True
    assert [hit.id for hit in search_articles(None, "sandi").items] == [article.pk]
    settings.TIERDESK_KB_PUBLIC = False
    assert search_articles(None, "sandi").items == []
    with pytest.raises(NotFound):
        actions.record_view(actor=None, article_id=article.pk)


def test_feedback_views_and_deflections_are_events(write_article, customer):
    article = write_article()
    actions.record_form_started(actor=customer)
    actions.record_form_started(actor=customer)
    actions.record_view(actor=customer, article_id=article.pk, source="ticket_form")
    actions.record_feedback(actor=customer, article_id=article.pk, helpful=True)
    actions.record_feedback(actor=None, article_id=article.pk, helpful=False, visitor="abc")
    actions.record_deflection(actor=customer, article_id=article.pk, query="lupa sandi")
    counts = article_counts(article.pk)
    assert (counts.views, counts.helpful, counts.not_helpful, counts.deflections) == (1, 1, 1, 1)
    from django.utils import timezone

    now = timezone.now()
    weeks = deflection_rate(now - timezone.timedelta(days=7), now + timezone.timedelta(hours=1))
    assert sum(row.deflections for row in weeks) == 1
    assert sum(row.forms_started for row in weeks) == 2
    per_article = deflection_rate(
        now - timezone.timedelta(days=7), now + timezone.timedelta(hours=1), per="article"
    )
    assert per_article[0].article_id == article.pk
    assert per_article[0].rate == 0.5


def test_feedback_needs_a_yes_or_no_and_a_published_article(write_article, customer, l1_agent):
    draft = write_article(publish=False)
    with pytest.raises(InvalidInput):
        actions.record_feedback(actor=customer, article_id=draft.pk, helpful="yes")
    with pytest.raises(NotFound):  # customers do not see drafts
        actions.record_feedback(actor=customer, article_id=draft.pk, helpful=True)
    with pytest.raises(Conflict):
        actions.record_deflection(actor=l1_agent, article_id=draft.pk)
    assert not ArticleEvent.objects.exists()


def test_kcs_draft_from_a_resolved_ticket(ticket, l1_agent, l2_agent):
    assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="me")
    with pytest.raises(Conflict):
        actions.create_kcs_draft(actor=l1_agent, ticket_id=ticket.pk)
    escalate_ticket(
        actor=l1_agent,
        ticket_id=ticket.pk,
        to_tier=2,
        reason="VPN server side",
        tried=["Reset password"],
        findings="The VPN certificate expired on the server.",
    )
    assign_ticket(actor=l2_agent, ticket_id=ticket.pk, assignee="me")
    resolve_ticket(actor=l2_agent, ticket_id=ticket.pk, resolution="Renewed the certificate.")
    article = actions.create_kcs_draft(actor=l2_agent, ticket_id=ticket.pk, language="en")
    assert article.status == "draft"
    assert article.visibility == "internal"
    assert article.title == ticket.subject
    assert "authentication failed" in article.body
    assert "certificate expired" in article.body
    assert "Renewed the certificate." in article.body
    assert list(article.linked_tickets.all()) == [ticket]


def test_suggestions_put_the_readers_language_first(write_article, customer):
    write_article(title="Reset password", body="Open the portal to reset it.", language="en")
    indonesian = write_article()
    hits = suggest_articles(customer, "reset password", language="id")
    assert hits[0].id == indonesian.pk
    assert suggest_articles(customer, "   ") == []
