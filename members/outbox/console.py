"""Emails on the terminal in development: one readable block per message.

`make run` prints emails instead of sending them (EMAIL_URL=consolemail://, the default, selects
this backend in copsite/settings.py). Django's console backend writes the raw MIME message,
quoted-printable and base64 parts included, to standard output; in a Celery worker standard
output is a logger, so each line of each message came out as a separate log line between the
worker's own. This writes to the process's real standard output instead, one message per
write, with the headers a person checks and each text part decoded.
"""

import sys
import threading
from email import message_from_bytes, policy

from django.core.mail.backends.base import BaseEmailBackend

SHOWN_HEADERS = ("From", "To", "Subject", "Date", "List-Unsubscribe")
RULE = "=" * 78


def message_block(message) -> str:
    """One email as a person reads it: the headers that matter, the text, what else it has."""
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    lines = [RULE]
    for name in SHOWN_HEADERS:
        if parsed[name]:
            # Long headers arrive folded over several lines: one line each here.
            lines.append(f"{name + ':':<18}{' '.join(str(parsed[name]).split())}")
    lines.append("-" * 78)
    text = parsed.get_body(preferencelist=("plain",))
    lines.append(text.get_content().rstrip() if text is not None else "(no text part)")
    extras = []
    html = parsed.get_body(preferencelist=("html",))
    if html is not None:
        extras.append(f"an HTML version ({len(html.get_content())} characters)")
    for attachment in parsed.iter_attachments():
        size = len(attachment.get_payload(decode=True) or b"")
        extras.append(
            f"{attachment.get_filename()} ({attachment.get_content_type()}, {size} bytes)"
        )
    if extras:
        lines.append("-" * 78)
        lines.append("Also: " + "; ".join(extras))
    lines.append(RULE)
    return "\n".join(lines) + "\n"


class ReadableConsoleEmailBackend(BaseEmailBackend):
    def __init__(self, *args, stream=None, **kwargs):
        # None: the process's real standard output at the time of sending (not Celery's logger).
        self.stream = stream
        self._lock = threading.RLock()
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages) -> int:
        stream = self.stream or sys.__stdout__ or sys.stdout
        sent = 0
        with self._lock:
            for message in email_messages:
                block = message_block(message)
                # As bytes in one write: a terminal's text stream is line-buffered, and line by
                # line the worker's two processes could interleave their messages.
                binary = getattr(stream, "buffer", None)
                if binary is not None:
                    stream.flush()
                    binary.write(block.encode(stream.encoding or "utf-8", "replace"))
                    binary.flush()
                else:
                    stream.write(block)
                    stream.flush()
                sent += 1
        return sent
