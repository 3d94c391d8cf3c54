import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Registration
from meetings.services.registrations import registration_create
from meetings.services.topics import suggestion_create, suggestion_vote
from members.models import EngagementEvent, OutgoingEmail
from tests.factories import MemberFactory, topic
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
CHANGELIST = reverse("admin:meetings_meeting_changelist")


def meeting_form_data(**overrides):
    data = {
        "title": "Lunch and learn",
        "summary": "",
        "description": "",
        "kind": "informal",
        "topics": [topic("outreach").pk],
        "status": "published",
        "starts_at_0": "2027-02-02",
        "starts_at_1": "12:00",
        "ends_at_0": "2027-02-02",
        "ends_at_1": "13:00",
        "format": "online",
        "location": "",
        "online_url": "https://meet.example.org/lunch",
        "capacity": "20",
        "series": "",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_add_meeting_in_the_community_time_zone(admin_client):
    response = admin_client.post(reverse("admin:meetings_meeting_add"), meeting_form_data())

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime(2027, 2, 2, 12, 0, tzinfo=LONDON)
    assert list(meeting.topics.values_list("slug", flat=True)) == ["outreach"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at_1": "11:00"}, "The meeting must end after it starts."),
        ({"capacity": "0"}, "The capacity must be at least 1"),
        ({"capacity": "-5"}, "Ensure this value is greater than or equal to 0"),
        ({"format": "in_person", "online_url": ""}, "Say where an in-person"),
        ({"online_url": ""}, "needs its online link"),
    ],
    ids=["end-before-start", "zero-capacity", "negative-capacity", "no-location", "no-link"],
)
def test_admin_add_meeting_bad_input_writes_nothing(admin_client, overrides, message):
    response = admin_client.post(
        reverse("admin:meetings_meeting_add"), meeting_form_data(**overrides)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Meeting.objects.count() == 0


def test_admin_list_upcoming_first_with_registrations_against_capacity(admin_client):
    now = timezone.now()
    MeetingFactory(title="Last month", starts_at=now - timedelta(days=30))
    later = MeetingFactory(title="In two weeks", starts_at=now + timedelta(days=14))
    MeetingFactory(title="Tomorrow", starts_at=now + timedelta(days=1), capacity=10)
    MeetingFactory(title="Last week", starts_at=now - timedelta(days=7))
    for _ in range(3):
        RegistrationFactory(meeting=later)
    RegistrationFactory(meeting=later, status=Registration.Status.WAITLISTED)

    response = admin_client.get(CHANGELIST)

    titles = [m.title for m in response.context["cl"].result_list]
    assert titles == ["Tomorrow", "In two weeks", "Last week", "Last month"]
    page = response.content.decode()
    assert "0 / 10" in page
    assert "3 / ∞ (+1 waiting)" in page


def test_admin_list_filters(admin_client):
    MeetingFactory(title="Draft one", status=Meeting.Status.DRAFT)
    MeetingFactory(title="Past one", starts_at=timezone.now() - timedelta(days=3))

    drafts = admin_client.get(CHANGELIST, {"status__exact": "draft"})
    past = admin_client.get(CHANGELIST, {"when": "past"})

    assert [m.title for m in drafts.context["cl"].result_list] == ["Draft one"]
    assert [m.title for m in past.context["cl"].result_list] == ["Past one"]


def lunch_and_learn_with_a_registrant():
    meeting = MeetingFactory(
        title="Lunch and learn",
        starts_at=datetime(2027, 2, 2, 12, 0, tzinfo=LONDON),
        ends_at=datetime(2027, 2, 2, 13, 0, tzinfo=LONDON),
        capacity=20,
        online_url="https://meet.example.org/lunch",
    )
    meeting.topics.set([topic("outreach")])
    registration_create(meeting=meeting, member=MemberFactory())
    registration = Registration.objects.get()
    inline = {
        "registrations-TOTAL_FORMS": "1",
        "registrations-INITIAL_FORMS": "1",
        "registrations-0-id": str(registration.pk),
        "registrations-0-meeting": str(meeting.pk),
    }
    return meeting, inline


def test_admin_edit_of_the_time_raises_sequence_once(admin_client):
    meeting, inline = lunch_and_learn_with_a_registrant()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    later = {"starts_at_1": "12:30", "ends_at_1": "13:30"}

    admin_client.post(url, meeting_form_data(**later, **inline))
    admin_client.post(url, meeting_form_data(**later, **inline))

    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_admin_form_cannot_cancel_a_meeting_and_points_to_the_previewed_action(admin_client):
    meeting, inline = lunch_and_learn_with_a_registrant()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])

    form = admin_client.get(url)
    response = admin_client.post(url, meeting_form_data(status="cancelled", **inline))

    assert [value for value, _ in form.context["adminform"].form.fields["status"].choices] == [
        "draft",
        "published",
    ]
    assert "choose “Cancel selected meetings”: it shows who will be emailed" in (
        form.content.decode()
    )
    assert response.context["adminform"].form.errors["status"] == [
        "Select a valid choice. cancelled is not one of the available choices."
    ]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("published", 0)
    assert not OutgoingEmail.objects.filter(subject__startswith="Cancelled:").exists()


def test_admin_attendance_checkboxes_record_engagement(admin_client):
    start = (timezone.now() - timedelta(days=2)).replace(microsecond=0)
    meeting = MeetingFactory(
        title="Lunch and learn",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        online_url="https://meet.example.org/lunch",
    )
    came, absent = RegistrationFactory(meeting=meeting), RegistrationFactory(meeting=meeting)
    local_start = start.astimezone(LONDON)
    local_end = (start + timedelta(hours=1)).astimezone(LONDON)
    data = meeting_form_data(
        topics=[],
        capacity="",
        summary=meeting.summary,
        starts_at_0=local_start.strftime("%Y-%m-%d"),
        starts_at_1=local_start.strftime("%H:%M:%S"),
        ends_at_0=local_end.strftime("%Y-%m-%d"),
        ends_at_1=local_end.strftime("%H:%M:%S"),
        **{
            "registrations-TOTAL_FORMS": "2",
            "registrations-INITIAL_FORMS": "2",
            "registrations-0-id": str(came.pk),
            "registrations-0-meeting": str(meeting.pk),
            "registrations-0-attended": "on",
            "registrations-1-id": str(absent.pk),
            "registrations-1-meeting": str(meeting.pk),
        },
    )

    response = admin_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)

    assert response.status_code == 302
    attended = dict(Registration.objects.values_list("pk", "attended"))
    assert attended == {came.pk: True, absent.pk: False}
    events = EngagementEvent.objects.filter(kind="attended")
    assert [(e.member_id, e.source) for e in events] == [(came.member_id, f"meeting:{meeting.pk}")]
    meeting.refresh_from_db()
    assert meeting.sequence == 0  # attendance is not a calendar change


def test_admin_action_duplicate_meeting(admin_client):
    meeting = MeetingFactory(title="Original", topics=[topic("outreach")])
    RegistrationFactory(meeting=meeting)

    response = admin_client.post(
        CHANGELIST, {"action": "duplicate_meetings", "_selected_action": [meeting.pk]}
    )

    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[copy.pk])
    assert (copy.title, copy.status, copy.registrations.count()) == ("Original (copy)", "draft", 0)
    assert copy.uid != meeting.uid
    assert list(copy.topics.all()) == [topic("outreach")]


def test_admin_action_export_attendance_csv(admin_client):
    meeting = MeetingFactory(title="=HYPERLINK(evil)", starts_at=timezone.now() - timedelta(days=1))
    RegistrationFactory(meeting=meeting, attended=True, member=MemberFactory(full_name="Ada Byrne"))
    RegistrationFactory(meeting=meeting, member=MemberFactory(full_name="Ben Chen"))

    response = admin_client.post(
        CHANGELIST, {"action": "export_attendance", "_selected_action": [meeting.pk]}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["meeting", "starts_at", "name"]
    assert [(r[0], r[2], r[-1]) for r in rows[1:]] == [
        ("'=HYPERLINK(evil)", "Ada Byrne", "yes"),
        ("'=HYPERLINK(evil)", "Ben Chen", "no"),
    ]


def test_admin_action_cancel_emails_each_registrant_once(admin_client):
    meeting = MeetingFactory(capacity=1)
    going, waiting = MemberFactory(), MemberFactory()
    registration_create(meeting=meeting, member=going)
    registration_create(meeting=meeting, member=waiting)

    for _ in range(2):
        admin_client.post(
            CHANGELIST,
            {"action": "cancel_meetings", "_selected_action": [meeting.pk], "confirm": "yes"},
        )

    cancellations = OutgoingEmail.objects.filter(subject__startswith="Cancelled:")
    assert sorted(cancellations.values_list("member_id", flat=True)) == sorted(
        [going.pk, waiting.pk]
    )


def test_admin_action_cancel_first_shows_the_registrants_and_the_email(admin_client):
    meeting = MeetingFactory(title="Lunch and learn", capacity=1)
    going = MemberFactory(full_name="Gina Going")
    waiting = MemberFactory(full_name="Wes Waiting")
    registration_create(meeting=meeting, member=going)
    registration_create(meeting=meeting, member=waiting)
    emails_before = OutgoingEmail.objects.count()

    response = admin_client.post(
        CHANGELIST, {"action": "cancel_meetings", "_selected_action": [meeting.pk]}
    )

    page = response.content.decode()
    assert "<strong>2</strong> registrants will be emailed" in page
    assert "Gina Going" in page and "Wes Waiting" in page
    assert "Cancelled: Lunch and learn" in page  # the email's subject
    assert 'value="Cancel 1 meeting and email its registrants"' in page
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert OutgoingEmail.objects.count() == emails_before


def test_admin_action_cancel_without_registrants_still_offers_to_cancel(admin_client):
    meeting = MeetingFactory()

    response = admin_client.post(
        CHANGELIST, {"action": "cancel_meetings", "_selected_action": [meeting.pk]}
    )

    page = response.content.decode()
    assert "<strong>0</strong> registrants will be emailed" in page
    assert 'value="Cancel 1 meeting and email its registrants"' in page


def test_admin_topic_suggestions_ranked_by_votes(admin_client):
    low = suggestion_create(member=MemberFactory(), title="Less wanted")
    high = suggestion_create(member=MemberFactory(), title="Most wanted")
    suggestion_vote(suggestion=high, member=MemberFactory())

    response = admin_client.get(reverse("admin:meetings_topicsuggestion_changelist"))

    assert [s.title for s in response.context["cl"].result_list] == [high.title, low.title]
    assert [s.vote_count for s in response.context["cl"].result_list] == [2, 1]


def test_admin_refuses_to_delete_a_meeting_with_registrants_and_points_to_cancel(admin_client):
    meeting = MeetingFactory(title="Lunch and learn")
    registration_create(meeting=meeting, member=MemberFactory())
    url = reverse("admin:meetings_meeting_delete", args=[meeting.pk])

    response = admin_client.post(url, {"post": "yes"})
    selected = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [meeting.pk], "post": "yes"},
    )

    for page in (response, selected):
        assert "“Lunch and learn” has registrants: cancel it instead" in page.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_admin_in_french_points_to_the_cancel_action_instead_of_deleting(admin_client):
    meeting, _inline = lunch_and_learn_with_a_registrant()
    french = {"accept-language": "fr-CA"}

    form = admin_client.get(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]), headers=french
    ).content.decode()
    refused = admin_client.post(
        reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"}, headers=french
    ).content.decode()

    assert "choisissez «\N{NO-BREAK SPACE}Annuler les rencontres sélectionnées" in form
    assert "a des personnes inscrites\N{NO-BREAK SPACE}: annulez-la plutôt" in refused
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_admin_deletes_meetings_nobody_is_waiting_for(admin_client):
    empty = MeetingFactory()
    cancelled = MeetingFactory()
    registration_create(meeting=cancelled, member=MemberFactory())
    admin_client.post(
        CHANGELIST,
        {"action": "cancel_meetings", "_selected_action": [cancelled.pk], "confirm": "yes"},
    )

    for meeting in (empty, cancelled):
        admin_client.post(
            reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"}
        )

    assert not Meeting.objects.filter(pk__in=[empty.pk, cancelled.pk]).exists()


def test_admin_in_french_previews_each_registrants_email_in_their_own_language(admin_client):
    meeting = MeetingFactory(title="Lunch and learn")
    registration_create(meeting=meeting, member=MemberFactory(language="en-ca"))
    french = {"accept-language": "fr-CA"}

    changelist = admin_client.get(CHANGELIST, headers=french).content.decode()
    preview = admin_client.post(
        CHANGELIST, {"action": "cancel_meetings", "_selected_action": [meeting.pk]}, headers=french
    ).content.decode()

    assert "Publier les rencontres sélectionnées" in changelist
    assert "Inscriptions / places" in changelist
    assert "Annuler ces rencontres?" in preview
    assert "personne inscrite recevra un courriel" in preview
    assert 'value="Annuler 1 rencontre et écrire à ses personnes inscrites"' in preview
    assert "Cancelled: Lunch and learn" in preview  # the English registrant's own email


def test_admin_meeting_and_series_forms_in_french(admin_client, settings):
    french = {"accept-language": "fr-CA"}

    meeting_form = admin_client.get(
        reverse("admin:meetings_meeting_add"), headers=french
    ).content.decode()
    series_form = admin_client.get(
        reverse("admin:meetings_series_add"), headers=french
    ).content.decode()

    assert "Quand et où" in meeting_form
    assert f"fuseau horaire de la communauté ({settings.TIME_ZONE})" in meeting_form
    assert "Lien de la rencontre en ligne" in meeting_form
    assert '<option value="hybrid">Hybride</option>' in meeting_form
    assert "Leur récurrence" in series_form
    assert '<option value="1" selected>mardi</option>' in series_form
    assert "Chaque mois, un jour de semaine donné" in series_form
