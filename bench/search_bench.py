"""Search benchmark: index build rate and two-word query latency with 100k articles and 1M
tickets in the index.

    TIERDESK_DATA_DIR=/tmp/bench-search TIERDESK_SECRET_KEY=bench \\
        .venv/bin/python bench/search_bench.py
    TIERDESK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tierdesk_bench_search \\
        TIERDESK_SECRET_KEY=bench .venv/bin/python bench/search_bench.py

It migrates the database named by TIERDESK_DATABASE_URL (else SQLite in TIERDESK_DATA_DIR),
then bulk-loads --articles article documents and --tickets ticket documents (generated
Indonesian/English IT text, fixed seed) through the search interface
(``tierdesk.search.index.index_documents``, batches of --batch), after emptying the index of
those kinds. ``--tickets 0`` keeps the ticket documents already indexed: use it on a copy of
the ``tierdesk bench seed`` data set, whose real tickets were indexed by ``tierdesk reindex``.

Then it runs --queries two-word queries per language (Indonesian, English; and with typos or
joined words, which take the fuzzy fallback) and prints
p50/p95/p99 in milliseconds, end to end (parsing, vocabulary, synonyms, match, snippets):

- customer: published public articles (the portal's search, as ``search_articles`` asks);
- desk: articles and tickets together through ``kb.queries.search_desk`` as an L1 agent of
  the data set (ticket visibility applied), when it has one; with generated tickets (which
  no real ticket backs) as an agent who sees every ticket instead.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")
os.environ.setdefault("TIERDESK_DATA_DIR", "/tmp/tierdesk-bench-search")
os.environ.setdefault("TIERDESK_SECRET_KEY", "bench-only")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from tierdesk.kb.queries import search_desk  # noqa: E402
from tierdesk.search.index import (  # noqa: E402
    SearchDocument,
    Visibility,
    clear,
    document_count,
    index_documents,
    search,
    sync_recent,
)

TOPICS_ID = [
    ("printer", "macet"),
    ("printer", "offline"),
    ("kata sandi", "lupa"),
    ("akun", "terkunci"),
    ("vpn", "putus"),
    ("wifi", "lambat"),
    ("surel", "penuh"),
    ("laptop", "panas"),
    ("monitor", "mati"),
    ("outlook", "error"),
    ("jaringan", "lemot"),
    ("toner", "habis"),
    ("aplikasi", "pasang"),
    ("lisensi", "aktivasi"),
    ("server", "down"),
    ("situs", "lambat"),
    ("flashdisk", "blokir"),
    ("zoom", "suara"),
    ("kalender", "bagikan"),
    ("folder", "akses"),
]
TOPICS_EN = [
    ("printer", "jammed"),
    ("password", "reset"),
    ("account", "locked"),
    ("vpn", "disconnects"),
    ("wifi", "slow"),
    ("mailbox", "full"),
    ("laptop", "overheating"),
    ("screen", "flickering"),
    ("teams", "crash"),
    ("network", "drive"),
    ("license", "expired"),
    ("website", "down"),
    ("backup", "failed"),
    ("certificate", "expired"),
    ("keyboard", "broken"),
    ("database", "slow"),
]
FILLER_ID = (  # noqa: SIM905
    "saya tidak bisa sejak pagi tadi sudah coba mulai ulang tetapi masih sama mohon bantuan "
    "segera karena pekerjaan terhambat di lantai kantor cabang muncul pesan kesalahan ketika "
    "membuka setelah pembaruan kemarin rekan lain juga mengalami hal serupa"
).split()
FILLER_EN = (  # noqa: SIM905
    "i cannot since this morning already tried restarting but it is still the same please help "
    "urgently because work is blocked on the floor of the branch office an error message "
    "appears when opening after yesterday update colleagues have the same problem"
).split()


def make_text(rng: random.Random, language: str, words: int) -> tuple[str, str]:
    topics, filler = (TOPICS_ID, FILLER_ID) if language == "id" else (TOPICS_EN, FILLER_EN)
    first, second = rng.choice(topics)
    other = rng.choice(topics)
    title = f"{first} {second} {rng.choice(filler)} {other[0]}"
    body = [first, second, *other]
    while len(body) < words:
        body.append(rng.choice(filler))
        if rng.random() < 0.08:
            body.append(f"kode{rng.randrange(100_000)}")  # the long tail: codes, names, hosts
    rng.shuffle(body)
    return title, " ".join(body)


def documents(kind: str, start: int, count: int, seed: int, words: int):
    rng = random.Random(seed)
    for object_id in range(start, start + count):
        language = "id" if rng.random() < 0.6 else "en"
        title, body = make_text(rng, language, words)
        attributes = (
            {
                "status": "published",
                "scope": "public" if rng.random() < 0.7 else "internal",
                "language": language,
            }
            if kind == "article"
            else {"status": rng.choice(["new", "open", "resolved", "closed"])}
        )
        yield SearchDocument(kind, object_id, language, title, body, attributes)


def load(kind: str, count: int, batch: int, words: int, seen: set[str]) -> float:
    started = time.perf_counter()
    made = 0
    generator = documents(kind, 1, count, seed=1 if kind == "article" else 2, words=words)
    while made < count:
        chunk = [next(generator) for _ in range(min(batch, count - made))]
        with transaction.atomic():
            index_documents(chunk, seen_terms=seen, bulk=True)
        made += len(chunk)
        if made % (batch * 50) == 0:
            rate = made / (time.perf_counter() - started)
            print(f"  {kind}: {made:,} ({rate:,.0f} docs/s)", flush=True)
    sync_recent()  # as a rebuild ends: the index of the newest documents
    return count / (time.perf_counter() - started)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def run_queries(label: str, ask, queries: list[str]) -> None:
    for text in queries[:5]:  # warm caches, as a running server has them
        ask(text)
    timings, found = [], 0
    for text in queries:
        started = time.perf_counter()
        hits = ask(text)
        timings.append((time.perf_counter() - started) * 1000)
        found += bool(hits)
    print(
        f"{label}: {len(queries)} queries, p50 {percentile(timings, 0.5):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms, p99 {percentile(timings, 0.99):.1f} ms, "
        f"max {max(timings):.1f} ms, {found} with hits",
        flush=True,
    )


def pick_l1_agent():
    """An L1 agent of the data set who does not see every ticket, or None."""
    from tierdesk.accounts.models import Membership, User

    members = Membership.objects.filter(tier__level=1).values("user_id")
    for user in User.objects.filter(pk__in=members, is_active=True).order_by("pk")[:200]:
        if user.is_staff_member and not user.is_supervisor and not user.sees_all_tickets:
            return user
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200, help="per language")
    parser.add_argument("--skip-load", action="store_true", help="query the existing index")
    parser.add_argument(
        "--migrate-search-only",
        action="store_true",
        help="migrate the search app only (a copy of a bench data set)",
    )
    options = parser.parse_args()
    call_command("migrate", *(["search"] if options.migrate_search_only else []), verbosity=0)
    print(f"database: {connection.vendor}; load: {os.getloadavg()}")
    if not options.skip_load:
        with transaction.atomic():
            clear("article")
            if options.tickets:
                clear("ticket")
        seen: set[str] = set()
        started = time.perf_counter()
        rate_articles = load("article", options.articles, options.batch, 120, seen)
        rates = f"articles {rate_articles:,.0f}/s"
        if options.tickets:
            rate_tickets = load("ticket", options.tickets, options.batch, 40, seen)
            rates += f", tickets {rate_tickets:,.0f}/s"
        total = options.articles + options.tickets
        elapsed = time.perf_counter() - started
        print(
            f"index build: {total:,} documents in {elapsed:.0f} s = {total / elapsed:,.0f} docs/s "
            f"({rates}); load: {os.getloadavg()}"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE search_document")
            else:
                for table in ("search_fts_article", "search_fts_ticket"):
                    cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    print(f"documents in the index: {document_count():,}; load: {os.getloadavg()}")
    rng = random.Random(7)
    by_language = {
        "Indonesian": [f"{a} {b}" for a, b in TOPICS_ID],
        "English": [f"{a} {b}" for a, b in TOPICS_EN],
        # Words the index has never seen: the typo / split / join fallback.
        "typos": ["pasword reset", "katasandi lupa", "pirnter macet", "netwrok drive", "vnp putus"],
    }
    agent = None if options.tickets else pick_l1_agent()
    if agent is not None:
        print(f"desk searches as L1 agent {agent.username} (ticket visibility applied)")

        def desk(text):
            return search_desk(agent, text, limit=20)
    else:
        print("desk searches as an agent who sees every ticket (generated tickets)")

        def desk(text):
            return search(text, kinds={"article": None, "ticket": None}, limit=20).hits

    def customer(text):
        return search(
            text,
            kinds={"article": Visibility(scopes=["public"])},
            filters={"status": ["published"]},
            limit=10,
        ).hits

    for name, pairs in by_language.items():
        queries = [rng.choice(pairs) for _ in range(options.queries)]
        run_queries(f"customer, articles, {name}", customer, queries)
        run_queries(f"desk, articles + tickets, {name}", desk, queries)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
