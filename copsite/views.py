from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from copsite.context_processors import site
from meetings.models import Meeting
from members.versions import sectors_with_active_members
from resources.models import Resource
from resources.services import sees_members_only

UPCOMING_MEETINGS_SHOWN = 3
FEATURED_RESOURCES_SHOWN = 3


def home(request):
    sectors = sectors_with_active_members()
    upcoming_meetings = Meeting.objects.open_for_registration().order_by("starts_at", "pk")[
        :UPCOMING_MEETINGS_SHOWN
    ]
    is_member = sees_members_only(request.user)
    # One query whatever the number of resources: featured ones the reader may open.
    featured_resources = Resource.objects.featured()
    if not is_member:
        featured_resources = featured_resources.public()
    return render(
        request,
        "home.html",
        {
            "sectors": sectors,
            "upcoming_meetings": upcoming_meetings,
            "featured_resources": featured_resources[:FEATURED_RESOURCES_SHOWN],
        },
    )


def server_error(request):
    """The styled 500 page.

    Like Django's own handler it renders without the request (no context processors that could
    fail again, no user), but with the site's name so the header and footer read properly.
    """
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(site(request)))
