"""Upload checks: a size limit, and a file type recognised by its content, not its name.

A disguised file (an executable renamed report.pdf) has no PDF signature and is refused; a real
PDF renamed notes.docx is refused too, because the extension must agree with what it contains.
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext


@dataclass(frozen=True)
class FileType:
    name: str
    extensions: tuple[str, ...]
    content_type: str


FILE_TYPES = {
    t.name: t
    for t in [
        FileType("pdf", ("pdf",), "application/pdf"),
        FileType(
            "docx",
            ("docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileType(
            "xlsx", ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        FileType(
            "pptx",
            ("pptx",),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        FileType("odt", ("odt",), "application/vnd.oasis.opendocument.text"),
        FileType("png", ("png",), "image/png"),
        FileType("jpeg", ("jpg", "jpeg"), "image/jpeg"),
        FileType("text", ("txt", "csv", "md"), "text/plain; charset=utf-8"),
    ]
}
ALLOWED_EXTENSIONS = sorted(ext for t in FILE_TYPES.values() for ext in t.extensions)
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _zip_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                # Only a few bytes are read, so a zip bomb cannot expand here.
                with archive.open("mimetype") as entry:
                    if entry.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                        return "odt"
                return None
            if "[Content_Types].xml" in names:
                for folder, kind in OOXML_FOLDERS.items():
                    if any(name.startswith(folder) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def detect_file_type(upload) -> str | None:
    """The name of the allowed type this file's bytes show it to be, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload)
    data = _read_all(upload)
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text"


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_upload(upload) -> FileType:
    """The checked type of an upload, or a ValidationError that says what to do instead."""
    limit = settings.RESOURCES_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            gettext(
                "The file is %(size)s; the largest allowed is %(limit)s. Share a link to it "
                "instead, or make it smaller."
            )
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    extension = extension_of(upload.name)
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            gettext("Files of this type (.%(extension)s) cannot be uploaded. Allowed: %(allowed)s.")
            % {
                "extension": extension or "?",
                "allowed": ", ".join(f".{e}" for e in ALLOWED_EXTENSIONS),
            },
            code="extension",
        )
    detected = detect_file_type(upload)
    if detected is None:
        raise ValidationError(
            gettext(
                "This file is not a PDF, Office or OpenDocument file, image or plain text, "
                "whatever its name says, so it cannot be uploaded."
            ),
            code="content",
        )
    file_type = FILE_TYPES[detected]
    if extension not in file_type.extensions:
        raise ValidationError(
            gettext(
                "The file's name ends in .%(extension)s but it contains a %(type)s file. "
                "Rename it to .%(expected)s and try again."
            )
            % {
                "extension": extension,
                "type": file_type.name.upper(),
                "expected": file_type.extensions[0],
            },
            code="mismatch",
        )
    return file_type


def content_type_for(name: str) -> str:
    extension = extension_of(name)
    for file_type in FILE_TYPES.values():
        if extension in file_type.extensions:
            return file_type.content_type
    return "application/octet-stream"
