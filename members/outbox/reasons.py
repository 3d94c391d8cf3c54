"""Why a person receives each kind of email: the sentence every email's footer ends with.

One table, so the words match the rule that decides who is sent what (members/contact.py)
and nobody writes the reason by hand into a template. The footer itself is
templates/emails/_footer.txt and .html.
"""

from django.utils.translation import gettext_lazy as _

from members.outbox.models import OutgoingEmail

Kind = OutgoingEmail.Kind

# Each reason completes "You receive this email because …" and is translated in the language
# of the email being rendered (members/outbox/render.py sets it).
EMAIL_REASONS = {
    Kind.WELCOME: _("you joined the %(community)s with this address"),
    Kind.CHECKIN: _(
        "you are part of the %(community)s and check-ins are switched on in your email preferences"
    ),
    Kind.SURVEY: _(
        "the coordinators of the %(community)s invited you to this survey (check-ins and "
        "surveys are switched on in your email preferences)"
    ),
    Kind.REMINDER: _(
        "you registered for this meeting and meeting reminders are switched on in "
        "your email preferences"
    ),
    Kind.MEETING: _("you registered for this meeting of the %(community)s"),
    Kind.DIGEST: _(
        "you are a member of the %(community)s and the monthly digest is switched on in "
        "your email preferences"
    ),
    Kind.RESOURCE: _("you submitted this resource to the %(community)s's toolkit"),
    Kind.ACCOUNT: _(
        "this address was just used on the %(community)s's website. If that was not "
        "you, you can ignore this email: nothing changes without the link in it"
    ),
    Kind.ANNOUNCEMENT: _(
        "you are part of the %(community)s and announcements are switched on in "
        "your email preferences"
    ),
}


def email_reason(*, kind: str, community: str) -> str:
    # Reasons without the name are formatted too, so every reason has the same shape.
    return str(EMAIL_REASONS[kind]) % {"community": community}
