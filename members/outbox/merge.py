"""One bulk email to many people, its templates rendered once per language (a mail merge).

A check-in round writes the same email to thousands of people in two languages; only a few
values differ from one person to the next (their name, their signed links). Rendering the
templates for each person was most of a round's CPU (bench/checkin_throughput.py). Here each
language's email is rendered once with a placeholder standing in for each such value, and each
person's copy is that email with their own values put in: escaped in the HTML part, as the
template's autoescaping does, and as they are in the subject, the text part and the headers.

The caller declares the values that differ (`values(person)`), and `render(person, values)`
renders one person's email in full from them. Templates print those values; they must not test
them ({% if name %}) or transform them (|upper, |escapejs: HTML's autoescaping is the one change
the merge makes too). In each language, a second person's merged copy is compared with their
email rendered in full, and on any difference that language is rendered in full for everyone,
with a warning: a template that reads anything else of the person's, or transforms a value,
slows the round down rather than sending everyone the first person's details.
"""

import logging
import secrets
from collections.abc import Callable, Iterable

from django.utils.html import escape

from members.outbox.models import OutgoingEmail
from members.outbox.render import email_language, subject_line
from members.outbox.states import initial_state

logger = logging.getLogger(__name__)

# What a merged copy must share with the same person's email rendered in full.
_COMPARED = (
    "kind",
    "dedupe_key",
    "member_id",
    "to_email",
    "subject",
    "body_text",
    "body_html",
    "headers",
    "attachments",
    "state",
)


def _fill(text: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def _merged(skeleton: OutgoingEmail, placeholders: dict, person_values: dict, member, key):
    raw = {placeholders[name]: value for name, value in person_values.items()}
    html = {placeholders[name]: str(escape(value)) for name, value in person_values.items()}
    return OutgoingEmail(
        dedupe_key=key,
        kind=skeleton.kind,
        member=member,
        to_email=member.email,
        # The subject is made one line again: a value may bring spaces of its own.
        subject=subject_line(_fill(skeleton.subject, raw)),
        body_text=_fill(skeleton.body_text, raw),
        body_html=_fill(skeleton.body_html, html),
        headers={name: _fill(value, raw) for name, value in skeleton.headers.items()},
        attachments=skeleton.attachments,
        state=initial_state(member=member),
    )


def _same(one: OutgoingEmail, other: OutgoingEmail) -> bool:
    return all(getattr(one, field) == getattr(other, field) for field in _COMPARED)


def emails_render_merged(
    *,
    people: Iterable,
    member: Callable,
    dedupe_key: Callable,
    values: Callable[..., dict[str, str]],
    render: Callable[..., OutgoingEmail],
) -> list[OutgoingEmail]:
    """Each person's email, unsaved, in the order given: what `render(person, values(person))`
    returns for each, rendered once per language. `member(person)` is who it goes to and
    `dedupe_key(person)` its key."""
    by_language: dict[str, list] = {}
    for index, person in enumerate(people):
        language = email_language(member=member(person))
        by_language.setdefault(language, []).append((index, person, values(person)))
    emails: dict[int, OutgoingEmail] = {}
    for group in by_language.values():
        for (index, _person, _values), email in zip(
            group, _group_render(group, member, dedupe_key, render), strict=True
        ):
            emails[index] = email
    return [emails[index] for index in sorted(emails)]


def _group_render(group, member, dedupe_key, render) -> list[OutgoingEmail]:
    """One language's emails: rendered once with placeholders, then filled in for each person;
    each in full if there are fewer than two people or the merge differs from a full render."""
    if len(group) < 2:
        return [render(person, person_values) for _index, person, person_values in group]
    # Letters and digits only, so that escaping, quoting and URLs leave them as they are.
    token = secrets.token_hex(8)
    _index, first, first_values = group[0]
    placeholders = {name: f"zqmerge{token}{name}qz" for name in first_values}
    skeleton = render(first, placeholders)
    emails = [
        _merged(skeleton, placeholders, person_values, member(person), dedupe_key(person))
        for _index, person, person_values in group
    ]
    # A second person, so that a value the template took from the person itself rather than
    # from `values` shows up as a difference too.
    _index, second, second_values = group[1]
    if _same(emails[1], render(second, second_values)):
        return emails
    logger.warning(
        "The merged %s email differs from one rendered in full: rendering each of %d in full",
        skeleton.kind,
        len(group),
    )
    return [render(person, person_values) for _index, person, person_values in group]
