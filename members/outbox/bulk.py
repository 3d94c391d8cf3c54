"""What every bulk email carries, derived from its kind: one-click unsubscribe (RFC 8058) for
that kind, and a signed link to the person's email preferences.

Check-ins, survey invitations, meeting reminders, digests and announcements are all built by
`bulk_email_render`; nobody assembles these headers or links by hand. Every email, bulk or
not, also has the footer of members/outbox/footer.py (why it is sent, the preferences link).
"""

from django.conf import settings
from django.utils import translation

from members.contact import BULK_KINDS
from members.links import InvalidLink, link_claims, link_token, token_url
from members.models import Member, OutgoingEmail
from members.outbox.footer import (  # noqa: F401 -- re-exported: pages import them from here
    PREFERENCES_LINK,
    email_footer_context,
    member_for_preferences_token,
    preferences_token,
    preferences_url,
)
from members.outbox.render import email_language, outgoing_email_render

UNSUBSCRIBE_LINK = "members.unsubscribe.v1"


def unsubscribe_token(*, member: Member, kind: str) -> str:
    return link_token(
        purpose=UNSUBSCRIBE_LINK, claims={"m": member.pk, "e": member.email, "k": kind}
    )


def unsubscribe_request_for_token(*, token: str) -> tuple[Member, str]:
    """The person and the kind of email a one-click unsubscribe link is for."""
    claims = link_claims(purpose=UNSUBSCRIBE_LINK, token=token, required={"m", "e", "k"})
    member = Member.objects.filter(pk=claims["m"], email=claims["e"]).first()
    if member is None or claims["k"] not in BULK_KINDS:
        raise InvalidLink
    return member, claims["k"]


def unsubscribe_url(*, member: Member, kind: str) -> str:
    return token_url("members:unsubscribe", token=unsubscribe_token(member=member, kind=kind))


def bulk_email_headers(*, member: Member, kind: str, url: str | None = None) -> dict:
    """List-Unsubscribe (https and mailto) with one-click POST."""
    url = url or unsubscribe_url(member=member, kind=kind)
    # The sender's address says who; no member id in the link (mail logs keep subjects).
    mailto = f"mailto:{settings.UNSUBSCRIBE_MAILTO}?subject=unsubscribe%20{kind}"
    return {
        "List-Unsubscribe": f"<{url}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def bulk_email_links(*, member: Member, kind: str) -> dict[str, str]:
    """The person's signed links in a bulk email of this kind."""
    return {
        "unsubscribe": unsubscribe_url(member=member, kind=kind),
        "preferences": preferences_url(member=member),
    }


def bulk_email_render(
    *,
    kind: str,
    member: Member,
    dedupe_key: str,
    template: str,
    context: dict,
    extra_headers: dict | None = None,
    links: dict | None = None,
    **extra,
) -> OutgoingEmail:
    """An unsaved bulk email to one person: the kind decides its unsubscribe header, and the
    template gets `member`, `preferences_url` and the footer's `unsubscribe_url` and
    `email_reason`, all in the member's language. `links`: the person's "unsubscribe" and
    "preferences" URLs made beforehand (`bulk_email_links`, for a mail merge). Other arguments
    as `outgoing_email_render`."""
    if kind not in BULK_KINDS:
        raise ValueError(f"{kind!r} is not a kind of bulk email")
    links = links or bulk_email_links(member=member, kind=kind)
    url = links["unsubscribe"]
    # The footer's words (why it is sent, the kind it stops) are made here, before the render
    # that sets the language itself: in the member's language too.
    with translation.override(email_language(member=member)):
        return outgoing_email_render(
            kind=kind,
            member=member,
            dedupe_key=dedupe_key,
            template=template,
            context={
                "member": member,
                **email_footer_context(
                    kind=kind, member=member, unsubscribe=url, preferences=links["preferences"]
                ),
                **context,
            },
            headers={
                **bulk_email_headers(member=member, kind=kind, url=url),
                **(extra_headers or {}),
            },
            **extra,
        )
