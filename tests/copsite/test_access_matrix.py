"""Who may open what: every URL pattern of the portal against five kinds of visitor.

The patterns come from the URL configuration itself, so a new URL without an entry in MATRIX
fails `test_every_url_pattern_has_an_entry`. Each entry gives, per kind of visitor, what a GET
answers: a status code, or LOGIN (sent to the login page). Admin pages follow Django's own
permissions: the rule in `_admin_expectation` is checked for every admin pattern, and the few
admin pages the portal adds have entries of their own.

Kinds of visitor:
- visitor: not logged in, and holding no link (tokens in the URL are forged);
- link_holder: not logged in, holding the real links from their emails;
- member: a logged-in active member;
- editor: a member in the Content editors group;
- coordinator: a member who is staff in the Coordinators group.

Every GET is also checked to change nothing: no table gains or loses a row.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from announcements.models import Announcement
from meetings.models import TopicSuggestion
from members.models import Reengagement
from members.outbox.bulk import preferences_token, unsubscribe_token
from members.services.attrition import reengagement_token
from surveys.services.invitations import invitation_token
from tests.factories import MemberFactory, member_with_account
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import ResourceFactory, coordinator_account, editor_account
from tests.surveys.factories import InvitationFactory, survey_with_questions

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "link_holder", "member", "editor", "coordinator")
LOGIN = "login"
FORGED = "forged-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"


def row(visitor, link_holder=None, member=None, editor=None, coordinator=None) -> dict:
    """Expectations left out repeat the one before: row(LOGIN, member=200) means LOGIN for
    visitor and link holder, 200 for member, editor and coordinator."""
    values = [visitor, link_holder, member, editor, coordinator]
    for i in range(1, len(values)):
        if values[i] is None:
            values[i] = values[i - 1]
    return dict(zip(ROLES, values, strict=True))


EVERYONE = row(200)
MEMBERS = row(LOGIN, member=200)
POST_ONLY = row(405)  # a GET is refused before anything else
POST_ONLY_MEMBERS = row(LOGIN, member=405)
TOKEN = row(404, link_holder=200, member=404)  # only the real link opens it

MATRIX = {
    "home": EVERYONE,
    "healthz": EVERYONE,
    # The language switcher: a GET only goes back to the page (Django sets the cookie on POST).
    "set_language": row(302),
    # The community's own pages
    "pages:about": EVERYONE,
    "pages:contact": EVERYONE,
    "pages:privacy": EVERYONE,
    "pages:code_of_conduct": EVERYONE,
    "pages:accessibility": EVERYONE,
    # allauth
    "account_login": row(200, member=302),
    "account_logout": row(302, member=200),
    "account_inactive": EVERYONE,
    "account_signup": row(200, member=302),
    "account_reauthenticate": MEMBERS,
    "account_request_reauthentication_code": row(LOGIN, member=200),
    "account_confirm_reauthentication_code": row(LOGIN, member=302),
    "account_email": MEMBERS,
    "account_email_verification_sent": EVERYONE,
    "account_change_password": MEMBERS,
    "account_set_password": row(LOGIN, member=302),
    "account_reset_password": EVERYONE,
    "account_confirm_login_code": row(302),
    # allauth answers a forged key with its own "invalid link" page (and changes nothing).
    "account_confirm_email": EVERYONE,
    # A password reset goes by a code (no account id in a link): its pages need the code's
    # request in the same session first, and send anyone else back to ask for one.
    "account_confirm_password_reset_code": row(302),
    "account_complete_password_reset": row(302),
    "account_password_reset_completed": EVERYONE,
    # members
    "members:directory": MEMBERS,
    "members:me": MEMBERS,
    "members:profile_edit": MEMBERS,
    "members:export_data": MEMBERS,
    "members:leave": MEMBERS,
    "members:rejoin": POST_ONLY_MEMBERS,
    "members:delete_account": MEMBERS,
    "members:my_preferences": MEMBERS,
    "members:record_create": POST_ONLY_MEMBERS,
    "members:preferences": TOKEN,
    "members:unsubscribe": TOKEN,
    "members:reengagement": TOKEN,
    "members:detail": MEMBERS,
    # meetings
    "meetings:list": EVERYONE,
    "meetings:mine": MEMBERS,
    "meetings:feed_regenerate": row(405),
    "meetings:feed": TOKEN,
    "meetings:suggestions": MEMBERS,
    "meetings:vote": row(405),
    "meetings:unvote": row(405),
    "meetings:detail": EVERYONE,
    "meetings:register": row(405),
    # GET asks "are you sure?" of a registrant; anyone else is sent back to the meeting.
    "meetings:cancel": row(LOGIN, member=302),
    "meetings:ics": EVERYONE,
    # surveys
    "surveys:mine": MEMBERS,
    "surveys:answer_as_member": MEMBERS,
    "surveys:thanks": EVERYONE,
    "surveys:answer": TOKEN,
    # resources
    "resources:list": EVERYONE,
    "resources:feed": EVERYONE,
    "resources:mine": MEMBERS,
    # Publishing is the content editors' (coordinators look in the admin).
    "resources:review_queue": row(LOGIN, member=403, editor=200, coordinator=403),
    "resources:create": MEMBERS,
    "resources:create_guided": MEMBERS,
    "resources:detail": EVERYONE,
    # A public link resource: everyone is sent on (its one change is the download count).
    "resources:download": row(302),
    "resources:edit": row(LOGIN, member=403, editor=200, coordinator=403),
    "resources:submit": row(405),
    "resources:review": row(405),
    "resources:feature": row(405),
    "resources:rate": row(405),
    # The admin pages the portal adds (Django's own follow _admin_expectation).
    "admin:members_member_import": row(LOGIN, coordinator=200),
    "admin:surveys_survey_checkin_round": row(LOGIN, coordinator=200),
    "admin:announcements_announcement_review": row(LOGIN, coordinator=200),
    "admin:announcements_announcement_preview_html": row(LOGIN, coordinator=200),
    # The mail provider's webhook: a 404 while no signing key is configured (as in tests).
    "mailgun_tracking": row(404),
    # The coordinator's dashboard (members.view_community_dashboard).
    "dashboard:index": row(LOGIN, coordinator=200),
    "dashboard:at_risk": row(LOGIN, coordinator=200),
    "dashboard:personal_checkin": row(LOGIN, coordinator=405),
    "dashboard:table_csv": row(LOGIN, coordinator=200),
    # Coordinators do not manage logins: changing someone's password is the superuser's.
    "admin:auth_user_password_change": row(LOGIN, coordinator=403),
    "admin:surveys_survey_preview": row(LOGIN, coordinator=200),
    "admin:surveys_survey_results": row(LOGIN, coordinator=200),
    "admin:surveys_survey_results_csv": row(LOGIN, coordinator=200),
}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name, pattern) for every pattern of the URL configuration."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern


def admin_model_views() -> dict:
    """admin:<app>_<model>_<view> → (model, view) for Django's five views of each model."""
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}": (model, view)
        for model in admin.site._registry
        for view in ("changelist", "add", "change", "delete", "history")
    }


ADMIN_MODEL_VIEWS = admin_model_views()
ADMIN_SITE_VIEWS = {
    "admin:index",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
}


def test_every_url_pattern_has_an_entry():
    missing = []
    for route, name, _pattern in url_patterns():
        if name in MATRIX or name in ADMIN_SITE_VIEWS:
            continue
        if name in ADMIN_MODEL_VIEWS:
            continue
        if route.startswith("admin/") and name is None:
            continue  # the admin's own redirects and catch-all
        missing.append(name or route)

    assert missing == [], "Add these URLs to MATRIX in tests/copsite/test_access_matrix.py"


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """One of everything a URL can point at, and the links a link holder has."""
    member = member_with_account(email="member@example.org")
    editor = editor_account(email="editor@example.org")
    coordinator = coordinator_account(email="coordinator@example.org")
    holder = MemberFactory(email="holder@example.org")
    meeting = MeetingFactory()
    survey = survey_with_questions()
    invitation = InvitationFactory(survey=survey, member=holder)
    InvitationFactory(survey=survey, member=member)
    InvitationFactory(survey=survey, member=editor)
    InvitationFactory(survey=survey, member=coordinator)
    resource = ResourceFactory(author=MemberFactory(), body="", url="https://example.org/guide")
    suggestion = TopicSuggestion.objects.create(title="Makerspaces", suggested_by=holder)
    reengagement = Reengagement.objects.create(member=holder)
    announcement = Announcement.objects.create(subject="News", body="Hello all.")
    from meetings.services.feeds import calendar_feed_regenerate

    feed = calendar_feed_regenerate(member=holder)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_key = _email_confirmation_key(holder)
    tokens = {
        "members:preferences": preferences_token(member=holder),
        "members:unsubscribe": unsubscribe_token(member=holder, kind="checkin"),
        "members:reengagement": reengagement_token(reengagement=reengagement),
        "meetings:feed": feed.token,
        "surveys:answer": invitation_token(invitation),
        "account_confirm_email": confirm_key,
    }
    return {
        "users": {
            "member": member.user,
            "editor": editor.user,
            "coordinator": coordinator.user,
        },
        "pk": {
            "members:detail": member.pk,
            "admin:auth_user_password_change": member.user.pk,
            "dashboard:personal_checkin": holder.pk,
            "admin:announcements_announcement_review": announcement.pk,
            "admin:announcements_announcement_preview_html": announcement.pk,
            "meetings:vote": suggestion.pk,
            "meetings:unvote": suggestion.pk,
            "surveys:answer_as_member": survey.pk,
            "surveys:thanks": survey.pk,
            "surveys:answer": survey.pk,
            "admin:surveys_survey_preview": survey.pk,
            "admin:surveys_survey_results": survey.pk,
            "admin:surveys_survey_results_csv": survey.pk,
        },
        "meeting": meeting.pk,
        "resource": resource.pk,
        "tokens": tokens,
    }


def _email_confirmation_key(holder):
    """An email confirmation key for the link holder."""
    from allauth.account.models import EmailConfirmation

    user = member_with_account(email="linked@example.org").user
    EmailAddress.objects.filter(user=user).update(verified=False)
    address = EmailAddress.objects.get(user=user)
    return EmailConfirmation.create(address).key


def concrete_url(route, name, pattern, role, world) -> str | None:
    """The URL of a pattern for one kind of visitor (real tokens for the link holder only)."""
    converters = set(pattern.pattern.converters) | set(
        re.findall(r"\(\?P<(\w+)>", str(pattern.pattern))
    )
    kwargs = {}
    for arg in converters:
        if arg in ("token", "key"):
            real = world["tokens"].get(name)
            kwargs[arg] = real if (role == "link_holder" and real) else FORGED
        elif arg == "slug" and name == "dashboard:table_csv":
            kwargs[arg] = "members-by-sector"
        elif arg in ("pk", "survey_id", "id", "member_id"):
            if name.startswith("meetings:"):
                kwargs[arg] = world["pk"].get(name, world["meeting"])
            elif name.startswith("resources:"):
                kwargs[arg] = world["resource"]
            else:
                kwargs[arg] = world["pk"][name]
        else:
            return None
    if name == "account_confirm_email" and kwargs.get("key") == FORGED:
        kwargs["key"] = "forged"
    return reverse(name, kwargs=kwargs)


def table_counts() -> dict:
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    return {m._meta.label: m._default_manager.count() for m in models}


def row_writes() -> dict:
    """Rows inserted, updated and deleted so far in this transaction (the test's), per table:
    PostgreSQL's own count, which sees an UPDATE that row counts cannot."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
        )
        return {name: counts for name, *counts in cursor.fetchall()}


# A GET may save the session (a login's, a message), nothing else.
WRITES_ALLOWED = {"django_session"}
# The one deliberate exception (resources/views.py): fetching a published file counts it.
WRITES_ALLOWED_BY_NAME = {"resources:download": {"resources_resource"}}


class RowWrites:
    """The writes GETs make that they should not, by the statistics read once per request: each
    reading is compared with the one before, so anything written between two GETs (nothing is,
    but a change could) counts against the second, and no write goes unseen."""

    def __init__(self):
        self.last = row_writes()
        self.writes = []

    def _since_last(self) -> dict:
        now, before = row_writes(), self.last
        self.last = now
        return {
            table: (before.get(table), counts)
            for table, counts in now.items()
            if counts != before.get(table, [0, 0, 0])
        }

    def set_aside(self) -> None:
        """What the test itself just wrote (a log-in's last_login) is not a GET's."""
        self._since_last()

    def record(self, url: str, name: str) -> None:
        allowed = WRITES_ALLOWED | WRITES_ALLOWED_BY_NAME.get(name, set())
        self.writes += [
            f"{url}: {table} {before} -> {counts}"
            for table, (before, counts) in self._since_last().items()
            if table not in allowed
        ]


def answer(
    client,
    url,
    expected,
    name: str = "",
    shared: list | None = None,
    watch: RowWrites | None = None,
):
    response = client.get(url)
    if shared is not None and response.status_code == 200:
        # A page for someone (a login, a link) a shared cache must never keep for another.
        directives = {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}
        if not directives & {"private", "no-store"}:
            shared.append(f"{url}: Cache-Control {response.headers.get('Cache-Control')!r}")
    if watch is not None:
        watch.record(url, name)
    if expected == LOGIN:
        location = response.headers.get("Location", "")
        return (
            LOGIN
            if response.status_code == 302 and "/login/" in location
            else (
                response.status_code,
                location,
            )
        )
    return response.status_code


def _admin_expectation(name, role, user) -> int | str:
    if role in ("visitor", "link_holder"):
        return LOGIN
    if not user.is_staff:
        return LOGIN  # the admin sends non-staff to its login page
    model, view = ADMIN_MODEL_VIEWS[name]
    model_admin = admin.site._registry[model]
    request = _request_for(user)
    obj = model._default_manager.order_by("pk").first()
    # The model admin's own answer (it may refuse deleting or adding to everyone).
    allowed = {
        "changelist": lambda: model_admin.has_view_or_change_permission(request),
        "history": lambda: model_admin.has_view_or_change_permission(request, obj),
        "add": lambda: model_admin.has_add_permission(request),
        "change": lambda: model_admin.has_view_or_change_permission(request, obj),
        "delete": lambda: model_admin.has_delete_permission(request, obj),
    }[view]()
    return 200 if allowed else 403


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _admin_object_url(name, world) -> str | None:
    """An admin change/delete/history URL needs an object of its model: the first one."""
    model, view = ADMIN_MODEL_VIEWS[name]
    if view in ("changelist", "add"):
        return reverse(name)
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        return None
    return reverse(name, args=[obj.pk])


def test_every_url_answers_each_kind_of_visitor_as_the_matrix_says(client, world):
    before = table_counts()
    wrong, shared = [], []
    watch = RowWrites()
    checked = 0
    # Each role logs in once and its session cookie is put back before each of its requests
    # (logging in and out around each of ~800 requests took half the test). A GET that ended
    # or changed a session would show: that role's later pages would answer as to a visitor.
    cookies = {}

    def act_as(role, user):
        client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        if user is None:
            return
        if role not in cookies:
            client.force_login(user)
            watch.set_aside()
            cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        client.cookies[settings.SESSION_COOKIE_NAME] = cookies[role]

    for route, name, pattern in url_patterns():
        if name is None or name in ADMIN_SITE_VIEWS:
            continue
        is_admin_model_view = name in ADMIN_MODEL_VIEWS and name not in MATRIX
        for role in ROLES:
            user = world["users"].get(role)
            act_as(role, user)
            if is_admin_model_view:
                url = _admin_object_url(name, world)
                if url is None:
                    continue
                if user is None or not user.is_staff:
                    expected = LOGIN
                else:
                    expected = _admin_expectation(name, role, user)
            else:
                url = concrete_url(route, name, pattern, role, world)
                expected = MATRIX[name][role]
            got = answer(client, url, expected, name, shared if role != "visitor" else None, watch)
            checked += 1
            if got != expected:
                wrong.append(f"{name} as {role}: expected {expected}, got {got} ({url})")

    assert wrong == [], "\n".join(wrong)
    assert checked > 5 * len(MATRIX)
    # GET changes nothing: no row inserted, updated or deleted by any of them, as any role.
    assert watch.writes == [], "\n".join(watch.writes)
    # Every page a member, editor, coordinator or link holder is shown is private.
    assert shared == [], "\n".join(shared)
    # GET changes nothing: not a row more or less anywhere (sessions aside: logging in).
    after = table_counts()
    changed = {
        label: (before[label], after[label])
        for label in before
        if before[label] != after[label] and label != "sessions.Session"
    }
    assert changed == {}


def test_the_matrix_has_no_entry_for_a_url_that_is_gone():
    names = {name for _route, name, _p in url_patterns() if name}

    assert set(MATRIX) - names == set()
