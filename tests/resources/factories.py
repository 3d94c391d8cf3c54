import io
import zipfile

import factory
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from resources.models import Kind, Resource, Status, Visibility
from tests.factories import MemberFactory, member_with_account

EDITOR_PERMISSIONS = ["publish_resource", "add_resource", "change_resource", "view_resource"]


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    kind = Kind.GUIDE
    title = factory.Sequence(lambda n: f"Resource {n}")
    summary = "A short guide for colleagues."
    body = "Some **useful** advice."
    visibility = Visibility.PUBLIC
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    author = factory.SubFactory(MemberFactory)

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)


def with_file(resource: Resource, name="guide.pdf", data=b"%PDF-1.4\nhello\n%%EOF") -> Resource:
    resource.file.save(name, SimpleUploadedFile(name, data), save=False)
    resource.file_name = name
    resource.file_size = len(data)
    resource.save()
    return resource


def editor_account(**kwargs):
    """A member in the Content editors group, which has the editor's permissions."""
    member = member_with_account(**kwargs)
    group, _ = Group.objects.get_or_create(name="Content editors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="resources", codename__in=EDITOR_PERMISSIONS
        )
    )
    member.user.groups.add(group)
    return member


def coordinator_account(**kwargs):
    member = member_with_account(**kwargs)
    member.user.is_staff = True
    member.user.save(update_fields=["is_staff"])
    group, _ = Group.objects.get_or_create(name="Coordinators")
    member.user.groups.add(group)
    return member


def titles(client, query="") -> list[str]:
    """The titles listed on the library page for this query string."""
    response = client.get(reverse("resources:list") + query)
    assert response.status_code == 200
    return [r.title for r in response.context["page"].object_list]


# --- Files of every allowed type, built in memory ---------------------------------------------


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(folder: str) -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<?xml version='1.0'?><Types/>",
            f"{folder}/document.xml": b"<xml/>",
        }
    )


ALLOWED_FILES = {
    "report.pdf": b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
    "plan.docx": ooxml("word"),
    "budget.xlsx": ooxml("xl"),
    "slides.pptx": ooxml("ppt"),
    "notes.odt": zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<xml/>"}
    ),
    "poster.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    "photo.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 32,
    "photo.jpeg": b"\xff\xd8\xff\xe1" + b"\x00" * 32,
    "readme.txt": "Plain text, with accents: café, naïve.\n".encode(),
    "figures.csv": b"library,visits\nCentral,120\n",
    "template.md": b"# A template\n\n- one\n- two\n",
}
