"""Dashboard filters: branch (among the libraries the person sees), network and account,
kept in the URL, applied to every panel, the charts and the CSV, the previous period
too; values outside the person's scope are dropped; queries stay constant."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from libraries.models import Role
from metrics import events as event_services
from publishing.models import SocialAccount
from tests.factories import SocialAccountFactory, member
from tests.metrics.builders import published, with_metrics
from tests.metrics.test_dashboard import data, days_ago  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _board(client, **params):
    response = client.get(reverse("metrics:dashboard"), {"days": 30, **params})
    assert response.status_code == 200
    return response


def _csv(client, **params):
    response = client.get(reverse("metrics:dashboard_export"), {"days": 30, **params})
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_a_network_head_narrows_to_one_branch(client, network, data):  # noqa: F811
    client.force_login(member(network.head, Role.VALIDATOR))
    everything = _board(client).context["board"]
    assert everything.totals["publications"] == 3

    response = _board(client, library=network.b.pk)

    board = response.context["board"]
    assert board.totals["publications"] == 1
    assert board.totals["public"] == 99
    assert board.totals["clicks"] == 0  # the clicks were on branch A's post
    assert board.events == []  # the event is branch A's
    assert [p["post__title"] for p in board.top_posts] == ["Secret de B"]
    assert response.context["charts"]["chart-networks"]["labels"] == ["Mastodon"]
    html = response.content.decode()
    # The choice is kept: selected in the form, in the CSV link, said above the figures.
    assert f'<option value="{network.b.pk}" selected>Branche B</option>' in html
    assert f"library={network.b.pk}" in html.split("Exporter tout")[0].rsplit("href=", 1)[1]
    assert "Bibliothèque : Branche B" in html
    rows = _csv(client, library=network.b.pk)
    assert ["Bibliothèque", "Branche B"] in rows
    assert any(row and row[0] == "Secret de B" for row in rows)
    assert not any(row and row[0] == "Rentrée littéraire" for row in rows)


def test_a_network_filter_applies_to_every_panel_and_the_previous_period(
    client,
    network,
    data,  # noqa: F811
):
    event = event_services.event_create(
        library=network.a, by=None, title="Rencontre", starts_at=days_ago(6, 18), capacity=20
    )
    event.posts.add(data.post)  # announced on Mastodon only
    client.force_login(member(network.a))

    bluesky = _board(client, network="bluesky").context["board"]
    mastodon = _board(client, network="mastodon").context["board"]

    assert bluesky.totals["public"] == 6 and bluesky.previous["public"] == 0
    assert [row["name"] for row in bluesky.by_network] == ["Bluesky"]
    assert [row["name"] for row in bluesky.by_account] == ["Bsky A"]
    assert [key for key, _n, _v in bluesky.timeline["networks"]] == ["bluesky"]
    assert bluesky.totals["clicks"] == 0 and bluesky.clicks_by_network == []
    assert bluesky.events == [] and bluesky.channels == []
    assert mastodon.totals["public"] == 26 and mastodon.previous["public"] == 8
    assert mastodon.totals["clicks"] == 3
    assert [e["title"] for e in mastodon.events] == ["Rencontre"]
    rows = _csv(client, network="bluesky")
    assert ["Réseau", "Bluesky"] in rows
    assert ["Engagement du public", "6", "0", ""] in rows


def test_an_account_filter_and_values_outside_the_scope(client, network, data):  # noqa: F811
    mastodon_a = SocialAccount.objects.get(display_name="Masto A")
    other_b = SocialAccount.objects.get(display_name="Masto B")
    client.force_login(member(network.a))

    board = _board(client, account=mastodon_a.pk).context["board"]
    assert board.totals["public"] == 26
    assert [row["name"] for row in board.by_account] == ["Masto A"]

    # Branch A's people cannot look into branch B, whatever the URL says: dropped.
    response = _board(client, library=network.b.pk, account=other_b.pk)
    board = response.context["board"]
    assert board.totals["publications"] == 2
    assert "Secret de B" not in response.content.decode()
    assert "Masto B" not in response.content.decode()  # not even offered
    assert _board(client, network="nope", days="x").context["board"].period.days == 30


def test_filters_keep_the_number_of_queries_constant(client, network, data):  # noqa: F811
    client.force_login(member(network.head, Role.ADMINISTRATOR))
    params = {"days": 365, "library": network.b.pk, "network": "bluesky"}

    def queries():
        cache.clear()  # cold each time: the header's pause banner is cached for a minute
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("metrics:dashboard"), params).status_code == 200
        return len(captured)

    few = queries()
    for day in range(40):
        account = SocialAccountFactory(library=network.b, network="bluesky")
        with_metrics(
            published(library=network.b, account=account, at=days_ago(day, hour=day % 24)),
            likes=day,
        )
    assert _board(client, **params).context["board"].totals["publications"] == 40
    assert queries() == few
    assert few <= 25, few
