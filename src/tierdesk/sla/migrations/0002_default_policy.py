"""A working default: office hours in Jakarta with Indonesian holidays, a 24x7 calendar, and
a default policy. Everything stays editable in the admin and the API."""

import datetime

from django.db import migrations

# priority: first response, resolution (business minutes); a business day is 9 hours here.
DEFAULT_TARGETS = {
    "P1": (30, 240),
    "P2": (60, 540),
    "P3": (240, 1620),
    "P4": (540, 2700),
}
# How long L1 may hold a ticket before it resolves or escalates it.
L1_TARGETS = {"P1": 15, "P2": 30, "P3": 120, "P4": 240}


def create_defaults(apps, schema_editor):
    Calendar = apps.get_model("sla", "Calendar")
    WorkingInterval = apps.get_model("sla", "WorkingInterval")
    Policy = apps.get_model("sla", "Policy")
    PolicyTarget = apps.get_model("sla", "PolicyTarget")
    TierTarget = apps.get_model("sla", "TierTarget")
    Tier = apps.get_model("accounts", "Tier")
    if Policy.objects.exists():
        return
    office, _ = Calendar.objects.get_or_create(
        name="Office hours (Jakarta)",
        defaults={"time_zone": "Asia/Jakarta", "holiday_country": "ID"},
    )
    if not WorkingInterval.objects.filter(calendar=office).exists():
        for weekday in range(5):
            WorkingInterval.objects.create(
                calendar=office,
                weekday=weekday,
                start=datetime.time(8, 0),
                end=datetime.time(17, 0),
            )
    Calendar.objects.get_or_create(
        name="24x7", defaults={"is_24x7": True, "holiday_country": "", "time_zone": "Asia/Jakarta"}
    )
    policy = Policy.objects.create(name="Standard", calendar=office, is_default=True)
    for priority, (first_response, resolution) in DEFAULT_TARGETS.items():
        PolicyTarget.objects.create(
            policy=policy,
            priority=priority,
            first_response_minutes=first_response,
            resolution_minutes=resolution,
        )
    entry = Tier.objects.filter(level=1).first()
    if entry is not None:
        for priority, minutes in L1_TARGETS.items():
            TierTarget.objects.create(policy=policy, priority=priority, tier=entry, minutes=minutes)


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial"), ("accounts", "0002_default_tiers")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
