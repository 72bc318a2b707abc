"""Shared set-up for benchmarks: `from bench._common import django_setup; django_setup()`.

Benchmarks run on their own database: var/bench/ (SQLite) unless DATABASE_URL
is set (e.g. PostgreSQL, as production). They print their figures and, last,
one summary line starting with "SUMMARY".
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(*, migrate: bool = True) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ANNEXE_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def client_for(user, library=None):
    """A test client logged in as `user`, working in `library`."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    if library is not None:
        session = client.session
        session["annexe_library_id"] = library.pk
        session.save()
    return client


def measure_page(client, url: str, runs: int = 50) -> dict:
    """SQL queries of one request, then p50/p95 server time over `runs` requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    # Read now: every later request resets Django's query log.
    queries = len(ctx.captured_queries)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    times = timed(lambda: client.get(url), runs)
    return {"queries": queries, **times}


def timed(fn: Callable[[], object], runs: int) -> dict:
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        durations.append((time.perf_counter() - start) * 1000)
    return {
        "p50": statistics.median(durations),
        "p95": statistics.quantiles(durations, n=20)[18] if runs >= 20 else max(durations),
        "max": max(durations),
    }


def machine() -> str:
    """One line describing where the figures were measured."""
    import platform

    cores = os.cpu_count()
    from django.db import connection

    python = platform.python_version()
    return f"{platform.machine()} {cores} cores, Python {python}, {connection.vendor}"
