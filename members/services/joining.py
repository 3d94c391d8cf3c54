"""Joining: a signup or an admin-made account gets its community record, linked not duplicated."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.models import CommunityPage, EmailConsent, Member, OutgoingEmail, Sector, User
from members.outbox.queue import outgoing_email_queue
from members.services.lifecycle import member_change_status


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
) -> Member:
    """Attach the community record to a new account, with the person's consent.

    Signing up means agreeing to the current privacy notice, which says what the community
    emails: that is recorded (version and time) as their express consent to be emailed. A
    prospect imported with the same address is linked, not duplicated: the person said who
    they are at signup, so their own answers (and consent) replace what the coordinator imported.
    """
    email = normalise_email(user.email)
    now = timezone.now()
    member = Member.objects.select_for_update().filter(email__iexact=email).first()
    if member is None:
        member = Member(email=email, source=Member.Source.SIGNUP)
    member.user = user
    member.full_name = full_name
    member.sector = sector
    member.organisation = organisation
    member.job_title = job_title
    if language in dict(settings.LANGUAGES):
        member.language = language
    member.privacy_notice_version = CommunityPage.objects.privacy_notice_version()
    member.privacy_notice_accepted_at = now
    member.email_consent = EmailConsent.EXPRESS
    member.email_consent_on = timezone.localdate(now)
    member.email_consent_source = "Signed up on the portal"
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
