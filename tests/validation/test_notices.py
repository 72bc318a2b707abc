"""What validators and authors are told, and when their emails leave: held for the
recipient's working hours (a digest) unless the approval deadline is within two
hours. Frozen clock over the weekend of the autumn DST change."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from libraries.models import Library
from notifications.models import Notification
from notifications.services import notification_emails_send_due
from validation import services

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
OFFICE_HOURS = {str(day): [["09:00", "12:00"], ["14:00", "17:00"]] for day in range(5)} | {
    "5": [],
    "6": [],
}


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def office_hours(cast):
    Library.objects.update(working_hours=OFFICE_HOURS)


def test_a_friday_evening_submission_reaches_the_validator_on_monday_morning(
    cast, make_post, mailoutbox
):
    # Friday 23 October 2026, 18:00; clocks go back on Sunday 25 (UTC+2 -> UTC+1)
    with time_machine.travel(paris(2026, 10, 23, 18, 0), tick=False):
        post = make_post(when=dt.timedelta(days=5))  # Wednesday: the deadline is far
        services.post_submit(post=post, by=cast.agent)
        notification_emails_send_due()

    waiting = Notification.objects.get(recipient=cast.responsable, kind="validation.waiting")
    assert not waiting.urgent
    monday_nine = dt.datetime(2026, 10, 26, 8, 0, tzinfo=dt.UTC)  # 09:00 in Paris, UTC+1
    assert waiting.email_due_at == monday_nine
    with time_machine.travel(paris(2026, 10, 25, 12, 0), tick=False):
        assert notification_emails_send_due() == 0
    assert mailoutbox == []

    with time_machine.travel(monday_nine, tick=False):
        assert notification_emails_send_due() == 1
    (email,) = mailoutbox
    assert email.to == [cast.responsable.email]
    assert post.title in email.body and f"/validation/posts/{post.pk}/" in email.body


def test_a_deadline_within_two_hours_is_urgent_even_on_a_saturday(cast, make_post, mailoutbox):
    saturday = paris(2026, 10, 24, 11, 0)
    with time_machine.travel(saturday, tick=False):
        # published Sunday at 12:00: the 24-hour deadline is Saturday 12:00, an hour away
        post = make_post(when=dt.timedelta(hours=25))
        services.post_submit(post=post, by=cast.agent)
        assert Notification.objects.get(recipient=cast.responsable).urgent
        assert notification_emails_send_due() == 1
    assert [m.to for m in mailoutbox] == [[cast.responsable.email]]
