from django.db import migrations

from members.permissions import grant_model_permissions, grant_permission


def grant(apps, schema_editor):
    grant_permission(
        apps,
        "Coordinators",
        "members",
        "member",
        "view_community_dashboard",
        "Can view the community dashboard",
    )
    # Re-engagements are a record of what was sent and answered: read, never edited.
    grant_model_permissions(apps, "Coordinators", "members", ["reengagement"], ["view"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_dashboard_permission_reengagement_sent_by"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
