"""Locust users for bench/pages_load.py (run by it; not on its own).

Environment, set by the script: BENCH_PAGES (JSON: [[name, path, who], …], who being "visitor"
or "member"), BENCH_SESSIONS (JSON list of session cookies for members), BENCH_ONLY (one page
name: every user requests only that page, for its throughput alone).
Requests say they came through the TLS proxy (X-Forwarded-Proto), as in production.
"""

import json
import os
import random

from locust import FastHttpUser, between, constant, task

PAGES = json.loads(os.environ["BENCH_PAGES"])
SESSIONS = json.loads(os.environ.get("BENCH_SESSIONS", "[]"))
ONLY = os.environ.get("BENCH_ONLY", "")
SESSION_COOKIE = os.environ.get("BENCH_SESSION_COOKIE", "sessionid")
PROXY = {"X-Forwarded-Proto": "https"}


class Reader(FastHttpUser):
    """Visitors and members in the mixed run (half each), reading a page every second or so;
    one page, repeatedly and with no think time, in a single-page run (how much the server can
    serve of it)."""

    wait_time = constant(0) if ONLY else between(0.5, 1.5)

    def on_start(self):
        self.headers = dict(PROXY)
        self.member = bool(SESSIONS) and random.random() < 0.5
        if self.member or ONLY:
            self.headers["Cookie"] = f"{SESSION_COOKIE}={random.choice(SESSIONS)}"
        allowed = ("visitor", "member") if (self.member or ONLY) else ("visitor",)
        self.pages = [p for p in PAGES if p[2] in allowed and (not ONLY or p[0] == ONLY)]

    @task
    def read(self):
        name, path, _ = random.choice(self.pages)
        with self.client.get(path, name=name, headers=self.headers, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} for {path}")
