"""“Was this helpful?”: one vote per article and person; a second vote replaces the first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tierdesk.kb import actions
from tierdesk.kb.models import ArticleEvent, ArticleEventKind
from tierdesk.kb.queries import article_counts

pytestmark = pytest.mark.django_db


def votes(article) -> list[dict]:
    return list(
        ArticleEvent.objects.filter(kind=ArticleEventKind.FEEDBACK, article=article).values_list(
            "data", flat=True
        )
    )


def test_a_signed_in_persons_second_vote_replaces_the_first(write_article, customer):
    article = write_article()
    actions.record_feedback(actor=customer, article_id=article.pk, helpful=True)
    actions.record_feedback(
        actor=customer, article_id=article.pk, helpful=False, comment="Langkah 3 tidak ada"
    )
    counts = article_counts(article.pk)
    assert (counts.helpful, counts.not_helpful) == (0, 1)
    assert votes(article) == [{"helpful": False, "comment": "Langkah 3 tidak ada"}]


def test_a_signed_in_person_is_one_voter_across_sessions(write_article, customer):
    article = write_article()
    actions.record_feedback(actor=customer, article_id=article.pk, helpful=True, visitor="s1")
    actions.record_feedback(actor=customer, article_id=article.pk, helpful=True, visitor="s2")
    assert article_counts(article.pk).helpful == 1


def test_visitors_are_told_apart_by_their_session(write_article, customer, colleague, settings):
    settings.TIERDESK_KB_PUBLIC = True
    article = write_article()
    for _ in range(3):
        actions.record_feedback(actor=None, article_id=article.pk, helpful=True, visitor="abc")
    actions.record_feedback(actor=None, article_id=article.pk, helpful=False, visitor="def")
    actions.record_feedback(actor=colleague, article_id=article.pk, helpful=True)
    counts = article_counts(article.pk)
    assert (counts.helpful, counts.not_helpful) == (2, 1)
    # The same votes on another article are other votes.
    other = write_article(title="Printer macet")
    actions.record_feedback(actor=None, article_id=other.pk, helpful=True, visitor="abc")
    assert article_counts(other.pk).helpful == 1


def test_the_portal_page_counts_one_vote_per_browser(write_article, settings):
    settings.TIERDESK_KB_PUBLIC = True
    article = write_article()
    url = reverse("web:kb_feedback", args=[article.pk])
    browser, other_browser = Client(), Client()
    assert browser.post(url, {"helpful": "yes"}).status_code == 302
    assert browser.post(url, {"helpful": "no"}).status_code == 302
    assert other_browser.post(url, {"helpful": "yes"}).status_code == 302
    counts = article_counts(article.pk)
    assert (counts.helpful, counts.not_helpful) == (1, 1)


def test_the_api_counts_one_vote_per_signed_in_person(api_as, write_article, customer):
    article = write_article()
    client = api_as(customer)
    for helpful in (True, True, False):
        response = client.post(f"/kb/articles/{article.pk}/feedback", {"helpful": helpful})
        assert response.status_code == 201
    counts = article_counts(article.pk)
    assert (counts.helpful, counts.not_helpful) == (0, 1)


def test_the_api_counts_one_vote_per_anonymous_client_that_keeps_its_cookie(
    write_article, settings
):
    settings.TIERDESK_KB_PUBLIC = True
    article = write_article()
    url = f"/api/v1/kb/articles/{article.pk}/feedback"
    client, other_client = Client(), Client()
    for helpful in ("true", "false"):
        response = client.post(url, f'{{"helpful": {helpful}}}', content_type="application/json")
        assert response.status_code == 201
        assert settings.SESSION_COOKIE_NAME in client.cookies
    response = other_client.post(url, '{"helpful": true}', content_type="application/json")
    assert response.status_code == 201
    counts = article_counts(article.pk)
    assert (counts.helpful, counts.not_helpful) == (1, 1)
