from django.shortcuts import render

from meetings.models import Meeting
from members.models import Sector

UPCOMING_MEETINGS_SHOWN = 3


def home(request):
    sectors = Sector.objects.with_active_member_counts()
    upcoming_meetings = Meeting.objects.open_for_registration().order_by("starts_at", "pk")[
        :UPCOMING_MEETINGS_SHOWN
    ]
    return render(
        request, "home.html", {"sectors": sectors, "upcoming_meetings": upcoming_meetings}
    )
