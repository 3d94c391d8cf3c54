"""Cached fragments of list pages (copsite/templatetags/fragments.py): the filter forms and cards
are cached, yet a reader never sees one that is stale, in another language or time zone, or
meant for someone else."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from members.models import Member, Topic, Visibility
from resources.models import Rating
from resources.services import rating_set
from tests.factories import member_with_account, topic
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db
FRENCH = {"accept-language": "fr-CA"}


def page(client, url, **kwargs) -> str:
    return client.get(url, **kwargs).content.decode()


def test_a_new_or_renamed_topic_is_in_the_filters_at_once(client):
    for url in (reverse("meetings:list"), reverse("resources:list")):
        assert "Bookbinding" not in page(client, url)  # the filter is now cached
    topic = Topic.objects.create(name="Bookbinding", slug="bookbinding")
    for url in (reverse("meetings:list"), reverse("resources:list")):
        assert "Bookbinding" in page(client, url)
    topic.name_fr = "Reliure"
    topic.save()
    assert "Reliure" in page(client, reverse("meetings:list"), headers=FRENCH)


def test_filters_follow_the_language_and_invalid_choices_show_their_error(client):
    assert "Any format" in page(client, reverse("meetings:list"))
    french = page(client, reverse("meetings:list"), headers=FRENCH)
    assert "Any format" not in french and 'lang="fr-ca"' in french

    html = page(client, reverse("meetings:list"), data={"format": "carrier-pigeon"})
    assert "Select a valid choice" in html
    assert "Select a valid choice" not in page(client, reverse("meetings:list"))


def test_a_meeting_card_is_the_readers_own(client):
    meeting = MeetingFactory(title="Zine workshop")
    visitor = page(client, reverse("meetings:list"))
    assert "Zine workshop" in visitor and "You are going" not in visitor

    going = member_with_account()
    RegistrationFactory(meeting=meeting, member=going)
    client.force_login(going.user)
    assert "You are going" in page(client, reverse("meetings:list"))

    meeting.title = "Zine and comics workshop"
    meeting.save()
    assert "Zine and comics workshop" in page(client, reverse("meetings:list"))


def test_a_meeting_card_shows_the_readers_time_zone(client):
    starts = datetime(2030, 1, 8, 17, 0, tzinfo=ZoneInfo("UTC"))
    MeetingFactory(starts_at=starts)
    assert "17:00" in page(client, reverse("meetings:list"))
    member = member_with_account(time_zone="America/Vancouver")
    client.force_login(member.user)
    html = page(client, reverse("meetings:list"))
    assert "09:00" in html and "17:00" not in html


def test_a_resource_card_follows_its_ratings(client):
    resource = ResourceFactory(title="Weeding checklist")
    assert "Rated" not in page(client, reverse("resources:list"))
    rating_set(resource=resource, member=member_with_account(), score=4)
    assert Rating.objects.count() == 1
    assert "Rated 4.0 out of 5 (1 rating)" in page(client, reverse("resources:list"))


def test_a_resource_card_shows_its_authors_new_name_and_forgets_a_deleted_author(client):
    resource = ResourceFactory(title="Weeding checklist", author__full_name="Ada Byrne")
    assert "By Ada Byrne" in page(client, reverse("resources:list"))

    resource.author.full_name = "Ada Byrne-Okafor"
    resource.author.save()
    assert "By Ada Byrne-Okafor" in page(client, reverse("resources:list"))

    # A member who deletes their account: the card no longer names them.
    resource.author.delete()
    html = page(client, reverse("resources:list"))
    assert "Weeding checklist" in html
    assert "Ada Byrne" not in html


def test_a_directory_card_shows_every_change_to_its_member_at_once(client):
    viewer = member_with_account()
    client.force_login(viewer.user)
    colleague = member_with_account(full_name="Ben Chen", organisation="Riverside Library")
    colleague.interests.set([topic("outreach")])
    assert "Riverside Library" in page(client, reverse("members:directory"))

    colleague.full_name = "Ben Chen-Roy"
    colleague.organisation_visibility = Visibility.HIDDEN
    colleague.save()
    html = page(client, reverse("members:directory"))
    assert "Ben Chen-Roy" in html
    assert "Riverside Library" not in html

    colleague.interests.set([topic("leadership")])
    html = page(client, reverse("members:directory"))
    assert "Interests: Leadership" in html
    assert "Interests: Outreach" not in html


def test_the_profile_form_is_its_owners_and_shows_every_change_at_once(client):
    url = reverse("members:profile_edit")
    ann = member_with_account(organisation="Harbour Archive", time_zone="America/Halifax")
    client.force_login(ann.user)
    html = page(client, url)  # now cached
    assert "Harbour Archive" in html and 'value="America/Halifax" selected' in html
    assert f'value="{topic("edi").pk}" checked' not in html.replace(' id="id_interests_', "")

    # A bulk update sends no signal: the cached form is keyed by the values it shows.
    Member.objects.filter(pk=ann.pk).update(organisation="Valley Archive", time_zone="UTC")
    ann.interests.add(topic("edi"))
    html = page(client, url)
    assert "Valley Archive" in html and "Harbour Archive" not in html
    assert 'value="UTC" selected' in html and 'value="America/Halifax" selected' not in html
    assert html.count(" checked") == 1 + html.count('name="show_email" checked')

    bob = member_with_account(organisation="Valley Archive", time_zone="UTC")
    client.force_login(bob.user)
    html = page(client, url)
    assert 'value="UTC" selected' in html and " checked" not in html.replace("show_email", "")
    assert "Your time zone" in html
    french = page(client, url, headers=FRENCH)
    assert "Your time zone" not in french and 'lang="fr-ca"' in french
