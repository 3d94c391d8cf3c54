import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.listing import filtered_page
from members.views import member_required
from resources import services
from resources.files import content_type_for
from resources.filters import ResourceFilter
from resources.forms import GuidedResourceForm, RatingForm, ResourceForm, ReviewForm
from resources.models import Rating, Resource, ResourceTransition, Status
from resources.versions import resources_version

logger = logging.getLogger(__name__)

RESOURCES_PAGE_SIZE = 20


def editor_required(view):
    """Logged in, with the content editor's permission (the "Content editors" group)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not services.user_is_editor(request.user):
            raise PermissionDenied(gettext("Only content editors can review resources."))
        return view(request, *args, **kwargs)

    return wrapper


def _refuse(request, resource: Resource):
    """What someone who may not see a resource gets: a visitor is asked to log in for a
    members-only one, everyone else gets a 404 that does not confirm it exists."""
    published_for_members = resource.status == Status.PUBLISHED
    if published_for_members and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404("No such resource.")


@require_GET
def resource_list(request):
    is_editor = services.user_is_editor(request.user)
    is_member = services.sees_members_only(request.user)
    base = Resource.objects.visible_to(is_member=is_member).for_listing()
    # Rankings are kept per reader level (members see more) under the resources' version.
    readers = "members" if is_member else "public"
    context = filtered_page(
        request,
        ResourceFilter,
        base,
        per_page=RESOURCES_PAGE_SIZE,
        ranking_version=f"resources:{readers}:{resources_version()}",
    )
    return render(
        request,
        "resources/list.html",
        {**context, "is_member": is_member, "is_editor": is_editor},
    )


@require_GET
def resource_detail(request, pk):
    resource = get_object_or_404(
        Resource.objects.select_related("author", "meeting").prefetch_related("topics", "sectors"),
        pk=pk,
    )
    if not services.resource_can_view(resource=resource, user=request.user):
        return _refuse(request, resource)
    member = services.member_of(request.user)
    my_rating = None
    if member is not None:
        my_rating = Rating.objects.filter(resource=resource, member=member).first()
    is_editor = services.user_is_editor(request.user)
    is_author = member is not None and resource.author_id == member.pk
    if is_author or is_editor:  # only they see the history
        by = ResourceTransition.objects.select_related("by__member")
        prefetch_related_objects([resource], Prefetch("transitions", queryset=by))
    # The author's profile says who may see their organisation: members only, or nobody.
    author = resource.author
    show_organisation = bool(
        author
        and author.organisation
        and (is_author or (author.shows("organisation") and member and member.is_active_member))
    )
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "show_author_organisation": show_organisation,
            "is_editor": is_editor,
            "is_author": is_author,
            "can_edit": services.resource_can_edit(resource=resource, user=request.user),
            "can_rate": services.resource_can_rate(resource=resource, user=request.user),
            "next_statuses": services.resource_transitions_allowed(
                resource=resource, user=request.user
            ),
            "rating_form": RatingForm(initial={"score": my_rating.score if my_rating else None}),
            "my_rating": my_rating,
            "review_form": ReviewForm(),
        },
    )


@require_GET
def resource_download(request, pk):
    """The only way to a resource's file: checks who asks, then sends it as an attachment.

    A GET (it is a file fetch); the only thing it changes is the download count, the one named
    exception to "a GET changes nothing" (tests/copsite/test_access_matrix.py): counting on a
    POST would leave every shared or bookmarked file link uncounted, and the count is a figure
    on the resource, not something a person did. A HEAD (link checkers, mail scanners probing a
    link) is refused by require_GET and counts nothing.
    """
    resource = get_object_or_404(Resource, pk=pk)
    if not services.resource_can_view(resource=resource, user=request.user):
        return _refuse(request, resource)
    if not resource.file:
        if resource.url:
            if resource.is_published:
                services.resource_count_download(resource=resource)
            return redirect(resource.url)
        raise Http404("This resource has no file.")
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        logger.error("Resource %s: its file %s is missing", resource.pk, resource.file.name)
        raise Http404("The file is missing.") from None
    if resource.is_published:
        services.resource_count_download(resource=resource)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource.file_name or resource.file.name.rsplit("/", 1)[-1],
        content_type=content_type_for(resource.file_name or resource.file.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Never kept by shared caches: a file archived or made members-only must stop being served.
    response["Cache-Control"] = "private, no-store"
    return response


def _save_resource(request, form, resource: Resource | None):
    """Save the draft, then submit it when the author pressed "Submit for review"."""
    content = form.to_content()
    if resource is None:
        resource = services.resource_create(author=request.member, content=content, by=request.user)
    else:
        resource = services.resource_update(resource=resource, content=content, by=request.user)
    if request.POST.get("action") == "submit" and resource.is_editable_by_author:
        try:
            services.resource_submit(resource=resource, by=request.user)
        except (services.TransitionRefused, services.ActionRefused) as refusal:
            messages.error(
                request,
                gettext("Saved as a draft, but not submitted: %(reason)s") % {"reason": refusal},
            )
            return redirect("resources:edit", resource.pk)
        messages.success(
            request, gettext("Thank you: it is submitted. A content editor will review it soon.")
        )
        return redirect("resources:mine")
    messages.success(request, gettext("Your draft is saved. Only you and the editors can see it."))
    return redirect("resources:edit", resource.pk)


@require_http_methods(["GET", "POST"])
@member_required
def resource_create(request, guided=False):
    form_class = GuidedResourceForm if guided else ResourceForm
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return _save_resource(request, form, None)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "resources/form.html",
        {"form": form, "guided": guided, "resource": None},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def resource_edit(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    if not services.resource_can_edit(resource=resource, user=request.user):
        if services.resource_can_view(resource=resource, user=request.user):
            raise PermissionDenied(
                gettext(
                    "You cannot edit this resource: only its author can, until it is "
                    "submitted, and the content editors."
                )
            )
        raise Http404("No such resource.")
    request.member = services.member_of(request.user)
    form_class = GuidedResourceForm if resource.is_guided else ResourceForm
    form = form_class(request.POST or None, request.FILES or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        return _save_resource(request, form, resource)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "resources/form.html",
        {
            "form": form,
            "guided": resource.is_guided,
            "resource": resource,
            "is_author": resource.author_id == getattr(request.member, "pk", None),
        },
        status=status,
    )


@require_POST
@login_required
def resource_submit(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    if not services.resource_can_view(resource=resource, user=request.user):
        raise Http404("No such resource.")
    try:
        services.resource_submit(resource=resource, by=request.user)
    except services.TransitionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(resource)
    messages.success(
        request, gettext("Thank you: it is submitted. A content editor will review it soon.")
    )
    return redirect("resources:mine")


REVIEW_ACTIONS = {
    "publish": (services.resource_publish, _("Published. The author has been told.")),
    "request_changes": (
        services.resource_request_changes,
        _("Changes requested. The author has your comment by email."),
    ),
    "archive": (services.resource_archive, _("Archived. It no longer appears in the library.")),
}


@require_POST
@editor_required
def resource_review(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    action = REVIEW_ACTIONS.get(request.POST.get("action", ""))
    form = ReviewForm(request.POST)
    if action is None or not form.is_valid():
        messages.error(request, gettext("Choose publish, request changes or archive."))
        return redirect(resource)
    service, done = action
    try:
        service(resource=resource, by=request.user, comment=form.cleaned_data["comment"])
    except services.TransitionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(resource)
    messages.success(request, str(done))
    return redirect("resources:review_queue")


@require_POST
@editor_required
def resource_feature(request, pk):
    resource = get_object_or_404(Resource, pk=pk, status=Status.PUBLISHED)
    featured = request.POST.get("featured") == "1"
    services.resource_set_featured(resource=resource, featured=featured, by=request.user)
    messages.success(
        request,
        gettext("Featured on the landing page.")
        if featured
        else gettext("No longer featured on the landing page."),
    )
    return redirect(resource)


@require_POST
@member_required
def resource_rate(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    if not services.resource_can_rate(resource=resource, user=request.user):
        if not services.resource_can_view(resource=resource, user=request.user):
            raise Http404("No such resource.")
        raise PermissionDenied(gettext("You cannot rate this resource."))
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a rating from 1 to 5."))
        return redirect(resource)
    services.rating_set(resource=resource, member=request.member, score=form.cleaned_data["score"])
    messages.success(request, gettext("Thank you: your rating is saved."))
    return redirect(resource)


@require_GET
@member_required
def my_resources(request):
    resources = (
        Resource.objects.filter(author=request.member)
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=ResourceTransition.objects.exclude(comment="").order_by(
                    "-created_at", "-pk"
                ),
                to_attr="commented_transitions",
            )
        )
        .order_by("-updated_at", "-pk")
    )
    return render(request, "resources/mine.html", {"resources": resources})


@require_GET
@editor_required
def review_queue(request):
    waiting = Resource.objects.awaiting_review().select_related("author")
    returned = (
        Resource.objects.filter(status=Status.CHANGES_REQUESTED)
        .select_related("author")
        .order_by("-updated_at", "-pk")
    )
    return render(
        request, "resources/review_queue.html", {"waiting": waiting, "returned": returned}
    )
