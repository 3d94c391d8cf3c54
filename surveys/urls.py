from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("<int:survey_id>/answer/", views.answer_as_member, name="answer_as_member"),
    path("<int:survey_id>/thanks/", views.thanks, name="thanks"),
    # Signed tokens use URL-safe base64 and ':' separators.
    path("<int:survey_id>/r/<str:token>/", views.answer, name="answer"),
]
