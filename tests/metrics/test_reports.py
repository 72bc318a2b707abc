"""Monthly report: first working day of the month in the library's hours, to validators
and administrators only, HTML with key figures and top posts, CSV attached, never twice."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail

from libraries.models import Role
from metrics.models import MonthlyReportDelivery
from metrics.reports import monthly_reports_send_due, report_month
from tests.factories import SocialAccountFactory, member
from tests.metrics.builders import published, with_metrics

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def team(network):
    account = SocialAccountFactory(library=network.a, network="mastodon", display_name="Masto")
    with_metrics(
        published(library=network.a, account=account, at=paris(2026, 5, 12, 10), title="Printemps"),
        likes=21,
        shares=3,
        colleague_likes=5,
    )
    with_metrics(
        published(library=network.a, account=account, at=paris(2026, 4, 2, 10), title="Avril"),
        likes=4,
    )
    return {
        "validator": member(network.a, Role.VALIDATOR, username="valideuse"),
        "admin": member(network.head, Role.ADMINISTRATOR, username="admin"),
        "agent": member(network.a, Role.CONTRIBUTOR, username="agent"),
    }


def test_due_at_the_first_working_moment_of_the_month(network):
    # Default hours: Tuesday to Saturday from 09:00. 1 June 2026 is a Monday.
    month, due = report_month(library=network.a, now=paris(2026, 6, 1, 8))
    assert month == dt.date(2026, 5, 1)
    assert due == paris(2026, 6, 2, 9)


def test_sent_once_to_validators_and_administrators(team, network):
    # Monday 1 June: the team is not at work.
    assert monthly_reports_send_due(now=paris(2026, 6, 1, 10)) == 0
    assert monthly_reports_send_due(now=paris(2026, 6, 2, 8, 59)) == 0

    assert monthly_reports_send_due(now=paris(2026, 6, 2, 9, 5)) == 2
    assert monthly_reports_send_due(now=paris(2026, 6, 2, 9, 20)) == 0
    assert monthly_reports_send_due(now=paris(2026, 6, 9, 9, 20)) == 0

    assert sorted(m.to[0] for m in mail.outbox) == [
        "admin@example.org",
        "valideuse@example.org",
    ]
    report = next(m for m in mail.outbox if m.to == ["valideuse@example.org"])
    assert "mai 2026" in report.subject
    html = report.alternatives[0][0]
    assert "Printemps" in html
    # Public engagement: 16 public likes + 3 shares; the previous month had 4.
    assert "<strong>19</strong>" in html
    ((name, content, mimetype),) = report.attachments
    assert name == "bilan-branche-a-2026-05.csv"
    assert mimetype == "text/csv"
    text = content.decode() if isinstance(content, bytes) else content
    assert "Printemps" in text
    assert MonthlyReportDelivery.objects.filter(sent_at__isnull=False).count() == 2

    # Next month, again once.
    assert monthly_reports_send_due(now=paris(2026, 7, 1, 9, 5)) == 2
    assert len(mail.outbox) == 4


def test_a_failed_send_is_tried_again(team, monkeypatch):
    from django.core.mail.message import EmailMessage

    original = EmailMessage.send
    monkeypatch.setattr(EmailMessage, "send", lambda self, **kw: (_ for _ in ()).throw(OSError))
    with pytest.raises(OSError):
        monthly_reports_send_due(now=paris(2026, 6, 2, 9, 5))
    assert MonthlyReportDelivery.objects.count() == 0

    monkeypatch.setattr(EmailMessage, "send", original)
    assert monthly_reports_send_due(now=paris(2026, 6, 2, 9, 20)) == 2


def test_the_beat_task_is_scheduled():
    from metrics.beat import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["metrics-monthly-reports"]
    assert entry["task"] == "metrics.send_monthly_reports"


def test_the_task_runs(team):
    from metrics.tasks import send_monthly_reports

    with time_machine.travel(paris(2026, 6, 2, 9, 5), tick=False):
        assert send_monthly_reports() == 2
        assert send_monthly_reports() == 0
