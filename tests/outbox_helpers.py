"""Helpers for tests that read emails as they leave: deliver what the outbox holds, then look
at the messages (mail.outbox) by content and headers."""

import re

from django.core import mail

from members.models import OutgoingEmail
from members.outbox.delivery import outgoing_emails_send_batch
from members.outbox.render import outgoing_email_render

URL = re.compile(r"https?://[^\s<>\"']+")


def deliver_all() -> list:
    """Send every due outbox row (as the workers would) and return the messages sent."""
    before = len(mail.outbox)
    while outgoing_emails_send_batch().claimed:
        pass
    return mail.outbox[before:]


def html_part(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def urls(text: str) -> list[str]:
    return URL.findall(text)


def path_of(url: str, site_url: str) -> str:
    assert url.startswith(site_url), f"{url} is not on {site_url}"
    return url[len(site_url) :]


def emails_for(people, *, key: str, kind=OutgoingEmail.Kind.WELCOME) -> list[OutgoingEmail]:
    """One rendered, unsaved email to each person (the welcome template), keyed
    "<key>:<their id>": a round to queue in bulk."""
    return [
        outgoing_email_render(
            kind=kind,
            dedupe_key=f"{key}:{person.pk}",
            template="members/email/welcome",
            context={"member": person},
            member=person,
        )
        for person in people
    ]
