"""Account emails (allauth's verification, password reset, "you already have an account",
security notices) go through the outbox like every other email, in its fast lane.

allauth renders them from the community's templates (templates/account/email/, through the
adapter's `render_mail`, see members/adapters.py); this records the rendered message as an
outbox row of kind "account", which workers claim before any other (members/outbox/states.py)
and send from a queue of their own (members/tasks.py), so a signup never waits behind a round.
"""

import uuid

from django.conf import settings
from django.core.mail import EmailMessage

from members.links import absolute_reverse
from members.models import Member, OutgoingEmail
from members.outbox.footer import email_footer_context
from members.outbox.queue import outgoing_email_queue_rendered


def account_email_context() -> dict:
    """What the account templates need beyond allauth's context: the community's name, the
    footer's reason, and links built from SITE_URL."""
    return {
        "community_name": settings.COMMUNITY_NAME,
        "login_url": absolute_reverse("account_login"),
        "reset_request_url": absolute_reverse("account_reset_password"),
        **email_footer_context(kind=OutgoingEmail.Kind.ACCOUNT, member=None),
    }


def account_email_queue(*, message: EmailMessage, template_prefix: str) -> OutgoingEmail:
    """Record one rendered account email and send it after the commit, in the fast lane.

    It is queued even to an address that once bounced: the person asked for it just now, on
    the site, and is waiting for it.
    """
    [to_email] = message.to
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    name = template_prefix.rsplit("/", 1)[-1]
    email = OutgoingEmail(
        # Every account email is a new one (a new key, a new code): nothing to deduplicate.
        dedupe_key=f"account:{name}:{uuid.uuid4().hex}",
        kind=OutgoingEmail.Kind.ACCOUNT,
        member=Member.objects.filter(email__iexact=to_email).first(),
        to_email=to_email,
        subject=message.subject,
        body_text=message.body,
        body_html=html,
        headers=dict(message.extra_headers),
        state=OutgoingEmail.State.QUEUED,
    )
    return outgoing_email_queue_rendered(email=email)
