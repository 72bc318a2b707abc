"""The dashboard: the user's libraries only, public engagement apart from colleagues',
comparison with the previous period, a constant number of queries, the CSV export."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from libraries.models import Role
from metrics import events as event_services
from metrics.links import click_record, short_link_for
from metrics.models import SurveyAnswer
from tests.factories import EditorialLineFactory, LibraryFactory, SocialAccountFactory, member
from tests.metrics.builders import published, with_metrics

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def days_ago(days: int, hour: int = 10) -> dt.datetime:
    today = timezone.now().astimezone(PARIS).date()
    return dt.datetime.combine(today - dt.timedelta(days=days), dt.time(hour), tzinfo=PARIS)


@pytest.fixture
def data(network):
    line = EditorialLineFactory(library=network.head, name="Coups de cœur")
    mastodon = SocialAccountFactory(library=network.a, network="mastodon", display_name="Masto A")
    bluesky = SocialAccountFactory(library=network.a, network="bluesky", display_name="Bsky A")
    other = SocialAccountFactory(library=network.b, network="mastodon", display_name="Masto B")
    hit = published(
        library=network.a,
        account=mastodon,
        at=days_ago(3),
        title="Rentrée littéraire",
        editorial_line=line,
        link="https://bib.example/rentree",
    )
    with_metrics(hit, likes=30, shares=10, replies=2, colleague_likes=12, colleague_shares=4)
    with_metrics(
        published(library=network.a, account=bluesky, at=days_ago(5), title="Heure du conte"),
        likes=5,
        shares=1,
    )
    # The previous period (30 days before).
    with_metrics(
        published(library=network.a, account=mastodon, at=days_ago(40), title="Ancienne"),
        likes=8,
    )
    # Branch B: not for branch A's people.
    with_metrics(
        published(library=network.b, account=other, at=days_ago(2), title="Secret de B"),
        likes=99,
    )
    link = short_link_for(publication=hit, url=hit.post.link)
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        click_record(link=link, address=address, user_agent=FIREFOX)
    event = event_services.event_create(
        library=network.a, by=None, title="Nuit du conte", starts_at=days_ago(4, 20), capacity=30
    )
    event_services.event_record_attendance(event=event, by=None, attendance=24)
    for channel in ("posters", "posters", "other"):
        SurveyAnswer.objects.create(event=event, channel=channel, answered_at=timezone.now())
    return hit


def test_figures_are_the_public_s_with_colleagues_apart_and_compared(client, network, data):
    client.force_login(member(network.a, Role.CONTRIBUTOR))

    response = client.get(reverse("metrics:dashboard"), {"days": 30})

    board = response.context["board"]
    # Public: (30-12) + (10-4) + 2 replies, and 5 + 1 on Bluesky.
    assert board.totals["public"] == 18 + 6 + 2 + 6
    assert board.totals["colleagues"] == 16
    assert board.totals["publications"] == 2
    assert board.totals["clicks"] == 3
    assert board.totals["attendance"] == 24
    assert board.previous["public"] == 8
    assert board.changes["public"] == pytest.approx((32 - 8) / 8)
    assert [row["name"] for row in board.by_network] == ["Mastodon", "Bluesky"]
    assert [row["name"] for row in board.by_line] == ["Coups de cœur", "Sans ligne éditoriale"]
    assert board.top_posts[0]["post__title"] == "Rentrée littéraire"
    assert [(c["name"], c["answers"]) for c in board.channels] == [
        ("Une affiche ou un dépliant", 2),
        ("Autrement", 1),
    ]
    html = response.content.decode()
    assert "Secret de B" not in html
    assert "Rentrée littéraire" in html
    # Charts come from static files only; their data from JSON blocks.
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in html
    assert 'id="chart-timeline" type="application/json"' in html
    assert "<script>" not in html


def test_the_heat_map_uses_the_library_s_time(client, network, data):
    client.force_login(member(network.a))
    board = client.get(reverse("metrics:dashboard")).context["board"]
    weekday = days_ago(3).weekday()
    cell = board.heatmap[weekday]["cells"][10]
    assert cell["n"] == 1
    assert cell["avg"] == 26


def test_only_the_user_s_libraries(client, network, data):
    client.force_login(member(LibraryFactory(), Role.ADMINISTRATOR))
    board = client.get(reverse("metrics:dashboard")).context["board"]
    assert board.totals["publications"] == 0
    assert board.totals["clicks"] == 0
    assert board.events == []

    # The head's people see both branches.
    client.force_login(member(network.head, Role.VALIDATOR))
    board = client.get(reverse("metrics:dashboard")).context["board"]
    assert board.totals["publications"] == 3

    client.logout()
    assert client.get(reverse("metrics:dashboard")).status_code == 302
    assert client.get(reverse("metrics:dashboard_export")).status_code == 302


def _queries(client, days=365) -> int:
    # Cold caches each time (the header's pause banner is cached for a minute): the
    # two counts compared must not depend on how long the test took in between.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("metrics:dashboard"), {"days": days}).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_posts(client, network, data):
    client.force_login(member(network.head, Role.ADMINISTRATOR))
    few = _queries(client)
    line = EditorialLineFactory(library=network.b, name="Vie de la bibliothèque")
    for day in range(60):
        account = SocialAccountFactory(library=network.b, network="bluesky")
        publication = published(
            library=network.b, account=account, at=days_ago(day, hour=day % 24), editorial_line=line
        )
        with_metrics(publication, likes=day, shares=1)
    many = _queries(client)
    assert many == few
    assert few <= 25, few


def test_the_csv_has_every_part_of_the_page(client, network, data):
    data.post.title = '=HYPERLINK("http://evil")'
    data.post.save()
    client.force_login(member(network.a))

    response = client.get(reverse("metrics:dashboard_export"), {"days": 30})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    titles = {row[0] for row in rows if len(row) == 1}
    assert {
        "Chiffres clés",
        "Par réseau",
        "Par compte",
        "Par ligne éditoriale",
        "Engagement du public dans le temps",
        "Jour et heure de publication",
        "Meilleures publications",
        "Clics par réseau",
        "Événements",
        "Comment le public a connu les événements",
    } <= titles
    assert ["Engagement du public", "32", "8", "300"] in rows
    assert ["Clics", "3", "0", ""] in rows
    assert any(row and row[0] == '\'=HYPERLINK("http://evil")' for row in rows)
    assert "Secret de B" not in text


def test_the_post_page_shows_its_own_curve_per_network(client, network, data):
    with_metrics(data, at=data.published_at + dt.timedelta(hours=5), likes=40, shares=10)
    client.force_login(member(network.a))

    html = client.get(reverse("posts:detail", args=[data.post_id])).content.decode()

    assert 'id="chart-post" type="application/json"' in html
    assert "Masto A" in html
    assert "Relevés de cette publication" in html


def test_no_metrics_panel_before_publication(client, network):
    from tests.factories import PostFactory

    post = PostFactory(library=network.a)
    client.force_login(member(network.a))
    html = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert 'id="metrics-panel"' not in html
