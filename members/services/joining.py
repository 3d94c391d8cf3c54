"""Joining: a signup or an admin-made account gets its community record, linked not duplicated.

An address proves nothing until it is verified. A signup with the address of an existing record
(an imported prospect, a member the coordinators added) changes that record only when the
address is confirmed: until then what the person entered waits on their account.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.models import CommunityPage, EmailConsent, Member, OutgoingEmail, Sector, User
from members.outbox.queue import outgoing_email_queue
from members.services.lifecycle import member_change_status

logger = logging.getLogger(__name__)

_DETAILS = (
    "full_name",
    "sector_id",
    "organisation",
    "job_title",
    "language",
    "privacy_notice_version",
    "privacy_notice_accepted_at",
    "email_consent",
    "email_consent_on",
    "email_consent_source",
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def member_register(
    *,
    user: User,
    full_name: str,
    sector: Sector | None,
    organisation: str = "",
    job_title: str = "",
    language: str = "",
) -> Member | None:
    """The community record of a new (unverified) account, with the person's consent.

    Signing up means agreeing to the current privacy notice, which says what the community
    emails: that is recorded (version and time) as their express consent to be emailed. A new
    address gets a new record. The address of an existing record (an imported prospect) leaves
    that record as it is: what the person entered, consent included, waits on the account until
    `member_activate_on_verification` links them, and then replaces what was imported.
    """
    email = normalise_email(user.email)
    now = timezone.now()
    details = {
        "full_name": full_name,
        "sector_id": sector.pk if sector else None,
        "organisation": organisation,
        "job_title": job_title,
        "privacy_notice_version": CommunityPage.objects.privacy_notice_version(),
        "privacy_notice_accepted_at": now.isoformat(),
        "email_consent": EmailConsent.EXPRESS,
        "email_consent_on": timezone.localdate(now).isoformat(),
        "email_consent_source": "Signed up on the portal",
    }
    if language in dict(settings.LANGUAGES):
        details["language"] = language
    if Member.objects.filter(email__iexact=email).exists():
        user.signup_details = details
        user.save(update_fields=["signup_details"])
        return None
    member = Member(email=email, source=Member.Source.SIGNUP, user=user)
    _apply(member, details)
    member.save()
    return member


def _apply(member: Member, details: dict) -> None:
    """Set what a signup said (as stored in JSON) on the record."""
    for name, value in details.items():
        if name not in _DETAILS or value in ("", None):
            continue
        field = Member._meta.get_field(name.removesuffix("_id"))
        setattr(member, name, value if name.endswith("_id") else field.to_python(value))


def member_for_user(*, user: User) -> Member | None:
    """The community record of an account, or None. Reads only (GET pages call it)."""
    try:
        return user.member
    except Member.DoesNotExist:
        return None


@transaction.atomic
def member_record_ensure(*, user: User) -> Member:
    """The record of an account made outside signup (the admin, createsuperuser): linked by
    address, or made. Called when such an account is created, or on a POST, never on a GET."""
    member = member_for_user(user=user)
    if member is not None:
        return member
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
def operator_account_prepare(*, user: User) -> Member:
    """An account made by the operator at the command line (createsuperuser) can log in at once:
    the operator typed its address, so it counts as verified (allauth otherwise asks to verify
    it first), and it gets its community record."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return member_record_ensure(user=user)


def _member_link_verified(*, user: User) -> Member:
    """The verified account's record: its own, or the existing one with its address, which now
    takes what the person entered at signup."""
    member = member_for_user(user=user)
    if member is None:
        member = (
            Member.objects.select_for_update().filter(email__iexact=normalise_email(user.email))
        ).first()
    if member is None:
        member = Member(email=normalise_email(user.email), source=Member.Source.SIGNUP)
    elif member.user_id not in (None, user.pk):
        raise ValueError(f"The record of {member.email} belongs to another account.")
    member.user = user
    _apply(member, user.signup_details or {})
    if not member.full_name:
        member.full_name = user.get_full_name() or user.email.split("@")[0]
    member.save()
    if user.signup_details:
        user.signup_details = {}
        user.save(update_fields=["signup_details"])
    return member


@transaction.atomic
def member_activate_on_verification(*, user: User) -> Member:
    """The account's address is confirmed: the person is now an active member, welcomed once."""
    member = _member_link_verified(user=user)
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
