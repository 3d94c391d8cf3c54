import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from surveys.forms import AnswerForm
from surveys.models import Choice, Invitation, Question, Survey
from surveys.services import copying, invitations, results


class QuestionInline(admin.TabularInline):
    model = Question
    fields = [
        "position",
        "kind",
        "text",
        "required",
        "low_label",
        "high_label",
        "allow_other",
        "audience",
        "choices_link",
    ]
    readonly_fields = ["choices_link"]
    extra = 0
    ordering = ["position", "pk"]

    @admin.display(description="Choices")
    def choices_link(self, obj):
        if obj.pk and obj.has_choices:
            url = reverse("admin:surveys_question_change", args=[obj.pk])
            return format_html('<a href="{}">Edit the {} choices</a>', url, obj.choices.count())
        return "—"


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ["position", "label"]
    extra = 3


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "kind", "position"]
    list_filter = ["kind"]
    search_fields = ["text", "survey__title"]
    inlines = [ChoiceInline]


class Echo:
    """A file-like object for csv.writer that returns what it is given (for streaming)."""

    def write(self, value):
        return value


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "is_anonymous",
        "is_checkin",
        "opens_at",
        "closes_at",
        "invited",
        "answered",
        "links",
    ]
    list_filter = ["is_anonymous", "is_checkin"]
    search_fields = ["title"]
    filter_horizontal = ["audience_sectors"]
    inlines = [QuestionInline]
    actions = ["invite_audience", "send_reminders", "copy_survey"]

    def get_queryset(self, request):
        from django.db.models import Count, Q

        return (
            super()
            .get_queryset(request)
            .annotate(
                invitation_count=Count("invitations", distinct=True),
                completed_count=Count(
                    "invitations", filter=Q(invitations__completed=True), distinct=True
                ),
            )
        )

    @admin.display(description="Invited", ordering="invitation_count")
    def invited(self, obj):
        return obj.invitation_count

    @admin.display(description="Answered", ordering="completed_count")
    def answered(self, obj):
        return obj.completed_count

    @admin.display(description="")
    def links(self, obj):
        return format_html(
            '<a href="{}">Preview</a> · <a href="{}">Results</a>',
            reverse("admin:surveys_survey_preview", args=[obj.pk]),
            reverse("admin:surveys_survey_results", args=[obj.pk]),
        )

    @admin.action(description="Invite the audience (one email each, never twice)")
    def invite_audience(self, request, queryset):
        for survey in queryset:
            if not survey.is_open():
                self.message_user(
                    request, f"“{survey}” is not open; nobody was invited.", messages.WARNING
                )
                continue
            count = invitations.invitations_create(survey=survey)
            self.message_user(
                request, f"“{survey}”: {count} invitation(s) queued.", messages.SUCCESS
            )

    @admin.action(description="Remind those who have not answered")
    def send_reminders(self, request, queryset):
        for survey in queryset:
            count = invitations.invitations_remind(survey=survey)
            self.message_user(request, f"“{survey}”: {count} reminder(s) queued.", messages.SUCCESS)

    @admin.action(description="Copy (e.g. to run a template), opening now for 30 days")
    def copy_survey(self, request, queryset):
        for survey in queryset:
            copy = copying.survey_copy(survey=survey)
            self.message_user(request, f"Created “{copy}”.", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="surveys_survey_preview",
            ),
            path(
                "<int:pk>/results/",
                self.admin_site.admin_view(self.results_view),
                name="surveys_survey_results",
            ),
            path(
                "<int:pk>/results.csv",
                self.admin_site.admin_view(self.results_csv_view),
                name="surveys_survey_results_csv",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, survey, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": survey,
            "survey": survey,
            "title": title,
        }

    def preview_view(self, request, pk):
        """The survey exactly as a respondent sees it, on the portal's own page; never stores."""
        survey = get_object_or_404(Survey, pk=pk)
        if not self.has_view_permission(request, survey):
            raise PermissionDenied
        audience = request.GET.get("as", "member")
        questions = survey.questions.prefetch_related("choices").exclude(
            audience=Question.Audience.NON_MEMBERS
            if audience == "member"
            else Question.Audience.MEMBERS
        )
        form = AnswerForm(questions=questions, ask_sector=survey.is_anonymous)
        return TemplateResponse(
            request,
            "surveys/answer.html",
            {"survey": survey, "form": form, "preview": True, "audience": audience},
        )

    def results_view(self, request, pk):
        survey = get_object_or_404(Survey, pk=pk)
        if not self.has_view_permission(request, survey):
            raise PermissionDenied
        context = self._context(request, survey, f"Results: {survey}")
        context["results"] = results.survey_results(survey=survey)
        context["small_group"] = results.SMALL_GROUP
        return TemplateResponse(request, "admin/surveys/survey/results.html", context)

    def results_csv_view(self, request, pk):
        survey = get_object_or_404(Survey, pk=pk)
        if not self.has_view_permission(request, survey):
            raise PermissionDenied
        writer = csv.writer(Echo())
        rows = results.survey_results_csv_rows(survey=survey)
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-{stamp}.csv"'
        return response


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["survey", "member", "round", "sent_at", "reminders_sent", "completed"]
    list_filter = ["completed", "survey"]
    search_fields = ["member__email", "member__full_name"]
    list_select_related = ["survey", "member"]
    readonly_fields = [
        "survey",
        "member",
        "round",
        "nonce",
        "created_at",
        "sent_at",
        "reminders_sent",
        "last_reminded_at",
        "completed",
    ]

    def has_add_permission(self, request):
        return False
