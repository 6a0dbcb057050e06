"""Suggestions from a description (the portal's ticket form, the e-mail receipt): an article
comes for the words that tell it apart, not for the everyday words most articles hold."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings
from django.db import connection

from tierdesk.kb.actions import revise_article
from tierdesk.kb.queries import search_articles, suggest_articles
from tierdesk.search import index
from tierdesk.search.engines import engine

pytestmark = pytest.mark.django_db

# More than MIN_COMMON_DOCUMENTS articles, each about its own application, all saying
# "tidak bisa": as in a real Indonesian desk, those two words are in most articles.
EVERYDAY_ARTICLES = index.MIN_COMMON_DOCUMENTS + 10


def _names(count: int) -> list[str]:
    syllables = ["ka", "li", "mo", "re", "su", "te", "wi", "no"]
    return ["".join(parts) for parts in itertools.product(syllables, repeat=3)][:count]


@pytest.fixture
def desk_articles(write_article):
    everyday = [
        write_article(
            title=f"Aplikasi {name} tidak bisa dibuka",
            body=f"Jika aplikasi {name} tidak bisa dibuka, keluar lalu masuk lagi.",
        ).pk
        for name in _names(EVERYDAY_ARTICLES)
    ]
    printer = write_article(
        title="Kertas tersangkut di printer",
        body="Matikan printer, buka penutupnya, lalu tarik kertas yang tersangkut pelan-pelan.",
    ).pk
    return everyday, printer


def test_a_description_brings_the_articles_that_share_its_telling_words(desk_articles, customer):
    everyday, printer = desk_articles
    description = "Printer di lantai 3 tidak bisa mencetak sejak pagi, kertasnya tersangkut"

    suggested = [hit.id for hit in suggest_articles(customer, description, language="id")]

    assert suggested == [printer]
    # The search box still takes every word a person types: there the articles that share
    # only "tidak bisa" follow the printer one.
    searched = [hit.id for hit in search_articles(customer, description, limit=5).items]
    assert searched[0] == printer
    assert len(searched) == 5
    assert set(searched[1:]) <= set(everyday)


def test_a_description_of_everyday_words_only_still_gets_suggestions(desk_articles, customer):
    everyday, _printer = desk_articles

    suggested = [hit.id for hit in suggest_articles(customer, "Tidak bisa", language="id")]

    assert len(suggested) == 5
    assert set(suggested) <= set(everyday)


def test_word_counts_follow_article_changes(write_article, l1_agent):
    article = write_article(title="Proyektor rapat", body="Sambungkan kabel HDMI ke proyektor.")
    current = engine()

    def counted():
        total, counts = current.document_frequencies("article", words)
        return total, {word: counts.get(word, 0) for word in words}

    words = ["proyektor", "hdmi", "vga"]
    assert counted() == (1, {"proyektor": 1, "hdmi": 1, "vga": 0})

    revise_article(
        actor=l1_agent,
        article_id=article.pk,
        title="Proyektor rapat",
        body="Sambungkan kabel VGA ke proyektor.",
        language="id",
        category=None,
        visibility="public",
    )
    write_article(title="Proyektor kelas", body="Nyalakan proyektor dari remote.")

    assert counted() == (2, {"proyektor": 2, "hdmi": 0, "vga": 1})
    # Kinds whose words are not counted answer nothing (the tickets: a million documents).
    assert current.document_frequencies("ticket", ["proyektor"]) == (0, {})


def test_common_words_still_rank_what_the_telling_words_found(write_article, customer):
    # "windows" is in most articles (though in fewer than "tidak bisa"): it finds nothing by
    # itself, but of the two printer articles it puts the Windows one first.
    for number, name in enumerate(_names(index.MIN_COMMON_DOCUMENTS + 10)):
        platform = "Windows" if number % 3 else "Linux"
        write_article(
            title=f"Aplikasi {name} untuk {platform}",
            body=f"Aplikasi {name} tidak bisa dibuka.",
        )
    android = write_article(
        title="Printer dari Android", body="Kertas tersangkut: buka penutup printer."
    ).pk
    windows = write_article(
        title="Printer dari Windows", body="Kertas tersangkut: buka penutup printer."
    ).pk

    suggested = [
        hit.id
        for hit in suggest_articles(
            customer,
            "Printer di Windows tidak bisa mencetak dari aplikasi, kertas tersangkut",
            language="id",
        )
    ]

    assert suggested == [windows, android]


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="PostgreSQL's GIN pending list (FTS5 has none)",
)
def test_article_writes_reach_the_index_itself_not_a_pending_list(write_article):
    """Every search reads through a GIN index's pending list: the articles' index takes each
    write at once (search/0008), so nothing is left there to merge."""
    for number in range(20):
        write_article(title=f"Printer lantai {number} offline", body="Nyalakan ulang printer.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('search_document_vector_article'::regclass)")
        assert cursor.fetchone()[0] == 0
