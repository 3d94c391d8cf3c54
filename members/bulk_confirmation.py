"""Count and preview first: every admin action that emails many people asks before it sends.

An action renders a `BulkPreview` on its first POST; the page re-posts the same action with
`confirm=yes`, and only then does the action call its service. The preview is computed by the
same querysets the service uses, so the count shown is the count sent.
"""

from dataclasses import dataclass, field

from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from members.models import Member, OutgoingEmail

CONFIRM_FIELD = "confirm"
PEOPLE_SHOWN = 20


@dataclass
class PreviewSection:
    """What the action does to one selected object (a survey, a meeting)."""

    heading: str
    count: int
    # What the count counts, already pluralised: "invitation", "reminders", "registrants".
    noun: str
    people: list[Member] = field(default_factory=list)
    note: str = ""
    # The email one person would get, unsaved: built by the same function that queues it.
    email: OutgoingEmail | None = None

    @property
    def more(self) -> int:
        return max(self.count - len(self.people), 0)


@dataclass
class BulkPreview:
    title: str
    confirm_label: str
    sections: list[PreviewSection]
    # Said above the sections, e.g. "Nothing is sent until you confirm."
    lead: str = ""
    # How many things confirming does, when that is not the number of emails (meetings to
    # cancel, even without registrants); None: the emails.
    work: int | None = None

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def has_work(self) -> bool:
        return bool(self.total if self.work is None else self.work)


def is_confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "yes"


def people_sample(people) -> list[Member]:
    return list(people.select_related("sector").order_by("full_name", "pk")[:PEOPLE_SHOWN])


def confirmation_response(modeladmin, request, queryset, *, action: str, preview: BulkPreview):
    """The intermediate page of an admin action, in the way Django's own delete confirmation is."""
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": opts,
        "title": preview.title,
        "preview": preview,
        "action": action,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "confirm_field": CONFIRM_FIELD,
    }
    return TemplateResponse(request, "admin/bulk_confirmation.html", context)
