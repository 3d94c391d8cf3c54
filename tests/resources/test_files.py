"""Upload checks: size, type by content, extension agreeing with the content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resources.forms import ResourceForm
from tests.resources.factories import ALLOWED_FILES

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
