from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from copsite.context_processors import site
from meetings.models import Meeting
from members.models import Sector

UPCOMING_MEETINGS_SHOWN = 3


def home(request):
    # Meta.ordering is not applied to a query with GROUP BY, so the order is stated here.
    sectors = Sector.objects.with_active_member_counts().order_by("position", "name")
    upcoming_meetings = Meeting.objects.open_for_registration().order_by("starts_at", "pk")[
        :UPCOMING_MEETINGS_SHOWN
    ]
    return render(
        request, "home.html", {"sectors": sectors, "upcoming_meetings": upcoming_meetings}
    )


def server_error(request):
    """The styled 500 page.

    Like Django's own handler it renders without the request (no context processors that could
    fail again, no user), but with the site's name so the header and footer read properly.
    """
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(site(request)))
