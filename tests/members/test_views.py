import json
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import EngagementEvent, Member, OutgoingEmail, Reengagement, User
from members.outbox.bulk import preferences_token, unsubscribe_token
from members.services.attrition import attrition_run, members_at_risk, reengagement_token
from surveys.services.checkins import members_due_for_checkin
from tests.factories import MemberFactory, ago, member_with_account, sector, topic

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def signup_data(**overrides):
    data = {
        "full_name": "Niamh Quinn",
        "email": "niamh@example.org",
        "sector": sector("health").pk,
        "organisation": "General Hospital Library",
        "job_title": "Clinical Librarian",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data


def confirmation_url(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_creates_account_and_prospect_member_and_sends_verification(
    client, django_capture_on_commit_callbacks
):
    # The verification email goes through the outbox, sent after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="niamh@example.org")
    member = user.member
    assert member.full_name == "Niamh Quinn"
    assert member.sector == sector("health")
    assert member.organisation == "General Hospital Library"
    assert member.status == Member.Status.PROSPECT
    assert [m.to for m in mail.outbox] == [["niamh@example.org"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_confirm_link_get_changes_nothing_and_post_activates_and_welcomes(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), signup_data())
    url = confirmation_url(mail.outbox[0])

    page = client.get(url)

    assert page.status_code == 200
    assert b'method="post"' in page.content
    assert not EmailAddress.objects.get(email="niamh@example.org").verified
    assert Member.objects.get(email="niamh@example.org").status == Member.Status.PROSPECT

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    member = Member.objects.get(email="niamh@example.org")
    assert member.status == Member.Status.ACTIVE
    assert member.status_changes.get().reason == "Joined: email address confirmed"
    welcome = OutgoingEmail.objects.get(member=member, kind="welcome")
    assert welcome.state == OutgoingEmail.State.SENT
    assert (
        mail.outbox[-1].subject
        == "Welcome to the City Librarians Community of Practice, Niamh Quinn"
    )


def test_signup_with_prospect_address_links_the_prospect(client):
    prospect = MemberFactory(email="niamh@example.org", status=Member.Status.PROSPECT)

    client.post(reverse("account_signup"), signup_data(email="NIAMH@example.org"))

    assert Member.objects.filter(email__iexact="niamh@example.org").count() == 1
    prospect.refresh_from_db()
    # Linked only once the address is verified (tests/members/test_identity.py).
    assert prospect.user is None
    assert User.objects.get(email="niamh@example.org").signup_details["full_name"]


def test_signup_with_registered_address_creates_no_second_account_and_does_not_enumerate(client):
    member_with_account(email="taken@example.org")

    response = client.post(reverse("account_signup"), signup_data(email="taken@example.org"))

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert Member.objects.filter(email="taken@example.org").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sector", "99999", "Choose one of the sectors in the list."),
        ("full_name", "x" * 151, "Ensure this value has at most 150 characters"),
        ("organisation", "", "This field is required."),
        ("email", "not-an-address", "Enter a valid email address."),
    ],
)
def test_signup_rejects_bad_input_beside_field_and_in_summary(client, field, value, message):
    response = client.post(reverse("account_signup"), signup_data(**{field: value}))

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#id_{field}"' in html
    assert html.count(message) == 2  # in the summary and beside the field
    assert User.objects.count() == 0
    assert Member.objects.count() == 0


def test_profile_edit_saves_and_escapes_markup_everywhere(client):
    member = member_with_account()
    client.force_login(member.user)

    response = client.post(
        reverse("members:profile_edit"),
        {
            "full_name": "<script>alert(1)</script>Eve",
            "sector": sector("legal").pk,
            "organisation": "<b>Law</b> Library",
            "organisation_visibility": "members",
            "job_title": "Librarian",
            "job_title_visibility": "members",
            "city_region": "North",
            "city_region_visibility": "hidden",
            "bio": "<img src=x onerror=alert(1)>",
            "bio_visibility": "members",
            "interests": [topic("edi").pk, topic("leadership").pk],
            "interests_visibility": "members",
            "time_zone": "America/Toronto",
            "show_email": "on",
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.time_zone == "America/Toronto"
    assert set(member.interests.values_list("slug", flat=True)) == {"edi", "leadership"}
    for url in (reverse("members:me"), member.get_absolute_url(), reverse("members:directory")):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;Eve" in html
        assert "<img src=x" not in html


def test_profile_edit_rejects_unknown_ids_and_writes_nothing(client):
    member = member_with_account(full_name="Unchanged")
    client.force_login(member.user)

    response = client.post(
        reverse("members:profile_edit"),
        {
            "full_name": "Changed",
            "sector": "424242",
            "interests": ["999999"],
            "time_zone": "Mars/Olympus",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Choose one of the sectors in the list." in html
    assert "Choose topics from the list." in html or "is not one of the available choices" in html
    member.refresh_from_db()
    assert member.full_name == "Unchanged"


def test_directory_sends_visitors_to_login(client):
    response = client.get(reverse("members:directory"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_directory_refuses_members_who_left(client):
    member = member_with_account(status=Member.Status.LEFT)
    client.force_login(member.user)

    response = client.get(reverse("members:directory"))

    assert response.status_code == 403
    assert "For active members" in response.content.decode()


def test_directory_searches_names_and_visible_organisations_only(client):
    me = member_with_account()
    MemberFactory(full_name="Rosa Visible", organisation="Harbour Archive")
    MemberFactory(
        full_name="Hugo Hidden", organisation="Harbour Secret", organisation_visibility="hidden"
    )
    client.force_login(me.user)

    html = client.get(reverse("members:directory"), {"q": "harbour"}).content.decode()

    assert "Rosa Visible" in html
    assert "Hugo Hidden" not in html
    assert "Harbour Secret" not in html
    assert "1 member" in html


def test_directory_search_ignores_accents_and_case(client):
    me = member_with_account()
    MemberFactory(full_name="Hélène Tremblay", organisation="Bibliothèque de Québec")
    MemberFactory(full_name="Helene Roy", organisation="Cœur du Village Library")
    MemberFactory(full_name="Rosa Visible", organisation="Harbour Archive")
    client.force_login(me.user)

    def found(words: str) -> set[str]:
        page = client.get(reverse("members:directory"), {"q": words}).context["page"]
        return {member.full_name for member in page.object_list}

    assert found("helene") == {"Hélène Tremblay", "Helene Roy"}
    assert found("HÉLÈNE") == {"Hélène Tremblay", "Helene Roy"}
    assert found("quebec") == {"Hélène Tremblay"}
    assert found("coeur") == {"Helene Roy"}
    # The words are still matched literally: a LIKE wildcard typed is not a wildcard.
    assert found("hel%ne") == set()


def test_directory_filters_by_sector_and_interest(client):
    me = member_with_account(sector=sector("public"))
    MemberFactory(
        full_name="Health Outreach", sector=sector("health"), interests=[topic("outreach")]
    )
    MemberFactory(full_name="Health Other", sector=sector("health"), interests=[topic("edi")])
    MemberFactory(
        full_name="School Outreach", sector=sector("school"), interests=[topic("outreach")]
    )
    client.force_login(me.user)

    html = client.get(
        reverse("members:directory"),
        {"sector": sector("health").pk, "interest": topic("outreach").pk},
    ).content.decode()

    assert "Health Outreach" in html
    assert "Health Other" not in html
    assert "School Outreach" not in html


def test_directory_unknown_filter_id_shows_error_not_everyone(client):
    me = member_with_account(full_name="Me Myself")
    client.force_login(me.user)

    html = client.get(reverse("members:directory"), {"sector": "abc"}).content.decode()

    assert "There is a problem" in html
    assert "0 members" in html


def test_directory_paginates(client):
    me = member_with_account(full_name="Aaa First")
    MemberFactory.create_batch(25)
    client.force_login(me.user)

    first = client.get(reverse("members:directory")).content.decode()
    second = client.get(reverse("members:directory"), {"page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    assert "26 members" in first


def test_member_page_hides_hidden_fields_and_email_unless_opted_in(client):
    me = member_with_account()
    shown = MemberFactory(
        full_name="Private Person",
        organisation="Secret Org",
        organisation_visibility="hidden",
        bio="Visible bio",
        email="private@example.org",
        show_email=False,
    )
    client.force_login(me.user)

    html = client.get(shown.get_absolute_url()).content.decode()

    assert "Private Person" in html
    assert "Visible bio" in html
    assert "Secret Org" not in html
    assert "private@example.org" not in html


def test_member_page_shows_email_when_opted_in(client):
    me = member_with_account()
    shown = MemberFactory(email="open@example.org", show_email=True)
    client.force_login(me.user)

    html = client.get(shown.get_absolute_url()).content.decode()

    assert 'href="mailto:open@example.org"' in html


def test_member_page_of_someone_who_left_is_not_found(client):
    me = member_with_account()
    gone = MemberFactory(status=Member.Status.LEFT)
    client.force_login(me.user)

    response = client.get(gone.get_absolute_url())

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert gone.full_name not in response.content.decode()


def test_account_page_introduces_colleagues_from_other_sectors(client):
    me = member_with_account(sector=sector("public"), interests=[topic("outreach")])
    MemberFactory(full_name="Hana Health", sector=sector("health"), interests=[topic("outreach")])
    MemberFactory(full_name="Pat Public", sector=sector("public"), interests=[topic("outreach")])
    client.force_login(me.user)

    for url in (reverse("members:me"), me.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "People from other sectors who share your interests" in html
        assert "Hana Health" in html
        assert "Pat Public" not in html


def test_export_data_downloads_json_attachment(client):
    me = member_with_account(full_name="Data Person")
    client.force_login(me.user)

    response = client.get(reverse("members:export_data"))

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-cop-data-')
    data = json.loads(response.content)
    assert data["member"]["name"] == "Data Person"


def test_leave_then_rejoin_from_account_page(client):
    me = member_with_account()
    client.force_login(me.user)

    client.post(reverse("members:leave"), {"reason": "Too busy"})
    me.refresh_from_db()
    assert me.status == Member.Status.LEFT
    assert "Rejoin the community" in client.get(reverse("members:me")).content.decode()

    client.post(reverse("members:rejoin"))
    me.refresh_from_db()
    assert me.status == Member.Status.ACTIVE


def test_leave_get_shows_confirmation_and_changes_nothing(client):
    me = member_with_account()
    client.force_login(me.user)

    html = client.get(reverse("members:leave")).content.decode()

    assert "Leave the community" in html
    me.refresh_from_db()
    assert me.status == Member.Status.ACTIVE


def test_delete_account_with_wrong_password_deletes_nothing(client):
    me = member_with_account()
    client.force_login(me.user)

    response = client.post(
        reverse("members:delete_account"), {"password": "wrong", "confirm": "on"}
    )

    assert "That is not your password." in response.content.decode()
    assert Member.objects.filter(pk=me.pk).exists()


def test_delete_account_without_confirmation_deletes_nothing(client):
    me = member_with_account()
    client.force_login(me.user)

    response = client.post(
        reverse("members:delete_account"), {"password": "correct horse battery staple"}
    )

    assert "There is a problem" in response.content.decode()
    assert Member.objects.filter(pk=me.pk).exists()


def test_delete_account_erases_everything_and_logs_out(client):
    me = member_with_account()
    client.force_login(me.user)

    response = client.post(
        reverse("members:delete_account"),
        {"password": "correct horse battery staple", "confirm": "on"},
    )

    assert response.url == reverse("home")
    assert not Member.objects.filter(pk=me.pk).exists()
    assert not User.objects.filter(pk=me.user_id).exists()
    assert client.get(reverse("members:me")).status_code == 302


def test_logging_in_counts_as_engagement(client):
    member = member_with_account(joined_at=ago(200))

    client.post(
        reverse("account_login"),
        {"login": member.email, "password": "correct horse battery staple"},
    )

    assert list(EngagementEvent.objects.filter(member=member).values_list("kind", flat=True)) == [
        "login"
    ]
    assert list(members_at_risk()) == []


# --- Email preferences and one-click unsubscribe ---------------------------------------------


def test_preferences_link_get_shows_and_changes_nothing(client):
    member = MemberFactory(status=Member.Status.PROSPECT, checkin_cadence="monthly")
    url = reverse("members:preferences", args=[preferences_token(member=member)])

    html = client.get(url).content.decode()

    assert "Email preferences" in html
    assert member.email in html
    member.refresh_from_db()
    assert member.checkin_cadence == "monthly"


def test_preferences_link_post_saves_without_login(client):
    member = MemberFactory(status=Member.Status.PROSPECT)
    url = reverse("members:preferences", args=[preferences_token(member=member)])

    response = client.post(url, {"checkin_cadence": "paused", "wants_digest": ""}, follow=True)

    assert "Your email preferences have been saved." in response.content.decode()
    member.refresh_from_db()
    assert (member.checkin_cadence, member.wants_digest, member.wants_meeting_reminders) == (
        "paused",
        False,
        False,
    )


def test_my_preferences_bad_cadence_is_refused_beside_the_field(client):
    member = member_with_account(checkin_cadence="quarterly")
    client.force_login(member.user)

    html = client.post(
        reverse("members:my_preferences"), {"checkin_cadence": "daily"}
    ).content.decode()

    assert "There is a problem" in html
    assert "Choose monthly, quarterly or paused." in html
    member.refresh_from_db()
    assert member.checkin_cadence == "quarterly"


def unsubscribe_url(member, kind="checkin"):
    return reverse("members:unsubscribe", args=[unsubscribe_token(member=member, kind=kind)])


def test_unsubscribe_one_click_post_without_csrf_unsubscribes_idempotently():
    member = MemberFactory(checkin_cadence="monthly")
    mail_client = Client(enforce_csrf_checks=True)

    first = mail_client.post(unsubscribe_url(member), {"List-Unsubscribe": "One-Click"})
    second = mail_client.post(unsubscribe_url(member), {"List-Unsubscribe": "One-Click"})

    assert (first.status_code, second.status_code) == (200, 200)
    assert "You are unsubscribed" in first.content.decode()
    member.refresh_from_db()
    assert member.checkin_cadence == "paused"


def test_unsubscribe_get_shows_a_button_and_changes_nothing(client):
    member = MemberFactory(wants_digest=True)

    html = client.get(unsubscribe_url(member, "digest")).content.decode()

    assert '<button type="submit"' in html
    assert "Stop digest emails" in html
    member.refresh_from_db()
    assert member.wants_digest is True


def test_unsubscribe_digest_and_reminder_links_turn_off_their_own_kind_only(client):
    member = MemberFactory(checkin_cadence="monthly")

    client.post(unsubscribe_url(member, "digest"))
    client.post(unsubscribe_url(member, "reminder"))

    member.refresh_from_db()
    assert (member.wants_digest, member.wants_meeting_reminders, member.checkin_cadence) == (
        False,
        False,
        "monthly",
    )


# --- The re-engagement check-in --------------------------------------------------------------


def reengagement_url(member):
    attrition_run()
    check = Reengagement.objects.get(member=member)
    return reverse("members:reengagement", args=[reengagement_token(reengagement=check)])


def test_reengagement_page_get_changes_nothing_and_offers_three_posts(client):
    quiet = MemberFactory(joined_at=ago(200))
    url = reengagement_url(quiet)

    html = client.get(url).content.decode()

    assert len(re.findall(r'<button type="submit" name="answer"', html)) == 3
    assert Reengagement.objects.get(member=quiet).closed_at is None


def test_reengagement_pause_stops_checkins_for_three_months(client):
    quiet = MemberFactory(joined_at=ago(200))

    client.post(reengagement_url(quiet), {"answer": "pause"})

    quiet.refresh_from_db()
    assert quiet.checkins_paused_until == timezone.localdate() + timedelta(days=91)
    assert quiet not in members_due_for_checkin()
    assert quiet.status == Member.Status.ACTIVE


def test_reengagement_leave_records_the_member_leaving(client):
    quiet = MemberFactory(joined_at=ago(200))

    html = client.post(reengagement_url(quiet), {"answer": "leave"}).content.decode()

    quiet.refresh_from_db()
    assert quiet.status == Member.Status.LEFT
    assert "You have left the community" in html


def test_reengagement_stay_keeps_them_and_counts_as_engagement(client):
    quiet = MemberFactory(joined_at=ago(200))

    client.post(reengagement_url(quiet), {"answer": "stay"})

    assert list(members_at_risk()) == []
    assert Reengagement.objects.get(member=quiet).answer == "stay"


def test_reengagement_bad_answer_or_token_changes_nothing(client):
    quiet = MemberFactory(joined_at=ago(200))
    url = reengagement_url(quiet)

    bad_answer = client.post(url, {"answer": "explode"})
    bad_token = client.post(reverse("members:reengagement", args=["forged"]), {"answer": "leave"})

    assert "Choose one of the three buttons." in bad_answer.content.decode()
    assert bad_token.status_code == 404
    quiet.refresh_from_db()
    assert quiet.status == Member.Status.ACTIVE
    assert Reengagement.objects.get(member=quiet).closed_at is None
