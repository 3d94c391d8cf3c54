"""Upload checks: size, type by content, extension agreeing with the content; files served as
attachments from private storage."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.forms import ResourceForm
from resources.models import Resource
from tests.factories import member_with_account
from tests.resources.factories import ALLOWED_FILES, ResourceFactory, with_file

pytestmark = pytest.mark.django_db


def form_with(name: str, data: bytes) -> ResourceForm:
    return ResourceForm(
        {"kind": "guide", "title": "A guide", "summary": "Useful.", "visibility": "public"},
        {"file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize("name", sorted(ALLOWED_FILES))
def test_each_allowed_type_is_accepted(name):
    form = form_with(name, ALLOWED_FILES[name])
    assert form.is_valid(), form.errors


REFUSED = [
    ("disguised executable", "report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "content"),
    ("executable extension", "setup.exe", b"MZ\x90\x00", "extension"),
    ("pdf named docx", "plan.docx", ALLOWED_FILES["report.pdf"], "mismatch"),
    ("docx named pdf", "report.pdf", ALLOWED_FILES["plan.docx"], "mismatch"),
    ("png named jpg", "photo.jpg", ALLOWED_FILES["poster.png"], "mismatch"),
    ("text named pdf", "report.pdf", b"just some words", "mismatch"),
    ("zip that is not office", "plan.docx", b"PK\x03\x04" + b"\x00" * 30, "content"),
    ("binary named txt", "notes.txt", b"abc\x00def", "content"),
    ("not utf-8 named csv", "data.csv", b"caf\xe9,1\n", "content"),
    ("html extension", "page.html", b"<script>", "extension"),
    ("no extension", "README", b"hello", "extension"),
]


@pytest.mark.parametrize(("label", "name", "data", "code"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_file_is_refused_with_a_reason(label, name, data, code):
    form = form_with(name, data)

    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["file"]] == [code]


def test_oversized_file_is_refused(settings):
    settings.RESOURCES_MAX_UPLOAD_BYTES = 100
    form = form_with("notes.txt", b"a" * 101)

    assert not form.is_valid()
    [error] = form.errors.as_data()["file"]
    assert error.code == "too_large"
    assert "the largest allowed is 100\xa0bytes" in error.message


def test_refused_upload_shows_errors_and_writes_nothing(client):
    member = member_with_account()
    client.force_login(member.user)

    response = client.post(
        reverse("resources:create"),
        {
            "kind": "report",
            "title": "Annual report",
            "summary": "Our year.",
            "visibility": "members",
            "file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page  # the summary at the top, linking to the field
    assert 'href="#id_file"' in page
    assert "cannot be uploaded" in page
    assert Resource.objects.count() == 0
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not private.exists() or not any(p.is_file() for p in private.rglob("*"))


def test_upload_is_stored_privately_and_served_as_attachment(client):
    member = member_with_account()
    client.force_login(member.user)

    response = client.post(
        reverse("resources:create"),
        {
            "kind": "report",
            "title": "Annual report",
            "summary": "Our year.",
            "visibility": "members",
            "file": SimpleUploadedFile("Annual report.pdf", ALLOWED_FILES["report.pdf"]),
            "action": "save",
        },
    )

    resource = Resource.objects.get()
    assert response.status_code == 302
    assert resource.file_name == "Annual report.pdf"
    stored = Path(resource.file.path)
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "Annual" not in stored.name  # a random name on disk

    download = client.get(reverse("resources:download", args=[resource.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="Annual report.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == ALLOWED_FILES["report.pdf"]


def test_private_files_have_no_url():
    resource = with_file(ResourceFactory())
    with pytest.raises(ValueError, match="no URL"):
        _ = resource.file.url


def test_download_counts_published_only(client):
    member = member_with_account()
    resource = with_file(ResourceFactory(author=member))
    draft = with_file(ResourceFactory(author=member, status="draft"))
    client.force_login(member.user)

    client.get(reverse("resources:download", args=[resource.pk]))
    client.get(reverse("resources:download", args=[draft.pk]))

    resource.refresh_from_db()
    draft.refresh_from_db()
    assert (resource.download_count, draft.download_count) == (1, 0)
