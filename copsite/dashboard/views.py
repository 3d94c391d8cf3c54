"""The dashboard's pages, under the admin: HTTP only."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from copsite.dashboard import at_risk as risk
from copsite.dashboard.overview import dashboard_overview, dashboard_table, period_from
from copsite.dashboard.tables import PERIODS
from members.models import Member
from members.services.attrition import PersonalCheckinRefused, personal_checkin_send
from members.spreadsheets import SafeCsvWriter

PERMISSION = "members.view_community_dashboard"


def _context(request, title: str) -> dict:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return {**admin.site.each_context(request), "title": title}


def dashboard(request):
    context = _context(request, gettext("Community health"))
    months = period_from(request.GET.get("months"))
    context.update(overview=dashboard_overview(months=months), months=months, periods=PERIODS)
    return TemplateResponse(request, "admin/dashboard/index.html", context)


def table_csv(request, slug: str):
    _context(request, "")
    months = period_from(request.GET.get("months"))
    table = dashboard_table(slug=slug, months=months)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{slug}-{months}-months-{stamp}.csv"'
    # Sector names and question texts are typed by people: formula cells are written as text.
    SafeCsvWriter(response).writerows(table.csv_rows())
    return response


def at_risk(request):
    context = _context(request, gettext("Members at risk of drifting away"))
    months = period_from(request.GET.get("months"))
    members, total = risk.at_risk_members()
    waiting, waiting_total = risk.reengagements_waiting()
    context.update(
        members=members,
        total=total,
        waiting=waiting,
        waiting_total=waiting_total,
        outcomes=risk.reengagement_outcomes(months=months),
        months=months,
        can_send=request.user.has_perm("members.change_member"),
        attrition_days=settings.ATTRITION_AT_RISK_DAYS,
        lapse_days=settings.ATTRITION_LAPSE_AFTER_DAYS,
    )
    return TemplateResponse(request, "admin/dashboard/at_risk.html", context)


@require_POST
def personal_checkin(request, member_id: int):
    _context(request, "")
    if not request.user.has_perm("members.change_member"):
        raise PermissionDenied
    member = get_object_or_404(Member, pk=member_id)
    try:
        personal_checkin_send(member=member, sent_by=request.user)
    except PersonalCheckinRefused as refusal:
        messages.warning(request, str(refusal))
    else:
        messages.success(
            request,
            gettext(
                "A personal check-in to %(name)s is in the outbox, signed by you; "
                "replies come to your address."
            )
            % {"name": member.full_name},
        )
    return redirect("dashboard:at_risk")
