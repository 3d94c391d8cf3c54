"""Markdown rendering (members/markdown.py) reuses one converter per thread: each text is
rendered as if alone, whatever was rendered before it."""

import threading

from members.markdown import markdown_to_html


def test_a_text_does_not_see_the_link_definitions_of_the_one_before():
    first = markdown_to_html("See [the guide][g].\n\n[g]: https://example.org/guide")
    second = markdown_to_html("See [the guide][g].")

    link = '<a href="https://example.org/guide" rel="noopener noreferrer">the guide</a>'
    assert first == f"<p>See {link}.</p>"
    assert second == "<p>See [the guide][g].</p>"


def test_lists_and_sanitising_are_the_same_on_every_call():
    text = "1. one\n2. two\n\n<script>alert(1)</script> **bold**"
    rendered = [markdown_to_html(text) for _ in range(3)]

    assert rendered[0] == rendered[1] == rendered[2]
    assert "<ol>" in rendered[0] and "<strong>bold</strong>" in rendered[0]
    assert "<script>" not in rendered[0]


def test_threads_render_at_the_same_time_without_mixing_texts():
    results = {}

    def render(n):
        results[n] = [markdown_to_html(f"Text **{n}**") for _ in range(50)]

    threads = [threading.Thread(target=render, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for n, rendered in results.items():
        assert set(rendered) == {f"<p>Text <strong>{n}</strong></p>"}
