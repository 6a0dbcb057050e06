"""L0 and the numbers on the web: reading, searching, deflecting, writing articles, reports."""

from __future__ import annotations

import pytest
from django.test import Client

from tierdesk.kb.actions import create_article, publish_article
from tierdesk.kb.models import Article, ArticleEvent


@pytest.fixture
def as_user(db):
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def vpn_article(l1_agent):
    article = create_article(
        actor=l1_agent,
        title="Mengatur ulang kata sandi VPN",
        body="Buka **portal akun**, pilih *Lupa kata sandi*, lalu ikuti petunjuknya.",
        language="id",
    )
    publish_article(actor=l1_agent, article_id=article.pk)
    return article


@pytest.mark.django_db
def test_customer_searches_reads_and_is_helped(as_user, customer, vpn_article):
    client = as_user(customer)
    results = client.get("/kb/search/", {"q": "atur ulang sandi vpn"}).content.decode()
    assert f"/kb/{vpn_article.pk}/" in results
    page = client.get(f"/kb/{vpn_article.pk}/?from=search").content.decode()
    assert "<strong>portal akun</strong>" in page  # Markdown rendered
    client.post(f"/kb/{vpn_article.pk}/feedback/", {"helpful": "yes"})
    kinds = sorted(ArticleEvent.objects.values_list("kind", flat=True))
    assert kinds == ["kb.feedback", "kb.viewed"]


@pytest.mark.django_db
def test_ticket_form_suggests_articles_and_records_a_deflection(as_user, customer, vpn_article):
    client = as_user(customer)
    partial = client.get(
        "/portal/new/suggestions/", {"subject": "lupa kata sandi vpn", "form": "f1"}
    ).content.decode()
    assert f"/kb/{vpn_article.pk}/?from=ticket_form" in partial
    client.get("/portal/new/suggestions/", {"subject": "lupa kata sandi vpn lagi", "form": "f1"})
    assert ArticleEvent.objects.filter(kind="kb.form_started").count() == 1  # once per form
    page = client.get(f"/kb/{vpn_article.pk}/?from=ticket_form").content.decode()
    assert "/solved/" in page
    solved = client.post(f"/kb/{vpn_article.pk}/solved/", {"q": "lupa kata sandi vpn"})
    assert solved.status_code == 200
    deflection = ArticleEvent.objects.get(kind="kb.deflected")
    assert (deflection.article_id, deflection.actor) == (vpn_article.pk, customer)


@pytest.mark.django_db
def test_visitors_read_public_articles_only_when_allowed(client, vpn_article, settings):
    assert client.get(f"/kb/{vpn_article.pk}/").status_code == 200
    settings.TIERDESK_KB_PUBLIC = False
    assert client.get(f"/kb/{vpn_article.pk}/").url.startswith("/login/")


@pytest.mark.django_db
def test_agent_writes_and_publishes_an_article(as_user, l1_agent, customer):
    agent = as_user(l1_agent)
    created = agent.post(
        "/desk/kb/new/",
        {
            "title": "Printer offline",
            "body": "Restart the spooler.",
            "language": "en",
            "visibility": "public",
            "category": "",
        },
    )
    article = Article.objects.get()
    assert created.url == f"/desk/kb/{article.pk}/"
    assert article.status == "draft"
    link = f"/kb/{article.pk}/"
    assert link not in as_user(customer).get("/kb/search/", {"q": "printer"}).content.decode()
    agent.post(f"/desk/kb/{article.pk}/publish/")
    article.refresh_from_db()
    assert article.status == "published"
    assert link in as_user(customer).get("/kb/search/", {"q": "printer offline"}).content.decode()


@pytest.mark.django_db
def test_article_with_script_is_sanitized(as_user, l1_agent, customer):
    article = create_article(
        actor=l1_agent, title="X", body="Hi <script>alert(1)</script> there", language="en"
    )
    publish_article(actor=l1_agent, article_id=article.pk)
    page = as_user(customer).get(f"/kb/{article.pk}/").content.decode()
    assert "<script>alert(1)" not in page


@pytest.mark.django_db
def test_reports_page_for_supervisors_and_own_numbers_for_agents(
    as_user, supervisor, l1_agent, customer
):
    page = as_user(supervisor).get("/desk/reports/")
    assert page.status_code == 200
    assert "Problems solved per tier" in page.content.decode()
    assert 'href="/desk/queues/all/"' in page.content.decode()  # the queue bar is on every page
    csv = as_user(supervisor).get("/desk/reports/", {"csv": "pyramid"})
    assert csv["Content-Type"].startswith("text/csv")
    assert b"L1" in csv.content
    bad = as_user(supervisor).get("/desk/reports/", {"start": "2026-13-40"})
    assert bad.status_code == 422
    agent_page = as_user(l1_agent).get("/desk/reports/").content.decode()
    assert "Problems solved per tier" not in agent_page
    assert as_user(customer).get("/desk/reports/").url == "/portal/"
