"""Who may be emailed, about what, today: the one answer every bulk email asks for.

Each kind of bulk email answers to one preference. The same table says what one-click
unsubscribe from that kind switches off, so that "I unsubscribed" and "who is emailed" can
never disagree. Check-ins, surveys and announcements, which also reach people who have not
joined, need a recorded consent besides (Canada's anti-spam law, CASL).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from members.models import CheckinCadence, EmailConsent, Member, OutgoingEmail


@dataclass(frozen=True)
class ContactRule:
    statuses: tuple[
        str, ...
    ]  # who this kind is for, unless the caller chooses (a survey's audience)
    preference: Q  # what the person must have left switched on
    unsubscribe: tuple[str, object]  # (field, value) that one-click unsubscribe sets
    needs_consent: bool = False  # a recorded basis (express or implied) is required too


_CHECKINS_ON = ~Q(checkin_cadence=CheckinCadence.PAUSED)
_CHECKINS_OFF = ("checkin_cadence", CheckinCadence.PAUSED)

CONTACT_RULES = {
    # Regular and re-engagement check-ins, members and prospects alike.
    OutgoingEmail.Kind.CHECKIN: ContactRule(
        statuses=(Member.Status.ACTIVE, Member.Status.PROSPECT),
        preference=_CHECKINS_ON,
        unsubscribe=_CHECKINS_OFF,
        needs_consent=True,
    ),
    # Survey invitations and their reminders are check-ins by another name to the reader.
    OutgoingEmail.Kind.SURVEY: ContactRule(
        statuses=(
            Member.Status.ACTIVE,
            Member.Status.PROSPECT,
            Member.Status.LAPSED,
        ),
        preference=_CHECKINS_ON,
        unsubscribe=_CHECKINS_OFF,
        needs_consent=True,
    ),
    OutgoingEmail.Kind.REMINDER: ContactRule(
        statuses=(Member.Status.ACTIVE,),
        preference=Q(wants_meeting_reminders=True),
        unsubscribe=("wants_meeting_reminders", False),
    ),
    OutgoingEmail.Kind.DIGEST: ContactRule(
        statuses=(Member.Status.ACTIVE,),
        preference=Q(wants_digest=True),
        unsubscribe=("wants_digest", False),
    ),
    # Coordinators' announcements; the coordinator chooses the statuses (and more) per message,
    # prospects included, so a recorded consent is needed as for check-ins.
    OutgoingEmail.Kind.ANNOUNCEMENT: ContactRule(
        statuses=(Member.Status.ACTIVE,),
        preference=Q(wants_announcements=True),
        unsubscribe=("wants_announcements", False),
        needs_consent=True,
    ),
}
BULK_KINDS = frozenset(CONTACT_RULES)
# A paused check-in ("pause for three months" from a re-engagement) holds these kinds too.
_PAUSABLE = {OutgoingEmail.Kind.CHECKIN, OutgoingEmail.Kind.SURVEY}
# Implied consent of someone outside the community (an inquiry, a published work address, a
# past event) lasts two years under CASL; a member's membership of the community keeps it.
IMPLIED_CONSENT_DAYS = 730


def consent_recorded(*, today) -> Q:
    """A basis to email the person on `today`: express consent, or implied consent that holds."""
    return (
        Q(email_consent=EmailConsent.EXPRESS)
        | (Q(email_consent=EmailConsent.IMPLIED) & ~Q(status=Member.Status.PROSPECT))
        | Q(
            email_consent=EmailConsent.IMPLIED,
            email_consent_on__gt=today - timedelta(days=IMPLIED_CONSENT_DAYS),
        )
    )


def _prefixed(q: Q, prefix: str) -> Q:
    """The same condition, asked through a relation (e.g. a registration's member)."""
    if not prefix:
        return q
    children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}__{child[0]}", child[1])
        for child in q.children
    ]
    return Q(*children, _connector=q.connector, _negated=q.negated)


def reachable(*, through: str = "") -> Q:
    """The address works: no bounce recorded against it."""
    return _prefixed(Q(email_bounced_at__isnull=True), through)


def contactable(*, kind: str, now=None, statuses=None, through: str = "") -> Q:
    """The condition "may be emailed about `kind` now": status, bounces, preference, pause and,
    for check-ins, surveys and announcements, a recorded consent.

    `statuses` overrides the kind's usual audience (a survey chooses its own); `through` asks it
    of a related member, e.g. `through="member"` on registrations or invitations.
    """
    rule = CONTACT_RULES[kind]
    condition = (
        Q(status__in=list(statuses if statuses is not None else rule.statuses))
        & Q(email_bounced_at__isnull=True)
        & rule.preference
    )
    today = timezone.localdate(now or timezone.now())
    if kind in _PAUSABLE:
        condition &= Q(checkins_paused_until__isnull=True) | Q(checkins_paused_until__lte=today)
    if rule.needs_consent:
        condition &= consent_recorded(today=today)
    return _prefixed(condition, through)


def contactable_flag(*, kind: str, now=None, statuses=None) -> ExpressionWrapper:
    """The same condition as a boolean to annotate rows with (a list that shows who may be
    emailed, without a query per row)."""
    return ExpressionWrapper(
        contactable(kind=kind, now=now, statuses=statuses), output_field=BooleanField()
    )


def members_contactable(*, kind: str, now=None, statuses=None) -> QuerySet[Member]:
    """The people who may be emailed about `kind` now."""
    return Member.objects.filter(contactable(kind=kind, now=now, statuses=statuses))


def member_unsubscribe(*, member: Member, kind: str) -> Member:
    """Turn off one kind of bulk email. Idempotent: a second click changes nothing."""
    field_name, value = CONTACT_RULES[kind].unsubscribe
    if getattr(member, field_name) != value:
        setattr(member, field_name, value)
        member.save(update_fields=[field_name, "updated_at"])
    return member
