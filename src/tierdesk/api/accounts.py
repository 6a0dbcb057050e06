"""Sign-in for programs, who am I, and the tiers and teams tickets move between."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from tierdesk.accounts.actions import issue_api_token
from tierdesk.accounts.models import Membership, Tier
from tierdesk.api.schemas import ErrorOut, MeOut, TierOut, TokenIn, TokenOut
from tierdesk.errors import DomainError

router = Router(tags=["accounts"])


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 422: ErrorOut})
def create_token(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a bearer token (shown once, store it safely)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise InvalidCredentials(_("Wrong username or password."))
    token, plaintext = issue_api_token(user=user, name=payload.name or "api")
    return {"token": plaintext, "expires_at": token.expires_at}


@router.get("/me", response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest):
    user = request.user
    tiers = sorted(set(Membership.objects.filter(user=user).values_list("tier__level", flat=True)))
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "organization": user.organization.slug if user.organization_id else None,
        "language": user.language,
        "tiers": tiers,
    }


@router.get("/tiers", response={200: list[TierOut], 401: ErrorOut})
def tiers(request: HttpRequest):
    return [
        {
            "level": tier.level,
            "code": tier.code,
            "name": tier.name,
            "handles_tickets": tier.handles_tickets,
            "teams": [
                {"slug": team.slug, "name": team.name}
                for team in tier.teams.all()
                if team.is_active
            ],
        }
        for tier in Tier.objects.prefetch_related("teams").order_by("level")
    ]
