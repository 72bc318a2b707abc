"""Shared fixtures: a network of libraries, browsers, a real Celery worker process.

With CI=true every test must run: a skipped test fails the session.
Outside CI, a test needing an absent service skips and says how to enable it.
"""

import os

import pytest

from tests.factories import LibraryFactory

pytest_plugins = ["tests.support.browser", "tests.support.worker", "tests.fakes.fixtures"]

# Playwright's sync API runs an event loop in the test thread (PITFALLS.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI") == "true"


def pytest_sessionfinish(session, exitstatus):
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"CI: {len(skipped)} test(s) skipped; nothing may be skipped in CI.", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def require_service(name: str, available: bool, how: str) -> None:
    """Skip outside CI when a service is missing; in CI, fail loudly instead."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} is required in CI but is not available.")
    pytest.skip(f"{name} not available: {how}")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: nothing cached by an earlier test (whose
    rows are gone) leaks into it, and pages make the same queries whatever ran before."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (French): a request by an English
    reader leaves English active in the test thread, which would leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def network(db):
    """A network of libraries: a head library with branches A and B."""
    head = LibraryFactory(name="Réseau Test", slug="reseau-test")
    branch_a = LibraryFactory(name="Branche A", slug="branche-a", parent=head)
    branch_b = LibraryFactory(name="Branche B", slug="branche-b", parent=head)
    return type("Network", (), {"head": head, "a": branch_a, "b": branch_b})


@pytest.fixture
def on_postgres(settings):
    from django.db import connection

    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "run with CI=true make test, or DATABASE_URL=postgres://postgres@127.0.0.1:5432/annexe",
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users: hash their passwords fast (never in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
