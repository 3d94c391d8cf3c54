"""Rules about people: joining, linking accounts, the status lifecycle, privacy, the outbox."""

import csv
import functools
import io
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone

from members.models import (
    CheckinCadence,
    EngagementEvent,
    Member,
    MemberStatusChange,
    OutgoingEmail,
    Reengagement,
    Sector,
    User,
)

logger = logging.getLogger(__name__)

# The lifecycle: prospect → active → lapsed / left, and back again.
ALLOWED_STATUS_CHANGES = {
    Member.Status.PROSPECT: {Member.Status.ACTIVE, Member.Status.LEFT},
    Member.Status.ACTIVE: {Member.Status.LAPSED, Member.Status.LEFT},
    Member.Status.LAPSED: {Member.Status.ACTIVE, Member.Status.LEFT},
    Member.Status.LEFT: {Member.Status.ACTIVE},
}


class StatusChangeNotAllowed(ValidationError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- Lifecycle -------------------------------------------------------------------------------


@transaction.atomic
def member_change_status(
    *, member: Member, to_status: str, reason: str, changed_by: User | None = None
) -> Member:
    """Move a member to another status and record who did it, when and why."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status == to_status:
        return member
    if to_status not in ALLOWED_STATUS_CHANGES[member.status]:
        raise StatusChangeNotAllowed(
            f"A {member.get_status_display().lower()} member cannot become "
            f"{Member.Status(to_status).label.lower()}."
        )
    now = timezone.now()
    MemberStatusChange.objects.create(
        member=member,
        from_status=member.status,
        to_status=to_status,
        changed_by=changed_by,
        reason=reason[:300],
        changed_at=now,
    )
    member.status = to_status
    member.status_changed_at = now
    update_fields = ["status", "status_changed_at", "updated_at"]
    if to_status == Member.Status.ACTIVE and member.joined_at is None:
        member.joined_at = now
        update_fields.append("joined_at")
    member.save(update_fields=update_fields)
    return member


def member_leave(*, member: Member, reason: str = "") -> Member:
    return member_change_status(
        member=member,
        to_status=Member.Status.LEFT,
        reason=reason or "Left the community from their account page",
        changed_by=member.user,
    )


def member_rejoin(*, member: Member) -> Member:
    return member_change_status(
        member=member,
        to_status=Member.Status.ACTIVE,
        reason="Rejoined from their account page",
        changed_by=member.user,
    )


# --- Joining ---------------------------------------------------------------------------------


@transaction.atomic
def member_register(
    *,
    user: User,
    full_name: str,
    sector: Sector | None,
    organisation: str = "",
    job_title: str = "",
) -> Member:
    """Attach the community record to a new account.

    A prospect imported with the same address is linked, not duplicated: the person said who
    they are at signup, so their own answers replace what the coordinator imported.
    """
    email = normalise_email(user.email)
    member = Member.objects.select_for_update().filter(email__iexact=email).first()
    if member is None:
        member = Member(email=email, source=Member.Source.SIGNUP)
    member.user = user
    member.full_name = full_name
    member.sector = sector
    member.organisation = organisation
    member.job_title = job_title
    member.save()
    return member


def member_for_user(*, user: User) -> Member:
    """The member record of an account, created for accounts made outside signup (the admin)."""
    try:
        return user.member
    except Member.DoesNotExist:
        pass
    member, _ = Member.objects.get_or_create(
        email=normalise_email(user.email),
        defaults={
            "full_name": user.get_full_name() or user.email.split("@")[0],
            "source": Member.Source.ADMIN,
        },
    )
    if member.user_id is None:
        member.user = user
        member.save(update_fields=["user", "updated_at"])
    return member


@transaction.atomic
def member_activate_on_verification(*, user: User) -> Member:
    """The account's address is confirmed: the person is now an active member, welcomed once."""
    member = member_for_user(user=user)
    if member.status != Member.Status.ACTIVE:
        member = member_change_status(
            member=member,
            to_status=Member.Status.ACTIVE,
            reason="Joined: email address confirmed",
            changed_by=user,
        )
    outgoing_email_queue(
        kind=OutgoingEmail.Kind.WELCOME,
        dedupe_key=f"welcome:{member.pk}",
        member=member,
        template="members/email/welcome",
        context={"member": member},
    )
    return member


# --- Email preferences -----------------------------------------------------------------------

PREFERENCES_SALT = "members.preferences.v1"
# Links in emails stay usable for a long time: people act on old emails.
PREFERENCES_MAX_AGE = timedelta(days=365)


class InvalidPreferencesToken(Exception):
    pass


def preferences_token(*, member: Member) -> str:
    """A signed link to one person's email preferences, usable without logging in."""
    return signing.dumps({"m": member.pk, "e": member.email}, salt=PREFERENCES_SALT)


def member_for_preferences_token(*, token: str) -> Member:
    try:
        data = signing.loads(token, salt=PREFERENCES_SALT, max_age=PREFERENCES_MAX_AGE)
        # The address is part of the token, so a link stops working if the address changes.
        return Member.objects.get(pk=data["m"], email=data["e"])
    except (signing.BadSignature, KeyError, TypeError, Member.DoesNotExist):
        raise InvalidPreferencesToken from None


# Stands in for the token while the path is reversed once.
_TOKEN_PLACEHOLDER = "-token-"  # noqa: S105 -- not a secret: replaced by the real token


@functools.cache
def _path_around_token(urlconf: str, viewname: str, *args) -> str:
    return reverse(viewname, urlconf=urlconf, args=[*args, _TOKEN_PLACEHOLDER])


def token_url(viewname: str, *args, token: str) -> str:
    """The absolute link to a view whose last argument is a signed token.

    reverse() walks the URLconf on every call, and a check-in round writes three links into each
    of thousands of emails; the path around the token never changes, so it is reversed once.
    """
    path = _path_around_token(settings.ROOT_URLCONF, viewname, *args)
    return settings.SITE_URL + path.replace(_TOKEN_PLACEHOLDER, token, 1)


def preferences_url(*, member: Member) -> str:
    return token_url("members:preferences", token=preferences_token(member=member))


# --- Unsubscribe (RFC 8058 one-click) --------------------------------------------------------

UNSUBSCRIBE_SALT = "members.unsubscribe.v1"
# What one click turns off, by the kind of email it came from.
UNSUBSCRIBE_EFFECTS = {
    OutgoingEmail.Kind.CHECKIN: ("checkin_cadence", CheckinCadence.PAUSED),
    OutgoingEmail.Kind.SURVEY: ("checkin_cadence", CheckinCadence.PAUSED),
    OutgoingEmail.Kind.DIGEST: ("wants_digest", False),
    OutgoingEmail.Kind.REMINDER: ("wants_meeting_reminders", False),
}


def unsubscribe_token(*, member: Member, kind: str) -> str:
    return signing.dumps({"m": member.pk, "e": member.email, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_request_for_token(*, token: str) -> tuple[Member, str]:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=PREFERENCES_MAX_AGE)
        if data["k"] not in UNSUBSCRIBE_EFFECTS:
            raise InvalidPreferencesToken
        return Member.objects.get(pk=data["m"], email=data["e"]), data["k"]
    except (signing.BadSignature, KeyError, TypeError, Member.DoesNotExist):
        raise InvalidPreferencesToken from None


def member_unsubscribe(*, member: Member, kind: str) -> Member:
    """Turn off one kind of email. Idempotent: a second click changes nothing."""
    field_name, value = UNSUBSCRIBE_EFFECTS[kind]
    if getattr(member, field_name) != value:
        setattr(member, field_name, value)
        member.save(update_fields=[field_name, "updated_at"])
    return member


def bulk_email_headers(*, member: Member, kind: str) -> dict:
    """List-Unsubscribe (https and mailto) with one-click POST, for every bulk email."""
    url = token_url("members:unsubscribe", token=unsubscribe_token(member=member, kind=kind))
    mailto = f"mailto:{settings.UNSUBSCRIBE_MAILTO}?subject=unsubscribe%20{kind}%20{member.pk}"
    return {
        "List-Unsubscribe": f"<{url}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- Privacy ---------------------------------------------------------------------------------


def member_export_data(*, member: Member) -> dict:
    """Everything the portal holds about a person, as they can download it."""
    user = member.user
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
        if user
        else None,
        "member": {
            "email": member.email,
            "name": member.full_name,
            "sector": member.sector.name if member.sector else None,
            "organisation": member.organisation,
            "job_title": member.job_title,
            "city_region": member.city_region,
            "bio": member.bio,
            "interests": [topic.name for topic in member.interests.all()],
            "time_zone": member.time_zone,
            "visibility": {
                "organisation": member.organisation_visibility,
                "job_title": member.job_title_visibility,
                "city_region": member.city_region_visibility,
                "bio": member.bio_visibility,
                "interests": member.interests_visibility,
                "show_email": member.show_email,
            },
            "status": member.status,
            "joined_at": member.joined_at.isoformat() if member.joined_at else None,
            "preferences": {
                "checkin_cadence": member.checkin_cadence,
                "meeting_reminders": member.wants_meeting_reminders,
                "digest": member.wants_digest,
            },
        },
        "status_history": [
            {
                "from": change.from_status,
                "to": change.to_status,
                "reason": change.reason,
                "at": change.changed_at.isoformat(),
            }
            for change in member.status_changes.all()
        ],
        "emails_sent_to_you": [
            {
                "kind": email.kind,
                "subject": email.subject,
                "state": email.state,
                "created_at": email.created_at.isoformat(),
            }
            for email in member.emails.all()
        ],
    }


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Erase a person: their account, their community record and everything hanging off it."""
    Member.objects.filter(user=user).delete()
    Member.objects.filter(email__iexact=user.email).delete()
    user.delete()


# --- Prospect import -------------------------------------------------------------------------

IMPORT_REQUIRED_COLUMNS = ("email", "name")
IMPORT_OPTIONAL_COLUMNS = ("sector", "organisation", "job_title", "city_region")
IMPORT_MAX_ROWS = 5000


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


def prospects_import_plan(*, data: bytes) -> ImportPlan:
    """Read a CSV of prospects and say, row by row, what importing it would do. Writes nothing."""
    plan = ImportPlan()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        plan.file_errors.append("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        return plan
    if "\x00" in text:
        plan.file_errors.append("The file is not a CSV text file.")
        return plan
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in IMPORT_REQUIRED_COLUMNS if c not in headers]
    unknown = [h for h in headers if h not in IMPORT_REQUIRED_COLUMNS + IMPORT_OPTIONAL_COLUMNS]
    if missing or unknown or len(set(headers)) != len(headers):
        expected = ", ".join(IMPORT_REQUIRED_COLUMNS + IMPORT_OPTIONAL_COLUMNS)
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if unknown:
            detail.append("unknown " + ", ".join(unknown))
        if len(set(headers)) != len(headers):
            detail.append("a column appears twice")
        plan.file_errors.append(
            f"Wrong columns ({'; '.join(detail)}). The first row must name the columns: "
            f"{expected} (email and name are required)."
        )
        return plan
    reader.fieldnames = headers

    sectors = {}
    for sector in Sector.objects.all():
        sectors[sector.name.lower()] = sector
        sectors[sector.slug.lower()] = sector
    limits = {"name": 150, "organisation": 150, "job_title": 150, "city_region": 100}

    try:
        raw_rows = list(reader)
    except csv.Error as exc:
        plan.file_errors.append(f"The file could not be read as CSV: {exc}.")
        return plan
    if not raw_rows:
        plan.file_errors.append("The file has no rows below its header.")
        return plan
    if len(raw_rows) > IMPORT_MAX_ROWS:
        plan.file_errors.append(f"The file has more than {IMPORT_MAX_ROWS} rows; split it.")
        return plan

    seen: dict[str, int] = {}
    for line, raw in enumerate(raw_rows, start=2):
        if None in raw:
            row = ImportRow(line=line, email="", values={})
            row.errors.append("This row has more cells than the header has columns.")
            plan.rows.append(row)
            continue
        values = {key: (value or "").strip() for key, value in raw.items()}
        email = normalise_email(values.get("email", ""))
        row = ImportRow(line=line, email=email, values=values)
        try:
            validate_email(email)
        except ValidationError:
            row.errors.append(f"“{values.get('email', '')}” is not a valid email address.")
        if not values.get("name"):
            row.errors.append("The name is empty.")
        for column, limit in limits.items():
            if len(values.get(column, "")) > limit:
                row.errors.append(
                    f"The {column.replace('_', ' ')} is longer than {limit} characters."
                )
        sector_name = values.get("sector", "")
        if sector_name and sector_name.lower() not in sectors:
            row.errors.append(f"Unknown sector “{sector_name}”.")
        values["sector"] = sectors.get(sector_name.lower()) if sector_name else None
        if email and email in seen:
            row.errors.append(f"The same address is already on line {seen[email]}.")
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
            row.note = "Already in the community; left unchanged."
    return plan


@transaction.atomic
def prospects_import(*, data: bytes, imported_by: User) -> ImportPlan:
    """Import prospects from a CSV: all rows or none."""
    plan = prospects_import_plan(data=data)
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
            status=Member.Status.PROSPECT,
            source=Member.Source.IMPORT,
            status_changed_at=now,
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
            ]
        )
    return rows


# --- Engagement ------------------------------------------------------------------------------


def engagement_record(
    *, member: Member, kind: str, occurred_at=None, source: str = ""
) -> EngagementEvent:
    """Record something a member did that counts towards their participation.

    Any engagement clears the risk: an open re-engagement check-in is closed as "took part".
    """
    occurred_at = occurred_at or timezone.now()
    Reengagement.objects.filter(member=member, closed_at__isnull=True).update(
        closed_at=occurred_at, answer=Reengagement.Answer.ENGAGED
    )
    return EngagementEvent.objects.create(
        member=member, kind=kind, occurred_at=occurred_at, source=source[:100]
    )


# --- Attrition -------------------------------------------------------------------------------

REENGAGEMENT_SALT = "members.reengagement.v1"
PAUSE_DAYS = 91


class InvalidReengagementToken(Exception):
    pass


def members_at_risk(*, now=None):
    """Active members with no engagement (attendance, RSVP, answer, contribution, login) for
    ATTRITION_AT_RISK_DAYS, and no re-engagement check-in already open."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ATTRITION_AT_RISK_DAYS)
    last_event = (
        EngagementEvent.objects.filter(member=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return (
        Member.objects.filter(status=Member.Status.ACTIVE, email_bounced_at__isnull=True)
        .annotate(
            last_event=Subquery(last_event),
            last_seen=Greatest(
                Coalesce(Subquery(last_event), "joined_at", "created_at"),
                Coalesce("user__last_login", "joined_at", "created_at"),
            ),
        )
        .filter(last_seen__lt=cutoff)
        .exclude(reengagements__closed_at__isnull=True, reengagements__isnull=False)
        .order_by("pk")
    )


def reengagement_token(*, reengagement: Reengagement) -> str:
    return signing.dumps(
        {"r": reengagement.pk, "m": reengagement.member_id}, salt=REENGAGEMENT_SALT
    )


def reengagement_for_token(*, token: str) -> Reengagement:
    try:
        data = signing.loads(token, salt=REENGAGEMENT_SALT, max_age=PREFERENCES_MAX_AGE)
        return Reengagement.objects.select_related("member").get(pk=data["r"], member_id=data["m"])
    except (signing.BadSignature, KeyError, TypeError, Reengagement.DoesNotExist):
        raise InvalidReengagementToken from None


@transaction.atomic
def attrition_run(*, now=None) -> dict:
    """Daily: send re-engagement check-ins to members at risk; lapse those who never answered."""
    now = now or timezone.now()
    invited = 0
    for member in members_at_risk(now=now):
        reengagement = Reengagement.objects.create(member=member, sent_at=now)
        url = token_url("members:reengagement", token=reengagement_token(reengagement=reengagement))
        outgoing_email_queue(
            kind=OutgoingEmail.Kind.CHECKIN,
            dedupe_key=f"reengagement:{reengagement.pk}",
            member=member,
            template="members/email/reengagement",
            context={
                "member": member,
                "answer_url": url,
                "lapse_days": settings.ATTRITION_LAPSE_AFTER_DAYS,
                "preferences_url": preferences_url(member=member),
            },
            headers=bulk_email_headers(member=member, kind=OutgoingEmail.Kind.CHECKIN),
        )
        invited += 1
    lapsed = 0
    unanswered = Reengagement.objects.filter(
        closed_at__isnull=True,
        sent_at__lt=now - timedelta(days=settings.ATTRITION_LAPSE_AFTER_DAYS),
        member__status=Member.Status.ACTIVE,
    ).select_related("member")
    for reengagement in unanswered:
        member_change_status(
            member=reengagement.member,
            to_status=Member.Status.LAPSED,
            reason=(
                f"No answer to the re-engagement check-in for "
                f"{settings.ATTRITION_LAPSE_AFTER_DAYS} days"
            ),
        )
        reengagement.closed_at = now
        reengagement.answer = Reengagement.Answer.LAPSED
        reengagement.save(update_fields=["closed_at", "answer"])
        lapsed += 1
    return {"invited": invited, "lapsed": lapsed}


@transaction.atomic
def reengagement_answer(*, reengagement: Reengagement, answer: str, now=None) -> Reengagement:
    """Stay, pause check-ins for three months, or leave; the person's own choice by POST."""
    now = now or timezone.now()
    reengagement = Reengagement.objects.select_for_update().get(pk=reengagement.pk)
    member = reengagement.member
    if answer == Reengagement.Answer.PAUSE:
        member.checkins_paused_until = timezone.localdate(now) + timedelta(days=PAUSE_DAYS)
        member.save(update_fields=["checkins_paused_until", "updated_at"])
    elif answer == Reengagement.Answer.LEAVE and member.status != Member.Status.LEFT:
        member_change_status(
            member=member,
            to_status=Member.Status.LEFT,
            reason="Chose to leave from a re-engagement check-in",
            changed_by=member.user,
        )
    elif answer == Reengagement.Answer.STAY and member.status == Member.Status.LAPSED:
        member_change_status(
            member=member,
            to_status=Member.Status.ACTIVE,
            reason="Chose to stay from a re-engagement check-in",
            changed_by=member.user,
        )
    reengagement.answer = answer
    reengagement.closed_at = reengagement.closed_at or now
    reengagement.save(update_fields=["answer", "closed_at"])
    if answer in (Reengagement.Answer.STAY, Reengagement.Answer.PAUSE):
        EngagementEvent.objects.create(
            member=member,
            kind=EngagementEvent.Kind.RESPONDED,
            occurred_at=now,
            source=f"reengagement:{reengagement.pk}",
        )
    return reengagement


# --- The outbox ------------------------------------------------------------------------------


def outgoing_email_render(
    *,
    kind: str,
    dedupe_key: str,
    template: str,
    context: dict,
    member: Member | None = None,
    to_email: str | None = None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
) -> OutgoingEmail:
    """An unsaved outbox row: `<template>_subject.txt`, `.txt` and optionally `.html` rendered.

    `attachments` is a list of {"filename", "content" (text), "mimetype"}.
    """
    context = {"site_url": settings.SITE_URL, "community_name": settings.COMMUNITY_NAME, **context}
    subject = " ".join(_render_plain_text(f"{template}_subject.txt", context).split())
    body_text = _render_plain_text(f"{template}.txt", context)
    try:
        body_html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:  # an HTML part is optional
        body_html = ""
    state = OutgoingEmail.State.QUEUED
    if member is not None and member.email_bounced_at is not None:
        state = OutgoingEmail.State.SUPPRESSED
    return OutgoingEmail(
        dedupe_key=dedupe_key,
        kind=kind,
        member=member,
        to_email=to_email or member.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=headers or {},
        attachments=attachments or [],
        state=state,
    )


def _render_plain_text(template_name: str, context: dict) -> str:
    """Subjects and text bodies are not HTML: "O'Brien" must not arrive as "O&#x27;Brien"."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def outgoing_email_queue(**kwargs) -> OutgoingEmail:
    """Record one email in the outbox, once per dedupe key, and send it after the commit.

    Takes the arguments of `outgoing_email_render`.
    """
    existing = OutgoingEmail.objects.filter(dedupe_key=kwargs["dedupe_key"]).first()
    if existing is not None:
        return existing
    rendered = outgoing_email_render(**kwargs)
    fields = {f.attname: getattr(rendered, f.attname) for f in OutgoingEmail._meta.concrete_fields}
    fields.pop("id")
    email, created = OutgoingEmail.objects.get_or_create(
        dedupe_key=rendered.dedupe_key, defaults=fields
    )
    if created and email.state == OutgoingEmail.State.QUEUED:
        from members.tasks import outgoing_email_send

        transaction.on_commit(lambda: _enqueue(outgoing_email_send, str(email.pk)))
    return email


def outgoing_emails_queue_bulk(*, emails: list[OutgoingEmail]) -> int:
    """Record many emails at once (a check-in round); rows whose dedupe key exists are skipped.

    After the commit, enough batch tasks are enqueued to send them all.
    """
    from members.tasks import outgoing_emails_send_batch

    if db_connection.vendor == "postgresql":
        created = _copy_new_rows(emails)
    else:
        keys = [email.dedupe_key for email in emails]
        before = OutgoingEmail.objects.filter(dedupe_key__in=keys).count()
        OutgoingEmail.objects.bulk_create(emails, batch_size=1000, ignore_conflicts=True)
        created = OutgoingEmail.objects.filter(dedupe_key__in=keys).count() - before
    batches = -(-created // settings.OUTBOX_BATCH_SIZE)
    for _ in range(batches):
        transaction.on_commit(lambda: _enqueue(outgoing_emails_send_batch))
    return created


@transaction.atomic
def _copy_new_rows(emails: list[OutgoingEmail]) -> int:
    """INSERT … ON CONFLICT DO NOTHING for a whole round, fed by COPY; returns the rows added.

    A round's bodies run to tens of megabytes: bulk_create spent a third of the round's time
    quoting them into SQL text, which COPY skips. The rows land in a temporary table first, as
    COPY alone cannot skip the dedupe keys that already exist.
    """
    fields = OutgoingEmail._meta.concrete_fields
    quote = db_connection.ops.quote_name
    table = quote(OutgoingEmail._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with db_connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE outbox_incoming (LIKE {table}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY outbox_incoming ({columns}) FROM STDIN") as copy:
            for email in emails:
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(email, True), db_connection)
                        for field in fields
                    ]
                )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM outbox_incoming "  # noqa: S608 -- names from the model, no input
            "ON CONFLICT (dedupe_key) DO NOTHING"
        )
        created = cursor.rowcount
        cursor.execute("DROP TABLE outbox_incoming")
    return created


def _enqueue(task, *args, countdown: int | None = None) -> None:
    # The rows are committed; if the broker is down the sweep picks them up later, so the
    # request or round that queued the mail must not fail.
    try:
        task.apply_async(args, countdown=countdown)
    except Exception:
        logger.warning("Could not enqueue %s%s; the sweep will retry", task.name, args)


def _queued_and_due(now) -> Q:
    return Q(state=OutgoingEmail.State.QUEUED) & (
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )


def _sending_past_lease(now) -> Q:
    """Claimed by a worker that has not finished within the lease: presumed dead."""
    return Q(state=OutgoingEmail.State.SENDING, claimed_at__lt=now - settings.OUTBOX_SENDING_LEASE)


def _claimable(now) -> Q:
    return _queued_and_due(now) | _sending_past_lease(now)


def _claim(queryset, now, limit=None) -> list[OutgoingEmail]:
    """Claim due rows for this worker. FOR UPDATE SKIP LOCKED with a LIMIT: concurrent workers
    each take the next rows nobody holds, instead of waiting or all grabbing the same ones.

    Each kind of claimable row is looked up on its own, and only ids are locked and sorted: one
    query with an OR, selecting whole rows, made PostgreSQL scan and sort every email of a
    10,000-person round (bodies included, spilled to disk) for each batch of 200.
    """
    with transaction.atomic():
        ids = []
        # Rows past their lease first: they have waited longest.
        for claimable in (_sending_past_lease(now), _queued_and_due(now)):
            wanted = None if limit is None else limit - len(ids)
            if wanted == 0:
                break
            locked = (
                queryset.filter(claimable)
                .select_for_update(skip_locked=True)
                .order_by("created_at")
                .values_list("pk", flat=True)
            )
            ids += locked[:wanted] if wanted else locked
        if not ids:
            return []
        OutgoingEmail.objects.filter(pk__in=ids).update(
            state=OutgoingEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        return list(OutgoingEmail.objects.filter(pk__in=ids).order_by("created_at"))


def _message(email: OutgoingEmail, connection) -> mail.EmailMultiAlternatives:
    message = mail.EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers=email.headers,
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer about the recipient: retrying will not help and the address bounces."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500 and not isinstance(exc, smtplib.SMTPSenderRefused)
    return False


def _retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, 8… times the base, capped."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _retry_or_fail(email: OutgoingEmail, exc: Exception, now) -> None:
    email.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        email.state = OutgoingEmail.State.FAILED
    else:
        email.state = OutgoingEmail.State.QUEUED
        email.not_before = now + _retry_delay(email.attempts)
    email.save(update_fields=["state", "last_error", "not_before", "updated_at"])


def _schedule_retry(rows: list[OutgoingEmail], now) -> None:
    """Wake a batch when the first retry falls due, rather than waiting for the sweep."""
    due = [email.not_before for email in rows if email.state == OutgoingEmail.State.QUEUED]
    if due:
        from members.tasks import outgoing_emails_send_batch

        countdown = max(1, round((min(due) - now).total_seconds()))
        _enqueue(outgoing_emails_send_batch, countdown=countdown)


def _deliver(rows: list[OutgoingEmail], now) -> int:
    """Send claimed rows over one SMTP connection; record each outcome. Returns the sent count."""
    if not rows:
        return 0
    connection = mail.get_connection()
    try:
        connection.open()
    except Exception as exc:  # the server is down: every row waits for a retry
        for email in rows:
            _retry_or_fail(email, exc, now)
        _schedule_retry(rows, now)
        logger.warning("SMTP unavailable, %d email(s) will be retried: %s", len(rows), exc)
        return 0
    sent = 0
    unrecorded = []  # accepted by the SMTP server, not yet recorded as sent
    try:
        for email in rows:
            try:
                _message(email, connection).send()
            except Exception as exc:  # classify: permanent (bounce) or worth retrying
                if _is_permanent(exc):
                    email.state = OutgoingEmail.State.FAILED
                    email.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
                    email.save(update_fields=["state", "last_error", "updated_at"])
                    if email.member_id:
                        Member.objects.filter(
                            pk=email.member_id, email_bounced_at__isnull=True
                        ).update(email_bounced_at=now)
                else:
                    _retry_or_fail(email, exc, now)
                continue
            email.state = OutgoingEmail.State.SENT
            sent += 1
            unrecorded.append(email)
            if len(unrecorded) == settings.OUTBOX_RECORD_EVERY:
                _mark_sent(unrecorded)
                unrecorded = []
    finally:
        connection.close()
        # Also when the task is interrupted: what the server accepted is recorded as sent.
        _mark_sent(unrecorded)
    if sent < len(rows):
        _schedule_retry(rows, now)
    return sent


def _mark_sent(emails: list[OutgoingEmail]) -> None:
    """Record, in one committed UPDATE, that the SMTP server accepted these messages.

    Recording every few messages rather than each one: a worker killed mid-batch re-sends at
    most the messages it handed over since its last record (OUTBOX_RECORD_EVERY), and never
    loses one. A round trip to the database per message cost a fifth of the throughput.
    """
    if not emails:
        return
    sent_at = timezone.now()
    for email in emails:
        email.sent_at, email.last_error = sent_at, ""
    OutgoingEmail.objects.filter(pk__in=[email.pk for email in emails]).update(
        state=OutgoingEmail.State.SENT, sent_at=sent_at, last_error="", updated_at=sent_at
    )


def outgoing_email_send(*, email_id, now=None) -> OutgoingEmail | None:
    """Claim one email, send it, and record the outcome. Safe to call twice."""
    now = now or timezone.now()
    rows = _claim(OutgoingEmail.objects.filter(pk=email_id), now)
    _deliver(rows, now)
    return rows[0] if rows else OutgoingEmail.objects.filter(pk=email_id).first()


def outgoing_emails_send_batch(*, limit: int | None = None, now=None) -> tuple[int, int]:
    """Claim up to `limit` due emails and send them over one SMTP connection.

    Returns (claimed, sent); a full batch means more may be waiting.
    """
    now = now or timezone.now()
    limit = limit or settings.OUTBOX_BATCH_SIZE
    rows = _claim(OutgoingEmail.objects.all(), now, limit=limit)
    return len(rows), _deliver(rows, now)


def outgoing_emails_retry(*, emails) -> int:
    """Give failed emails another round of attempts (the admin's "retry failed" action)."""
    from members.tasks import outgoing_emails_send_batch

    count = emails.filter(state=OutgoingEmail.State.FAILED).update(
        state=OutgoingEmail.State.QUEUED, attempts=0, not_before=None
    )
    for _ in range(-(-count // settings.OUTBOX_BATCH_SIZE)):
        transaction.on_commit(lambda: _enqueue(outgoing_emails_send_batch))
    return count


def outgoing_emails_unsent(*, older_than_seconds: int = 60, now=None):
    """Rows that are due but whose task may have been lost, and sending rows past their lease."""
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(_claimable(now)).exclude(
        state=OutgoingEmail.State.QUEUED,
        not_before__isnull=True,
        created_at__gte=now - timedelta(seconds=older_than_seconds),
    )
