"""Emails wait for the recipient's working hours and go out as one digest.

The clock is frozen (time-machine) across a weekend that is also a DST change:
the digest must leave at 09:00 local on Monday, whatever the UTC offset became.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from accounts.models import User
from libraries.models import Role
from notifications.models import Notification
from notifications.services import notification_emails_send_due, notify
from tests.factories import LibraryFactory, member

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
OFFICE_HOURS = {str(day): [["09:00", "12:00"], ["14:00", "17:00"]] for day in range(5)} | {
    "5": [],
    "6": [],
}


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def office(db):
    return LibraryFactory(working_hours=OFFICE_HOURS)


def _notify(user, library, title="Une publication attend votre validation", **kwargs):
    return notify(recipients=[user], library=library, kind="test", title=title, url="/x/", **kwargs)


@pytest.mark.parametrize(
    ("friday", "saturday", "sunday", "monday_start_utc"),
    [
        # Spring: Sunday 29 March 2026 at 02:00 clocks go forward (UTC+1 -> UTC+2).
        (
            paris(2026, 3, 27, 17, 30),
            paris(2026, 3, 28, 10, 0),
            paris(2026, 3, 29, 15, 0),
            dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC),
        ),
        # Autumn: Sunday 25 October 2026 at 03:00 clocks go back (UTC+2 -> UTC+1).
        (
            paris(2026, 10, 23, 17, 30),
            paris(2026, 10, 24, 10, 0),
            paris(2026, 10, 25, 15, 0),
            dt.datetime(2026, 10, 26, 8, 0, tzinfo=dt.UTC),
        ),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_weekend_notifications_leave_as_one_digest_at_monday_nine_local(
    office, mailoutbox, friday, saturday, sunday, monday_start_utc
):
    # given a validator in digest mode, notified after Friday's hours and over the weekend
    user = member(office, Role.VALIDATOR, level="Direction")
    for moment, title in ((friday, "Vendredi"), (saturday, "Samedi"), (sunday, "Dimanche")):
        with time_machine.travel(moment, tick=False):
            _notify(user, office, title=title)
            notification_emails_send_due()

    # then every email waits for Monday 09:00 local
    assert set(Notification.objects.values_list("email_due_at", flat=True)) == {monday_start_utc}
    with time_machine.travel(monday_start_utc - dt.timedelta(minutes=1), tick=False):
        assert notification_emails_send_due() == 0
    assert mailoutbox == []

    # when Monday's working period starts
    with time_machine.travel(monday_start_utc, tick=False):
        assert notification_emails_send_due() == 1
        assert notification_emails_send_due() == 0  # a second beat sends nothing more

    # then one digest carries the three notifications, as text and HTML
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [user.email]
    assert "3 notifications" in email.subject
    for title in ("Vendredi", "Samedi", "Dimanche"):
        assert title in email.body
        assert title in email.alternatives[0][0]
    assert "http://" in email.body and "/x/" in email.body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_during_working_hours_the_email_is_due_at_once(office, mailoutbox):
    user = member(office, Role.VALIDATOR)
    with time_machine.travel(paris(2026, 3, 24, 10, 0), tick=False):
        (notification,) = _notify(user, office)
        assert notification.email_due_at == paris(2026, 3, 24, 10, 0)
        assert notification_emails_send_due() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Annexe : Une publication attend votre validation"


def test_urgent_notifications_are_not_held(office, mailoutbox):
    user = member(office, Role.VALIDATOR)
    saturday_night = paris(2026, 3, 28, 23, 0)
    with time_machine.travel(saturday_night, tick=False):
        (notification,) = _notify(user, office, urgent=True)
        assert notification.email_due_at == saturday_night
        assert notification_emails_send_due() == 1


def test_immediate_mode_is_not_held(office, mailoutbox):
    user = member(office, Role.VALIDATOR, notification_mode=User.NotificationMode.IMMEDIATE)
    with time_machine.travel(paris(2026, 3, 28, 23, 0), tick=False):
        _notify(user, office)
        assert notification_emails_send_due() == 1


def test_read_notifications_are_not_emailed(office, mailoutbox):
    user = member(office, Role.VALIDATOR)
    with time_machine.travel(paris(2026, 3, 28, 23, 0), tick=False):
        (notification,) = _notify(user, office)
    Notification.objects.filter(pk=notification.pk).update(read_at=paris(2026, 3, 29, 9, 0))
    with time_machine.travel(paris(2026, 3, 31, 9, 0), tick=False):
        assert notification_emails_send_due() == 0
    assert mailoutbox == []


def test_hours_of_the_recipients_own_library_apply(db, mailoutbox):
    # The network head works Monday to Friday; the branch (default hours) Tuesday to Saturday.
    head = LibraryFactory(working_hours=OFFICE_HOURS)
    branch = LibraryFactory(parent=head)
    director = member(head, Role.VALIDATOR, level="Direction")
    agent = member(branch, Role.CONTRIBUTOR)
    saturday = paris(2026, 3, 28, 10, 0)
    with time_machine.travel(saturday, tick=False):
        about_branch = notify(
            recipients=[director, agent], library=branch, kind="test", title="Samedi", url="/x/"
        )
    due = {n.recipient_id: n.email_due_at for n in about_branch}
    assert due[agent.pk] == saturday  # the branch is open on Saturday
    assert due[director.pk] == paris(2026, 3, 30, 9, 0)  # the head library is not


def test_no_email_address_means_no_email(office, mailoutbox):
    user = member(office, Role.VALIDATOR, email="")
    (notification,) = _notify(user, office, urgent=True)
    assert notification.email_due_at is None
    assert notification_emails_send_due() == 0
