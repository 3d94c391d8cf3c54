"""`make run` prints each email as one readable block (EMAIL_URL=consolemail://), decoded, with
the headers a person checks, not as raw MIME or as the worker's log lines."""

import io

from django.core import mail

from members.outbox.console import ReadableConsoleEmailBackend


def message(subject="Réunion: café", body=None, connection=None):
    email = mail.EmailMultiAlternatives(
        subject=subject,
        # Long lines and accents: raw MIME would show them quoted-printable (=C3=A9, soft breaks).
        body=body or ("Bonjour Zoë, " * 20 + "\nhttps://cop.example.org/members/preferences/x/"),
        from_email='"City Librarians" <hello@localhost>',
        to=["zoe@example.org"],
        headers={"List-Unsubscribe": "<https://cop.example.org/members/unsubscribe/x/>"},
        connection=connection,
    )
    email.attach_alternative("<p>Bonjour</p>", "text/html")
    email.attach("meeting.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return email


def test_each_message_is_one_decoded_block():
    stream = io.StringIO()
    backend = ReadableConsoleEmailBackend(stream=stream)

    sent = backend.send_messages([message(), message(subject="Second")])

    output = stream.getvalue()
    assert sent == 2
    first, second = output.split("=" * 78 + "\n" + "=" * 78)
    assert "Subject:          Réunion: café" in first
    assert "From:             City Librarians <hello@localhost>" in first
    assert "To:               zoe@example.org" in first
    assert "List-Unsubscribe: <https://cop.example.org/members/unsubscribe/x/>" in first
    assert "Bonjour Zoë, " * 20 in first  # decoded, on one line
    assert "https://cop.example.org/members/preferences/x/" in first
    assert "=C3" not in output and "Content-Transfer-Encoding" not in output
    assert "an HTML version (14 characters)" in first
    assert "meeting.ics (text/calendar" in first
    assert "Subject:          Second" in second


def test_it_writes_to_the_real_stdout_not_to_a_redirected_one(capfd, monkeypatch):
    # Celery replaces sys.stdout with a logger; the block must bypass it.
    monkeypatch.setattr("sys.stdout", io.StringIO())

    ReadableConsoleEmailBackend().send_messages([message()])

    assert "Subject:          Réunion: café" in capfd.readouterr().out
