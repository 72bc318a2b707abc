"""Pytest fixtures for the fake servers.

Load them with ``pytest_plugins = ["tests.fakes.fixtures"]`` in the root
``tests/conftest.py`` (or import the fixtures into a conftest).

- ``fake_<network>`` for ``mastodon``, ``bluesky``, ``graph`` (Facebook,
  Instagram, Threads), ``linkedin``, ``x``, ``google_business``: a fake with
  default settings, started in a thread for the test and stopped after it.
- ``fake_<network>_factory``: call with constructor options
  (``max_characters=100``, ``ig_processing_polls=3``, ``latency=0.05``…) to
  start as many fakes as a test needs.
- ``fake_media_host``: serves image bytes on loopback, standing for the public
  media URLs that Meta and Google download (``host.add_image(path, w, h)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.fakes.base import FakeServer
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.google_business import FakeGoogleBusiness
from tests.fakes.graph import FakeGraph
from tests.fakes.linkedin import FakeLinkedIn
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.remote_media import FakeMediaHost
from tests.fakes.x import FakeX


def _factory(cls: type[FakeServer]) -> Iterator[Callable[..., Any]]:
    started: list[FakeServer] = []

    def start(**options: Any) -> Any:
        fake = cls(**options).start()
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.stop()


@pytest.fixture
def fake_mastodon_factory() -> Iterator[Callable[..., FakeMastodon]]:
    yield from _factory(FakeMastodon)


@pytest.fixture
def fake_bluesky_factory() -> Iterator[Callable[..., FakeBluesky]]:
    yield from _factory(FakeBluesky)


@pytest.fixture
def fake_mastodon(fake_mastodon_factory: Callable[..., FakeMastodon]) -> FakeMastodon:
    return fake_mastodon_factory()


@pytest.fixture
def fake_bluesky(fake_bluesky_factory: Callable[..., FakeBluesky]) -> FakeBluesky:
    return fake_bluesky_factory()


@pytest.fixture
def fake_graph_factory() -> Iterator[Callable[..., FakeGraph]]:
    yield from _factory(FakeGraph)


@pytest.fixture
def fake_graph(fake_graph_factory: Callable[..., FakeGraph]) -> FakeGraph:
    return fake_graph_factory()


@pytest.fixture
def fake_media_host() -> Iterator[FakeMediaHost]:
    with FakeMediaHost() as host:
        yield host


@pytest.fixture
def fake_linkedin_factory() -> Iterator[Callable[..., FakeLinkedIn]]:
    yield from _factory(FakeLinkedIn)


@pytest.fixture
def fake_linkedin(fake_linkedin_factory: Callable[..., FakeLinkedIn]) -> FakeLinkedIn:
    return fake_linkedin_factory()


@pytest.fixture
def fake_x_factory() -> Iterator[Callable[..., FakeX]]:
    yield from _factory(FakeX)


@pytest.fixture
def fake_x(fake_x_factory: Callable[..., FakeX]) -> FakeX:
    return fake_x_factory()


@pytest.fixture
def fake_google_business_factory() -> Iterator[Callable[..., FakeGoogleBusiness]]:
    yield from _factory(FakeGoogleBusiness)


@pytest.fixture
def fake_google_business(
    fake_google_business_factory: Callable[..., FakeGoogleBusiness],
) -> FakeGoogleBusiness:
    return fake_google_business_factory()
