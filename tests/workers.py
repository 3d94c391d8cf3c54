"""Real Celery worker processes for reliability tests: started, killed and restarted by a test.

Each worker is `celery -A copsite worker` in its own process group, reading its settings from
the environment like production does: the test database, the test's Redis, and an SMTP sink
run by the test. The test process enqueues through the same Redis.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from copsite.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
# Every queue the portal uses; a test may start a worker on some of them only (the fast lane).
QUEUES = ("celery", "mail", "account")
# Short enough for a test to wait out: rows stuck in "sending" and retry backoff.
TEST_LEASE_SECONDS = 2
TEST_RETRY_BASE_SECONDS = 1


def wait_until(condition, *, timeout: float = 20, what: str = "condition") -> None:
    """Poll `condition` until it is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


def database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test database)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(
        self, *, smtp_port: int, concurrency: int = 1, queues=QUEUES, env=None, stdout=None
    ):
        self.name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": "5",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "OUTBOX_SENDING_LEASE_SECONDS": str(TEST_LEASE_SECONDS),
            "OUTBOX_RETRY_BASE_SECONDS": str(TEST_RETRY_BASE_SECONDS),
            **(env or {}),
        }
        # A file for the worker's output, when a test reads what it prints.
        self.stdout = stdout
        self.concurrency = concurrency
        self.queues = queues
        self.process = None

    def start(self) -> "WorkerProcess":
        self.process = subprocess.Popen(  # noqa: S603 -- our own interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "copsite",
                "worker",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                f"--queues={','.join(self.queues)}",
                f"--hostname={self.name}",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=self.env,
            # Its own process group, so one signal reaches the pool's children too.
            start_new_session=True,
            stdout=self.stdout,
            stderr=subprocess.STDOUT if self.stdout else None,
        )
        wait_until(self.answers, timeout=60, what=f"worker {self.name} to start")
        return self

    def answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"worker {self.name} exited with {self.process.returncode}")
        return bool(celery_app.control.ping(destination=[self.name], timeout=0.5))

    def is_idle(self) -> bool:
        """Nothing running, nothing prefetched, nothing waiting in the queues."""
        inspect = celery_app.control.inspect(destination=[self.name], timeout=1.0)
        active, reserved = inspect.active() or {}, inspect.reserved() or {}
        with celery_app.connection_for_write() as conn:
            redis = conn.default_channel.client
            # Delivered but not yet acknowledged messages wait in kombu's "unacked" hash.
            waiting = sum(redis.llen(queue) for queue in QUEUES) + redis.hlen("unacked")
        return waiting == 0 and not any(active.values()) and not any(reserved.values())

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, no cleanup."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_processes(transactional_db):
    """Start real workers with `worker_processes(smtp_port=…)`; all are stopped at the end."""
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("The worker process tests need PostgreSQL and Redis (make test sets them).")
        pytest.skip("DATABASE_URL (PostgreSQL) and REDIS_URL are not set (make test sets them)")
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = settings.REDIS_URL
    celery_app.conf.task_always_eager = False
    with celery_app.connection_for_write() as conn:  # drop what an earlier test left behind
        for queue in QUEUES:
            conn.default_channel.queue_purge(queue)
        # A killed worker's unacknowledged tasks, which Redis would redeliver in an hour.
        conn.default_channel.client.delete("unacked", "unacked_index")
    started = []

    def start(**kwargs) -> WorkerProcess:
        worker = WorkerProcess(**kwargs)
        started.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        # The test is over: SIGKILL, because a warm shutdown would wait for the tasks still
        # running (the rest of a round) and then for the pool. The next test purges what the
        # broker still holds; PostgreSQL ends the killed connections' transactions at once.
        for worker in started:
            if worker.process is not None and worker.process.poll() is None:
                worker.kill()
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous


def reset_producer_pool():
    # Celery caches its producer pool per app; forget it (without closing it: kombu shares it
    # by URL) so that the next publish looks up the pool for the current broker URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """Tasks are published to a broker that refuses connections, as when Redis is down."""
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    celery_app.conf.task_always_eager = False
    reset_producer_pool()
    yield
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
    reset_producer_pool()
