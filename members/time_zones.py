"""The time zones a person can choose: Canada's first, then every zone in use today.

The community is Canadian, so its eight zones come first, named as people say them. The rest
come from the tz database's `zone.tab` (one entry per zone in use, by country), which leaves out
the obsolete aliases that `zoneinfo.available_timezones()` also lists ("US/Eastern",
"Canada/Saskatchewan", "Asia/Calcutta", "EST5EDT"…): about 420 names instead of 600.
"""

import functools
import zoneinfo
from importlib import resources
from pathlib import Path

from django.utils.translation import gettext_lazy as _

CANADIAN_ZONES = [
    ("America/St_Johns", _("Newfoundland (St. John's)")),
    ("America/Halifax", _("Atlantic (Halifax, Moncton, Charlottetown)")),
    ("America/Toronto", _("Eastern (Toronto, Ottawa, Montréal, Québec City)")),
    ("America/Winnipeg", _("Central (Winnipeg)")),
    ("America/Regina", _("Saskatchewan (Regina, Saskatoon)")),
    ("America/Edmonton", _("Mountain (Edmonton, Calgary, Yellowknife)")),
    ("America/Vancouver", _("Pacific (Vancouver, Victoria)")),
    ("America/Whitehorse", _("Yukon (Whitehorse)")),
]
CANADA_GROUP = _("Canada")
OTHER_GROUP = _("Other time zones")
_SYSTEM_ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")


def _zone_tab_text() -> str:
    """The tz database's zone.tab: from the tzdata package (a dependency, so the list is the
    same on every machine), else from the system's copy."""
    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return _SYSTEM_ZONE_TAB.read_text("utf-8")


@functools.cache
def zones_in_use() -> tuple[str, ...]:
    """Every zone in use today (no aliases), plus UTC, that this system can load."""
    names = {"UTC"}
    for line in _zone_tab_text().splitlines():
        if line and not line.startswith("#"):
            names.add(line.split("\t")[2])
    return tuple(sorted(names & zoneinfo.available_timezones()))


def _label(name: str) -> str:
    # The tz database's own names ("America/New_York") are the same in every language.
    return name.replace("_", " ")


def time_zone_label(name: str) -> str:
    """How a zone is named to the reader: a Canadian zone as people say it, in their language."""
    return str(dict(CANADIAN_ZONES).get(name) or _label(name))


def time_zone_choices(*, current: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a select: Canada, then the rest alphabetically.

    A zone already stored that is no longer on the list (an old alias such as "US/Eastern") is
    offered too, so that saving a profile never changes someone's zone behind their back.
    """
    canadian = dict(CANADIAN_ZONES)
    others = [(name, _label(name)) for name in zones_in_use() if name not in canadian]
    if current and current not in canadian and current not in zones_in_use():
        others.insert(0, (current, _label(current)))
    return [(CANADA_GROUP, list(CANADIAN_ZONES)), (OTHER_GROUP, others)]
