from django.db import migrations

from members.permissions import grant_model_permissions

SECTORS = [
    ("Public libraries", "public"),
    ("Academic libraries", "academic"),
    ("School libraries", "school"),
    ("Health libraries", "health"),
    ("Special libraries", "special"),
    ("Government libraries", "government"),
    ("Legal libraries", "legal"),
    ("Corporate libraries", "corporate"),
    ("Archives and records", "archives-records"),
    ("LIS education and students", "lis-education"),
    ("Other", "other"),
]

TOPICS = [
    ("Information literacy", "information-literacy"),
    ("Reference services", "reference-services"),
    ("Collection development", "collection-development"),
    ("Cataloguing and metadata", "cataloguing-metadata"),
    ("Digital services", "digital-services"),
    ("Outreach and community engagement", "outreach"),
    ("Research support", "research-support"),
    ("Demonstrating value and impact", "value-impact"),
    ("Knowledge management", "knowledge-management"),
    ("Children and young people", "children-young-people"),
    ("Health information", "health-information"),
    ("Open access and scholarly communication", "open-access"),
    ("Leadership and management", "leadership"),
    ("Professional development", "professional-development"),
    ("Equity, diversity and inclusion", "edi"),
    ("Library technology", "library-technology"),
]

COORDINATOR_MODELS = ["member", "sector", "topic", "memberstatuschange", "outgoingemail"]
GROUPS = ["Coordinators", "Content editors"]


def seed(apps, schema_editor):
    Sector = apps.get_model("members", "Sector")
    Topic = apps.get_model("members", "Topic")
    for position, (name, slug) in enumerate(SECTORS):
        Sector.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    for name, slug in TOPICS:
        Topic.objects.update_or_create(slug=slug, defaults={"name": name})

    Group = apps.get_model("auth", "Group")
    for group_name in GROUPS:
        Group.objects.get_or_create(name=group_name)
    grant_model_permissions(apps, "Coordinators", "members", COORDINATOR_MODELS)


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
