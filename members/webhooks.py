"""The mail provider's webhook: bounces and complaints reported after sending come in here.

The portal reads Mailgun's tracking webhook through django-anymail, which checks each request's
HMAC-SHA256 signature with MAILGUN_WEBHOOK_SIGNING_KEY and turns Mailgun's payload into
anymail's normalised events (another provider is another anymail view and URL; the rest does
not change). Without a signing key the URL answers 404: an unsigned webhook would let anyone
suppress anyone's address.

In Mailgun: Sending → Webhooks → add https://<SITE_URL>/email/webhooks/mailgun/ for
"Permanent failure", "Temporary failure", "Spam complaints" and "Delivered"; copy the HTTP
webhook signing key into MAILGUN_WEBHOOK_SIGNING_KEY.
"""

import logging

from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from django.conf import settings
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

from members.outbox.bounces import AddressTaken, delivery_event_record, member_email_change
from members.services.joining import member_for_user

logger = logging.getLogger(__name__)

_mailgun_tracking = MailgunTrackingWebhookView.as_view()


@csrf_exempt  # the provider posts without a session; the signature is the check
def mailgun_tracking(request):
    if not settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        raise Http404("No mail provider webhook is configured")
    return _mailgun_tracking(request)


def tracking_received(sender, event, esp_name, **kwargs):
    """anymail's `tracking` signal: one normalised event, handed to the outbox's bookkeeping."""
    delivery_event_record(event=event, esp_name=esp_name)


def email_changed_received(sender, request, user, from_email_address, to_email_address, **kw):
    """allauth's `email_changed` signal: the account's primary address is now another one, and
    the community record (where emails go) follows it."""
    member = member_for_user(user=user)
    if member is None:  # an account without a community record has nowhere to follow
        return
    try:
        member_email_change(member=member, email=to_email_address.email)
    except AddressTaken:
        # Another record (say, an imported prospect) has that address: a coordinator merges.
        logger.warning(
            "Member of user %s keeps their old address: %s belongs to another record",
            user.pk,
            to_email_address.email,
        )
