"""The load scenarios: which requests, in which proportions, as whom.

A scenario is data: a list of :class:`Operation` with weights. ``driver.lua`` (run by wrk)
draws operations by weight and fills in ticket ids: ``ids="visible"`` draws a random ticket
the persona may see, ``ids="pool"`` walks the client's own slice of active L1 tickets.
An operation with a ``toggle`` alternates on each pool ticket: the first visit does the
operation (escalate), the next its toggle (de-escalate), so a ticket can be escalated again
and again without the pool running dry.

To add a scenario, add a :class:`Scenario` to ``SCENARIOS`` (an HTML page is an operation
like any other: give it a persona whose ``auth`` is ``"session"``). Scenarios whose ``needs``
names a URL path are skipped with a note while the server does not answer that path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

# Personas: who the load generator speaks as (usernames from the bench data set).
PERSONAS = {
    "agent": "bench-l1-01",  # an L1 agent with months of worked tickets behind them
    "customer": "bench-c00001",  # a customer of the largest client organization
    "supervisor": "bench-lead",
    "agent_browser": "bench-l1-01",  # the same agent, signed in to the desk in a browser
}
# Personas that sign in with a password (a session cookie) instead of an API token.
SESSION_PERSONAS = frozenset({"agent_browser"})

NEW_TICKET = json.dumps(
    {
        "subject": "Bench %d: printer di lantai 2 offline",
        "description": "Printer tidak bisa dipakai dari semua komputer sejak pagi.",
        "impact": "medium",
        "urgency": "high",
    }
)
ESCALATION = json.dumps(
    {
        "to_tier": 2,
        "team": "l2-network",
        "reason": "Butuh akses ke switch inti.",
        "tried": ["Restart perangkat pengguna", "Tes koneksi ke sw-core"],
        "findings": "Port uplink sering flapping.",
    }
)
DEESCALATION = json.dumps(
    {"to_tier": 1, "instructions": "Sudah diperbaiki; minta pengguna mencoba lagi."}
)
NOTE = json.dumps({"body": "Dicek lewat telepon, pengguna mencoba lagi.", "internal": True})
# Two-word searches as people type them, Indonesian and English, about the problems the data
# set's tickets and articles describe (``ids="query"`` draws one per request).
SEARCHES = [
    "akun terkunci",
    "lupa password",
    "vpn putus",
    "internet lambat",
    "email spam",
    "sertifikat kedaluwarsa",
    "website lambat",
    "ip terblokir",
    "email tertahan",
    "akun baru",
    "account locked",
    "forgot password",
    "vpn dropping",
    "slow internet",
    "send email",
    "certificate expired",
    "website slow",
    "ip blocked",
    "new account",
    "spam folder",
]


@dataclass(frozen=True)
class Operation:
    name: str  # how it is reported: method and route
    method: str
    path: str  # %d takes the ticket id
    persona: str
    weight: float = 1
    ids: str = ""  # "", "visible", "pool" or "query" (path's %s takes a search text)
    body: str | None = None  # %d takes a number unique to the request
    toggle: Operation | None = None

    def as_config(self) -> dict:
        config = {
            "name": self.name,
            "method": self.method,
            "path": self.path,
            "persona": self.persona,
            "weight": self.weight,
            "ids": self.ids,
        }
        if self.body is not None:
            config["body"] = self.body
        if self.toggle is not None:
            config["toggle"] = self.toggle.as_config()
        return config


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    operations: list[Operation]
    needs: str = ""  # a URL path that must exist, for scenarios of pages still being built

    @property
    def persona_names(self) -> set[str]:
        return {operation.persona for operation in self.operations}

    @property
    def uses_pool(self) -> bool:
        return any(operation.ids == "pool" for operation in self.operations)

    @property
    def uses_queries(self) -> bool:
        return any(operation.ids == "query" for operation in self.operations)

    @property
    def uses_visible(self) -> bool:
        return any(operation.ids == "visible" for operation in self.operations)


def create(weight: float = 1) -> Operation:
    return Operation(
        "POST /api/v1/tickets", "POST", "/api/v1/tickets", "customer", weight, body=NEW_TICKET
    )


def queue(weight: float = 1) -> Operation:
    return Operation("GET /api/v1/tickets?tier=1", "GET", "/api/v1/tickets?tier=1", "agent", weight)


def detail(weight: float = 1) -> Operation:
    return Operation(
        "GET /api/v1/tickets/{id}", "GET", "/api/v1/tickets/%d", "agent", weight, ids="visible"
    )


def timeline(weight: float = 1) -> Operation:
    return Operation(
        "GET /api/v1/tickets/{id}/timeline",
        "GET",
        "/api/v1/tickets/%d/timeline",
        "agent",
        weight,
        ids="visible",
    )


def escalate(weight: float = 1) -> Operation:
    back_down = Operation(
        "POST /api/v1/tickets/{id}/deescalate",
        "POST",
        "/api/v1/tickets/%d/deescalate",
        "supervisor",
        ids="pool",
        body=DEESCALATION,
    )
    return Operation(
        "POST /api/v1/tickets/{id}/escalate",
        "POST",
        "/api/v1/tickets/%d/escalate",
        "supervisor",
        weight,
        ids="pool",
        body=ESCALATION,
        toggle=back_down,
    )


def note(weight: float = 1) -> Operation:
    return Operation(
        "POST /api/v1/tickets/{id}/messages",
        "POST",
        "/api/v1/tickets/%d/messages",
        "supervisor",
        weight,
        ids="pool",
        body=NOTE,
    )


def desk_search(weight: float = 1) -> Operation:
    return Operation(
        "GET /api/v1/search?q={two words}",
        "GET",
        "/api/v1/search?q=%s",
        "agent",
        weight,
        ids="query",
    )


def kb_search(weight: float = 1) -> Operation:
    return Operation(
        "GET /api/v1/kb/search?q={two words}",
        "GET",
        "/api/v1/kb/search?q=%s",
        "customer",
        weight,
        ids="query",
    )


def desk_queue(weight: float = 1) -> Operation:
    return Operation(
        "GET /desk/queues/tier-1/", "GET", "/desk/queues/tier-1/", "agent_browser", weight
    )


def desk_ticket(weight: float = 1) -> Operation:
    return Operation(
        "GET /desk/tickets/{id}/",
        "GET",
        "/desk/tickets/%d/",
        "agent_browser",
        weight,
        ids="visible",
    )


def desk_queue_bar(weight: float = 1) -> Operation:
    """What a browser fetches after a desk page that does not count the queues itself."""
    return Operation("GET /desk/queue-bar/", "GET", "/desk/queue-bar/", "agent_browser", weight)


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in [
        Scenario("create", "open tickets through the API, as a customer", [create()]),
        Scenario(
            "queue", "agent queue: first page of the L1 queue (API), as an L1 agent", [queue()]
        ),
        Scenario("detail", "ticket detail with its handoffs (API), as an L1 agent", [detail()]),
        Scenario("timeline", "a ticket's timeline (API), as an L1 agent", [timeline()]),
        Scenario(
            "escalate",
            "escalate an active L1 ticket to L2 with a handoff, then send it back down "
            "(both measured), as a supervisor",
            [escalate()],
        ),
        Scenario(
            "search",
            "two-word searches, Indonesian and English: tickets and articles as an L1 agent, "
            "the knowledge base as a customer (half each)",
            [desk_search(), kb_search()],
        ),
        Scenario(
            "mixed",
            "a service desk day: 30 % queue, 25 % detail, 20 % timeline, 12 % notes, "
            "8 % new tickets, 5 % escalations",
            [queue(30), detail(25), timeline(20), note(12), create(8), escalate(5)],
        ),
        Scenario(
            "desk_queue",
            "agent queue page of the desk (rendered HTML, first page of L1), signed in",
            [desk_queue()],
            needs="/desk/login/",
        ),
        Scenario(
            "desk_ticket",
            "ticket page of the desk (rendered HTML, with timeline), signed in, and the "
            "queue bar's counts it fetches once loaded (half each)",
            [desk_ticket(), desk_queue_bar()],
            needs="/desk/login/",
        ),
    ]
}


def resolve(names: list[str] | None) -> list[Scenario]:
    if not names or "all" in names:
        return list(SCENARIOS.values())
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        raise KeyError(", ".join(unknown))
    return [SCENARIOS[name] for name in names]


def to_lua(value) -> str:
    """A Lua literal for plain data (dicts, lists, strings, numbers, booleans, None)."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = "".join(
            chr(byte) if 32 <= byte < 127 and chr(byte) not in '"\\' else f"\\{byte:03d}"
            for byte in value.encode()
        )
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "{" + ", ".join(to_lua(item) for item in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{to_lua(k)}] = {to_lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Lua literal for {type(value).__name__}")
