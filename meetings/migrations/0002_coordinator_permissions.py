from django.db import migrations

from members.permissions import grant_model_permissions

MODELS = ["series", "meeting", "registration", "topicsuggestion", "topicvote", "calendarfeed"]


def grant(apps, schema_editor):
    grant_model_permissions(apps, "Coordinators", "meetings", MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("members", "0002_sectors_topics_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
