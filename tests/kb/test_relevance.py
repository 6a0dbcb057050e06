"""Relevance over the shipped KB (220 articles, Indonesian and English) and query set (46
queries, half Indonesian): each query must bring its article into the first five."""

from __future__ import annotations

import json

import pytest

from tests.kb.conftest import DATA
from tierdesk.kb.queries import search_articles, suggest_articles

pytestmark = pytest.mark.django_db

# Set from the measured values (docs/knowledge-base.md, "Relevance"), a little below them so
# an unrelated change of ranking noise does not fail the suite, while a real regression does.
MIN_MRR_AT_5 = 0.82
MIN_RECALL_AT_5 = 0.95
MIN_MRR_IN_READERS_LANGUAGE = 0.93


def _metrics(ranked_per_query):
    reciprocal, recalled = [], []
    for relevant, ranked in ranked_per_query:
        rank = next((i for i, key in enumerate(ranked[:5], 1) if key in relevant), None)
        reciprocal.append(1 / rank if rank else 0.0)
        recalled.append(rank is not None)
    return sum(reciprocal) / len(reciprocal), sum(recalled) / len(recalled)


def test_query_set_finds_its_articles(corpus, customer, capsys):
    queries = json.loads((DATA / "queries.json").read_text(encoding="utf-8"))
    assert len(queries) >= 40
    assert sum(q["expect"].endswith("-id") for q in queries) >= len(queries) / 2
    by_id = {pk: key for key, pk in corpus.items()}
    plain, by_language, misses = [], [], []
    for query in queries:
        relevant = {query["expect"], *query.get("also", [])}
        language = query["expect"].rsplit("-", 1)[1]
        ranked = [by_id[hit.id] for hit in search_articles(customer, query["q"], limit=5).items]
        plain.append((relevant, ranked))
        preferred = [by_id[hit.id] for hit in suggest_articles(customer, query["q"], language)]
        by_language.append((relevant, preferred))
        if not relevant & set(ranked[:5]):
            misses.append((query["q"], query["expect"], ranked[:3]))
    mrr, recall = _metrics(plain)
    mrr_language, recall_language = _metrics(by_language)
    with capsys.disabled():
        print(
            f"\nrelevance: MRR@5 {mrr:.3f} recall@5 {recall:.3f} (any language); "
            f"MRR@5 {mrr_language:.3f} recall@5 {recall_language:.3f} (reader's language first); "
            f"misses: {misses}"
        )
    assert mrr >= MIN_MRR_AT_5, misses
    assert recall >= MIN_RECALL_AT_5, misses
    assert mrr_language >= MIN_MRR_IN_READERS_LANGUAGE
