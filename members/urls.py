from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("me/data.json", views.export_data, name="export_data"),
    path("me/leave/", views.leave, name="leave"),
    path("me/rejoin/", views.rejoin, name="rejoin"),
    path("me/delete/", views.delete_account, name="delete_account"),
    path("me/preferences/", views.my_preferences, name="my_preferences"),
    path("me/record/", views.record_create, name="record_create"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("still-with-us/<str:token>/", views.reengagement, name="reengagement"),
    path("<int:pk>/", views.detail, name="detail"),
]
