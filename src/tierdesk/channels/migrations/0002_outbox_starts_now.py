from django.db import migrations
from django.db.models import Max


def start_at_the_newest_event(apps, schema_editor):
    """An existing installation does not mail its whole history: notifications start with the
    events after this migration."""
    Event = apps.get_model("tickets", "Event")
    OutboxCursor = apps.get_model("channels", "OutboxCursor")
    newest = Event.objects.aggregate(newest=Max("id"))["newest"] or 0
    OutboxCursor.objects.update_or_create(name="email", defaults={"last_event_id": newest})


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0001_initial"),
        ("tickets", "0002_attachments"),
    ]

    operations = [migrations.RunPython(start_at_the_newest_event, migrations.RunPython.noop)]
