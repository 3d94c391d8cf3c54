"""Who may see a member's own pages: logged in, with a community record.

An account made outside signup (before createsuperuser and the admin made records for new
accounts) may have no record. Making one is a change, and a GET changes nothing: such a person
is shown a page with a button that makes it (a POST to `members:record_create`).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from members.services.joining import member_for_user


def member_record_required(view):
    """Logged in and with a community record (set as `request.member`)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        member = member_for_user(user=request.user)
        if member is None:
            return render(
                request,
                "members/no_record.html",
                {"next": request.get_full_path()},
                status=200 if request.method == "GET" else 409,
            )
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper
