"""The knowledge-base and search endpoints, including what they do with hostile input."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from tierdesk.kb.indexing import index_changed_tickets
from tierdesk.kb.models import ArticleEvent
from tierdesk.search.index import document_count

pytestmark = pytest.mark.django_db


def patch(client, path, body):
    return client.client.patch(
        "/api/v1" + path,
        data=json.dumps(body),
        content_type="application/json",
        headers=client.headers,
    )


def test_write_publish_search_and_read(api_as, l1_agent, customer):
    agent = api_as(l1_agent)
    created = agent.post(
        "/kb/articles",
        {"title": "Pemasangan printer", "body": "Cara **pasang** printer.", "language": "id"},
    )
    assert created.status_code == 201, created.content
    article_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert api_as(customer).get("/kb/search", {"q": "memasang printer"}).json()["count"] == 0
    published = patch(
        agent,
        f"/kb/articles/{article_id}",
        {"status": "published", "title": "Pemasangan printer kantor"},
    )
    assert published.status_code == 200, published.content
    assert published.json()["version"] == 3
    found = api_as(customer).get("/kb/search", {"q": "memasang printer"}).json()
    assert found["count"] == 1
    item = found["items"][0]
    assert item["id"] == article_id
    assert "<mark>" in item["snippet"]
    assert item["url"]
    detail = api_as(customer).get(f"/kb/articles/{article_id}").json()
    assert "<strong>pasang</strong>" in detail["body_html"]
    listing = api_as(customer).get("/kb/articles").json()
    assert listing["count"] == 1


def test_customers_may_not_write(api_as, customer):
    response = api_as(customer).post("/kb/articles", {"title": "x", "body": "y", "language": "id"})
    assert response.status_code == 403


def test_anonymous_search_feedback_and_solved(api_as, write_article, settings):
    article = write_article()
    anonymous = api_as(None)
    assert anonymous.get("/kb/search", {"q": "sandi"}).json()["count"] == 1
    assert (
        anonymous.post(f"/kb/articles/{article.pk}/feedback", {"helpful": True}).status_code == 201
    )
    assert anonymous.post(f"/kb/articles/{article.pk}/solved", {"query": "lupa"}).status_code == 201
    assert ArticleEvent.objects.count() == 2
    settings.TIERDESK_KB_PUBLIC = False
    assert anonymous.get("/kb/search", {"q": "sandi"}).json()["count"] == 0
    assert anonymous.get(f"/kb/articles/{article.pk}").status_code == 404
    assert anonymous.post(f"/kb/articles/{article.pk}/solved", {}).status_code == 404
    assert (
        anonymous.post("/kb/articles", {"title": "x", "body": "y", "language": "id"}).status_code
        == 401
    )


def test_feedback_needs_a_boolean(api_as, write_article, customer):
    article = write_article()
    response = api_as(customer).post(f"/kb/articles/{article.pk}/feedback", {"helpful": "maybe"})
    assert response.status_code == 422
    assert not ArticleEvent.objects.exists()


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "printer*",
        "NEAR(a b)",
        "title:sandi",
        "((sandi",
        "') OR 1=1 --",
        "a AND OR NOT",
        "<script>alert(1)</script>",
        "sandi; DROP TABLE kb_article;",
        "%",
        "\\",
        "💥",
    ],
)
def test_hostile_queries_get_a_clear_answer(api_as, write_article, customer, q):
    write_article()
    response = api_as(customer).get("/kb/search", {"q": q})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_empty_and_oversized_queries(api_as, customer, l1_agent):
    client = api_as(customer)
    assert client.get("/kb/search", {"q": ""}).json() == {
        "items": [],
        "count": 0,
        "corrected_query": None,
    }
    assert client.get("/kb/search").status_code == 200
    too_long = client.get("/kb/search", {"q": "x" * 10_240})
    assert too_long.status_code == 422
    assert too_long.json()["code"] == "invalid_input"
    assert client.get("/kb/search", {"q": "a\x00b"}).status_code == 422
    assert client.get("/kb/search", {"limit": 0}).status_code == 422
    assert api_as(l1_agent).get("/search", {"q": "x" * 10_240}).status_code == 422
    assert client.get("/kb/articles/99999999999999999999").status_code in (404, 422)


def test_mixed_search_for_agents_respects_ticket_visibility(
    api_as, make_ticket, write_article, l1_agent, l2_agent, customer, supervisor
):
    ticket = make_ticket(subject="Printer lantai 3 macet", description="Kertas nyangkut terus.")
    write_article(title="Kertas macet di printer", body="Buka penutup depan.")
    index_changed_tickets.call()
    hits = api_as(l1_agent).get("/search", {"q": "printer macet"}).json()["items"]
    assert {(hit["kind"], hit["id"]) for hit in hits} >= {("ticket", ticket.pk)}
    assert {hit["kind"] for hit in hits} == {"ticket", "article"}
    # L2 does not see a new L1 ticket it never worked on; the article it does.
    kinds = {
        hit["kind"]
        for hit in api_as(l2_agent).get("/search", {"q": "printer macet"}).json()["items"]
    }
    assert kinds == {"article"}
    assert api_as(customer).get("/search", {"q": "printer"}).status_code == 403
    assert {
        hit["kind"]
        for hit in api_as(supervisor).get("/search", {"q": "printer macet"}).json()["items"]
    } == {"ticket", "article"}


def test_reindex_command_rebuilds_everything(make_ticket, write_article, capsys):
    make_ticket(subject="VPN putus", description="Sering terputus.")
    write_article()
    call_command("reindex")
    assert "Indexed 1 articles, 1 tickets" in capsys.readouterr().out
    assert document_count() == 2
