"""Keys for the fragments list pages cache with `{% cache %}`.

Profiled under load (bench/pages_load.py), list pages spend most of their time rendering filter
forms (crispy fields, one template per option) and cards, not in SQL; both change rarely. A key
holds everything the fragment's HTML depends on besides its own parts: the reader's language and
time zone, and the version of the sectors and topics that filters and cards name.
"""

import hashlib

from django import template
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation

from members.versions import members_version
from members.vocabulary import vocabulary_version

register = template.Library()


@register.simple_tag(takes_context=True)
def fragment_key(context, *parts) -> str:
    request = context.get("request")
    version = getattr(request, "_vocabulary_version", None)
    if version is None:  # one cache read per request, however many cards
        version = vocabulary_version()
        if request is not None:
            request._vocabulary_version = version
    reader = [translation.get_language() or "", timezone.get_current_timezone_name(), version]
    return ":".join(reader + [str(part) for part in parts])


@register.simple_tag(name="members_version")
def members_version_tag() -> str:
    """For fragments that show something of a member besides the row's own fields (an
    author's name): changes when any member's record changes or a member is deleted."""
    return members_version()


@register.simple_tag
def rows_key(rows, *fields) -> str:
    """What a cached list of cards shows, row by row: the named fields of each row. One cache
    read for the whole list: a read per card cost more than the cards saved."""
    return ";".join(",".join(str(getattr(row, name)) for name in fields) for row in rows)


@register.simple_tag
def filter_values(form, *names) -> str:
    """The submitted values of a valid filter form's choice fields (bounded: only valid choices
    get here), for the key of its cached fields; never free text."""
    return "&".join(f"{name}={form[name].value() or ''}" for name in names)


@register.simple_tag
def form_values_key(form) -> str:
    """What an unbound form's fields show besides their labels and choices (which the fragment
    key's language and vocabulary version cover): each field's value. Hashed, since the values
    are someone's profile; a page caches it under its owner's key too."""
    values = repr([(name, form[name].value()) for name in form.fields])
    return hashlib.sha256(values.encode()).hexdigest()


@register.simple_tag
def prefetch(rows, *lookups) -> str:
    """Read the related rows that cards show, in one query each, only where the cards are
    rendered (inside `{% cache %}`): a cached page of cards needs none of them."""
    prefetch_related_objects(list(rows), *lookups)
    return ""
