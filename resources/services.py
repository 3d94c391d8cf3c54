"""Rules about resources: who may see and change them, the editorial workflow, ratings and
downloads. Views, the admin, tasks and seed data all go through these functions."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, Count, F
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.cached_permissions import has_permission
from members.links import absolute_reverse, absolute_url
from members.models import EngagementEvent, Member, OutgoingEmail, User
from members.outbox.queue import outgoing_email_queue
from members.services.engagement import engagement_record_once
from resources.files import validate_upload
from resources.models import GUIDED_KINDS, Rating, Resource, ResourceTransition, Status, Visibility

EDITOR_PERMISSION = "resources.publish_resource"


class TransitionRefused(Exception):
    """The workflow does not allow this step from where the resource stands."""


class ActionRefused(PermissionDenied):
    """The person may not do this; shown as a 403 with the reason."""


# --- Who may do what -------------------------------------------------------------------------


def member_of(user) -> Member | None:
    """The active member behind an account, or None (visitors, lapsed members, staff only)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        member = user.member
    except Member.DoesNotExist:
        return None
    return member if member.is_active_member else None


def user_is_editor(user) -> bool:
    return has_permission(user, EDITOR_PERMISSION)


def sees_members_only(user) -> bool:
    """Members-only resources are for active members and the content editors."""
    return member_of(user) is not None or user_is_editor(user)


def _is_author(user, resource: Resource) -> bool:
    member = member_of(user)
    return member is not None and resource.author_id == member.pk


def resource_can_view(*, resource: Resource, user) -> bool:
    """Published: public ones for everyone, members-only ones for members and editors.
    Not published: the author and the editors only."""
    if resource.status == Status.PUBLISHED:
        if resource.visibility == Visibility.PUBLIC:
            return True
        return sees_members_only(user)
    return _is_author(user, resource) or user_is_editor(user)


def resource_can_edit(*, resource: Resource, user) -> bool:
    """Editors edit anything; authors edit their own until it is submitted for review (and again
    when changes are requested)."""
    if user_is_editor(user):
        return True
    return _is_author(user, resource) and resource.is_editable_by_author


def resource_can_rate(*, resource: Resource, user) -> bool:
    member = member_of(user)
    return (
        member is not None
        and resource.status == Status.PUBLISHED
        and resource.author_id != member.pk
        and resource_can_view(resource=resource, user=user)
    )


# --- Creating and editing --------------------------------------------------------------------


@dataclass
class ResourceContent:
    """What an author writes; the forms produce it, the services store it."""

    kind: str
    title: str
    summary: str
    body: str = ""
    context: str = ""
    actions: str = ""
    impact: str = ""
    lessons: str = ""
    contact: str = ""
    url: str = ""
    visibility: str = Visibility.MEMBERS
    topics: tuple = ()
    sectors: tuple = ()
    meeting: object = None
    upload: object = None  # an UploadedFile, already validated by the form
    remove_file: bool = False


GUIDED_SECTIONS = (
    ("context", _("Context")),
    ("actions", _("What was done")),
    ("impact", _("Impact")),
    ("lessons", _("Lessons learned")),
    ("contact", _("Contact")),
)


def guided_body(*, content: ResourceContent) -> str:
    """The body of a case study or practice story: its sections under the template's headings, so
    the page, search and the digest all read the same text. The headings are in the writer's
    language, as the sections are."""
    parts = []
    for field, heading in GUIDED_SECTIONS:
        text = getattr(content, field).strip()
        if text:
            parts.append(f"## {heading}\n\n{text}")
    return "\n\n".join(parts)


def _apply_content(resource: Resource, content: ResourceContent) -> None:
    for field in ("kind", "title", "summary", "url", "visibility", "meeting"):
        setattr(resource, field, getattr(content, field))
    for field, _heading in GUIDED_SECTIONS:
        setattr(resource, field, getattr(content, field))
    resource.body = guided_body(content=content) if content.kind in GUIDED_KINDS else content.body
    if content.upload is not None:
        # The form validated it; checking again here keeps the rule when another caller forgets.
        validate_upload(content.upload)
        _delete_file_after_commit(resource)
        resource.file_name = content.upload.name[-200:]
        resource.file_size = content.upload.size
        resource.file.save(content.upload.name, content.upload, save=False)
        resource.url = ""
    elif content.remove_file or (content.url and resource.file):
        _delete_file_after_commit(resource)
        resource.file = ""
        resource.file_name = ""
        resource.file_size = None


def _delete_file_after_commit(resource: Resource) -> None:
    """Remove the replaced file only once the row no longer points at it: if saving fails,
    the resource keeps a file that still exists."""
    if resource.file:
        storage, name = resource.file.storage, resource.file.name
        transaction.on_commit(lambda: storage.delete(name))


def resource_create(*, author: Member, content: ResourceContent, by: User) -> Resource:
    """A new draft by a member; only they and the editors can see it until it is published."""
    with transaction.atomic():
        resource = Resource(author=author, status=Status.DRAFT)
        _apply_content(resource, content)
        resource.save()
        resource.topics.set(content.topics)
        resource.sectors.set(content.sectors)
        ResourceTransition.objects.create(
            resource=resource, from_status="", to_status=Status.DRAFT, by=by
        )
    return resource


# What an edit may change: workflow, featuring, ratings and downloads have services of their own.
CONTENT_FIELDS = [
    "kind",
    "title",
    "summary",
    "url",
    "visibility",
    "meeting",
    "body",
    *(field for field, _heading in GUIDED_SECTIONS),
    "file",
    "file_name",
    "file_size",
    "updated_at",
]


def resource_update(*, resource: Resource, content: ResourceContent, by: User) -> Resource:
    with transaction.atomic():
        # The row as it is now, locked: an edit that began before an editor archived it, or
        # while others rated or downloaded it, must not write those columns back.
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        if not resource_can_edit(resource=resource, user=by):
            raise ActionRefused(gettext("You cannot edit this resource."))
        _apply_content(resource, content)
        resource.save(update_fields=CONTENT_FIELDS)
        resource.topics.set(content.topics)
        resource.sectors.set(content.sectors)
    return resource


def resource_set_featured(*, resource: Resource, featured: bool, by: User) -> Resource:
    if not user_is_editor(by):
        raise ActionRefused(gettext("Only content editors choose featured resources."))
    resource.featured = featured
    resource.save(update_fields=["featured", "updated_at"])
    return resource


# --- The editorial workflow ------------------------------------------------------------------

AUTHOR, EDITOR = "author", "editor"
# (from, to): who may take the step.
TRANSITIONS = {
    (Status.DRAFT, Status.SUBMITTED): AUTHOR,
    (Status.CHANGES_REQUESTED, Status.SUBMITTED): AUTHOR,
    (Status.SUBMITTED, Status.CHANGES_REQUESTED): EDITOR,
    (Status.SUBMITTED, Status.PUBLISHED): EDITOR,
    (Status.PUBLISHED, Status.ARCHIVED): EDITOR,
}


def resource_transitions_allowed(*, resource: Resource, user) -> list[str]:
    """The statuses this person may move the resource to now (for the buttons on the page)."""
    allowed = []
    for (from_status, to_status), role in TRANSITIONS.items():
        if from_status != resource.status:
            continue
        if (role == AUTHOR and _is_author(user, resource)) or (
            role == EDITOR and user_is_editor(user)
        ):
            allowed.append(to_status)
    return allowed


def resource_transition(
    *, resource: Resource, to_status: str, by: User, comment: str = ""
) -> Resource:
    """Move a resource one step through the workflow, record who did it, and tell the author.

    Refuses steps the workflow does not have (TransitionRefused) and people who may not take
    them (ActionRefused); in either case nothing is written.
    """
    comment = comment.strip()
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        from_status = locked.status
        role = TRANSITIONS.get((from_status, to_status))
        if role is None:
            raise TransitionRefused(
                gettext("A resource that is “%(from)s” cannot be moved to “%(to)s”.")
                % {
                    "from": str(Status(from_status).label).lower(),
                    "to": str(Status(to_status).label).lower(),
                }
            )
        if role == AUTHOR and not _is_author(by, locked):
            raise ActionRefused(gettext("Only the author can submit this resource for review."))
        if role == EDITOR and not user_is_editor(by):
            raise ActionRefused(
                gettext("Only content editors can review, publish or archive resources.")
            )
        if to_status == Status.CHANGES_REQUESTED and not comment:
            raise TransitionRefused(gettext("Say what the author should change."))
        if to_status == Status.SUBMITTED and not (locked.body or locked.file or locked.url):
            raise TransitionRefused(gettext("Add some text, a file or a link before submitting."))

        now = timezone.now()
        locked.status = to_status
        fields = ["status", "updated_at"]
        if to_status == Status.SUBMITTED:
            locked.submitted_at = now
            fields.append("submitted_at")
        if role == EDITOR:
            locked.reviewer = by
            fields.append("reviewer")
        if to_status == Status.PUBLISHED and locked.published_at is None:
            locked.published_at = now
            fields.append("published_at")
        if to_status == Status.ARCHIVED:
            locked.featured = False
            fields.append("featured")
        locked.save(update_fields=fields)
        transition = ResourceTransition.objects.create(
            resource=locked, from_status=from_status, to_status=to_status, by=by, comment=comment
        )
        if to_status == Status.CHANGES_REQUESTED:
            _email_author(locked, transition, "changes_requested")
        elif to_status == Status.PUBLISHED:
            _email_author(locked, transition, "published")
            _record_contribution(locked)
    return locked


def resource_submit(*, resource: Resource, by: User) -> Resource:
    return resource_transition(resource=resource, to_status=Status.SUBMITTED, by=by)


def resource_request_changes(*, resource: Resource, by: User, comment: str) -> Resource:
    return resource_transition(
        resource=resource, to_status=Status.CHANGES_REQUESTED, by=by, comment=comment
    )


def resource_publish(*, resource: Resource, by: User, comment: str = "") -> Resource:
    return resource_transition(
        resource=resource, to_status=Status.PUBLISHED, by=by, comment=comment
    )


def resource_archive(*, resource: Resource, by: User, comment: str = "") -> Resource:
    return resource_transition(resource=resource, to_status=Status.ARCHIVED, by=by, comment=comment)


def _email_author(resource: Resource, transition: ResourceTransition, template: str) -> None:
    author = resource.author
    if author is None:
        return
    # In the author's language, whoever pressed the button.
    with translation.override(author.language):
        outgoing_email_queue(
            kind=OutgoingEmail.Kind.RESOURCE,
            dedupe_key=f"resource-{template}:{transition.pk}",
            member=author,
            template=f"resources/email/{template}",
            context={
                "member": author,
                "resource": resource,
                "comment": transition.comment,
                "resource_url": absolute_url(resource.get_absolute_url()),
                "edit_url": absolute_reverse("resources:edit", resource.pk),
                "mine_url": absolute_reverse("resources:mine"),
            },
        )


def _record_contribution(resource: Resource) -> None:
    """Publishing counts as the author's engagement, once per resource (not on re-publishing)."""
    if resource.author is None:
        return
    engagement_record_once(
        member=resource.author,
        kind=EngagementEvent.Kind.CONTRIBUTED,
        occurred_at=resource.published_at,
        source=f"resource:{resource.pk}",
    )


# --- Ratings and downloads -------------------------------------------------------------------


def rating_set(*, resource: Resource, member: Member, score: int) -> Rating:
    """One rating per member and resource; rating again changes it. The resource keeps the
    average and count so lists can sort by them without aggregating."""
    if not 1 <= score <= 5:
        raise ValueError("A rating is from 1 to 5.")
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        if member.user is None or not resource_can_rate(resource=locked, user=member.user):
            raise ActionRefused(
                gettext("Only members can rate published resources, and not their own.")
            )
        # The lock on the resource serialises ratings of it, so two first ratings by the same
        # member cannot race past the unique constraint.
        rating, _created = Rating.objects.update_or_create(
            resource=locked, member=member, defaults={"score": score}
        )
        totals = Rating.objects.filter(resource=locked).aggregate(avg=Avg("score"), n=Count("pk"))
        Resource.objects.filter(pk=locked.pk).update(
            rating_average=totals["avg"], rating_count=totals["n"]
        )
    return rating


def resource_count_download(*, resource: Resource) -> None:
    """One more download, counted in the database so concurrent downloads are not lost."""
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
