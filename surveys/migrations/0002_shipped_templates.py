"""The two survey templates the community ships with, written for it.

Coordinators copy a template ("Copy" action in the admin) to run it; the templates themselves
never open.
"""

from datetime import UTC, datetime

from django.db import migrations

NEVER = datetime(2000, 1, 1, tzinfo=UTC)
NEVER_END = datetime(2000, 1, 2, tzinfo=UTC)

CHECKIN = {
    "title": "Community check-in (template)",
    "introduction": (
        "A two-minute pulse on how the community is working for you. We read every answer and "
        "use them to plan the next meetings."
    ),
    "is_anonymous": True,
    "is_checkin": True,
    "audience_statuses": ["active", "prospect"],
    "questions": [
        (
            "scale5",
            "How valuable has the community been to you lately?",
            True,
            "Not at all",
            "Very valuable",
            False,
            "everyone",
            [],
        ),
        (
            "multiple",
            "What would you like more of?",
            False,
            "",
            "",
            True,
            "everyone",
            [
                "Informal meetups",
                "Talks from other sectors",
                "Workshops on practical skills",
                "Case studies and templates",
                "Social events",
                "Online discussions",
            ],
        ),
        (
            "single",
            "Which meeting format suits you best?",
            False,
            "",
            "",
            False,
            "everyone",
            ["In person", "Online", "Hybrid", "No preference"],
        ),
        (
            "single",
            "When can you usually meet?",
            False,
            "",
            "",
            False,
            "everyone",
            ["Weekday lunchtime", "Weekday after work", "Weekday morning", "Weekend"],
        ),
        (
            "text",
            "Anything you would like to tell the coordinators?",
            False,
            "",
            "",
            False,
            "everyone",
            [],
        ),
        (
            "single",
            "What would you like to do next?",
            True,
            "",
            "",
            False,
            "everyone",
            ["Stay in touch as I am", "Pause check-ins for a while", "Leave the community"],
        ),
    ],
}

REVIEW = {
    "title": "Community review (template)",
    "introduction": (
        "We are reviewing the community of practice and would value the views of members and of "
        "librarians who chose not to join. It takes about ten minutes and is anonymous."
    ),
    "is_anonymous": True,
    "is_checkin": False,
    "audience_statuses": ["active", "lapsed", "left", "prospect"],
    "questions": [
        (
            "multiple",
            "Which benefits have you experienced from the community?",
            False,
            "",
            "",
            True,
            "members",
            [
                "Networking with librarians from other sectors",
                "Sharing information and resources",
                "Hearing about issues from other perspectives",
                "Social contact and support",
                "Ideas I have used in my own practice",
                "Professional development",
            ],
        ),
        (
            "scale5",
            "How much has the community influenced your practice?",
            False,
            "Not at all",
            "A great deal",
            False,
            "members",
            [],
        ),
        (
            "text",
            "Can you describe a way the community changed how you work?",
            False,
            "",
            "",
            False,
            "members",
            [],
        ),
        (
            "scale5",
            "How useful is the information shared in the community?",
            False,
            "Not useful",
            "Very useful",
            False,
            "members",
            [],
        ),
        (
            "scale5",
            "How valuable is hearing other sectors' perspectives?",
            False,
            "Not valuable",
            "Very valuable",
            False,
            "members",
            [],
        ),
        (
            "scale5",
            "How important are the social aspects of the community to you?",
            False,
            "Not important",
            "Very important",
            False,
            "members",
            [],
        ),
        (
            "single",
            "How formal should meetings be?",
            False,
            "",
            "",
            False,
            "everyone",
            [
                "Informal and flexible",
                "A mix",
                "Structured, with presentations",
                "Academic, with papers and research",
            ],
        ),
        (
            "scale10",
            "How likely are you to recommend the community to a colleague?",
            False,
            "Not at all likely",
            "Extremely likely",
            False,
            "members",
            [],
        ),
        (
            "multiple",
            "Why did you decide not to join?",
            False,
            "",
            "",
            True,
            "non_members",
            [
                "I did not know enough about it",
                "Meeting times did not suit me",
                "It did not seem relevant to my sector",
                "Too busy at work",
                "My employer would not give me the time",
                "I prefer other networks",
            ],
        ),
        ("text", "What would make you join?", False, "", "", False, "non_members", []),
        (
            "yesno",
            "Would you like to hear about future meetings?",
            False,
            "",
            "",
            False,
            "non_members",
            [],
        ),
        ("text", "Anything else you would like to tell us?", False, "", "", False, "everyone", []),
    ],
}


def ship(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Question = apps.get_model("surveys", "Question")
    Choice = apps.get_model("surveys", "Choice")
    for spec in (CHECKIN, REVIEW):
        if Survey.objects.filter(title=spec["title"]).exists():
            continue
        survey = Survey.objects.create(
            title=spec["title"],
            introduction=spec["introduction"],
            is_anonymous=spec["is_anonymous"],
            is_checkin=spec["is_checkin"],
            opens_at=NEVER,
            closes_at=NEVER_END,
            audience_statuses=spec["audience_statuses"],
        )
        for position, (kind, text, required, low, high, other, audience, choices) in enumerate(
            spec["questions"]
        ):
            question = Question.objects.create(
                survey=survey,
                position=position,
                kind=kind,
                text=text,
                required=required,
                low_label=low,
                high_label=high,
                allow_other=other,
                audience=audience,
            )
            Choice.objects.bulk_create(
                Choice(question=question, position=i, label=label)
                for i, label in enumerate(choices)
            )


def unship(apps, schema_editor):
    apps.get_model("surveys", "Survey").objects.filter(
        title__in=[CHECKIN["title"], REVIEW["title"]]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(ship, unship)]
