import zoneinfo

from django.utils import timezone


class MemberTimezoneMiddleware:
    """Show dates in the reader's time zone: the member's own, else the community's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = None
        user = getattr(request, "user", None)
        # Coordinators enter and read meeting times in the community's zone, whoever they are.
        if request.path.startswith("/admin/"):
            user = None
        if user is not None and user.is_authenticated:
            member = getattr(user, "member", None)
            tz_name = member.time_zone if member else None
        if tz_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
