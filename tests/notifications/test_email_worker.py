"""Integration: an urgent notification's email is sent by a real Celery worker process."""

import pytest
from django.db import transaction

from libraries.models import Role
from notifications.models import Notification
from notifications.services import notify
from tests.factories import LibraryFactory, member
from tests.support.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_urgent_notification_is_emailed_by_the_worker(celery_worker_process):
    library = LibraryFactory(
        working_hours={str(day): [] for day in range(7)} | {"0": [["09:00", "10:00"]]}
    )
    user = member(library, Role.VALIDATOR, language="en")

    with transaction.atomic():
        notify(
            recipients=[user],
            library=library,
            kind="test",
            title="Dernier délai",
            url="/notifications/",
            urgent=True,
        )

    messages = wait_until(celery_worker_process.sent_mail, timeout=60, message="the email")
    assert f"To: {user.email}" in messages[0]
    assert "Dernier d" in messages[0]
    assert "/notifications/" in messages[0]
    assert "text/html" in messages[0]
    assert Notification.objects.get().emailed_at is not None
