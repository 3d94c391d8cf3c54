import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from members.access import member_record_required
from members.contact import member_unsubscribe
from members.filters import DirectoryFilter
from members.forms import DeleteAccountForm, LeaveForm, PreferencesForm, ProfileForm
from members.links import InvalidLink
from members.listing import filtered_page
from members.models import Member, OutgoingEmail
from members.outbox.bulk import (
    member_for_preferences_token,
    preferences_token,
    unsubscribe_request_for_token,
)
from members.services.attrition import reengagement_answer, reengagement_for_token
from members.services.joining import member_record_ensure
from members.services.lifecycle import member_leave, member_rejoin
from members.services.privacy import account_delete, member_export_data
from members.suggestions import suggestions_for
from members.versions import members_version

DIRECTORY_PAGE_SIZE = 20
SUGGESTIONS_SHOWN = 6


def member_required(view):
    """Logged in, and an active member of the community."""

    @wraps(view)
    @member_record_required
    def wrapper(request, *args, **kwargs):
        member = request.member
        if not member.is_active_member:
            return render(request, "members/members_only.html", {"member": member}, status=403)
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper


@member_record_required
def me(request):
    member = request.member
    prefetch_related_objects([member], "interests")  # read three times below
    suggestions = []
    if member.is_active_member:
        suggestions = suggestions_for(member, limit=SUGGESTIONS_SHOWN)
    return render(
        request,
        "members/me.html",
        {
            "member": member,
            "suggestions": suggestions,
            "profile_incomplete": not (member.sector_id and member.interests.all()),
        },
    )


@member_record_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    member = request.member
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:me")
    return render(request, "members/profile_form.html", {"form": form, "member": member})


@member_required
def directory(request):
    # Who is listed and in what order is kept under the members' version (members/versions.py).
    context = filtered_page(
        request,
        DirectoryFilter,
        Member.objects.for_directory(),
        per_page=DIRECTORY_PAGE_SIZE,
        ranking_version=f"directory:{members_version()}",
    )
    return render(request, "members/directory.html", context)


@member_required
def detail(request, pk):
    shown = get_object_or_404(
        Member.objects.select_related("sector").prefetch_related("interests"),
        pk=pk,
        status=Member.Status.ACTIVE,
    )
    is_self = shown.pk == request.member.pk
    suggestions = suggestions_for(shown, limit=SUGGESTIONS_SHOWN) if is_self else []
    shared = set()
    if not is_self and shown.shows("interests"):
        mine = {t.pk for t in request.member.interests.all()}
        shared = {t.pk for t in shown.interests.all()} & mine
    return render(
        request,
        "members/detail.html",
        {"shown": shown, "is_self": is_self, "suggestions": suggestions, "shared": shared},
    )


@member_record_required
def export_data(request):
    member = request.member
    data = member_export_data(member=member)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="my-cop-data-{stamp}.json"'
    return response


@member_record_required
@require_http_methods(["GET", "POST"])
def leave(request):
    member = request.member
    if member.status == Member.Status.LEFT:
        messages.info(request, _("You have already left the community."))
        return redirect("members:me")
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member_leave(member=member, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("You have left the community. Your account stays, so you can rejoin at any time."),
        )
        return redirect("members:me")
    return render(request, "members/leave.html", {"form": form, "member": member})


@member_record_required
@require_POST
def rejoin(request):
    member = request.member
    if member.status in (Member.Status.LEFT, Member.Status.LAPSED, Member.Status.PROSPECT):
        member_rejoin(member=member)
        messages.success(request, _("Welcome back! You are an active member again."))
    return redirect("members:me")


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(request, _("Your account and all your data have been deleted."))
        return redirect("home")
    return render(request, "members/delete_account.html", {"form": form})


def _preferences(request, member, *, token=None):
    form = PreferencesForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your email preferences have been saved."))
        if token:
            return redirect("members:preferences", token=token)
        return redirect("members:my_preferences")
    return render(
        request, "members/preferences.html", {"form": form, "member": member, "token": token}
    )


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    """Reachable from every email without logging in; GET shows, only POST changes."""
    try:
        member = member_for_preferences_token(token=token)
    except InvalidLink:
        raise Http404("No such preferences link") from None
    return _preferences(request, member, token=token)


@member_record_required
@require_http_methods(["GET", "POST"])
def my_preferences(request):
    return _preferences(request, request.member)


@csrf_exempt  # RFC 8058: mail clients POST here without cookies or a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a confirmation with a button; POST (one click) unsubscribes, idempotently."""
    try:
        member, kind = unsubscribe_request_for_token(token=token)
    except InvalidLink:
        raise Http404("No such unsubscribe link") from None
    done = request.method == "POST"
    if done:
        member_unsubscribe(member=member, kind=kind)
    return render(
        request,
        "members/unsubscribe.html",
        {
            "member": member,
            "kind_label": OutgoingEmail.Kind(kind).label.lower(),
            "done": done,
            "preferences_token": preferences_token(member=member),
        },
    )


@require_http_methods(["GET", "POST"])
def reengagement(request, token):
    """Stay, pause or leave: GET shows the three choices, each a POST."""
    try:
        check = reengagement_for_token(token=token)
    except InvalidLink:
        raise Http404("No such link") from None
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        if answer not in {"stay", "pause", "leave"}:
            messages.error(request, _("Choose one of the three buttons."))
        else:
            check = reengagement_answer(reengagement=check, answer=answer)
            return render(request, "members/reengagement_done.html", {"check": check})
    return render(request, "members/reengagement.html", {"check": check, "token": token})


@login_required
@require_POST
def record_create(request):
    """Make the community record of an account that has none (see members/access.py)."""
    member_record_ensure(user=request.user)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("members:me")
    return redirect(target)
