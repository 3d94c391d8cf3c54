"""What coordinators do to a meeting: edit it, raise its sequence, cancel it."""

from datetime import timedelta

import pytest

from meetings.models import Meeting, Registration
from meetings.services.coordinating import meeting_cancel, meeting_save
from meetings.services.registrations import registration_cancel, registration_create
from members.models import OutgoingEmail
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory, emails_to

pytestmark = pytest.mark.django_db


def test_meeting_cancel_emails_every_registrant_once_and_raises_sequence():
    meeting = MeetingFactory(capacity=1)
    going, waiting = MemberFactory(), MemberFactory()
    registration_create(meeting=meeting, member=going)
    registration_create(meeting=meeting, member=waiting)
    cancelled_member = MemberFactory()
    r = registration_create(meeting=meeting, member=cancelled_member)
    registration_cancel(registration=r)

    meeting_cancel(meeting=meeting)
    meeting_cancel(meeting=meeting)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    cancellations = OutgoingEmail.objects.filter(subject=f"Cancelled: {meeting.title}")
    assert sorted(e.member_id for e in cancellations) == sorted([going.pk, waiting.pk])
    ics = cancellations.get(member=going).attachments[0]["content"]
    assert "STATUS:CANCELLED" in ics


def test_meeting_save_raises_sequence_only_for_calendar_changes():
    meeting = MeetingFactory()
    meeting.capacity = 30
    meeting_save(meeting=meeting, changed_fields=["capacity"])
    assert meeting.sequence == 0

    meeting.starts_at += timedelta(hours=1)
    meeting.ends_at += timedelta(hours=1)
    meeting_save(meeting=meeting, changed_fields=["starts_at", "ends_at"])

    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_meeting_save_with_more_capacity_promotes_the_waiting_list():
    meeting = MeetingFactory(capacity=1)
    registration_create(meeting=meeting, member=MemberFactory())
    waiting = MemberFactory()
    registration_create(meeting=meeting, member=waiting)

    meeting.capacity = 2
    meeting_save(meeting=meeting, changed_fields=["capacity"])

    assert Registration.objects.get(member=waiting).status == "going"


def test_meeting_save_cancelling_in_the_admin_emails_registrants():
    meeting = MeetingFactory()
    member = MemberFactory()
    registration_create(meeting=meeting, member=member)

    meeting.status = Meeting.Status.CANCELLED
    meeting_save(meeting=meeting, changed_fields=["status"])

    assert emails_to(member)[-1].subject == f"Cancelled: {meeting.title}"
    assert meeting.cancelled_at is not None


def test_a_french_registrant_is_told_of_the_cancellation_in_french():
    meeting = MeetingFactory(title="Atelier Zotero")
    french = MemberFactory(language="fr-ca")
    registration_create(meeting=meeting, member=french)

    meeting_cancel(meeting=meeting)

    [_confirmation, cancellation] = emails_to(french)
    assert cancellation.subject == "Annulée\u00a0: Atelier Zotero"
    assert "Nous sommes désolés\N{NO-BREAK SPACE}: cette rencontre" in cancellation.body_text
    assert "Ouvrez le fichier joint meeting.ics pour la retirer" in cancellation.body_text
