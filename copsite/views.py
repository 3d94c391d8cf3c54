from django.shortcuts import render

from members.models import Sector


def home(request):
    sectors = Sector.objects.with_active_member_counts()
    return render(request, "home.html", {"sectors": sectors})
