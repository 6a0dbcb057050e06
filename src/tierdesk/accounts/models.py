"""Who is who: organizations, people, tiers, teams and the memberships that tie agents to them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_language(english: str, indonesian: str) -> str:
    """The Indonesian or English variant of a name, by the active language."""
    language = (get_language() or "id").split("-")[0]
    if language == "en":
        return english or indonesian
    return indonesian or english


def tier_code(level: int) -> str:
    """How a tier is named in short: "L1"."""
    return f"L{level}"


class Organization(models.Model):
    """A customer company, or the in-house company an IT department serves."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    is_internal = models.BooleanField(
        _("in-house"), default=False, help_text=_("The company this service desk belongs to.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Jakarta")
    customers_see_all_tickets = models.BooleanField(
        _("customers see the organization's tickets"),
        default=True,
        help_text=_("If off, each customer sees only the tickets they requested."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationDomain(models.Model):
    """An e-mail domain whose senders belong to an organization."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="domains",
        verbose_name=_("organization"),
    )
    domain = models.CharField(_("e-mail domain"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs) -> None:
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A person: a customer of an organization, or staff (agent, supervisor, admin)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CUSTOMER)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organization"),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("id", _("Indonesian")), ("en", _("English"))],
        help_text=_("Empty: follow the browser."),
    )
    sees_all_tickets = models.BooleanField(
        _("sees every ticket"),
        default=False,
        help_text=_("Agents only: see tickets of every tier and team, not only their own."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="customer") | Q(organization__isnull=False),
                name="customer_has_organization",
            )
        ]

    @property
    def is_customer(self) -> bool:
        return self.role == Role.CUSTOMER

    @property
    def is_staff_member(self) -> bool:
        """Agents, supervisors and admins: the people who work tickets."""
        return self.role in (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)

    @property
    def is_supervisor(self) -> bool:
        """Supervisors and admins may act on any ticket."""
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Tier(models.Model):
    """An ordered support level: L0 self-service, L1 service desk, L2, L3 ..."""

    level = models.PositiveSmallIntegerField(_("level"), unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    handles_tickets = models.BooleanField(
        _("handles tickets"),
        default=True,
        help_text=_("Off for self-service (L0): tickets never wait in its queue."),
    )

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def code(self) -> str:
        return tier_code(self.level)

    @property
    def name(self) -> str:
        return in_language(self.name_en, self.name_id)


class Team(models.Model):
    """A functional group inside a tier, e.g. L2 Network or L2 Hosting."""

    tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, related_name="teams", verbose_name=_("tier")
    )
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["tier__level", "slug"]

    def __str__(self) -> str:
        return f"{self.tier.code} {self.name}"

    @property
    def name(self) -> str:
        return in_language(self.name_en, self.name_id)


class Membership(models.Model):
    """An agent's place in a tier, optionally narrowed to one team of it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("agent")
    )
    tier = models.ForeignKey(
        Tier, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("tier")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("team"),
        help_text=_("Empty: the whole tier."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "tier"],
                condition=Q(team__isnull=True),
                name="one_whole_tier_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "tier", "team"],
                condition=Q(team__isnull=False),
                name="one_team_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team or self.tier}"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored, looked up by index."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
