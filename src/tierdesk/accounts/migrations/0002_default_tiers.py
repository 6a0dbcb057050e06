"""The four default support levels. Names and flags stay editable in the admin."""

from django.db import migrations

DEFAULT_TIERS = [
    (0, "Swalayan", "Self-service", False),
    (1, "Layanan Bantuan", "Service Desk", True),
    (2, "Dukungan Teknis", "Technical Support", True),
    (3, "Dukungan Lanjutan", "Advanced Support", True),
]


def create_default_tiers(apps, schema_editor):
    Tier = apps.get_model("accounts", "Tier")
    for level, name_id, name_en, handles_tickets in DEFAULT_TIERS:
        Tier.objects.get_or_create(
            level=level,
            defaults={"name_id": name_id, "name_en": name_en, "handles_tickets": handles_tickets},
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_default_tiers, migrations.RunPython.noop)]
