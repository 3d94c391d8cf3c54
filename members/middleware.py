from django.utils import timezone


class MemberTimezoneMiddleware:
    """Show dates in the reader's time zone: the member's own, else the community's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        member = None
        # Coordinators enter and read meeting times in the community's zone, whoever they are.
        if user is not None and user.is_authenticated and not request.path.startswith("/admin/"):
            member = getattr(user, "member", None)
        if member is not None:
            timezone.activate(member.zone())
        else:
            timezone.deactivate()
        return self.get_response(request)
