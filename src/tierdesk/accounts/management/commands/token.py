"""tierdesk token: issue an API token for a person."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tierdesk.accounts.actions import issue_api_token
from tierdesk.accounts.models import User


class Command(BaseCommand):
    help = (
        "Issue a REST API token for USERNAME and print it once (only its hash is stored). "
        "Use it as `Authorization: Bearer <token>`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="A label to recognise the token by.")
        parser.add_argument(
            "--days", type=int, help="Expire after this many days (default: never)."
        )

    def handle(self, *args, username: str, name: str, days: int | None, **options) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active person {username!r}.")
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        _token, plaintext = issue_api_token(user=user, name=name, expires_at=expires_at)
        self.stdout.write(plaintext)
