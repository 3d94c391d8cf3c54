"""An email's parts from the community's templates: `<name>_subject.txt`, `.txt` and `.html`."""

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from members.models import Member
from members.outbox.footer import email_footer_context
from members.outbox.models import OutgoingEmail
from members.outbox.states import initial_state


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
) -> OutgoingEmail:
    """An unsaved outbox row: `<template>_subject.txt`, `.txt` and optionally `.html` rendered.

    `attachments` is a list of {"filename", "content" (text), "mimetype"}.
    """
    context = {"community_name": settings.COMMUNITY_NAME, **context}
    if "email_reason" not in context:  # bulk mail brings its own, with the unsubscribe link
        # Every email's footer: why it is sent, and the person's preferences link.
        context = {**email_footer_context(kind=kind, member=member), **context}
    subject = " ".join(_render_plain_text(f"{template}_subject.txt", context).split())
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


def _render_plain_text(template_name: str, context: dict) -> str:
    """Subjects and text bodies are not HTML: "O'Brien" must not arrive as "O&#x27;Brien"."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))
