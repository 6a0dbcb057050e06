from django.db import migrations, models


def rebuild_everything(apps, schema_editor):
    """The agent rows already built have no categories: the next refresh rebuilds every day
    (the worker's minute job does it; or `tierdesk reports refresh --full`)."""
    apps.get_model("reports", "RollupState").objects.update(last_event_id=0)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_slices_sla_business_time")]

    operations = [
        migrations.AddField(
            model_name="agentday",
            name="resolved_categories",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(rebuild_everything, migrations.RunPython.noop),
    ]
