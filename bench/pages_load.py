"""Benchmark: every public and member page under gunicorn, as ratios to /healthz in the same run.

Run: DATABASE_URL=postgres://…/copsite REDIS_URL=redis://… .venv/bin/python bench/pages_load.py
     [--quick] [--seconds 8] [--users 50] [--mixed-seconds 60] [--pages "me,profile"]
(`make bench` runs it.) It works in its own database, the configured one's name + `_bench`
(created and migrated when missing), so the development data is never touched. It seeds the
community at full size first if it is smaller (seed_demo
--members 5000 --prospects 1000 --meetings 500 --registrations 20000 --resources 2000
--responses 20000; idempotent, about a minute the first time; --quick seeds the default demo),
then serves the portal with gunicorn (2 workers, production settings: DEBUG off, whitenoise's
manifest, the TLS proxy header) and drives it with Locust:

1. each page alone, 8 users with no think time for --seconds: its throughput and p95, each as a
   ratio to /healthz measured the same way just before it (target: throughput at least 0.33,
   p95 under 4x). One /healthz at the start of a run was not enough: this machine's speed
   drifts over minutes, and pages measured late in a run moved with it, unchanged ones too;
   each user sends a member's session cookie, so public pages are measured as a member reads
   them (the dearer case);
2. a mixed load, --users users (half visitors, half logged-in members, each reading a page
   about every second) over every page for --mixed-seconds: p50/p95/p99 and requests per
   second per page, with /healthz in the mix.
--pages runs only the named pages (comma-separated; /healthz always) and skips the mixed run:
a quicker check of the pages being worked on. Errors are counted and make the script exit 1.
Machines here are noisy: compare ratios, not ms.
"""

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copsite.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(60))

import environ
import psycopg
from psycopg import sql


def use_bench_database() -> None:
    """Point DATABASE_URL at `<name>_bench`, creating that database if it is missing."""
    url = os.environ.get("DATABASE_URL", "postgres://127.0.0.1:5432/copsite")
    config = environ.Env.db_url_config(url)
    name = config["NAME"] if config["NAME"].endswith("_bench") else f"{config['NAME']}_bench"
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{name}"
    params = {"host": config["HOST"], "port": config["PORT"] or 5432, "dbname": "postgres"}
    params.update({k: config[key] for k, key in (("user", "USER"), ("password", "PASSWORD"))})
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as admin:
        if not admin.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))


use_bench_database()

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from meetings.models import Meeting
from members.models import Member
from resources.models import Resource, Visibility

FULL_SIZE = {
    "members": 5000,
    "prospects": 1000,
    "meetings": 500,
    "registrations": 20000,
    "resources": 2000,
    "responses": 20000,
}
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pages() -> list[list[str]]:
    """[name, path, who]: every public and member page, with a real object for detail pages."""
    meeting = Meeting.objects.upcoming().order_by("starts_at").first()
    resource = Resource.objects.published().filter(visibility=Visibility.PUBLIC).first()
    member = Member.objects.active().exclude(user=None).order_by("pk").first()
    survey_page = "/surveys/mine/"
    return [
        ["/healthz", "/healthz", "visitor"],
        ["home", "/", "visitor"],
        ["meetings", "/meetings/", "visitor"],
        ["meetings filtered", "/meetings/?format=online", "visitor"],
        ["meeting", meeting.get_absolute_url(), "visitor"],
        ["topic suggestions", "/meetings/topics/", "visitor"],
        ["resources", "/resources/", "visitor"],
        ["resources search", "/resources/?q=library", "visitor"],
        ["resource", resource.get_absolute_url(), "visitor"],
        ["resources feed", "/resources/feed.atom", "visitor"],
        ["about", "/about/", "visitor"],
        ["privacy", "/privacy/", "visitor"],
        ["log in", "/accounts/login/", "visitor"],
        ["join", "/accounts/signup/", "visitor"],
        ["home (member)", "/", "member"],
        ["directory", "/members/", "member"],
        ["directory filtered", "/members/?sector=academic", "member"],
        ["member", f"/members/{member.pk}/", "member"],
        ["me", "/members/me/", "member"],
        ["profile", "/members/me/profile/", "member"],
        ["preferences", "/members/me/preferences/", "member"],
        ["my meetings", "/meetings/mine/", "member"],
        ["meetings (member)", "/meetings/", "member"],
        ["meeting (member)", meeting.get_absolute_url(), "member"],
        ["my surveys", survey_page, "member"],
        ["my resources", "/resources/mine/", "member"],
        ["resources (member)", "/resources/", "member"],
    ]


def member_sessions(count: int) -> list[str]:
    """Session keys of logged-in members, stored where the server reads them."""
    sessions = []
    people = Member.objects.active().exclude(user=None).select_related("user")[:count]
    for member in people:
        client = Client()
        client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return sessions


def serve(port: int) -> subprocess.Popen:
    call_command("collectstatic", interactive=False, verbosity=0)
    server = subprocess.Popen(
        [
            *(BIN / "gunicorn", "copsite.wsgi:application", "--workers", "2"),
            *("--bind", f"127.0.0.1:{port}", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=os.environ,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer on /healthz")


def locust(port, env, users, seconds) -> dict[str, dict]:
    """Run Locust headless; return its stats per page name (CSV columns as read)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                *(BIN / "locust", "-f", ROOT / "bench/load/locustfile.py", "--headless"),
                *("-H", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(users)),
                *("-t", f"{seconds}s", "--csv", f"{tmp}/run", "--loglevel", "ERROR"),
                "--only-summary",
            ],
            env={**os.environ, **env},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with open(f"{tmp}/run_stats.csv", newline="") as handle:
            return {row["Name"]: row for row in csv.DictReader(handle)}


def figures(row) -> tuple[float, float, float, float, int]:
    return (
        float(row["Requests/s"]),
        float(row["50%"]),
        float(row["95%"]),
        float(row["99%"]),
        int(row["Failure Count"]),
    )


def mixed_run(port, env, users, seconds) -> int:
    """Every page at once, as a community reads it; prints ratios, returns the errors."""
    print(f"\n2. Mixed load: {users} users (visitors and members), {seconds} s")
    mixed = locust(port, env, users, seconds)
    base = figures(mixed["/healthz"])
    print(f"{'page':<22} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}  (ratios to /healthz)")
    errors = 0
    for name, row in mixed.items():
        rps, p50, p95, p99, failed = figures(row)
        errors += failed if name != "Aggregated" else 0
        print(
            f"{name:<22} {rps:7.1f} {p50 / base[1]:6.1f} {p95 / base[2]:6.1f} "
            f"{p99 / base[3]:6.1f}{f'  {failed} errors' if failed else ''}"
        )
    p50, p95, p99 = base[1:4]
    print(f"/healthz in the mix: p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="default demo size, short runs")
    parser.add_argument("--seconds", type=int, default=8, help="per page, in the single runs")
    parser.add_argument("--users", type=int, default=50, help="users in the mixed run")
    parser.add_argument("--mixed-seconds", type=int, default=60)
    parser.add_argument("--pages", default="", help="only these pages (comma-separated names)")
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    if args.quick:
        args.seconds, args.mixed_seconds = 3, 15
        call_command("seed_demo", if_empty=True)
    elif Member.objects.count() < FULL_SIZE["members"]:
        print("Seeding the community at full size (once)…", flush=True)
        call_command("seed_demo", **FULL_SIZE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as a live database has them
    page_list = pages()
    chosen = {name.strip() for name in args.pages.split(",") if name.strip()}
    if chosen:
        unknown = chosen - {name for name, _, _ in page_list}
        if unknown:
            raise SystemExit(f"unknown pages: {', '.join(sorted(unknown))}")
        page_list = [page for page in page_list if page[0] in chosen | {"/healthz"}]
    env = {
        "BENCH_PAGES": json.dumps(page_list),
        "BENCH_SESSIONS": json.dumps(member_sessions(20)),
        "BENCH_SESSION_COOKIE": settings.SESSION_COOKIE_NAME,
    }
    port = free_port()
    server = serve(port)
    errors = 0
    try:
        print(f"1. Each page alone: 8 users, no think time, {args.seconds} s each, each right")
        print("   after /healthz measured the same way: its ratios are to that /healthz, so a")
        print("   machine that slows down during the run slows both, not the page alone")
        head = f"{'page':<22} {'req/s':>7} {'ratio':>6} {'p95 ms':>7} {'ratio':>6}"
        print(f"{head}  /healthz  target")
        short, shown = 0, 0
        for name, _, _ in page_list:
            if name == "/healthz":
                continue
            base = locust(port, {**env, "BENCH_ONLY": "/healthz"}, 8, args.seconds)
            stats = locust(port, {**env, "BENCH_ONLY": name}, 8, args.seconds)
            base_rps, _, base_p95, _, base_failed = figures(base["Aggregated"])
            rps, _, p95, _, failed = figures(stats["Aggregated"])
            errors += failed + base_failed
            met = rps >= base_rps / 3 and p95 < 4 * base_p95 and not failed
            short += not met
            shown += 1
            print(
                f"{name:<22} {rps:7.1f} {rps / base_rps:6.2f} {p95:7.0f} {p95 / base_p95:6.1f}  "
                f"{base_rps:8.1f}  {'met' if met else 'SHORT'}"
                f"{f' ({failed} errors)' if failed else ''}"
            )
        print(f"{shown - short} of {shown} pages meet the target.")
        if not chosen:  # the mixed run needs every page
            errors += mixed_run(port, env, args.users, args.mixed_seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"errors: {errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
