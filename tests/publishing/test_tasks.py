"""The publish task itself: a database that refuses a connection is retried, not
dropped (the dispatcher would only send the message again minutes later)."""

from unittest import mock

from django.db import OperationalError

from publishing.tasks import publish_publication


def test_a_refused_database_connection_is_retried():
    calls = []

    def flaky(*, publication_id):
        calls.append(publication_id)
        if len(calls) == 1:
            raise OperationalError("sorry, too many clients already")
        return "published"

    with mock.patch("publishing.services.publication_publish", side_effect=flaky):
        result = publish_publication.apply(args=(42,))

    assert calls == [42, 42]
    assert result.get() == "published"
