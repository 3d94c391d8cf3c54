"""What the demo meetings say about themselves, written one by one so that the demo reads like a
real community: a workshop says it is a workshop, two hours are not "an informal hour", and a
social is named for the season it falls in."""

from dataclasses import dataclass
from datetime import date

from meetings.models import Format, Kind


@dataclass(frozen=True)
class DemoMeeting:
    title: str  # "{season}" is replaced by the season of the meeting's date
    kind: str
    format: str
    days: int  # from today
    hour: int
    hours: float
    capacity: int | None
    fill: float  # share of the places taken
    summary: str
    description: str


DEMO_MEETINGS = [
    DemoMeeting(
        "Coffee and catalogues",
        Kind.INFORMAL,
        Format.IN_PERSON,
        -150,
        10,
        1.5,
        None,
        0.5,
        "Coffee, pastries and an unhurried chat about catalogues, metadata and the records "
        "nobody else wants to fix.",
        "Bring a coffee and a cataloguing puzzle. We sit together for an hour and a half and "
        "compare notes across public, academic and special libraries.\n\n"
        "- No agenda and no slides\n"
        "- New faces very welcome: say hello at the door\n\n"
        "The room is step-free; tell the coordinators if you need anything else.",
    ),
    DemoMeeting(
        "Measuring impact across sectors",
        Kind.DISCUSSION,
        Format.ONLINE,
        -110,
        12,
        1,
        40,
        0.8,
        "How do a school, a hospital and a law firm library show they make a difference?",
        "Three members open with five minutes each on how they report their impact to "
        "managers and funders, then everyone joins in.\n\n"
        "- Bring one measure you use, and one you wish you had\n"
        "- The slides and notes are shared afterwards",
    ),
    DemoMeeting(
        "Health literacy for public libraries",
        Kind.PRESENTATION,
        Format.HYBRID,
        -75,
        18,
        1.5,
        30,
        0.9,
        "A health librarian on helping the public find and judge health information.",
        "A 45-minute talk, then questions and discussion, in the room and online.\n\n"
        "- What people ask at the desk, and where to send them\n"
        "- Free, trustworthy sources worth bookmarking\n"
        "- When to refer someone, and to whom",
    ),
    DemoMeeting(
        "Writing a practice story: workshop",
        Kind.WORKSHOP,
        Format.IN_PERSON,
        -40,
        14,
        2,
        16,
        1.0,
        "Turn something that worked in your library into a short story for the toolkit.",
        "Two hands-on hours. We read two good examples together, then draft your own in pairs "
        "with the toolkit's template.\n\n"
        "- Come with one moment when shared knowledge made a difference\n"
        "- Leave with a draft you can submit to the toolkit\n\n"
        "Places are limited to 16 so that everyone gets feedback.",
    ),
    DemoMeeting(
        "{season} social at the Botanic Gardens",
        Kind.SOCIAL,
        Format.IN_PERSON,
        -12,
        17,
        2,
        50,
        0.6,
        "A walk round the gardens, then drinks in the café.",
        "No talks and no name badges unless you want one: a chance to get to know people "
        "from other libraries.\n\n"
        "- Meet at the main gate\n"
        "- Drinks at your own expense; soft drinks are on the community",
    ),
    DemoMeeting(
        "Open lunch: what are you working on?",
        Kind.INFORMAL,
        Format.ONLINE,
        5,
        12,
        1,
        None,
        0.3,
        "Bring your lunch and a project; leave with ideas from other sectors.",
        "An hour online over lunch. Everyone gets a couple of minutes to say what they are "
        "working on and where they are stuck.\n\n"
        "- Cameras optional\n"
        "- The link appears on this page once you register",
    ),
    DemoMeeting(
        "Copyright questions from every sector",
        Kind.DISCUSSION,
        Format.HYBRID,
        12,
        18,
        1.5,
        20,
        0.95,
        "Bring your trickiest copyright questions; a copyright librarian helps untangle them.",
        "Real questions from members, from course packs to digitising local history.\n\n"
        "- Send questions to the coordinators in advance, or bring them on the day\n"
        "- A discussion among colleagues, not legal advice",
    ),
    DemoMeeting(
        "Case study clinic",
        Kind.WORKSHOP,
        Format.IN_PERSON,
        19,
        14,
        2,
        12,
        1.0,
        "Feedback on a case study you are writing, from colleagues and a content editor.",
        "Two hours in small groups. Bring a draft, however rough, or an idea you would like to "
        "write up.\n\n"
        "- We follow the toolkit's five sections: context, what was done, impact, lessons, "
        "contact\n"
        "- A content editor is there to answer questions about publishing",
    ),
    DemoMeeting(
        "Evidence searching for non-health librarians",
        Kind.PRESENTATION,
        Format.ONLINE,
        33,
        12,
        1,
        60,
        0.4,
        "A clinical librarian shows the search techniques health libraries rely on.",
        "A 40-minute demonstration with time for questions.\n\n"
        "- Building a structured search, step by step\n"
        "- Free databases anyone can use\n"
        "- Recorded for members who cannot make it",
    ),
    DemoMeeting(
        "{season} social",
        Kind.SOCIAL,
        Format.IN_PERSON,
        47,
        18,
        2.5,
        40,
        0.2,
        "An evening out with colleagues from every kind of library.",
        "Food, drinks and good company.\n\n"
        "- Partners and friends welcome\n"
        "- Tell the coordinators about dietary needs when you register",
    ),
]
SERIES_DESCRIPTION = (
    "The first Tuesday of every month, online. Drop in for ten minutes or stay the whole "
    "hour.\n\n"
    "- No agenda: bring a question or a small success to share\n"
    "- New faces very welcome"
)
HISTORY_MEETUP = (
    "Monthly meetup",
    "Shop talk after work with librarians from every sector.",
    "An hour and a half after work: drinks, snacks and conversation.\n\n"
    "- Bring a question or a small success to share\n"
    "- New faces very welcome",
)
# (title, kind, summary, description)
HISTORY_SESSIONS = [
    (
        "Talk: evidence searching across sectors",
        Kind.PRESENTATION,
        "A clinical librarian on searching that any sector can borrow.",
        "A talk over lunch, online, with time for questions.",
    ),
    (
        "Discussion: showing value to funders",
        Kind.DISCUSSION,
        "What convinces funders and managers, from people who have done it.",
        "Three short openings, then an open discussion, online.",
    ),
    (
        "Workshop: writing a case study",
        Kind.WORKSHOP,
        "Start a case study for the toolkit, with help at hand.",
        "A hands-on online session: bring a project, leave with a first draft.",
    ),
    (
        "Talk: a day in a health library",
        Kind.PRESENTATION,
        "What a hospital library does all day, and what other sectors can take from it.",
        "A talk over lunch, online, with time for questions.",
    ),
    (
        "Discussion: information literacy that sticks",
        Kind.DISCUSSION,
        "Teaching research skills that people still use a month later.",
        "Members from schools, universities and public libraries compare notes, online.",
    ),
    (
        "Workshop: small data for small libraries",
        Kind.WORKSHOP,
        "Simple spreadsheets that show what your library does.",
        "A hands-on online session with a sample spreadsheet to adapt.",
    ),
]
SEASONS = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Spring"}
SEASONS |= {6: "Summer", 7: "Summer", 8: "Summer", 9: "Autumn", 10: "Autumn", 11: "Autumn"}


def demo_title(title: str, day: date) -> str:
    """A social is named after the season it falls in: no end-of-year party in January."""
    if title == "{season} social" and day.month == 12:
        return "End-of-year social"
    return title.replace("{season}", SEASONS[day.month])
