"""Every change to people, tiers and tokens. Commands, the admin and the demo call these."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import (
    ApiToken,
    Membership,
    Organization,
    OrganizationDomain,
    Role,
    Team,
    Tier,
    User,
)
from tierdesk.errors import Conflict, InvalidInput

TOKEN_PREFIX = "td_"
# A token's last use is written at most this often, so authenticating is a read, not a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def create_organization(
    *, name: str, slug: str, domains: list[str] = (), is_internal: bool = False
) -> Organization:
    with transaction.atomic():
        organization = Organization.objects.create(name=name, slug=slug, is_internal=is_internal)
        for domain in domains:
            OrganizationDomain.objects.create(organization=organization, domain=domain)
    return organization


def create_person(
    *,
    username: str,
    email: str = "",
    password: str | None,
    role: str = Role.CUSTOMER,
    organization: Organization | None = None,
    first_name: str = "",
    last_name: str = "",
    language: str = "",
) -> User:
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."), field="role")
    if role == Role.CUSTOMER and organization is None:
        raise InvalidInput(_("A customer must belong to an organization."), field="organization")
    if User.objects.filter(username=username).exists():
        raise Conflict(
            _("That username is already taken."), code="username_taken", field="username"
        )
    user = User(
        username=username,
        email=email,
        role=role,
        organization=organization,
        first_name=first_name,
        last_name=last_name,
        language=language,
        is_staff=role in (Role.SUPERVISOR, Role.ADMIN),
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def add_membership(*, user: User, tier: Tier, team: Team | None = None) -> Membership:
    if user.is_customer:
        raise InvalidInput(_("Only staff can belong to a tier."), field="user")
    if team is not None and team.tier_id != tier.pk:
        raise InvalidInput(_("That team belongs to another tier."), field="team")
    membership, _created = Membership.objects.get_or_create(user=user, tier=tier, team=team)
    return membership


def _hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def issue_api_token(
    *, user: User, name: str = "", expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its plaintext, which is shown once and never stored."""
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=_hash(plaintext),
        prefix=plaintext[:12],
        expires_at=expires_at,
    )
    return token, plaintext


def authenticate_api_token(plaintext: str) -> User | None:
    """The active user a bearer token belongs to, or None. One indexed lookup."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    # The hash is unique: no ORDER BY (``first()`` would add one for the planner to sort).
    token = next(
        iter(
            ApiToken.objects.select_related("user", "user__organization").filter(
                key_hash=_hash(plaintext)
            )[:1]
        ),
        None,
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def set_language(*, user: User, language: str) -> User:
    """Remember the language a person reads tierdesk in ("" follows the browser)."""
    if language not in ("", "id", "en"):
        raise InvalidInput(_("Unknown language."), field="language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
