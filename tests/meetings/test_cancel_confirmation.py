"""Cancelling one's registration asks first: GET shows "are you sure?" (a page, or in place with
htmx) and changes nothing; only the POST button cancels."""

import pytest
from django.urls import reverse

from meetings.models import Registration
from meetings.services.registrations import registration_create
from tests.factories import member_with_account
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return member_with_account()


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def cancel_url(meeting):
    return reverse("meetings:cancel", args=[meeting.pk])


def test_the_meeting_page_offers_cancelling_as_a_link_to_the_question(member_client, member):
    meeting = MeetingFactory()
    registration_create(meeting=meeting, member=member)

    html = member_client.get(meeting.get_absolute_url()).content.decode()

    assert f'href="{cancel_url(meeting)}" hx-get="{cancel_url(meeting)}"' in html
    assert f'action="{cancel_url(meeting)}"' not in html  # no one-click cancel


def test_get_asks_and_changes_nothing(member_client, member):
    meeting = MeetingFactory(title="Cataloguing clinic", capacity=10)
    registration_create(meeting=meeting, member=member)

    response = member_client.get(cancel_url(meeting))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Cancel your place?</h1>" in html
    assert "You will give up your place at <strong>Cataloguing clinic</strong>" in html
    assert f'<form method="post" action="{cancel_url(meeting)}"' in html
    assert "Yes, cancel my registration" in html
    assert f'href="{meeting.get_absolute_url()}">No, keep my place</a>' in html
    assert Registration.objects.get(member=member).status == "going"


def test_htmx_get_swaps_the_question_in_place(member_client, member):
    meeting = MeetingFactory()
    registration_create(meeting=meeting, member=member)

    html = member_client.get(cancel_url(meeting), HTTP_HX_REQUEST="true").content.decode()

    assert html.startswith('<section id="rsvp"')
    assert "<html" not in html
    assert f'hx-post="{cancel_url(meeting)}" hx-target="#rsvp"' in html
    assert Registration.objects.get(member=member).status == "going"


def test_the_waiting_list_is_asked_in_its_own_words(member_client, member):
    meeting = MeetingFactory(capacity=1)
    registration_create(meeting=meeting, member=member_with_account())
    registration_create(meeting=meeting, member=member)

    html = member_client.get(cancel_url(meeting)).content.decode()

    assert "<h1>Leave the waiting list?</h1>" in html
    assert "Yes, leave the waiting list" in html


def test_the_post_button_cancels(member_client, member):
    meeting = MeetingFactory()
    registration_create(meeting=meeting, member=member)

    response = member_client.post(cancel_url(meeting), follow=True)

    assert "Your registration is cancelled." in response.content.decode()
    assert Registration.objects.get(member=member).status == "cancelled"


def test_asking_without_a_registration_goes_back_to_the_meeting(member_client):
    meeting = MeetingFactory()

    response = member_client.get(cancel_url(meeting))

    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
