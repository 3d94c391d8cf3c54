from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from members.access import member_record_required
from members.links import InvalidLink
from members.outbox.bulk import member_for_preferences_token, preferences_token
from surveys.forms import (
    AnswerForm,
    field_name,
    one_press_anchor,
    one_press_answer,
    one_press_data,
    one_press_options,
)
from surveys.models import Invitation, Survey
from surveys.services import anonymity, answering, invitations


def _closed(request, survey):
    not_yet = survey.opens_at > timezone.now()
    return render(request, "surveys/closed.html", {"survey": survey, "not_yet": not_yet})


def _answer(request, invitation: Invitation):
    """Shared by the email link and the member's own page: GET shows, only POST stores.

    An option chosen in a check-in email opens the page at its fragment (`#answer-4`), where the
    page shows that answer and one Send button, the rest of the check-in optional: one press
    stores it. The page carries such a part for every option and the stylesheet shows the one
    the fragment names (`:target`), so no JavaScript is needed and the answer never reaches the
    server before Send. Opening the link stores nothing (mail scanners open every link).
    """
    survey = invitation.survey
    if invitation.completed:
        return render(request, "surveys/answered.html", {"survey": survey})
    if not survey.is_open():
        return _closed(request, survey)
    questions = list(survey.questions.for_respondent(invitation.member))
    data = one_press_data(request.POST) if request.method == "POST" else request.GET
    one_press = one_press_answer(questions, data) if request.method == "POST" else None
    legacy = one_press_answer(questions, data) if survey.is_checkin else None
    if request.method == "GET" and legacy:
        # An option link from an email sent before fragments (`?q12=4`): on to its fragment.
        return redirect(f"{request.path}#{one_press_anchor(legacy[1])}")
    form_options = {
        "questions": questions,
        "ask_sector": survey.is_anonymous,
        "optional_except": one_press[0] if one_press else None,
    }
    if request.method == "POST":
        form = AnswerForm(data, **form_options)
        if form.is_valid():
            try:
                answering.response_submit(
                    invitation=invitation,
                    answers=form.answers(),
                    declared_sector=form.cleaned_data.get("sector"),
                )
            except answering.AlreadyAnswered:
                return render(request, "surveys/answered.html", {"survey": survey})
            except answering.SurveyClosed:
                return _closed(request, survey)
            thanks_url = reverse("surveys:thanks", args=[survey.pk])
            token = preferences_token(member=invitation.member)
            return redirect(f"{thanks_url}?{urlencode({'p': token})}")
    else:
        form = AnswerForm(**form_options)
    context = {"survey": survey, "form": form, "invitation": invitation}
    if one_press:
        # A one-press Send refused for another field: shown again as it was.
        question, value, label = one_press
        name = field_name(question)
        context["one_press"] = {
            "question": question,
            "name": name,
            "value": value,
            "label": label,
            # Everything but the answer chosen in the email, under "tell us more".
            "others": [field for field in form if field.name != name],
            "change_url": request.path,
        }
    elif request.method == "GET":
        context["one_press_choices"] = _one_press_choices(survey, questions, form)
    context["anonymity_batch"] = anonymity.batch_size()
    return render(request, "surveys/answer.html", context)


def _one_press_choices(survey, questions, form) -> dict | None:
    """The page's part for each option of the question the check-in email offers."""
    question = survey.questions.answerable_in_email() if survey.is_checkin else None
    if question is None or question.pk not in {q.pk for q in questions}:
        return None
    return {
        "question": question,
        "field": form[field_name(question)],
        "options": one_press_options(question),
    }


@require_http_methods(["GET", "POST"])
def answer(request, survey_id, token):
    try:
        invitation = invitations.invitation_for_token(survey_id=survey_id, token=token)
    except InvalidLink:
        raise Http404("No such survey link") from None
    return _answer(request, invitation)


@member_record_required
@require_http_methods(["GET", "POST"])
def answer_as_member(request, survey_id):
    member = request.member
    invitation = (
        Invitation.objects.filter(survey_id=survey_id, member=member)
        .select_related("survey", "member")
        .order_by("completed", "-round")
        .first()
    )
    if invitation is None:
        raise Http404("You are not invited to this survey")
    return _answer(request, invitation)


def thanks(request, survey_id):
    survey = get_object_or_404(Survey, pk=survey_id)
    preferences_token = request.GET.get("p", "")
    try:
        member_for_preferences_token(token=preferences_token)
    except InvalidLink:
        preferences_token = ""
    return render(
        request,
        "surveys/thanks.html",
        {
            "survey": survey,
            "preferences_token": preferences_token,
            "anonymity_batch": anonymity.batch_size(),
        },
    )


@member_record_required
def mine(request):
    member = request.member
    return render(
        request,
        "surveys/mine.html",
        {"invitations": invitations.open_invitations_for(member=member)},
    )
