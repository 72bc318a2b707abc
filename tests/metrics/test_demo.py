"""The demo makes the dashboard alive, and running it twice adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from metrics.models import Click, Event, MetricSnapshot, SurveyAnswer

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_dashboard_once(client):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        MetricSnapshot.objects.count(),
        Click.objects.count(),
        Event.objects.count(),
        SurveyAnswer.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())

    assert counts == (
        MetricSnapshot.objects.count(),
        Click.objects.count(),
        Event.objects.count(),
        SurveyAnswer.objects.count(),
    )
    assert all(counts)
    client.force_login(User.objects.get(username="admin"))
    board = client.get(reverse("metrics:dashboard"), {"days": 90}).context["board"]
    assert board.totals["publications"] > 20
    assert board.totals["public"] > board.totals["colleagues"] > 0
    assert board.totals["clicks"] > 0
    assert board.totals["attendance"] == 52 + 11
    assert len(board.by_account) >= 3
