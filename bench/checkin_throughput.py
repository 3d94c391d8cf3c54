"""Benchmark: a check-in round for 10,000 people, delivered by real Celery worker processes.

Run: DATABASE_URL=postgres://…/copsite REDIS_URL=redis://127.0.0.1:6379/0 \\
     .venv/bin/python bench/checkin_throughput.py [--people 10000] [--workers 1] [--concurrency 4]
(`make bench` runs it.) It needs a migrated PostgreSQL database and Redis. It creates scratch
people (…@bench.invalid) and a check-in survey, and deletes them at the end.

Figures printed, all measured in this run against the same local aiosmtpd sink:
- raw smtplib (the 1.0x reference): smtplib over one connection, building each of the very
  messages the workers sent (Django's EmailMultiAlternatives, then its bytes) as it goes;
- pre-serialised (the ceiling): the same messages' bytes, built beforehand, over one connection;
- the portal: the scheduler (checkin_round_run, which hands the people to the workers in chunks)
  + worker processes (which invite, render, record and send each chunk) until the sink has
  them all, with the time by which the last chunk's rows were recorded;
- the portal's rate as a ratio of each (target: at least 1.0 of raw smtplib) and the largest
  worker process's memory (target < 200 MB).
"""

import argparse
import logging
import multiprocessing
import os
import secrets
import signal
import smtplib
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copsite.settings")
# Measure what production runs: DEBUG off (with DEBUG on, Django keeps every query in memory).
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(60))

import django

django.setup()

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Avg, Max
from django.db.models.functions import Length
from django.utils import timezone

from copsite.celery import app as celery_app
from members.models import EmailConsent, Member, OutgoingEmail
from surveys.models import Survey
from surveys.services.checkins import checkin_round_run
from surveys.services.copying import survey_copy

SCRATCH_DOMAIN = "bench.invalid"


class CountingSink:
    """Counts the messages it accepts, in a shared counter the benchmark reads."""

    def __init__(self, counter):
        self.counter = counter

    async def handle_DATA(self, server, session, envelope):
        with self.counter.get_lock():
            self.counter.value += 1
        return "250 OK"


def serve_sink(port: int, counter, stop) -> None:
    """The sink in a process of its own, so the benchmark's own work never slows it down."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # it logs every SMTP command
    controller = Controller(CountingSink(counter), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


class Sink:
    def __init__(self, port: int):
        self.counter = multiprocessing.Value("q", 0)
        self.stop = multiprocessing.Event()
        self.process = multiprocessing.Process(
            target=serve_sink, args=(port, self.counter, self.stop), daemon=True
        )

    @property
    def count(self) -> int:
        return self.counter.value

    def start(self, port: int) -> None:
        self.process.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        sys.exit("the SMTP sink did not start")

    def close(self) -> None:
        self.stop.set()
        self.process.join(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far: a figure the machine's other load
    does not inflate, unlike wall-clock time."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    # Fixed arguments, no shell: S603/S607 do not apply.
    out = subprocess.run(
        ["/usr/bin/pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout
    return [int(p) for p in out.split()]


def cleanup():
    Member.objects.filter(email__endswith=f"@{SCRATCH_DOMAIN}").delete()
    Survey.objects.filter(title="Benchmark check-in").delete()


def message_bytes(email: OutgoingEmail) -> bytes:
    """One row's message built the way an application does with Django: its parts (rendered
    already: templates are not part of either baseline) into an EmailMultiAlternatives."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers=email.headers,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message.message().as_bytes(linesep="\r\n")


def smtplib_send(port: int, sink: Sink, messages, build=None) -> float:
    """Seconds for smtplib to hand `messages` to the sink over one connection, until the sink
    has them all; `build` turns each into bytes as it goes (None: they are bytes already)."""
    start_count = sink.count
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, message in messages:
            smtp.sendmail(settings.DEFAULT_FROM_EMAIL, [to], build(message) if build else message)
    while sink.count - start_count < len(messages):
        time.sleep(0.01)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--pool", default="prefork", choices=["prefork", "threads"])
    parser.add_argument(
        "--concurrency", type=int, default=4, help="pool size per worker (as in compose)"
    )
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()
    if not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL.")

    port = free_port()
    sink = Sink(port)
    sink.start(port)
    cleanup()
    with celery_app.connection_for_write() as conn:
        for queue in ("celery", "mail"):
            conn.default_channel.queue_purge(queue)

    print(f"creating {args.people} people due for a check-in…")
    now = timezone.now()
    Member.objects.bulk_create(
        [
            Member(
                email=f"p{i:06d}@{SCRATCH_DOMAIN}",
                full_name=f"Person {i}",
                status=Member.Status.ACTIVE,
                joined_at=now - timedelta(days=60),
                checkin_cadence="monthly",
                # Check-ins go only to people whose consent is recorded (members/contact.py).
                email_consent=EmailConsent.EXPRESS,
                email_consent_on=now.date() - timedelta(days=60),
            )
            for i in range(args.people)
        ],
        batch_size=2000,
    )
    template = Survey.objects.get(title="Community check-in (template)")
    survey_copy(survey=template, title="Benchmark check-in", days_open=30)
    # Only the scratch people may be due: everyone else is left out of this round.
    others = Member.objects.exclude(email__endswith=f"@{SCRATCH_DOMAIN}")
    paused = list(others.exclude(checkin_cadence="paused").values_list("pk", "checkin_cadence"))
    others.update(checkin_cadence="paused")

    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}", "CELERY_TASK_ALWAYS_EAGER": "0"}
    workers = []
    received_before = sink.count
    try:
        for i in range(args.workers):
            workers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "copsite",
                        "worker",
                        "--loglevel=WARNING",
                        "--queues=celery,mail",
                        f"--pool={args.pool}",
                        f"--concurrency={args.concurrency}",
                        f"--hostname=bench{i}@%h",
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
        # Start the clock once every worker answers, so boot time is not counted.
        deadline = time.monotonic() + 60
        while len(celery_app.control.ping(timeout=1.0) or []) < args.workers:
            if time.monotonic() > deadline:
                sys.exit("workers did not start")
        started, started_cpu = time.perf_counter(), time.process_time()
        started_at = timezone.now()
        report = checkin_round_run()
        scheduled = time.perf_counter() - started
        scheduler_cpu = time.process_time() - started_cpu
        # Every person due gets one email (the scratch people are all contactable).
        expected = report.due
        print(
            f"scheduler: {report.due} people due, {report.handed_over} handed to the workers, "
            f"{report.invited} invited here, in {scheduled:.1f}s"
        )
        peak = 0.0
        deadline = time.monotonic() + args.timeout
        while sink.count - received_before < expected:
            if time.monotonic() > deadline:
                sys.exit(f"timed out with {sink.count - received_before} delivered")
            for worker in workers:
                for pid in [worker.pid, *children(worker.pid)]:
                    peak = max(peak, rss_mb(pid))
            time.sleep(0.2)
        total = time.perf_counter() - started
        workers_cpu = sum(
            cpu_seconds(pid) for worker in workers for pid in [worker.pid, *children(worker.pid)]
        )
        rows = OutgoingEmail.objects.filter(to_email__endswith=f"@{SCRATCH_DOMAIN}")
        sent = rows.filter(state="sent").count()
        queued = rows.count()
        recorded = (rows.aggregate(last=Max("created_at"))["last"] - started_at).total_seconds()
        print(f"recorded:  {queued} emails, the last chunk's rows by {recorded:.1f}s")
        print(f"baselines: smtplib, the same {queued} messages over one connection…")
        emails = [(email.to_email, email) for email in rows.order_by("created_at").iterator()]
        cpu = time.process_time()
        raw = smtplib_send(port, sink, emails, build=message_bytes)
        raw_cpu = time.process_time() - cpu
        serialised = [(to, message_bytes(email)) for to, email in emails]
        cpu = time.process_time()
        ceiling = smtplib_send(port, sink, serialised)
        ceiling_cpu = time.process_time() - cpu
        rate = queued / total
        raw_rate, ceiling_rate = len(emails) / raw, len(emails) / ceiling
        print(f"raw smtplib:    {len(emails)} in {raw:.1f}s = {raw_rate:.0f} msg/s, building each")
        print(f"pre-serialised: {len(emails)} in {ceiling:.1f}s = {ceiling_rate:.0f} msg/s")
        print(
            f"portal:         {queued} in {total:.1f}s = {rate:.0f} msg/s "
            f"({sent} rows marked sent), {args.workers} worker(s), "
            f"{args.pool} pool of {args.concurrency}"
        )
        print(
            f"ratios:         {rate / raw_rate:.2f} of raw smtplib (target >= 1.0), "
            f"{rate / ceiling_rate:.2f} of pre-serialised"
        )
        print(f"memory:         largest worker process {peak:.0f} MB (target < 200 MB)")
        per_message = 1000 / len(emails)
        print(
            f"CPU ms/message: scheduler {scheduler_cpu * per_message:.2f} + workers "
            f"{workers_cpu * per_message:.2f} (boot included); raw smtplib "
            f"{raw_cpu * per_message:.2f}, pre-serialised {ceiling_cpu * per_message:.2f}"
        )
        stored = [f.name for f in OutgoingEmail._meta.concrete_fields if f.name == "message"]
        if stored:  # the message's bytes, built once when it was queued
            size = rows.aggregate(size=Avg(Length("message")))["size"]
            print(f"stored:         {size:.0f} bytes of message per email")
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)
        for pk, cadence in paused:
            Member.objects.filter(pk=pk).update(checkin_cadence=cadence)
        cleanup()
        sink.close()


if __name__ == "__main__":
    main()
