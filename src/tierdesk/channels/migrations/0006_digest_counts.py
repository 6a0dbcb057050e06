"""A digest window keeps only the news its digest will list (the newest DIGEST_LISTED) and
counts the rest; a digest row says how many events it tells of. Existing rows are counted
here, and the windows' lists cut to what a digest lists."""

from django.db import migrations, models

# outbound.DIGEST_LISTED when this migration was written.
LISTED = 30
DIGEST = "queue_digest"


def count_existing(apps, schema_editor):
    MailWindow = apps.get_model("channels", "MailWindow")
    Notification = apps.get_model("channels", "Notification")
    windows = [window for window in MailWindow.objects.all() if window.held]
    for window in windows:
        window.held_count = len(window.held)
        window.held = window.held[-LISTED:]
    MailWindow.objects.bulk_update(windows, ["held", "held_count"], batch_size=500)
    digests = Notification.objects.filter(kind=DIGEST).only("id", "events")
    batch = []
    for digest in digests.iterator(chunk_size=2000):
        digest.event_count = len(digest.events)
        batch.append(digest)
        if len(batch) == 2000:
            Notification.objects.bulk_update(batch, ["event_count"])
            batch = []
    Notification.objects.bulk_update(batch, ["event_count"])


class Migration(migrations.Migration):
    dependencies = [("channels", "0005_outbox_holes")]

    operations = [
        migrations.AddField(
            model_name="mailwindow",
            name="held_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="notification",
            name="event_count",
            field=models.PositiveIntegerField(default=0, verbose_name="events told of"),
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
