"""Helpers for tests that read emails as they leave: deliver what the outbox holds, then look
at the messages (mail.outbox) by content and headers."""

import re

from django.core import mail

from members.outbox.delivery import outgoing_emails_send_batch

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
