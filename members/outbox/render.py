"""An email's parts from the community's templates: `<name>_subject.txt`, `.txt` and `.html`,
written in the language of the person it goes to."""

import re

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from members.models import Member
from members.outbox.footer import email_footer_context
from members.outbox.models import OutgoingEmail
from members.outbox.states import initial_state

_ASCII_SPACES = re.compile(r"[ \t\r\n]+")


def email_language(*, member: Member | None, language: str = "") -> str:
    """The language an email is written in: the one asked for, else the member's own, else the
    community's. Never the language of whoever happens to trigger it (a coordinator's admin in
    French, a worker with no request): the reader chose theirs in their preferences."""
    known = dict(settings.LANGUAGES)
    for candidate in (language, getattr(member, "language", "")):
        if candidate in known:
            return candidate
    return settings.LANGUAGE_CODE


def outgoing_email_render(
    *,
    kind: str,
    dedupe_key: str,
    template: str,
    context: dict,
    member: Member | None = None,
    to_email: str | None = None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
    language: str = "",
) -> OutgoingEmail:
    """An unsaved outbox row: `<template>_subject.txt`, `.txt` and optionally `.html` rendered.

    Every part, the footer and the dates in it are in `email_language` (the member's language;
    `language` for an address with no community record). `attachments` is a list of
    {"filename", "content" (text), "mimetype"}.
    """
    with translation.override(email_language(member=member, language=language)):
        return _render(
            kind=kind,
            dedupe_key=dedupe_key,
            template=template,
            context=context,
            member=member,
            to_email=to_email,
            headers=headers,
            attachments=attachments,
        )


def _render(*, kind, dedupe_key, template, context, member, to_email, headers, attachments):
    context = {"community_name": settings.COMMUNITY_NAME, **context}
    if "email_reason" not in context:  # bulk mail brings its own, with the unsubscribe link
        # Every email's footer: why it is sent, and the person's preferences link.
        context = {**email_footer_context(kind=kind, member=member), **context}
    subject = subject_line(_render_plain_text(f"{template}_subject.txt", context))
    body_text = _render_plain_text(f"{template}.txt", context)
    try:
        body_html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:  # an HTML part is optional
        body_html = ""
    return OutgoingEmail(
        dedupe_key=dedupe_key,
        kind=kind,
        member=member,
        to_email=to_email or member.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=headers or {},
        attachments=attachments or [],
        state=initial_state(member=member),
    )


def subject_line(text: str) -> str:
    """A rendered subject on one line. French no-break spaces (before « : », inside « ») stay:
    str.split() would break on them too."""
    return _ASCII_SPACES.sub(" ", text).strip()


def _render_plain_text(template_name: str, context: dict) -> str:
    """Subjects and text bodies are not HTML: "O'Brien" must not arrive as "O&#x27;Brien"."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))
