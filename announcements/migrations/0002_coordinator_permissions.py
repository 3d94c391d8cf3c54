from django.db import migrations

from members.permissions import grant_model_permissions


def grant(apps, schema_editor):
    grant_model_permissions(apps, "Coordinators", "announcements", ["announcement"])


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0001_initial"),
        ("members", "0002_sectors_topics_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
