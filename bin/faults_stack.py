"""The private servers and the light HTTP load of `make faults` (bin/faults).

Everything runs on free loopback ports in a temporary folder: a PostgreSQL cluster of its own
(initdb), a redis-server, gunicorn with production settings (DEBUG off), one Celery worker and an
SMTP sink. Nothing touches the developer's database or Redis.
"""

import http.client
import itertools
import os
import pwd
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# The portal's own variables are set here, never inherited from the shell that runs make.
PORTAL_VARIABLES = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "CACHE_KEY_PREFIX", "SITE_URL")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.05)


class Stack:
    """The servers, started and stopped on demand; `env` is what every portal process reads."""

    def __init__(self, *, smtp_port: int):
        self.dir = Path(tempfile.mkdtemp(prefix="copsite-faults-"))
        self.dir.chmod(0o755)  # the postgres user walks through it to its own folder
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.pg_dir = self.dir / "pg"
        self.pg_dir.mkdir()
        # initdb refuses to run as root: the cluster then belongs to the postgres user.
        self.as_postgres = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.pg_dir, account.pw_uid, account.pw_gid)
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self.env = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
        self.env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{self.pg_port}/copsite",
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            EMAIL_TIMEOUT="5",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=os.urandom(48).hex(),
            DJANGO_SECURE_SSL_REDIRECT="0",
            SITE_URL=f"http://127.0.0.1:{self.web_port}",
            # As behind a TLS proxy: each simulated person comes from an address of their own.
            TRUSTED_PROXY_COUNT="1",
            # Production leases a "sending" row for 600 s; a killed worker's rows would wait that
            # long before another worker may send them, and the script cannot wait ten minutes.
            # The lease must still outlast a batch (or a live worker's rows would be sent twice
            # too), so batches are smaller than production's 200.
            OUTBOX_SENDING_LEASE_SECONDS="20",
            OUTBOX_BATCH_SIZE="25",
            # A send that failed while PostgreSQL was down is retried after 2, 4… s, not 60, 120…
            OUTBOX_RETRY_BASE_SECONDS="2",
            LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="copsite.settings",
        )
        self.redis = self.web = self.worker = None
        self.workers_started = 0

    def log(self, name: str):
        return (self.dir / f"{name}.log").open("ab")

    def run(self, args, **kwargs) -> None:
        subprocess.run(args, check=True, cwd=ROOT, **kwargs)

    # PostgreSQL
    def pg_ctl(self, *args: str) -> None:
        self.run(
            [*self.as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(self.pg_dir / "data"), *args],
            stdout=subprocess.DEVNULL,
        )

    def postgres_init(self) -> None:
        self.run(
            [*self.as_postgres, str(PG_BIN / "initdb"), "-D", str(self.pg_dir / "data"),
             "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.postgres_start()
        self.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port),
             "-U", "postgres", "copsite"]
        )  # fmt: skip

    def postgres_start(self) -> None:
        options = f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {self.pg_dir} -c fsync=off"
        self.pg_ctl("-l", str(self.pg_dir / "postgres.log"), "-o", options, "-w", "start")

    def postgres_stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")

    # Redis (no persistence: what it held is gone when it comes back, the worst case)
    def redis_start(self) -> None:
        self.redis = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=self.log("redis"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(lambda: self.answers(self.redis_port), timeout=10, what="redis-server")

    def redis_stop(self) -> None:
        self.redis.terminate()
        self.redis.wait(timeout=10)

    @staticmethod
    def answers(port: int) -> bool:
        try:
            with __import__("socket").create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    # The portal
    def manage(self, *args: str) -> None:
        self.run([sys.executable, "manage.py", *args], env=self.env, stdout=subprocess.DEVNULL)

    def web_start(self) -> None:
        self.web = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "copsite.wsgi:application",
             "--bind", f"127.0.0.1:{self.web_port}", "--workers", "2", "--timeout", "30"],
            cwd=ROOT, env=self.env, stdout=self.log("gunicorn"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(lambda: self.answers(self.web_port), timeout=30, what="gunicorn")

    def worker_start(self) -> subprocess.Popen:
        self.workers_started += 1
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "copsite", "worker", "--pool=prefork",
             "--concurrency=2", "--queues=celery,mail,account", "--without-gossip",
             "--without-mingle", "--loglevel=WARNING",
             f"--hostname=faults{self.workers_started}@localhost"],
            cwd=ROOT, env=self.env, stdout=self.log("worker"), stderr=subprocess.STDOUT,
            start_new_session=True,  # one signal reaches the pool's processes too
        )  # fmt: skip
        return self.worker

    def worker_kill(self) -> None:
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=10)

    def close(self) -> None:
        for process in (self.web, self.redis):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=20)
        if self.worker is not None and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGTERM)
            self.worker.wait(timeout=30)
        if (self.pg_dir / "data" / "postmaster.pid").exists():
            self.postgres_stop("immediate")
        if os.environ.get("FAULTS_KEEP"):
            print(f"logs kept in {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


class Browser:
    """One person's cookies against the portal; redirects are answers, not followed."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = dict(cookies or {})
        # As a TLS proxy would tell the portal: the person's address and the scheme.
        self.address = (
            f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        )

    def request(self, method: str, path: str, form: dict | None = None) -> int:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers.update(
                {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                 "Referer": origin + path}
            )  # fmt: skip
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status
        finally:
            connection.close()


@dataclass
class Outcome:
    started: float
    ended: float
    action: str
    ok: bool
    detail: str


@dataclass
class Load:
    """Visitors and members reading pages, and one person at a time RSVPing, signing up or
    logging in: a few requests a second in all."""

    port: int
    meeting: int
    rsvp_sessions: list  # (email, session key) of members who have not RSVPed yet
    sector: int
    login: tuple[str, str]
    outcomes: list = field(default_factory=list)
    done: list = field(default_factory=list)  # (action, email) of each RSVP and signup that worked
    stopping: threading.Event = field(default_factory=threading.Event)

    def record(self, action: str, attempt) -> bool:
        started = time.monotonic()
        try:
            ok, detail = attempt()
        except Exception as exc:  # a refused or dropped connection is an outcome like any other
            ok, detail = False, exc.__class__.__name__
        self.outcomes.append(Outcome(started, time.monotonic(), action, ok, detail))
        return ok

    def read_pages(self, cookies: dict, paths: list[str]) -> None:
        browser = Browser(self.port, cookies)
        for path in itertools.cycle(paths):
            if self.stopping.is_set():
                return
            self.record(f"GET {path}", lambda p=path: self.answer(browser.request("GET", p), 200))
            time.sleep(0.15)

    @staticmethod
    def answer(status: int, expected: int) -> tuple[bool, str]:
        return status == expected, str(status)

    def rsvp(self) -> tuple[bool, str]:
        email, session = self.rsvp_sessions.pop()
        browser = Browser(self.port, {"sessionid": session})
        browser.request("GET", f"/meetings/{self.meeting}/")
        status = browser.request("POST", f"/meetings/{self.meeting}/register/", {})
        if status == 302:
            self.done.append(("rsvp", email))
        return self.answer(status, 302)

    def signup(self) -> tuple[bool, str]:
        email = f"joiner-{time.monotonic_ns()}@faults.invalid"
        browser = Browser(self.port)
        browser.request("GET", "/accounts/signup/")
        passphrase = "a-long-and-unusual-passphrase"
        form = {"full_name": "Jo Joiner", "email": email, "sector": self.sector,
                "organisation": "Faults Library", "password1": passphrase,
                "password2": passphrase, "privacy_consent": "on"}  # fmt: skip
        status = browser.request("POST", "/accounts/signup/", form)
        if status == 302:
            self.done.append(("signup", email))
        return self.answer(status, 302)

    def log_in(self) -> tuple[bool, str]:
        browser = Browser(self.port)
        browser.request("GET", "/accounts/login/")
        form = {"login": self.login[0], "password": self.login[1]}
        return self.answer(browser.request("POST", "/accounts/login/", form), 302)

    def act(self) -> None:
        for name, action in itertools.cycle(
            [("RSVP", self.rsvp), ("signup", self.signup), ("log in", self.log_in)]
        ):
            if self.stopping.is_set() or not self.rsvp_sessions:
                return
            self.record(name, action)
            time.sleep(0.3)

    def start(self, member_cookies: dict) -> None:
        pages = ["/", "/meetings/", "/resources/", f"/meetings/{self.meeting}/", "/healthz"]
        self.threads = [
            threading.Thread(target=self.read_pages, args=({}, pages), daemon=True),
            threading.Thread(
                target=self.read_pages, args=(member_cookies, ["/members/me/", *pages]), daemon=True
            ),
            threading.Thread(target=self.act, daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def wait_answers(self, *, since: float, count: int, timeout: float = 120) -> None:
        """Until `count` requests sent after `since` are answered (the machine may be slow)."""
        wait_for(
            lambda: sum(o.started >= since for o in self.outcomes) >= count,
            timeout=timeout,
            what=f"{count} answers",
        )
