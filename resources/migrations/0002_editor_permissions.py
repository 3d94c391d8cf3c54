from django.db import migrations

from members.permissions import grant_model_permissions


def grant(apps, schema_editor):
    # Content editors review, edit, publish and archive; they do not delete (archive instead).
    grant_model_permissions(
        apps, "Content editors", "resources", ["resource"], actions=("add", "change", "view")
    )
    grant_model_permissions(
        apps, "Content editors", "resources", ["resourcetransition", "rating"], actions=("view",)
    )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="resources", model="resource")
    publish, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="publish_resource",
        defaults={"name": "Can review, publish and archive resources"},
    )
    Group.objects.get(name="Content editors").permissions.add(publish)
    # Coordinators may look, in the admin; publishing stays with the editors.
    grant_model_permissions(
        apps,
        "Coordinators",
        "resources",
        ["resource", "resourcetransition", "rating"],
        actions=("view",),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
        ("members", "0002_sectors_topics_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
