"""Rendering an email: the text part is plain text, the HTML part is escaped."""

import pytest
from django.conf import settings

from members.models import OutgoingEmail
from members.outbox.render import outgoing_email_render
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_outgoing_email_text_parts_are_not_html_escaped():
    member = MemberFactory(full_name="Siobhán O'Brien & Co <Library>")

    email = outgoing_email_render(
        kind=OutgoingEmail.Kind.WELCOME,
        dedupe_key="test:plain",
        template="members/email/welcome",
        context={"member": member},
        member=member,
    )

    assert email.subject == (
        f"Welcome to the {settings.COMMUNITY_NAME}, Siobhán O'Brien & Co <Library>"
    )
    assert "Siobhán O'Brien & Co <Library>" in email.body_text
    assert "&#x27;" not in email.body_text
    # The HTML part, where there is one, still escapes.
    assert "<Library>" not in email.body_html
