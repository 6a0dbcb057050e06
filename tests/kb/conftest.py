"""Knowledge-base fixtures: articles written and published through the real actions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tierdesk.kb.actions import create_article, publish_article
from tierdesk.tickets.models import Category

DATA = Path(__file__).resolve().parent.parent / "data" / "kb"


@pytest.fixture
def write_article(l1_agent):
    def write(publish: bool = True, actor=None, **fields):
        fields.setdefault("title", "Mengatur ulang kata sandi")
        fields.setdefault("body", "Buka portal lalu pilih **Lupa kata sandi**.")
        fields.setdefault("language", "id")
        article = create_article(actor=actor or l1_agent, **fields)
        if publish:
            article = publish_article(actor=actor or l1_agent, article_id=article.pk)
        return article

    return write


@pytest.fixture
def corpus(l1_agent) -> dict[str, int]:
    """The 220 articles of tests/data/kb/articles.json, published; key -> article id."""
    articles = json.loads((DATA / "articles.json").read_text(encoding="utf-8"))
    for slug in {article["category"] for article in articles}:
        Category.objects.get_or_create(slug=slug, defaults={"name_id": slug, "name_en": slug})
    keys: dict[str, int] = {}
    groups: dict[str, int] = {}
    for article in articles:
        made = create_article(
            actor=l1_agent,
            title=article["title"],
            body=article["body"],
            language=article["language"],
            category=article["category"],
            translation_of=groups.get(article["group"]),
        )
        groups.setdefault(article["group"], made.pk)
        publish_article(actor=l1_agent, article_id=made.pk)
        keys[article["key"]] = made.pk
    return keys
