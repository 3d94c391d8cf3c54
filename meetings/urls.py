from django.urls import path, re_path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("mine/", views.my_meetings, name="mine"),
    path("mine/calendar/regenerate/", views.calendar_feed_regenerate, name="feed_regenerate"),
    # Only the alphabet of secrets.token_urlsafe: anything else is a 404 before the database.
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$", views.calendar_feed, name="feed"),
    path("topics/", views.suggestions, name="suggestions"),
    path("topics/<int:pk>/vote/", views.suggestion_vote, name="vote"),
    path("topics/<int:pk>/unvote/", views.suggestion_unvote, name="unvote"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/register/", views.registration_create, name="register"),
    path("<int:pk>/cancel/", views.registration_cancel, name="cancel"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
]
