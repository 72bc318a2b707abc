"""A real Celery worker process pointed at the test database (PITFALLS.md).

Used by integration tests marked `worker`, with `django_db(transaction=True)`
so the worker sees committed rows. The worker inherits the broker settings:
Redis in CI, the filesystem broker under var/test/ otherwise.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _database_url(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    name = settings_dict["NAME"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{Path(name).resolve()}"
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{name}"


class WorkerProcess:
    def __init__(self, env: dict, concurrency: int = 2):
        self.env = env
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.mail_dir: Path | None = None
        self.output: list[str] = []
        self._ready = threading.Event()

    def start(self, timeout: float = 60) -> None:
        self._ready.clear()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={self.concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--purge",
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError("Celery worker did not start:\n" + "".join(self.output[-40:]))

    def _read(self) -> None:
        assert self.process and self.process.stdout
        for line in self.process.stdout:
            self.output.append(line)
            if " ready." in line:
                self._ready.set()

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children), as a crash would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return "".join(self.output)

    def sent_mail(self) -> list[str]:
        """The raw messages the worker has sent so far."""
        if self.mail_dir is None:
            return []
        # Django's file backend ends each message with a line of 79 dashes: a file
        # read before that line is still being written.
        texts = [path.read_text() for path in sorted(self.mail_dir.glob("*.log"))]
        return [text for text in texts if text.endswith("-" * 79 + "\n")]


@pytest.fixture
def celery_worker_process(django_db_setup, tmp_path):
    """Start a worker process on the test database; stopped after the test.

    Emails the worker sends are written as files into `worker.mail_dir`.
    """
    from django.db import connection

    env = dict(os.environ)
    env["DATABASE_URL"] = _database_url(connection.settings_dict)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    mail_dir = tmp_path / "worker-mail"
    mail_dir.mkdir()
    env["EMAIL_URL"] = f"filemail:///{mail_dir}"  # django-environ drops one leading slash
    worker = WorkerProcess(env)
    worker.mail_dir = mail_dir
    worker.start()
    yield worker
    worker.stop()


def wait_until(predicate, timeout: float = 30, interval: float = 0.2, message: str = "condition"):
    """Poll until predicate() is truthy (for outcomes produced by another process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")
