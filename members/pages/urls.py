"""The community's pages live at the site's root: /about/, /contact/, /privacy/…"""

from django.urls import path

from members.pages import views
from members.pages.models import CommunityPage

app_name = "pages"

urlpatterns = [
    path(f"{slug}/", views.community_page, {"slug": slug}, name=slug.replace("-", "_"))
    for slug in CommunityPage.Slug.values
]
