from django.db import migrations

from members.permissions import grant_model_permissions


def grant(apps, schema_editor):
    grant_model_permissions(
        apps, "Coordinators", "surveys", ["survey", "question", "choice", "invitation"]
    )
    # Responses are read through the results page, never edited.
    grant_model_permissions(apps, "Coordinators", "surveys", ["response", "answer"], ["view"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_shipped_templates"),
        ("members", "0002_sectors_topics_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
