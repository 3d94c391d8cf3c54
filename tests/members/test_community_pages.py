"""The community's own pages: seeded in both languages, shown in the reader's language, linked
from every page's footer and from signup, edited by coordinators in the admin."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.models import CommunityPage, CommunityPageText
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "/about/": "About the community",
    "/contact/": "Contact the coordinators",
    "/privacy/": "Privacy notice",
    "/code-of-conduct/": "Code of conduct",
    "/accessibility/": "Accessibility statement",
}


def h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_each_page_is_seeded_and_shown_in_english(client, path, title):
    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert h1(html) == title
    assert '<html lang="en-ca">' in html
    assert "Last changed" in html


def test_pages_answer_in_the_browsers_french(client):
    response = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    html = response.content.decode()
    assert h1(html) == "Avis de confidentialité"
    assert '<html lang="fr-ca">' in html
    assert "Commissariat à la protection de la vie privée du Canada" in html


def test_a_missing_translation_falls_back_to_english_marked_as_english(client):
    CommunityPageText.objects.filter(page__slug="about", language="fr-ca").delete()

    html = client.get("/about/", HTTP_ACCEPT_LANGUAGE="fr-CA").content.decode()

    assert h1(html) == "About the community"
    assert '<article class="narrow community-page" lang="en-ca">' in html


def test_contact_page_gives_the_coordinators_address(client, settings):
    settings.CONTACT_EMAIL = "coordinators@example.org"

    html = client.get("/contact/").content.decode()

    assert 'href="mailto:coordinators@example.org"' in html


def test_page_bodies_are_sanitised_markdown(client):
    text = CommunityPageText.objects.get(page__slug="about", language="en-ca")
    text.body = "## Who we are\n\n<script>alert(1)</script>[Meetings](/meetings/)"
    text.save()

    html = client.get("/about/").content.decode()

    assert "<h2>Who we are</h2>" in html
    assert "<script>alert" not in html
    assert re.search(r'<a href="/meetings/"[^>]*>Meetings</a>', html)


def test_every_page_links_the_community_pages_in_its_footer(client):
    html = client.get(reverse("meetings:list")).content.decode()
    footer = html[html.index("<footer") :]

    for path in PAGES:
        assert f'href="{path}"' in footer


def test_signup_links_the_privacy_notice_and_the_code_of_conduct(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert 'I have read the <a href="/privacy/">privacy notice</a>' in html
    assert '<a href="/code-of-conduct/">code of conduct</a>' in html


def test_page_costs_two_queries_whatever_its_languages(client, django_assert_num_queries):
    with django_assert_num_queries(2):  # the page and its texts
        client.get("/privacy/")


def test_coordinator_edits_both_languages_on_one_screen(client):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(coordinator)
    page = CommunityPage.objects.get(slug="code-of-conduct")
    texts = list(page.texts.order_by("language"))
    url = reverse("admin:members_communitypage_change", args=[page.pk])

    form = client.get(url)
    data = {
        "version": "2",
        "texts-TOTAL_FORMS": "2",
        "texts-INITIAL_FORMS": "2",
        "texts-MIN_NUM_FORMS": "0",
        "texts-MAX_NUM_FORMS": "2",
    }
    for index, text in enumerate(texts):
        data |= {
            f"texts-{index}-id": str(text.pk),
            f"texts-{index}-page": str(page.pk),
            f"texts-{index}-language": text.language,
            f"texts-{index}-title": text.title,
            f"texts-{index}-body": text.body + "\n\n- Be kind to volunteers." * (index == 0),
        }
    response = client.post(url, data)

    assert form.status_code == 200
    assert "Text in each language" in form.content.decode()
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.version == 2
    assert "Be kind to volunteers" in page.texts.get(language="en-ca").body
    assert "Be kind to volunteers" in client.get("/code-of-conduct/").content.decode()
    assert "(version 2)" in client.get("/code-of-conduct/").content.decode()


def test_the_five_pages_cannot_be_added_or_deleted(client):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(coordinator)
    page = CommunityPage.objects.get(slug="privacy")

    add = client.get(reverse("admin:members_communitypage_add"))
    delete = client.post(reverse("admin:members_communitypage_delete", args=[page.pk]))

    assert (add.status_code, delete.status_code) == (403, 403)
    assert CommunityPage.objects.count() == 5
