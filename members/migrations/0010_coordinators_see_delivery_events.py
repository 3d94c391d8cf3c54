from django.db import migrations

from members.permissions import grant_model_permissions


def grant(apps, schema_editor):
    # What the mail provider reported is read in the admin, never edited.
    grant_model_permissions(apps, "Coordinators", "members", ["deliveryevent"], ["view"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_email_bounces_announcements_fast_lane"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
