"""What every email's footer says and links to: why the person receives it (members/outbox/
reasons.py) and their email preferences, reachable without logging in.

`outgoing_email_render` gives every email this context, so no builder can forget it; bulk
mail adds the link that stops its own kind (members/outbox/bulk.py). The footer itself is
templates/emails/_footer.txt and .html.
"""

from django.conf import settings

from members.links import InvalidLink, link_claims, link_token, token_url
from members.models import Member, OutgoingEmail
from members.outbox.reasons import email_reason

PREFERENCES_LINK = "members.preferences.v1"


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


def email_footer_context(
    *, kind: str, member: Member | None, unsubscribe: str = "", preferences: str | None = None
) -> dict:
    """Why the person receives this kind of email, and (to a member) the link to their
    preferences (`preferences` if made already) and, for bulk mail, the one that stops this
    kind."""
    if preferences is None:
        preferences = preferences_url(member=member) if member is not None else ""
    return {
        "email_reason": email_reason(kind=kind, community=settings.COMMUNITY_NAME),
        "preferences_url": preferences,
        "unsubscribe_url": unsubscribe,
        "unsubscribe_label": OutgoingEmail.Kind(kind).label.lower() if unsubscribe else "",
    }
