"""The landing page: sectors, the next meetings, featured resources; and the styled error pages."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from members.models import Member, Sector
from resources.models import Visibility
from tests.factories import MemberFactory, member_with_account, sector
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db

SITE_HEADER = '<header class="site-header'
SECTOR_ROW = re.compile(
    r"<tr><td>(?P<name>[^<]+)</td><td[^>]*class=\"[^\"]*sector-count[^\"]*\">(?P<count>[\d,]+)</td>"
)


def sector_counts(response) -> dict[str, int]:
    html = response.content.decode()
    return {
        unescape(m["name"]): int(m["count"].replace(",", "")) for m in SECTOR_ROW.finditer(html)
    }


def test_home_visitor_sees_every_sector_with_active_member_counts(client):
    MemberFactory.create_batch(3, sector=sector("public"))
    MemberFactory.create_batch(2, sector=sector("health"))
    MemberFactory(sector=sector("legal"))
    # Only active members count: prospects, lapsed and departed people do not.
    MemberFactory(sector=sector("health"), status=Member.Status.PROSPECT, joined_at=None)
    MemberFactory(sector=sector("health"), status=Member.Status.LAPSED)
    MemberFactory(sector=sector("legal"), status=Member.Status.LEFT)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    counts = sector_counts(response)
    assert list(counts) == list(Sector.objects.values_list("name", flat=True))
    assert len(counts) == 11
    assert counts["Public libraries"] == 3
    assert counts["Health libraries"] == 2
    assert counts["Legal libraries"] == 1

    # Kept between visits, yet a member who joins, leaves or changes sector shows at once.
    MemberFactory(sector=sector("public"))
    leaving = Member.objects.filter(sector=sector("legal"), status=Member.Status.ACTIVE).get()
    leaving.status = Member.Status.LEFT
    leaving.save()
    counts = sector_counts(client.get(reverse("home")))
    assert counts["Public libraries"] == 4
    assert counts["Legal libraries"] == 0
    assert counts["LIS education and students"] == 0
    assert sum(counts.values()) == 6


def test_home_visitor_sees_join_link(client):
    response = client.get(reverse("home"))

    html = response.content.decode()
    assert f'href="{reverse("account_signup")}"' in html
    assert "Join the community" in html
    assert f'href="{reverse("account_login")}"' in html


def test_home_member_sees_no_join_link(client):
    member = member_with_account()
    client.force_login(member.user)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("account_signup") not in html
    assert "Join the community" not in html
    assert "Find colleagues" in html
    assert "Log out" in html


def text(response) -> str:
    return response.content.decode()


def test_home_page_shows_the_next_three_meetings(client):
    for days in (1, 2, 3, 4):
        MeetingFactory(title=f"In {days} days", starts_at=timezone.now() + timedelta(days=days))
    MeetingFactory(title="Draft soon", status=Meeting.Status.DRAFT)

    page = text(client.get(reverse("home")))

    assert [f"In {d} days" in page for d in (1, 2, 3, 4)] == [True, True, True, False]
    assert "Draft soon" not in page


def test_home_shows_up_to_three_featured_resources_visitors_public_only(client):
    ResourceFactory(title="Featured members", featured=True, visibility=Visibility.MEMBERS)
    for i in range(4):
        ResourceFactory(title=f"Featured public {i}", featured=True)
    ResourceFactory(title="Not featured")

    page = client.get(reverse("home")).content.decode()

    assert page.count("Featured public") == 3
    assert "Featured members" not in page
    assert "Not featured" not in page


def test_header_links_to_resources(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("resources:list")}"' in page


def test_unknown_url_renders_styled_404(client):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert SITE_HEADER in html
    assert "<h1>Page not found</h1>" in html
    assert "<footer" in html


def test_server_error_renders_styled_500(client, settings):
    settings.ROOT_URLCONF = "tests.copsite.error_urls"
    client.raise_request_exception = False

    response = client.get("/test-errors/500/")

    html = response.content.decode()
    assert response.status_code == 500
    assert response.templates[0].name == "500.html"
    assert SITE_HEADER in html
    assert "<h1>Something went wrong</h1>" in html
    assert f"{settings.COMMUNITY_NAME}: librarians from every sector" in html
    assert "boom" not in html  # no error detail leaks to the visitor


def test_permission_denied_renders_styled_403(client, settings):
    settings.ROOT_URLCONF = "tests.copsite.error_urls"

    response = client.get("/test-errors/403/")

    html = response.content.decode()
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    assert SITE_HEADER in html
    assert "<h1>You can't do that here</h1>" in html
    assert "Logging in may help." in html


def test_csrf_failure_renders_styled_403(client):
    client.handler.enforce_csrf_checks = True

    response = client.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})

    html = response.content.decode()
    assert response.status_code == 403
    assert SITE_HEADER in html
    assert "This form has expired" in html
