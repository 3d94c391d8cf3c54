from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings import ical
from meetings.filters import MeetingFilter
from meetings.forms import TopicSuggestionForm
from meetings.models import CalendarFeed, Meeting, Registration, TopicSuggestion, TopicVote
from meetings.services import feeds, registrations, topics
from members.cached_permissions import has_permission
from members.links import absolute_url
from members.listing import filtered_page
from members.models import Member
from members.services.joining import member_for_user
from members.views import member_required

MEETINGS_PAGE_SIZE = 20


def _viewer(request) -> Member | None:
    """The member looking at the page, if they are logged in and have a record."""
    if not request.user.is_authenticated:
        return None
    return member_for_user(user=request.user)


def _visible_meeting(request, pk) -> Meeting:
    """Published and cancelled meetings for everyone; drafts only for those who may change
    meetings (being staff is not enough: a view-only helper sees no drafts)."""
    meetings = Meeting.objects.with_counts().prefetch_related("topics")
    # is_staff first: a member's page view needs no permission at all.
    if not (request.user.is_staff and has_permission(request.user, "meetings.change_meeting")):
        meetings = meetings.published()
    return get_object_or_404(meetings, pk=pk)


@require_GET
def meeting_list(request):
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    base = Meeting.objects.published().for_listing()
    base = base.past() if when == "past" else base.upcoming()
    context = filtered_page(request, MeetingFilter, base, per_page=MEETINGS_PAGE_SIZE)
    viewer = _viewer(request)
    statuses = {}
    if viewer is not None:
        statuses = dict(
            Registration.objects.filter(
                member=viewer, meeting__in=[m.pk for m in context["page"].object_list]
            ).values_list("meeting_id", "status")
        )
    return render(request, "meetings/list.html", {**context, "when": when, "statuses": statuses})


def _rsvp_context(request, meeting: Meeting, registration: Registration | None) -> dict:
    return {
        "meeting": meeting,
        "registration": registration,
        "position": registration.waitlist_position() if registration else None,
        "is_going": registration is not None and registration.status == "going",
        "seats_left": meeting.seats_left(meeting.going_count),
    }


@require_GET
def meeting_detail(request, pk):
    meeting = _visible_meeting(request, pk)
    viewer = _viewer(request)
    registration = registrations.registration_for(meeting=meeting, member=viewer)
    context = _rsvp_context(request, meeting, registration)
    context["viewer"] = viewer
    return render(request, "meetings/detail.html", context)


def _rsvp_response(request, meeting: Meeting, status: int = 200):
    """The RSVP area in place for htmx, or the whole page again without JavaScript."""
    if request.htmx:
        meeting = _visible_meeting(request, meeting.pk)  # fresh counts
        registration = registrations.registration_for(meeting=meeting, member=request.member)
        response = render(
            request, "meetings/_rsvp.html", _rsvp_context(request, meeting, registration)
        )
        response.status_code = status
        return response
    return redirect(meeting)


@require_POST
@member_required
def registration_create(request, pk):
    meeting = _visible_meeting(request, pk)
    try:
        registration = registrations.registration_create(meeting=meeting, member=request.member)
    except registrations.RegistrationRefused as refusal:
        messages.error(request, str(refusal))
        return _rsvp_response(request, meeting)
    if registration.status == Registration.Status.GOING:
        messages.success(request, _("You are registered. We have emailed you the details."))
    else:
        messages.info(
            request,
            _(
                "The meeting is full, so you are on the waiting list (number %(position)d). "
                "We will email you if a place frees up."
            )
            % {"position": registration.waitlist_position()},
        )
    return _rsvp_response(request, meeting)


@require_http_methods(["GET", "POST"])
@member_required
def registration_cancel(request, pk):
    """GET asks "are you sure?" (in place with htmx, or as a page); only POST cancels."""
    meeting = _visible_meeting(request, pk)
    registration = registrations.registration_for(meeting=meeting, member=request.member)
    if request.method == "GET":
        if registration is None or not registration.is_active:
            return redirect(meeting)
        template = "meetings/_cancel_confirm.html" if request.htmx else "meetings/cancel.html"
        return render(request, template, {"meeting": meeting, "registration": registration})
    if registration is None:
        messages.error(request, _("You are not registered for this meeting."))
        return _rsvp_response(request, meeting)
    try:
        registrations.registration_cancel(registration=registration)
    except registrations.RegistrationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return _rsvp_response(request, meeting)


@require_GET
def meeting_ics(request, pk):
    meeting = _visible_meeting(request, pk)
    viewer = _viewer(request)
    registration = registrations.registration_for(meeting=meeting, member=viewer)
    going = registration is not None and registration.status == Registration.Status.GOING
    response = HttpResponse(
        ical.meeting_ics(meeting, with_online_url=going), content_type=ical.ICS_MIMETYPE
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@require_GET
def calendar_feed(request, token):
    feed = CalendarFeed.objects.select_related("member").filter(token=token).first()
    if feed is None or not feed.member.is_active_member:
        raise Http404(_("No such calendar."))
    meetings = feeds.calendar_feed_meetings(member=feed.member)
    # Calendar apps send no useful Accept-Language: the feed speaks the member's language.
    with translation.override(feed.member.language):
        ics = ical.feed_ics(meetings, name=_("My community meetings"))
    response = HttpResponse(ics, content_type=ical.ICS_MIMETYPE)
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
@member_required
def my_meetings(request):
    member = request.member
    registrations = (
        Registration.objects.filter(
            member=member,
            status__in=[Registration.Status.GOING, Registration.Status.WAITLISTED],
        )
        .filter(meeting__in=Meeting.objects.published().upcoming())
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )
    # A GET only shows the address; making one is the button's POST.
    feed = CalendarFeed.objects.filter(member=member).first()
    return render(
        request,
        "meetings/mine.html",
        {
            "registrations": registrations,
            "feed_url": absolute_url(feed.get_absolute_url()) if feed else None,
        },
    )


@require_POST
@member_required
def calendar_feed_regenerate(request):
    had_one = CalendarFeed.objects.filter(member=request.member).exists()
    feeds.calendar_feed_regenerate(member=request.member)
    messages.success(
        request,
        _(
            "Your calendar address has been changed. The old one no longer works: "
            "subscribe again with the new one."
        )
        if had_one
        else _("Your private calendar address is ready: subscribe to it in your calendar."),
    )
    return redirect("meetings:mine")


@require_http_methods(["GET", "POST"])
@member_required
def suggestions(request):
    member = request.member
    form = TopicSuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topics.suggestion_create(
            member=member,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
        messages.success(request, _("Thank you: your topic is on the list, with your vote."))
        return redirect("meetings:suggestions")
    ranked = (
        TopicSuggestion.objects.filter(status=TopicSuggestion.Status.OPEN)
        .ranked()
        .select_related("suggested_by")
        .annotate(voted=Exists(TopicVote.objects.filter(suggestion=OuterRef("pk"), member=member)))
    )
    return render(request, "meetings/suggestions.html", {"form": form, "suggestions": ranked})


@require_POST
@member_required
def suggestion_vote(request, pk):
    suggestion = get_object_or_404(TopicSuggestion, pk=pk)
    try:
        topics.suggestion_vote(suggestion=suggestion, member=request.member)
    except topics.VoteRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Your vote for “%(topic)s” is counted.") % {"topic": suggestion.title}
        )
    return redirect("meetings:suggestions")


@require_POST
@member_required
def suggestion_unvote(request, pk):
    suggestion = get_object_or_404(TopicSuggestion, pk=pk)
    if topics.suggestion_unvote(suggestion=suggestion, member=request.member):
        messages.success(
            request, _("Your vote for “%(topic)s” is withdrawn.") % {"topic": suggestion.title}
        )
    else:
        messages.error(request, _("You had not voted for this topic."))
    return redirect("meetings:suggestions")
