"""Coordinators' CSV files: importing prospect lists (checked row by row first) and exporting
members."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import EmailConsent, Member, MemberStatusChange, Sector, User
from members.services.joining import normalise_email

IMPORT_REQUIRED_COLUMNS = ("email", "name")
CONSENT_COLUMNS = ("consent", "consent_date", "consent_source")
IMPORT_OPTIONAL_COLUMNS = (
    "sector",
    "organisation",
    "job_title",
    "city_region",
    "language",
    *CONSENT_COLUMNS,
)
IMPORT_MAX_ROWS = 5000
CONSENT_SOURCE_MAX = Member._meta.get_field("email_consent_source").max_length


@dataclass
class ImportRow:
    line: int
    email: str
    values: dict
    action: str = "create"  # "create" or "skip"
    errors: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class ImportPlan:
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    @property
    def to_create(self) -> list[ImportRow]:
        return [row for row in self.rows if row.action == "create" and not row.errors]

    @property
    def to_skip(self) -> list[ImportRow]:
        return [row for row in self.rows if row.action == "skip"]

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


def _row_consent(values: dict, defaults: dict, today: date) -> list[str]:
    """Resolve a row's consent (its own cells, else the file's defaults) into `values`; return
    what is wrong with it."""
    errors = []
    basis = (values.get("consent") or defaults.get("consent", "")).strip().lower()
    if basis not in EmailConsent.values:
        errors.append(
            _("The consent “%(basis)s” is not express or implied.") % {"basis": basis}
            if basis
            else _("No consent to be emailed: give one for the whole file, or a consent column.")
        )
    raw_date = (values.get("consent_date") or defaults.get("consent_date", "")).strip()
    consent_on = None
    try:
        consent_on = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        errors.append(
            _("The consent date “%(date)s” is not a date like 2025-01-31.") % {"date": raw_date}
        )
    else:
        if consent_on is None:
            errors.append(_("The consent has no date."))
        elif consent_on > today:
            errors.append(_("The consent is dated in the future."))
    source = (values.get("consent_source") or defaults.get("consent_source", "")).strip()
    if not source:
        errors.append(_("Where the address came from is missing."))
    elif len(source) > CONSENT_SOURCE_MAX:
        errors.append(
            _("Where the address came from is longer than %(n)d characters.")
            % {"n": CONSENT_SOURCE_MAX}
        )
    values.update(consent=basis, consent_date=consent_on, consent_source=source)
    return errors


def _row_language(raw: str) -> str | None:
    """The language of a row's emails: "" (the community's) when blank, a code of
    settings.LANGUAGES for "fr", "FR", "fr-CA", "fr_CA"…, None when it is none of them."""
    text = raw.strip().lower().replace("_", "-")
    if not text:
        return ""
    by_prefix = {code.split("-")[0]: code for code, _name in settings.LANGUAGES}
    return text if text in dict(settings.LANGUAGES) else by_prefix.get(text.split("-")[0])


def prospects_import_plan(*, data: bytes, consent_defaults: dict | None = None) -> ImportPlan:
    """Read a CSV of prospects and say, row by row, what importing it would do. Writes nothing.

    Every prospect needs a consent to be emailed (express or implied, with its date and where
    the address came from): from the file's own consent columns, else from `consent_defaults`
    (the import form's choices for the whole file).
    """
    defaults = consent_defaults or {}
    plan = ImportPlan()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        plan.file_errors.append(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        )
        return plan
    if "\x00" in text:
        plan.file_errors.append(_("The file is not a CSV text file."))
        return plan
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in IMPORT_REQUIRED_COLUMNS if c not in headers]
    unknown = [h for h in headers if h not in IMPORT_REQUIRED_COLUMNS + IMPORT_OPTIONAL_COLUMNS]
    if missing or unknown or len(set(headers)) != len(headers):
        expected = ", ".join(IMPORT_REQUIRED_COLUMNS + IMPORT_OPTIONAL_COLUMNS)
        detail = []
        # The column names themselves stay as they are in every language: they are the format.
        if missing:
            detail.append(_("missing %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            detail.append(_("unknown %(columns)s") % {"columns": ", ".join(unknown)})
        if len(set(headers)) != len(headers):
            detail.append(_("a column appears twice"))
        plan.file_errors.append(
            _(
                "Wrong columns (%(detail)s). The first row must name the columns: "
                "%(expected)s (email and name are required)."
            )
            % {"detail": "; ".join(detail), "expected": expected}
        )
        return plan
    reader.fieldnames = headers
    if not defaults.get("consent") and "consent" not in headers:
        plan.file_errors.append(
            _(
                "Say on what basis these people may be emailed: choose their consent for the "
                "whole file, or add a consent column (express or implied) with consent_date and "
                "consent_source."
            )
        )
        return plan

    sectors = {}
    for sector in Sector.objects.all():
        sectors[sector.name.lower()] = sector
        sectors[sector.slug.lower()] = sector
    limits = {"name": 150, "organisation": 150, "job_title": 150, "city_region": 100}

    try:
        raw_rows = list(reader)
    except csv.Error as exc:
        plan.file_errors.append(_("The file could not be read as CSV: %(error)s.") % {"error": exc})
        return plan
    if not raw_rows:
        plan.file_errors.append(_("The file has no rows below its header."))
        return plan
    if len(raw_rows) > IMPORT_MAX_ROWS:
        plan.file_errors.append(
            _("The file has more than %(n)d rows; split it.") % {"n": IMPORT_MAX_ROWS}
        )
        return plan

    seen: dict[str, int] = {}
    today = timezone.localdate()
    for line, raw in enumerate(raw_rows, start=2):
        if None in raw:
            row = ImportRow(line=line, email="", values={})
            row.errors.append(_("This row has more cells than the header has columns."))
            plan.rows.append(row)
            continue
        values = {key: (value or "").strip() for key, value in raw.items()}
        email = normalise_email(values.get("email", ""))
        row = ImportRow(line=line, email=email, values=values)
        try:
            validate_email(email)
        except ValidationError:
            row.errors.append(
                _("“%(email)s” is not a valid email address.") % {"email": values.get("email", "")}
            )
        if not values.get("name"):
            row.errors.append(_("The name is empty."))
        for column, limit in limits.items():
            if len(values.get(column, "")) > limit:
                row.errors.append(
                    _("The %(column)s column is longer than %(n)d characters.")
                    % {"column": column, "n": limit}
                )
        sector_name = values.get("sector", "")
        if sector_name and sector_name.lower() not in sectors:
            row.errors.append(_("Unknown sector “%(sector)s”.") % {"sector": sector_name})
        values["sector"] = sectors.get(sector_name.lower()) if sector_name else None
        language = _row_language(values.get("language", ""))
        if language is None:
            row.errors.append(
                _("Unknown language “%(language)s”: write en or fr.")
                % {"language": values["language"]}
            )
        # Blank: the community's language, as for anyone whose language nobody asked.
        values["language"] = language or settings.LANGUAGE_CODE
        row.errors += _row_consent(values, defaults, today)
        if email and email in seen:
            row.errors.append(
                _("The same address is already on line %(line)d.") % {"line": seen[email]}
            )
        elif email:
            seen[email] = line
        plan.rows.append(row)

    existing = set(
        Member.objects.filter(email__in=[row.email for row in plan.rows if row.email]).values_list(
            "email", flat=True
        )
    )
    for row in plan.rows:
        if row.email in existing and not row.errors:
            row.action = "skip"
            row.note = _("Already in the community; left unchanged.")
    return plan


@transaction.atomic
def prospects_import(
    *, data: bytes, imported_by: User, consent_defaults: dict | None = None
) -> ImportPlan:
    """Import prospects from a CSV, each with their consent to be emailed: all rows or none."""
    plan = prospects_import_plan(data=data, consent_defaults=consent_defaults)
    if not plan.is_valid:
        return plan
    now = timezone.now()
    for row in plan.to_create:
        member = Member.objects.create(
            email=row.email,
            full_name=row.values["name"],
            sector=row.values["sector"],
            organisation=row.values.get("organisation", ""),
            job_title=row.values.get("job_title", ""),
            city_region=row.values.get("city_region", ""),
            language=row.values["language"],
            status=Member.Status.PROSPECT,
            source=Member.Source.IMPORT,
            status_changed_at=now,
            email_consent=row.values["consent"],
            email_consent_on=row.values["consent_date"],
            email_consent_source=row.values["consent_source"],
        )
        MemberStatusChange.objects.create(
            member=member,
            from_status="",
            to_status=Member.Status.PROSPECT,
            changed_by=imported_by,
            reason="Imported from a prospect list",
            changed_at=now,
        )
    return plan


# The export's column names stay in English in every language, like the import's: they are a
# file format that coordinators' spreadsheets and the import read by name.
MEMBER_EXPORT_COLUMNS = (
    "email",
    "name",
    "status",
    "sector",
    "organisation",
    "job_title",
    "city_region",
    "joined_at",
    "source",
    "language",
)


def members_export_rows(*, members) -> list[list[str]]:
    rows = [list(MEMBER_EXPORT_COLUMNS)]
    for m in members.select_related("sector"):
        rows.append(
            [
                m.email,
                m.full_name,
                m.status,
                m.sector.name if m.sector else "",
                m.organisation,
                m.job_title,
                m.city_region,
                m.joined_at.isoformat() if m.joined_at else "",
                m.source,
                m.language,
            ]
        )
    return rows
