"""Editing a series changes its future meetings, and says exactly what it changed.

A series is a rule and a template; its meetings are ordinary meetings once created. So an edit
reaches only what it should: the fields the coordinator changed, on meetings that have not
started and are not cancelled. Past meetings keep the record of what happened.

- Details (title, description, format, place, link, capacity, topics) are copied onto each
  future meeting; fields left alone keep any edit made to one meeting on its own.
- New times: each future meeting keeps its date and takes the new start and end.
- A new rule (frequency, weekday, week, first date): the future meetings move, in order, to the
  rule's future dates.
- More meetings: the missing future dates get new meetings. Fewer (or a rule with fewer future
  dates): the meetings left over stay and are named in the result; cancelling them is the
  series admin's action, which shows the count and a preview first, like any meeting's cancel.
  Past and cancelled meetings count towards the number, except a meeting cancelled as left
  over: it leaves the series, or the series would find another one too many each time.
"""

import copy
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from meetings.models import MEETING_DETAILS, Meeting, Series
from meetings.services.coordinating import meeting_cancel, meeting_save
from meetings.services.series import series_dates, series_meeting_create

TIME_FIELDS = ("start_time", "end_time")
RULE_FIELDS = ("frequency", "weekday", "week_of_month", "starts_on")
FIELD_LABELS = {
    "title": _("title"),
    "summary": _("summary"),
    "description": _("description"),
    "kind": _("kind"),
    "format": _("format"),
    "location": _("location"),
    "online_url": _("online link"),
    "capacity": _("capacity"),
    "topics": _("topics"),
    "start_time": _("start time"),
    "end_time": _("end time"),
}


@dataclass
class SeriesEdit:
    """What an edit of a series does (a plan) or did (once applied) to its meetings."""

    changed: list[str] = field(default_factory=list)  # labels of the fields copied
    updated: list[Meeting] = field(default_factory=list)
    moved: list[Meeting] = field(default_factory=list)
    created: list[Meeting] = field(default_factory=list)
    leftover: list[Meeting] = field(default_factory=list)  # beyond the series' dates
    untouched_past: int = 0

    @property
    def changes_anything(self) -> bool:
        return bool(self.updated or self.moved or self.created)


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _local_date(moment: datetime) -> date:
    return moment.astimezone(_zone()).date()


def _at(day: date, clock) -> datetime:
    return datetime.combine(day, clock, tzinfo=_zone())


def series_future_meetings(*, series: Series, now=None):
    """The meetings an edit of the series reaches: not started, not cancelled."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(series=series, starts_at__gt=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )


def _future_dates(*, series: Series, future: list[Meeting], now) -> tuple[list[date], int]:
    """The dates the series' future meetings should have, and how many meetings are past or
    cancelled: the rule's dates still to come, less those a past or cancelled meeting already
    holds; as many as the number of meetings leaves once the past and cancelled are counted."""
    future_ids = {meeting.pk for meeting in future}
    others = [m for m in Meeting.objects.filter(series=series) if m.pk not in future_ids]
    held = {_local_date(m.starts_at) for m in others}
    wanted = max(series.occurrences - len(others), 0)
    dates = [
        day
        for day in _rule_dates(series=series, wanted=wanted + len(held), now=now)
        if _at(day, series.start_time) > now and day not in held
    ][:wanted]
    return dates, len(others)


def series_leftover_meetings(*, series: Series, now=None) -> list[Meeting]:
    """The future meetings beyond the series' number (e.g. after 6 → 4): what cancelling "the
    meetings left over" cancels. Never more than the excess; a meeting on one of the series'
    dates is kept, and of the others the latest go first. After an applied edit these are
    exactly the ones it left over (it moves the rest onto the series' dates)."""
    now = now or timezone.now()
    future = list(series_future_meetings(series=series, now=now))
    dates, _ = _future_dates(series=series, future=future, now=now)
    excess = len(future) - len(dates)
    if excess <= 0:
        return []
    open_dates = set(dates)
    off_date = []
    for meeting in future:
        day = _local_date(meeting.starts_at)
        if day in open_dates:
            open_dates.discard(day)
        else:
            off_date.append(meeting)
    return off_date[-excess:]


@transaction.atomic
def series_leftover_cancel(*, series: Series, now=None) -> list[Meeting]:
    """Cancel the meetings left over, each registrant emailed, and take them out of the series
    (they are no longer among its meetings). Running it again cancels nothing more."""
    Series.objects.select_for_update().get(pk=series.pk)
    cancelled = []
    for meeting in series_leftover_meetings(series=series, now=now):
        meeting = meeting_cancel(meeting=meeting)
        meeting.series = None
        meeting.save(update_fields=["series"])
        cancelled.append(meeting)
    return cancelled


@transaction.atomic
def series_edit_apply(*, series: Series, changed_fields, now=None) -> SeriesEdit:
    """Carry a saved edit of the series to its future meetings (see the module's rules)."""
    now = now or timezone.now()
    changed = set(changed_fields)
    Series.objects.select_for_update().get(pk=series.pk)
    edit = SeriesEdit()
    future = list(series_future_meetings(series=series, now=now))
    dates, edit.untouched_past = _future_dates(series=series, future=future, now=now)

    details = [name for name in MEETING_DETAILS if name in changed]
    retime = any(name in changed for name in TIME_FIELDS)
    new_rule = any(name in changed for name in RULE_FIELDS)
    edit.changed = [FIELD_LABELS[name] for name in (*details, *TIME_FIELDS) if name in changed]
    if "topics" in changed:
        edit.changed.append(FIELD_LABELS["topics"])

    topics = list(series.topics.all()) if "topics" in changed else None
    for meeting, day in zip(future, dates, strict=False):
        fields = list(details)
        for name in details:
            setattr(meeting, name, getattr(series, name))
        moves = new_rule and _local_date(meeting.starts_at) != day
        if retime or moves:
            target = day if moves else _local_date(meeting.starts_at)
            meeting.starts_at = _at(target, series.start_time)
            meeting.ends_at = _at(target, series.end_time)
            fields += ["starts_at", "ends_at"]
        if fields:
            meeting_save(meeting=meeting, changed_fields=fields)
        if topics is not None:
            meeting.topics.set(topics)
        if moves:
            edit.moved.append(meeting)
        elif fields or topics is not None:
            edit.updated.append(meeting)

    edit.leftover = future[len(dates) :]
    for day in dates[len(future) :]:
        edit.created.append(series_meeting_create(series=series, day=day))
    return edit


def _rule_dates(*, series: Series, wanted: int, now) -> list[date]:
    """The rule's dates from its first one, enough to hold `wanted` dates after now.

    A new rule may start in the past, where its first dates hold no meeting: they are skipped,
    so the dates are counted on from now. No rule is denser than weekly, which bounds how many
    of its dates lie before now.
    """
    elapsed = max((_local_date(now) - series.starts_on).days, 0)
    probe = copy.copy(series)  # never saved: only the rule is read
    probe.occurrences = wanted + elapsed // 7 + 1
    return series_dates(series=probe)


def _dates(meetings: list[Meeting]) -> str:
    return ", ".join(date_format(timezone.localtime(m.starts_at, _zone())) for m in meetings)


def series_edit_summary(*, edit: SeriesEdit) -> list[str]:
    """The result in sentences, for the coordinator who saved the series: never silent."""
    lines = []
    if edit.updated:
        n = len(edit.updated)
        lines.append(
            ngettext(
                "Changed %(fields)s on %(n)d future meeting (%(dates)s).",
                "Changed %(fields)s on %(n)d future meetings (%(dates)s).",
                n,
            )
            % {
                "fields": ", ".join(str(label) for label in edit.changed),
                "n": n,
                "dates": _dates(edit.updated),
            }
        )
    if edit.moved:
        n = len(edit.moved)
        lines.append(
            ngettext(
                "Moved %(n)d future meeting to the new dates (%(dates)s).",
                "Moved %(n)d future meetings to the new dates (%(dates)s).",
                n,
            )
            % {"n": n, "dates": _dates(edit.moved)}
        )
    if edit.created:
        n = len(edit.created)
        lines.append(
            ngettext("Created %(n)d meeting (%(dates)s).", "Created %(n)d meetings (%(dates)s).", n)
            % {"n": n, "dates": _dates(edit.created)}
        )
    if edit.leftover:
        n = len(edit.leftover)
        lines.append(
            ngettext(
                "%(n)d future meeting is beyond the series' dates and was kept (%(dates)s). "
                "To cancel it, select the series in the list and choose “Cancel the meetings "
                "left over”: it shows who will be emailed before anything is sent.",
                "%(n)d future meetings are beyond the series' dates and were kept (%(dates)s). "
                "To cancel them, select the series in the list and choose “Cancel the meetings "
                "left over”: it shows who will be emailed before anything is sent.",
                n,
            )
            % {"n": n, "dates": _dates(edit.leftover)}
        )
    if not lines:
        lines.append(gettext("No meeting of the series needed a change."))
    if edit.untouched_past:
        n = edit.untouched_past
        lines.append(
            ngettext(
                "%(n)d past or cancelled meeting was left as it was.",
                "%(n)d past or cancelled meetings were left as they were.",
                n,
            )
            % {"n": n}
        )
    return lines
