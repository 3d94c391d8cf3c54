"""Group permissions granted by data migrations, so that a fresh database has working roles."""

ACTIONS = ("add", "change", "delete", "view")


def grant_model_permissions(apps, group_name, app_label, model_names, actions=ACTIONS):
    """Give a group the usual admin permissions on some models (safe to run twice).

    Permissions are normally created after all migrations run; creating them here (as Django
    would) lets a data migration grant them on a fresh database.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=group_name)
    for model_name in model_names:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model_name}",
                defaults={"name": f"Can {action} {model_name}"},
            )
            group.permissions.add(permission)


def grant_permission(apps, group_name, app_label, model_name, codename, name):
    """Give a group one permission, e.g. a custom one from a model's Meta (safe to run twice)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=group_name)
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    group.permissions.add(permission)
