"""The fakes' own tests need no database; fixtures come from tests.fakes.fixtures."""

from tests.fakes.fixtures import (  # noqa: F401 - pytest finds fixtures by name
    fake_bluesky,
    fake_bluesky_factory,
    fake_mastodon,
    fake_mastodon_factory,
)
