"""tierdesk demo: load the demo organizations, people and tickets once."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from tierdesk.operations.demo import DEMO_ACCOUNTS, demo_is_loaded, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data: teams, two client organizations, agents agent1 (L1), agent2 (L2), "
        "agent3 (L3), solo (all tiers), supervisor lead, admin, customers customer and customer2, "
        "and a few dozen tickets. Does nothing if the demo data is already there. Password: "
        "TIERDESK_DEMO_PASSWORD, default 'demo'."
    )

    def handle(self, *args, **options) -> None:
        if demo_is_loaded():
            self.stdout.write("The demo data is already loaded; nothing changed.")
            return
        count = load_demo(password=settings.TIERDESK_DEMO_PASSWORD)
        self.stdout.write(f"Loaded the demo data: {count} tickets. Accounts:")
        for username, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {role}")
