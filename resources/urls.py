from django.urls import path

from resources import views
from resources.feeds import PublicResourcesFeed

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("feed.atom", PublicResourcesFeed(), name="feed"),
    path("mine/", views.my_resources, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("new/", views.resource_create, name="create"),
    path("new/case-study/", views.resource_create, {"guided": True}, name="create_guided"),
    path("<int:pk>/", views.resource_detail, name="detail"),
    path("<int:pk>/download/", views.resource_download, name="download"),
    path("<int:pk>/edit/", views.resource_edit, name="edit"),
    path("<int:pk>/submit/", views.resource_submit, name="submit"),
    path("<int:pk>/review/", views.resource_review, name="review"),
    path("<int:pk>/feature/", views.resource_feature, name="feature"),
    path("<int:pk>/rate/", views.resource_rate, name="rate"),
]
