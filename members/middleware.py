from django.db import DatabaseError
from django.utils import timezone


class MemberTimezoneMiddleware:
    """Show dates in the reader's time zone: the member's own, else the community's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        member = None
        # Coordinators enter and read meeting times in the community's zone, whoever they are.
        if not request.path.startswith("/admin/"):
            member = _reader_member(user)
        if member is not None:
            timezone.activate(member.zone())
        else:
            timezone.deactivate()
        return self.get_response(request)


def _reader_member(user):
    """The logged-in reader's member record, if any. With the database down (loading the
    session or the user needs it) the request goes on without one: the outage is for the view
    to meet (a page's styled 500, /healthz's 503), not for this middleware to turn into a 500."""
    try:
        if user is None or not user.is_authenticated:
            return None
        return getattr(user, "member", None)
    except DatabaseError:
        return None
