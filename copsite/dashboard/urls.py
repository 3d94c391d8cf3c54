"""Mounted under /admin/dashboard/: the admin's login, staff check and CSRF apply."""

from django.contrib import admin
from django.urls import path

from copsite.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", admin.site.admin_view(views.dashboard), name="index"),
    path("at-risk/", admin.site.admin_view(views.at_risk), name="at_risk"),
    path(
        "at-risk/<int:member_id>/check-in/",
        admin.site.admin_view(views.personal_checkin),
        name="personal_checkin",
    ),
    path("<slug:slug>.csv", admin.site.admin_view(views.table_csv), name="table_csv"),
]
