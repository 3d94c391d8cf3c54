"""A real SMTP server for tests (aiosmtpd), which a test can stop and start on the same port."""

import asyncio
import socket
import threading

from aiosmtpd.controller import Controller


class Sink:
    """Accepts everything except recipients at gone@…, which are refused for good (a 5xx)."""

    def __init__(self, delay: float = 0.0):
        self.messages = []
        self.connections = 0
        self.in_flight = 0
        # Seconds the server takes over each message, so a test can act while a batch is sent.
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # The whole message has arrived: from here on it counts as handed over.
        with self.lock:
            self.in_flight += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        finally:
            # Kept even when the client vanishes before the reply (the wait is then cancelled):
            # a real server that has the whole message delivers it.
            with self.lock:
                self.messages.append(envelope)
                self.in_flight -= 1
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        with self.lock:
            return [address for envelope in self.messages for address in envelope.rcpt_tos]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    def __init__(self, port: int | None = None, delay: float = 0.0):
        self.port = port or free_port()
        self.sink = Sink(delay=delay)
        self.controller = None

    def start(self):
        # A stopped aiosmtpd controller cannot restart: each start is a new one.
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop(no_assert=True)
            self.controller = None
