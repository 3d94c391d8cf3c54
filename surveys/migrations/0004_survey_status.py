"""Surveys get a status: templates and drafts never open, whatever their dates say.

The shipped templates were kept shut by dates in 2000, so the admin listed them as surveys
that ran on 1 January 2000; they are now marked as what they are.
"""

from datetime import UTC, datetime

from django.db import migrations, models

NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def mark_templates(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Survey.objects.filter(title__endswith="(template)", opens_at=NEVER).update(status="template")


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_coordinator_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="status",
            field=models.CharField(
                choices=[
                    ("template", "Template"),
                    ("draft", "Draft"),
                    ("scheduled", "Scheduled: open between its dates"),
                ],
                default="scheduled",
                help_text="A draft never opens and nobody can be invited to it, whatever its dates.",
                max_length=10,
            ),
        ),
        migrations.RunPython(mark_templates, migrations.RunPython.noop),
    ]
