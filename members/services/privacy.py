"""A person's own data: everything held about them, to download, and erasure."""

from django.db import transaction
from django.utils import timezone

from members.models import Member, User


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
            "language": member.language,
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
                "announcements": member.wants_announcements,
            },
            "consent": {
                "privacy_notice_version": member.privacy_notice_version,
                "privacy_notice_accepted_at": member.privacy_notice_accepted_at.isoformat()
                if member.privacy_notice_accepted_at
                else None,
                "email_consent": member.email_consent or None,
                "email_consent_on": member.email_consent_on.isoformat()
                if member.email_consent_on
                else None,
                "where_your_address_came_from": member.email_consent_source or None,
                "how_your_record_was_created": member.get_source_display(),
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
