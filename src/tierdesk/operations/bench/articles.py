"""Knowledge-base articles for the benchmark data set, in bulk.

Each article answers one of the requests the seeded tickets make (``texts.REQUESTS``), in
pairs of translations: an Indonesian article and its English counterpart share a translation
group. Three in four are public (the portal's help), the rest internal (agents only, a few
restricted to L2 and up). All are published, with the one version an article created and
published through the kb actions would have. Rows go in with ``bulk_create``; the search
index of the articles is then rebuilt with the existing ``reindex`` (kind ``article``).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import transaction

from tierdesk.accounts.models import Tier, User
from tierdesk.kb.models import Article, ArticleStatus, ArticleVersion, Language, Visibility
from tierdesk.kb.rendering import render_markdown
from tierdesk.operations.bench import texts
from tierdesk.tickets.models import Category

BATCH = 2_000

STEPS = (
    [
        "Pastikan perangkat terhubung ke jaringan kantor atau VPN.",
        "Tutup aplikasi lalu buka kembali.",
        "Restart komputer, lalu coba login lagi.",
        "Hapus cache browser dan cookie situs tersebut.",
        "Periksa apakah kolega di {place} mengalami masalah yang sama.",
        "Coba akses {host} dari perangkat lain.",
        "Jika masih gagal, buat tiket dan lampirkan tangkapan layar pesan error.",
    ],
    [
        "Make sure the device is on the office network or the VPN.",
        "Close the application and open it again.",
        "Restart the computer and log in again.",
        "Clear the browser cache and the site's cookies.",
        "Check whether colleagues on the {place} have the same problem.",
        "Try reaching {host} from another device.",
        "If it still fails, open a ticket with a screenshot of the error message.",
    ],
)
TITLES = (
    ["Cara mengatasi: {subject}", "Panduan: {subject}", "{subject} — langkah awal"],
    ["How to fix: {subject}", "Guide: {subject}", "{subject}: first steps"],
)
INTROS = (
    "Artikel ini membantu jika Anda mengalami masalah berikut. {description}",
    "This article helps when you run into the following problem. {description}",
)
HEADINGS = (("Langkah-langkah", "Jika belum berhasil"), ("Steps", "If that did not help"))
CLOSINGS = (
    "Hubungi service desk (L1) dengan nomor tiket jika masalah berlanjut.",
    "Contact the service desk (L1) with your ticket number if the problem continues.",
)


def bench_articles_present() -> bool:
    """Whether the bench's authors (its L3 agents) have written articles here already."""
    return Article.objects.filter(author__username__startswith="bench-").exists()


def _article_text(rng: random.Random, category: str, english: bool, choice: int) -> tuple[str, str]:
    requests = texts.REQUESTS[category][1 if english else 0]
    subject, description = requests[choice % len(requests)]
    subject = texts.fill(subject, rng, english=english)
    description = texts.fill(description, rng, english=english)
    side = 1 if english else 0
    title = rng.choice(TITLES[side]).format(subject=subject)
    steps = rng.sample(STEPS[side], 4)
    body = "\n".join(
        [
            INTROS[side].format(description=description),
            "",
            f"## {HEADINGS[side][0]}",
            "",
            *(f"{n}. {texts.fill(step, rng, english=english)}" for n, step in enumerate(steps, 1)),
            "",
            f"## {HEADINGS[side][1]}",
            "",
            CLOSINGS[side],
        ]
    )
    return title[:200], body


def seed_articles(
    *, count: int, seed: int = 7, progress: Callable[[str], None] = print
) -> dict[str, float]:
    """Add ``count`` published articles (pairs of id/en translations) and index them."""
    from tierdesk.kb.indexing import ARTICLE, reindex

    started = time.monotonic()
    rng = random.Random(seed + 101)
    author = User.objects.filter(username__startswith="bench-l3-").order_by("username").first()
    author = author or User.objects.filter(is_superuser=True).first() or User.objects.first()
    if author is None:
        raise ValueError("There is nobody to write the articles: seed the tickets first.")
    categories = {c.slug: c for c in Category.objects.filter(slug__in=list(texts.REQUESTS))}
    slugs = list(texts.REQUESTS)
    authored_tier = Tier.objects.filter(level=3).first()
    higher_tiers = list(Tier.objects.filter(level__gte=2, handles_tickets=True))
    now = datetime.now(UTC)
    made = 0
    while made < count:
        articles: list[Article] = []
        restricted: list[int] = []  # positions in ``articles`` of internal L2+ articles
        while made + len(articles) < count and len(articles) < BATCH:
            category = rng.choice(slugs)
            choice = rng.randrange(1000)
            visibility = Visibility.PUBLIC if rng.random() < 0.75 else Visibility.INTERNAL
            is_restricted = visibility == Visibility.INTERNAL and rng.random() < 0.3
            group = uuid.UUID(int=rng.getrandbits(128))
            at = now - timedelta(days=rng.randint(1, 360), seconds=rng.randint(0, 86_399))
            for english in (False, True):
                if made + len(articles) >= count:
                    break
                title, body = _article_text(rng, category, english, choice)
                if is_restricted:
                    restricted.append(len(articles))
                articles.append(
                    Article(
                        title=title,
                        body=body,
                        body_html=render_markdown(body),
                        category=categories.get(category),
                        language=Language.ENGLISH if english else Language.INDONESIAN,
                        translation_group=group,
                        visibility=visibility,
                        status=ArticleStatus.PUBLISHED,
                        author=author,
                        authored_tier=authored_tier,
                        version=1,
                        created_at=at,
                        updated_at=at,
                        published_at=at,
                    )
                )
        with transaction.atomic():
            Article.objects.bulk_create(articles)
            if any(article.pk is None for article in articles):
                # Backends that do not return ids from a bulk insert: read them back.
                raise RuntimeError("bulk_create returned no ids")
            ArticleVersion.objects.bulk_create(
                ArticleVersion(
                    article=article,
                    number=1,
                    title=article.title,
                    body=article.body,
                    language=article.language,
                    category_slug=article.category.slug if article.category else "",
                    visibility=article.visibility,
                    tier_levels=[tier.level for tier in higher_tiers]
                    if position in restricted
                    else [],
                    status=ArticleStatus.PUBLISHED,
                    editor=author,
                    created_at=article.created_at,
                )
                for position, article in enumerate(articles)
            )
            links = Article.tiers.through
            links.objects.bulk_create(
                links(article_id=articles[position].pk, tier_id=tier.pk)
                for position in restricted
                for tier in higher_tiers
            )
        made += len(articles)
        progress(f"  {made:>9,} articles, {time.monotonic() - started:7.1f} s")
    seeded = time.monotonic() - started
    progress("Building the search index of the articles (tierdesk reindex --kind article) ...")
    reindex(kinds=[ARTICLE])
    return {
        "articles": made,
        "seconds": round(seeded, 1),
        "index_seconds": round(time.monotonic() - started - seeded, 1),
    }
