"""tierdesk createagent: add a staff member and place them in tiers and teams."""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tierdesk.accounts.actions import add_membership, create_person
from tierdesk.accounts.models import Role, Team, Tier
from tierdesk.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create an agent (or supervisor/admin) and add them to tiers and teams, e.g. "
        "`tierdesk createagent rina --email rina@example.com --tier 1 --tier 2 --team l2-network`. "
        "The password is asked for, read from stdin with --password-stdin, or left unusable."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--role", choices=[Role.AGENT, Role.SUPERVISOR, Role.ADMIN], default=Role.AGENT
        )
        parser.add_argument(
            "--tier", type=int, action="append", default=[], help="Tier level; repeat for several."
        )
        parser.add_argument(
            "--team", action="append", default=[], help="Team short name; repeat for several."
        )
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )
        parser.add_argument("--no-password", action="store_true", help="Token or SSO use only.")

    def handle(self, *args, **options) -> None:
        tiers = []
        for level in options["tier"]:
            tier = Tier.objects.filter(level=level).first()
            if tier is None:
                raise CommandError(f"There is no tier L{level}.")
            tiers.append(tier)
        teams = []
        for slug in options["team"]:
            team = Team.objects.filter(slug=slug).select_related("tier").first()
            if team is None:
                raise CommandError(f"There is no team {slug!r}.")
            teams.append(team)
        password = self._password(options)
        try:
            with transaction.atomic():
                user = create_person(
                    username=options["username"],
                    email=options["email"],
                    password=password,
                    role=options["role"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                )
                for tier in tiers:
                    add_membership(user=user, tier=tier)
                for team in teams:
                    add_membership(user=user, tier=team.tier, team=team)
        except DomainError as error:
            raise CommandError(str(error)) from error
        places = [tier.code for tier in tiers] + [team.slug for team in teams]
        self.stdout.write(
            f"Created {user.role} {user.username} in {', '.join(places) or 'no tier'}."
        )

    def _password(self, options) -> str | None:
        if options["no_password"]:
            return None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        else:
            raise CommandError("Give --password-stdin or --no-password when not on a terminal.")
        if not password:
            raise CommandError("The password is empty.")
        return password
