from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from copsite import health, views
from members import webhooks

# The admin login goes through allauth's login, so it gets the same rate limits and verification.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = format_lazy(_("{name} administration"), name=settings.COMMUNITY_SHORT_NAME)
admin.site.site_title = format_lazy(_("{name} admin"), name=settings.COMMUNITY_SHORT_NAME)

handler500 = "copsite.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # The language switcher posts here (Django's set_language: a cookie, then back to the page).
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("surveys/", include("surveys.urls")),
    path("resources/", include("resources.urls")),
    # The mail provider reports bounces and complaints here (signed; off without a key).
    path("email/webhooks/mailgun/", webhooks.mailgun_tracking, name="mailgun_tracking"),
    # Before the admin's own URLs, which would otherwise claim "dashboard/" as an app label.
    path("admin/dashboard/", include("copsite.dashboard.urls")),
    path("admin/", admin.site.urls),
    # The community's own pages at the root (/about/, /privacy/…): after every app's prefix.
    path("", include("members.pages.urls")),
]
