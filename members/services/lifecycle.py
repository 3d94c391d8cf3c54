"""The membership lifecycle: prospect → active → lapsed / left, and back, every step recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from members.models import Member, MemberStatusChange, User

# The lifecycle: prospect → active → lapsed / left, and back again.
ALLOWED_STATUS_CHANGES = {
    Member.Status.PROSPECT: {Member.Status.ACTIVE, Member.Status.LEFT},
    Member.Status.ACTIVE: {Member.Status.LAPSED, Member.Status.LEFT},
    Member.Status.LAPSED: {Member.Status.ACTIVE, Member.Status.LEFT},
    Member.Status.LEFT: {Member.Status.ACTIVE},
}


class StatusChangeNotAllowed(ValidationError):
    pass


@transaction.atomic
def member_change_status(
    *, member: Member, to_status: str, reason: str, changed_by: User | None = None
) -> Member:
    """Move a member to another status and record who did it, when and why."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status == to_status:
        return member
    if to_status not in ALLOWED_STATUS_CHANGES[member.status]:
        raise StatusChangeNotAllowed(
            f"A {member.get_status_display().lower()} member cannot become "
            f"{Member.Status(to_status).label.lower()}."
        )
    now = timezone.now()
    MemberStatusChange.objects.create(
        member=member,
        from_status=member.status,
        to_status=to_status,
        changed_by=changed_by,
        reason=reason[:300],
        changed_at=now,
    )
    member.status = to_status
    member.status_changed_at = now
    update_fields = ["status", "status_changed_at", "updated_at"]
    if to_status == Member.Status.ACTIVE and member.joined_at is None:
        member.joined_at = now
        update_fields.append("joined_at")
    member.save(update_fields=update_fields)
    return member


def member_leave(*, member: Member, reason: str = "") -> Member:
    return member_change_status(
        member=member,
        to_status=Member.Status.LEFT,
        reason=reason or "Left the community from their account page",
        changed_by=member.user,
    )


def member_rejoin(*, member: Member) -> Member:
    return member_change_status(
        member=member,
        to_status=Member.Status.ACTIVE,
        reason="Rejoined from their account page",
        changed_by=member.user,
    )
