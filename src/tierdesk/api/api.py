"""The REST API, version 1: /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from ninja import NinjaAPI

from tierdesk import __version__
from tierdesk.api import accounts, attachments, errors, reports, satisfaction, sla, tickets
from tierdesk.api.auth import BearerToken, BrowserSession
from tierdesk.api.parser import StrictParser

api = NinjaAPI(
    title="tierdesk API",
    version="1",
    description=(
        f"tierdesk {__version__}: tickets, tiers and escalations. Authenticate with "
        "`POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`."
    ),
    urls_namespace="api-v1",
    auth=[BearerToken(), BrowserSession()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=StrictParser(),
)
errors.install(api)
api.add_router("", accounts.router)
api.add_router("", tickets.router)
api.add_router("", sla.router)
api.add_router("", attachments.router)
api.add_router("", reports.router)
api.add_router("", satisfaction.router)
api.add_router("", "tierdesk.api.kb.router")
