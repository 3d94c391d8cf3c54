"""The monthly digest: what is new across the apps, once per person and month.

It lives in copsite because it gathers from several apps (members may not import meetings).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation

from meetings.models import Meeting, Registration, TopicSuggestion
from members.contact import members_contactable
from members.links import absolute_reverse
from members.models import OutgoingEmail
from members.outbox.bulk import bulk_email_render
from members.outbox.queue import outgoing_emails_queue_bulk
from resources.models import Resource

DIGEST_HORIZON_DAYS = 45
SUGGESTIONS_SHOWN = 3
# Resources published since about the previous digest; members read public and members-only ones.
RESOURCES_SINCE_DAYS = 31
RESOURCES_SHOWN = 10


def digest_period(now) -> str:
    day = timezone.localdate(now)
    return f"{day.year}-{day.month:02d}"


@transaction.atomic
def digests_send(*, now=None) -> dict:
    """Queue this month's digest for everyone who wants it and has something new to read.

    The dedupe key is per person and month, so a second run in the month sends nothing.
    """
    now = now or timezone.now()
    period = digest_period(now)
    meetings = list(
        Meeting.objects.filter(
            status=Meeting.Status.PUBLISHED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=DIGEST_HORIZON_DAYS),
        ).order_by("starts_at", "pk")
    )
    suggestions = list(
        TopicSuggestion.objects.filter(status=TopicSuggestion.Status.OPEN).ranked()[
            :SUGGESTIONS_SHOWN
        ]
    )
    resources = list(
        Resource.objects.published()
        .filter(published_at__gt=now - timedelta(days=RESOURCES_SINCE_DAYS))
        .order_by("-published_at", "-pk")[:RESOURCES_SHOWN]
    )
    registered = {}
    for member_id, meeting_id in (
        Registration.objects.filter(meeting__in=meetings)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("member_id", "meeting_id")
    ):
        registered.setdefault(member_id, set()).add(meeting_id)
    already = set(
        OutgoingEmail.objects.filter(dedupe_key__startswith=f"digest:{period}:").values_list(
            "member_id", flat=True
        )
    )
    emails, skipped = [], 0
    resources_url = absolute_reverse("resources:list")
    meetings_url = absolute_reverse("meetings:list")
    people = members_contactable(kind=OutgoingEmail.Kind.DIGEST, now=now).exclude(pk__in=already)
    for member in people.iterator(chunk_size=1000):
        # New for them: meetings they have not registered for yet.
        new_meetings = [m for m in meetings if m.pk not in registered.get(member.pk, set())]
        if not new_meetings and not resources:
            skipped += 1
            continue
        # Times in the reader's own zone, words and dates in their own language.
        with timezone.override(member.zone()), translation.override(member.language):
            emails.append(
                bulk_email_render(
                    kind=OutgoingEmail.Kind.DIGEST,
                    dedupe_key=f"digest:{period}:{member.pk}",
                    member=member,
                    template="emails/digest",
                    context={
                        "meetings": new_meetings,
                        "suggestions": suggestions,
                        "resources": resources,
                        "resources_url": resources_url,
                        "period": period,
                        "meetings_url": meetings_url,
                    },
                )
            )
    queued = outgoing_emails_queue_bulk(emails=emails)
    return {"queued": queued, "skipped": skipped}
