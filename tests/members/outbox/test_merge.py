"""A mail merge gives each person exactly the email a full render would, or renders in full."""

import pytest

from members.models import OutgoingEmail
from members.outbox.bulk import bulk_email_links, bulk_email_render
from members.outbox.merge import emails_render_merged
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

NAMES = ("Élise <Roy>", "Zoé & O'Neil", '  Bo  "Q"\tSmith ', "", "Ann Lee")
COMPARED = ("dedupe_key", "member_id", "to_email", "subject", "body_text", "body_html", "headers")


def values(member):
    return {"name": member.full_name, **bulk_email_links(member=member, kind="checkin")}


def key(member):
    return f"test:{member.pk}"


def checkin_render(member, person_values):
    """The check-in email, its name and links from the declared values."""
    return bulk_email_render(
        kind=OutgoingEmail.Kind.CHECKIN,
        dedupe_key=key(member),
        member=member,
        template="surveys/email/checkin",
        context={"name": person_values["name"], "survey": None, "answer_url": "http://x/"},
        links={
            "unsubscribe": person_values["unsubscribe"],
            "preferences": person_values["preferences"],
        },
    )


@pytest.mark.parametrize("language", ["en-ca", "fr-ca"])
def test_merged_emails_equal_each_persons_full_render(language):
    people = [MemberFactory(full_name=name, language=language) for name in NAMES]
    people_values = {person.pk: values(person) for person in people}

    merged = emails_render_merged(
        people=people,
        member=lambda person: person,
        dedupe_key=key,
        values=lambda person: people_values[person.pk],
        render=checkin_render,
    )

    for person, email in zip(people, merged, strict=True):
        full = checkin_render(person, people_values[person.pk])
        assert {f: getattr(email, f) for f in COMPARED} == {f: getattr(full, f) for f in COMPARED}


def test_a_template_reading_a_value_not_declared_is_rendered_in_full_for_everyone(caplog):
    people = MemberFactory.create_batch(3)

    def render(member, person_values):
        # The name is read from the member, not from the declared values.
        return checkin_render(member, {**person_values, "name": member.full_name})

    merged = emails_render_merged(
        people=people,
        member=lambda person: person,
        dedupe_key=key,
        values=lambda person: {"name": "", **bulk_email_links(member=person, kind="checkin")},
        render=render,
    )

    assert [email.subject.split(",")[0] for email in merged] == [p.full_name for p in people]
    assert "rendering each of 3 in full" in caplog.text
