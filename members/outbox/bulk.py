"""What every bulk email carries, derived from its kind: one-click unsubscribe (RFC 8058) for
that kind, and a signed link to the person's email preferences.

Check-ins, survey invitations, meeting reminders and digests are all built by
`bulk_email_render`; nobody assembles these headers or links by hand.
"""

from django.conf import settings

from members.contact import BULK_KINDS
from members.links import InvalidLink, link_claims, link_token, token_url
from members.models import Member, OutgoingEmail
from members.outbox.render import outgoing_email_render

PREFERENCES_LINK = "members.preferences.v1"
UNSUBSCRIBE_LINK = "members.unsubscribe.v1"


def preferences_token(*, member: Member) -> str:
    """A signed link to one person's email preferences, usable without logging in."""
    return link_token(purpose=PREFERENCES_LINK, claims={"m": member.pk, "e": member.email})


def member_for_preferences_token(*, token: str) -> Member:
    claims = link_claims(purpose=PREFERENCES_LINK, token=token, required={"m", "e"})
    # The address is part of the token, so a link stops working if the address changes.
    member = Member.objects.filter(pk=claims["m"], email=claims["e"]).first()
    if member is None:
        raise InvalidLink
    return member


def preferences_url(*, member: Member) -> str:
    return token_url("members:preferences", token=preferences_token(member=member))


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


def bulk_email_headers(*, member: Member, kind: str) -> dict:
    """List-Unsubscribe (https and mailto) with one-click POST."""
    url = token_url("members:unsubscribe", token=unsubscribe_token(member=member, kind=kind))
    mailto = f"mailto:{settings.UNSUBSCRIBE_MAILTO}?subject=unsubscribe%20{kind}%20{member.pk}"
    return {
        "List-Unsubscribe": f"<{url}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def bulk_email_render(
    *,
    kind: str,
    member: Member,
    dedupe_key: str,
    template: str,
    context: dict,
    extra_headers: dict | None = None,
    **extra,
) -> OutgoingEmail:
    """An unsaved bulk email to one person: the kind decides its unsubscribe header, and the
    template gets `member` and `preferences_url`. Other arguments as `outgoing_email_render`."""
    if kind not in BULK_KINDS:
        raise ValueError(f"{kind!r} is not a kind of bulk email")
    return outgoing_email_render(
        kind=kind,
        member=member,
        dedupe_key=dedupe_key,
        template=template,
        context={"member": member, "preferences_url": preferences_url(member=member), **context},
        headers={**bulk_email_headers(member=member, kind=kind), **(extra_headers or {})},
        **extra,
    )
