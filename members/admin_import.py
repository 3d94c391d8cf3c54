"""The coordinators' prospect import in the admin: upload a CSV, see a preview (a dry run), then
confirm. What was previewed, the file and the consent given for it, is what is imported."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext

from members.forms import ProspectImportForm
from members.services.prospects import prospects_import, prospects_import_plan

IMPORT_SALT = "members.admin.prospect-import"


class ProspectImportAdminMixin:
    """Adds /admin/members/member/import/ to the member admin."""

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="members_member_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Import prospects from CSV: upload → preview (a dry run) → confirm. All or nothing."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import prospects from CSV"),
        }
        if request.method == "POST" and "confirm" in request.POST:
            try:
                # What was previewed is what is imported: the file and its consent, signed.
                payload = signing.loads(
                    request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=3600
                )
                data, consent = payload["csv"].encode(), payload["consent"]
            except (signing.BadSignature, TypeError, KeyError):
                self.message_user(
                    request, gettext("The preview expired; upload the file again."), messages.ERROR
                )
                return redirect("admin:members_member_import")
            plan = prospects_import(data=data, imported_by=request.user, consent_defaults=consent)
            if plan.is_valid:
                created, skipped = len(plan.to_create), len(plan.to_skip)
                self.message_user(
                    request,
                    ngettext("Imported %(n)d prospect; ", "Imported %(n)d prospects; ", created)
                    % {"n": created}
                    + ngettext(
                        "%(n)d already in the community was left unchanged.",
                        "%(n)d already in the community were left unchanged.",
                        skipped,
                    )
                    % {"n": skipped},
                    messages.SUCCESS,
                )
                return redirect("admin:members_member_changelist")
            context.update(
                form=ProspectImportForm(),
                plan=plan,
                import_url=reverse("admin:members_member_import"),
            )
            return TemplateResponse(request, "admin/members/member/import.html", context)

        form = ProspectImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            consent = form.consent_defaults()
            plan = prospects_import_plan(data=data, consent_defaults=consent)
            context["plan"] = plan
            if plan.is_valid:
                context["payload"] = signing.dumps(
                    {"csv": data.decode("utf-8-sig"), "consent": consent},
                    salt=IMPORT_SALT,
                    compress=True,
                )
        context["form"] = form
        context["import_url"] = reverse("admin:members_member_import")
        return TemplateResponse(request, "admin/members/member/import.html", context)
