from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members.accents import accent_blind
from members.bulk_confirmation import (
    PEOPLE_SHOWN,
    confirmation_response,
    is_confirmed,
    people_sample,
)
from members.models import Member
from members.spreadsheets import csv_stream
from surveys import previews
from surveys.forms import AnswerForm
from surveys.models import Choice, Invitation, Question, Survey
from surveys.services import anonymity
from surveys.services.checkins import checkins_daily_run, people_due_today
from surveys.services.copying import survey_copy_as_draft
from surveys.services.invitations import invitations_create, invitations_remind
from surveys.services.results import SMALL_GROUP, survey_results, survey_results_csv_rows


class QuestionInline(admin.TabularInline):
    model = Question
    fields = [
        "position",
        "kind",
        "text",
        "text_fr",
        "required",
        "low_label",
        "low_label_fr",
        "high_label",
        "high_label_fr",
        "allow_other",
        "audience",
        "choices_link",
    ]
    readonly_fields = ["choices_link"]
    extra = 0
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        # Counted with the questions, not once per question.
        return super().get_queryset(request).annotate(choice_count=Count("choices"))

    @admin.display(description=_("Choices"))
    def choices_link(self, obj):
        if obj.pk and obj.has_choices:
            url = reverse("admin:surveys_question_change", args=[obj.pk])
            count = obj.choice_count
            label = ngettext("Edit the %(n)d choice", "Edit the %(n)d choices", count) % {
                "n": count
            }
            return format_html('<a href="{}">{}</a>', url, label)
        return "—"


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ["position", "label", "label_fr"]
    extra = 3


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "kind", "position"]
    list_filter = ["kind"]
    search_fields = [accent_blind("text"), accent_blind("text_fr"), accent_blind("survey__title")]
    inlines = [ChoiceInline]


def _due_by_status(due) -> list[str]:
    counts = dict(due.order_by().values_list("status").annotate(n=Count("pk")))
    members, prospects = counts.get(Member.Status.ACTIVE, 0), counts.get(Member.Status.PROSPECT, 0)
    parts = []
    if members:
        parts.append(
            ngettext("%(n)d active member", "%(n)d active members", members) % {"n": members}
        )
    if prospects:
        parts.append(ngettext("%(n)d prospect", "%(n)d prospects", prospects) % {"n": prospects})
    return parts


def _reengagements_sent(count: int) -> str:
    if not count:
        return ""
    return " " + ngettext(
        "%(n)d re-engagement check-in sent to a member at risk.",
        "%(n)d re-engagement check-ins sent to members at risk.",
        count,
    ) % {"n": count}


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    # Few, short columns: the list stays readable at 1280 px beside the filters and the sidebar.
    list_display = ["title", "state", "kind", "answered", "links"]
    list_filter = ["status", "is_checkin", "is_anonymous"]
    search_fields = [accent_blind("title"), accent_blind("title_fr")]
    filter_horizontal = ["audience_sectors"]
    autocomplete_fields = ["audience_meeting"]
    inlines = [QuestionInline]
    actions = ["invite_audience", "send_reminders", "copy_survey"]
    change_list_template = "admin/surveys/survey/change_list.html"

    def get_queryset(self, request):
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

    def get_changeform_initial_data(self, request):
        # A new survey is a draft until a coordinator schedules it: a check-in survey that
        # opened on creation would go to everyone due at the next morning's round.
        return {"status": Survey.Status.DRAFT, **super().get_changeform_initial_data(request)}

    @admin.display(description=_("State"), ordering="opens_at")
    def state(self, obj):
        return obj.state_label()

    @admin.display(description=_("Kind"))
    def kind(self, obj):
        kinds = {
            (True, True): _("Anonymous check-in"),
            (True, False): _("Anonymous survey"),
            (False, True): _("Named check-in"),
            (False, False): _("Named survey"),
        }
        return kinds[(obj.is_anonymous, obj.is_checkin)]

    @admin.display(description=_("Answered"), ordering="completed_count")
    def answered(self, obj):
        if obj.is_template:
            return "—"
        if not obj.invitation_count:
            return gettext("nobody invited")
        percent = round(100 * obj.completed_count / obj.invitation_count)
        return gettext("%(answered)d of %(invited)d (%(percent)d%%)") % {
            "answered": obj.completed_count,
            "invited": obj.invitation_count,
            "percent": percent,
        }

    @admin.display(description="")
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:surveys_survey_preview", args=[obj.pk]),
            gettext("Preview"),
            reverse("admin:surveys_survey_results", args=[obj.pk]),
            gettext("Results"),
        )

    @admin.action(
        description=_("Invite the audience (count and preview first)"), permissions=["change"]
    )
    def invite_audience(self, request, queryset):
        if not is_confirmed(request):
            return confirmation_response(
                self,
                request,
                queryset,
                action="invite_audience",
                preview=previews.invite_preview(surveys=queryset),
            )
        for survey in queryset:
            if not survey.is_open():
                self.message_user(
                    request,
                    gettext("“%(survey)s” is not open; nobody was invited.") % {"survey": survey},
                    messages.WARNING,
                )
                continue
            count = invitations_create(survey=survey)
            self.message_user(
                request,
                ngettext(
                    "“%(survey)s”: %(n)d invitation queued.",
                    "“%(survey)s”: %(n)d invitations queued.",
                    count,
                )
                % {"survey": survey, "n": count},
                messages.SUCCESS,
            )
        return None

    @admin.action(
        description=_("Remind those who have not answered (count and preview first)"),
        permissions=["change"],
    )
    def send_reminders(self, request, queryset):
        if not is_confirmed(request):
            return confirmation_response(
                self,
                request,
                queryset,
                action="send_reminders",
                preview=previews.remind_preview(surveys=queryset),
            )
        for survey in queryset:
            count = invitations_remind(survey=survey)
            self.message_user(
                request,
                ngettext(
                    "“%(survey)s”: %(n)d reminder queued.",
                    "“%(survey)s”: %(n)d reminders queued.",
                    count,
                )
                % {"survey": survey, "n": count},
                messages.SUCCESS,
            )
        return None

    @admin.action(description=_("Copy as a draft (e.g. to run a template)"), permissions=["add"])
    def copy_survey(self, request, queryset):
        copies = [survey_copy_as_draft(survey=survey) for survey in queryset]
        for copy in copies:
            self.message_user(
                request,
                gettext(
                    "Created the draft “%(survey)s”: check its questions and dates, then "
                    "schedule it."
                )
                % {"survey": copy},
                messages.SUCCESS,
            )
        if len(copies) == 1:
            return redirect("admin:surveys_survey_change", copies[0].pk)
        return None

    def get_urls(self):
        return [
            path(
                "checkin-round/",
                self.admin_site.admin_view(self.checkin_round_view),
                name="surveys_survey_checkin_round",
            ),
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

    def checkin_round_view(self, request):
        """This round's check-in from the admin: a dry run shows how many and who; one
        confirmation runs the same round as the daily schedule and `send_checkins`."""
        if not request.user.has_perm("surveys.add_invitation"):
            raise PermissionDenied
        if request.method == "POST":
            planned = request.POST.get("round", "")
            report = checkins_daily_run(dry_run=True).round
            if report.survey is None or planned != str(report.round):
                self.message_user(
                    request,
                    gettext(
                        "The round changed since the dry run; check who is due and confirm again."
                    ),
                    messages.WARNING,
                )
                return redirect("admin:surveys_survey_checkin_round")
            daily = checkins_daily_run()
            report = daily.round
            if report.handed_over:  # the workers are writing the invitations and emails
                done = ngettext(
                    "Round %(round)s of “%(survey)s”: %(n)d person due, whose invitation and "
                    "email the workers are preparing.",
                    "Round %(round)s of “%(survey)s”: %(n)d people due, whose invitations and "
                    "emails the workers are preparing.",
                    report.handed_over,
                ) % {"round": report.round, "survey": report.survey, "n": report.handed_over}
            else:
                done = ngettext(
                    "Round %(round)s of “%(survey)s”: %(n)d person invited, ",
                    "Round %(round)s of “%(survey)s”: %(n)d people invited, ",
                    report.invited,
                ) % {"round": report.round, "survey": report.survey, "n": report.invited}
                done += ngettext(
                    "%(n)d email queued for sending.",
                    "%(n)d emails queued for sending.",
                    report.queued,
                ) % {"n": report.queued}
            self.message_user(
                request,
                done + _reengagements_sent(daily.attrition["invited"]),
                messages.SUCCESS,
            )
            outbox = reverse("admin:members_outgoingemail_changelist")
            return redirect(f"{outbox}?kind__exact=checkin")
        daily = checkins_daily_run(dry_run=True)
        report = daily.round
        _, due = people_due_today()
        if report.survey is None:
            due = Member.objects.none()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Run this round’s check-in"),
            "report": report,
            "people": people_sample(due),
            "more": max(report.due - PEOPLE_SHOWN, 0),
            "by_status": _due_by_status(due),
            "reengagements_due": daily.attrition["invited"],
        }
        return TemplateResponse(request, "admin/surveys/survey/checkin_round.html", context)

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
            {
                "survey": survey,
                "form": form,
                "preview": True,
                "audience": audience,
                "anonymity_batch": anonymity.batch_size(),
            },
        )

    def results_view(self, request, pk):
        survey = get_object_or_404(Survey, pk=pk)
        if not self.has_view_permission(request, survey):
            raise PermissionDenied
        context = self._context(
            request, survey, gettext("Results: %(survey)s") % {"survey": survey}
        )
        context["results"] = survey_results(survey=survey)
        context["small_group"] = SMALL_GROUP
        context["anonymity_batch"] = anonymity.batch_size()
        return TemplateResponse(request, "admin/surveys/survey/results.html", context)

    def results_csv_view(self, request, pk):
        survey = get_object_or_404(Survey, pk=pk)
        if not self.has_view_permission(request, survey):
            raise PermissionDenied
        rows = survey_results_csv_rows(survey=survey)
        response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-{stamp}.csv"'
        return response


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["survey", "member", "round", "sent_at", "reminders_sent", "completed"]
    list_filter = ["completed", "survey"]
    search_fields = ["member__email", accent_blind("member__full_name")]
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
