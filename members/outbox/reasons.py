"""Why a person receives each kind of email: the sentence every email's footer ends with.

One table, so the words match the rule that decides who is sent what (members/contact.py)
and nobody writes the reason by hand into a template. The footer itself is
templates/emails/_footer.txt and .html.
"""

from members.outbox.models import OutgoingEmail

Kind = OutgoingEmail.Kind

# Each reason completes "You receive this email because …".
EMAIL_REASONS = {
    Kind.WELCOME: "you joined the {community} with this address",
    Kind.CHECKIN: "you are part of the {community} and check-ins are switched on in your "
    "email preferences",
    Kind.SURVEY: "the coordinators of the {community} invited you to this survey (check-ins and "
    "surveys are switched on in your email preferences)",
    Kind.REMINDER: "you registered for this meeting and meeting reminders are switched on in "
    "your email preferences",
    Kind.MEETING: "you registered for this meeting of the {community}",
    Kind.DIGEST: "you are a member of the {community} and the monthly digest is switched on in "
    "your email preferences",
    Kind.RESOURCE: "you submitted this resource to the {community}'s toolkit",
    Kind.ACCOUNT: "this address was just used on the {community}'s website. If that was not "
    "you, you can ignore this email: nothing changes without the link in it",
    Kind.ANNOUNCEMENT: "you are part of the {community} and announcements are switched on in "
    "your email preferences",
}


def email_reason(*, kind: str, community: str) -> str:
    return EMAIL_REASONS[kind].format(community=community)
