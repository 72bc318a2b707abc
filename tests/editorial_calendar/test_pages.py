"""The calendar page, CSV export, print view and settings pages."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from editorial_calendar.models import DailyCap, MixTarget, NotableDate, PostingSlot
from libraries.models import Role
from publishing.models import Publication
from tests.editorial_calendar.conftest import calendar_events, paris
from tests.factories import (
    EditorialLineFactory,
    NotableDateFactory,
    PostFactory,
    PostTargetFactory,
    SocialAccountFactory,
    member,
)

pytestmark = pytest.mark.django_db


def test_home_lands_on_the_calendar(client, network):
    client.force_login(member(network.a))

    response = client.get("/")

    assert response.status_code == 302 and response["Location"] == reverse(
        "editorial_calendar:month"
    )


def test_the_page_shows_the_librarys_timezone_legend_and_filters(client, network):
    EditorialLineFactory(library=network.head, name="Chatons", colour="#7b3fa0")
    client.force_login(member(network.a))

    response = client.get(
        reverse("editorial_calendar:month"), {"view": "week", "date": "2026-03-29", "line": ""}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Europe/Paris, UTC+0" in page
    assert "Chatons" in page and "Brouillon" in page and "Publiée" in page
    # The legend of the network badges' states, one per state of a publication.
    assert "Sur chaque compte" in page and "Compte à reconnecter" in page
    config = response.context["config"]
    assert config["initialView"] == "timeGridWeek" and config["initialDate"] == "2026-03-29"
    assert config["timeZone"] == "Europe/Paris"
    assert "<script>" not in page  # no inline script (CSP): configuration is a JSON block
    assert 'type="application/json"' in page


def test_a_bad_filter_in_the_page_url_is_reported_not_a_crash(client, network):
    client.force_login(member(network.a))

    response = client.get(
        reverse("editorial_calendar:month"), {"state": "nonsense", "date": "2026-99-99"}
    )

    assert response.status_code == 200
    assert response.context["filter_error"]


def test_the_account_filter_lists_the_accounts_the_branchs_posts_can_go_to(client, network):
    # given a branch posting to its own account and to its network's account
    agent = member(network.a)
    own = SocialAccountFactory(library=network.a, network="sandbox", display_name="Bac A")
    shared = SocialAccountFactory(library=network.head, network="mastodon", display_name="Réseau")
    SocialAccountFactory(library=network.b, network="mastodon", display_name="Masto B")
    on_shared = PostFactory(library=network.a, author=agent, scheduled_at=paris(2026, 3, 10, 9))
    PostTargetFactory(post=on_shared, network="mastodon", account=shared)
    on_own = PostFactory(library=network.a, author=agent, scheduled_at=paris(2026, 3, 11, 9))
    PostTargetFactory(post=on_own, network="sandbox", account=own)
    client.force_login(agent)

    # when
    response = client.get(reverse("editorial_calendar:month"), {"date": "2026-03-01"})
    filtered = client.get(
        reverse("editorial_calendar:events"),
        {"start": "2026-03-01", "end": "2026-04-01", "channel": f"account:{shared.pk}"},
    )

    # then the network's account is offered, named with its library; B's is not
    choices = dict(response.context["form"].fields["channel"].choices)
    assert choices[f"account:{own.pk}"] == "Bac A (sandbox)"
    assert choices[f"account:{shared.pk}"] == "Réseau (mastodon, Réseau Test)"
    assert "Masto B (mastodon)" not in choices.values()
    shown = [e for e in calendar_events(filtered) if e["extendedProps"]["kind"] == "post"]
    assert [e["extendedProps"]["postId"] for e in shown] == [on_shared.pk]


def test_csv_export_of_the_visible_range(client, network):
    agent = member(network.a)
    line = EditorialLineFactory(library=network.head, name="Événements")
    inside = PostFactory(
        library=network.a,
        author=agent,
        title='=HYPERLINK("x")',
        editorial_line=line,
        scheduled_at=paris(2026, 3, 29, 9),
    )
    PostTargetFactory(post=inside, network="mastodon")
    sandbox = SocialAccountFactory(library=network.a, network="sandbox", display_name="Bac A")
    PostTargetFactory(post=inside, network="sandbox", account=sandbox)
    Publication.objects.create(
        post=inside,
        account=sandbox,
        network="sandbox",
        state="failed",
        scheduled_at=inside.scheduled_at,
    )
    PostFactory(library=network.a, author=agent, title="Avril", scheduled_at=paris(2026, 4, 2, 9))
    client.force_login(agent)

    response = client.get(
        reverse("editorial_calendar:export_csv"), {"start": "2026-03-01", "end": "2026-04-01"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Date", "Heure", "Fuseau horaire"]
    assert len(rows) == 2
    assert rows[1][:6] == [
        "2026-03-29",
        "09:00",
        "Europe/Paris",
        '\'=HYPERLINK("x")',
        "Événements",
        "Brouillon",
    ]
    assert rows[1][6] == "Mastodon, Bac A (Échec)"
    assert rows[1][9].endswith(f"/posts/{inside.pk}/")


def test_csv_export_rejects_a_bad_range(client, network):
    client.force_login(member(network.a))

    response = client.get(
        reverse("editorial_calendar:export_csv"), {"start": "2026-03-01", "end": "tomorrow"}
    )

    assert response.status_code == 400


def test_print_view_of_a_month(client, network):
    agent = member(network.a)
    post = PostFactory(
        library=network.a, author=agent, title="Heure du conte", scheduled_at=paris(2026, 3, 10, 10)
    )
    sandbox = SocialAccountFactory(library=network.a, network="sandbox", display_name="Bac A")
    PostTargetFactory(post=post, network="sandbox", account=sandbox)
    Publication.objects.create(
        post=post,
        account=sandbox,
        network="sandbox",
        state="published",
        scheduled_at=post.scheduled_at,
    )
    NotableDateFactory(
        library=network.a,
        title="Printemps des poètes",
        start_date=dt.date(2026, 3, 13),
        end_date=dt.date(2026, 3, 15),
    )
    client.force_login(agent)

    response = client.get(reverse("editorial_calendar:print"), {"month": "2026-03"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Heure du conte" in page and "10:00" in page
    assert "Bac A (Publiée)" in page
    assert page.count("Printemps des poètes") == 3  # one per day
    assert len(response.context["weeks"]) == 6  # 23 February to 5 April
    assert client.get(reverse("editorial_calendar:print"), {"month": "2026-00"}).status_code == 400


# --- settings ---------------------------------------------------------------------------


def test_settings_are_for_administrators(client, network):
    client.force_login(member(network.a, Role.VALIDATOR))

    for name in ("settings", "notable_dates", "mix"):
        assert client.get(reverse(f"editorial_calendar:{name}")).status_code == 403


def test_an_administrator_adds_slots_and_caps(client, network):
    client.force_login(member(network.a, Role.ADMINISTRATOR))
    url = reverse("editorial_calendar:settings")

    client.post(
        url,
        {
            "add_slot": "1",
            "slot-channel": "network:mastodon",
            "slot-weekday": "1",
            "slot-time": "10:00",
        },
    )
    again = client.post(
        url,
        {
            "add_slot": "1",
            "slot-channel": "network:mastodon",
            "slot-weekday": "1",
            "slot-time": "10:00",
        },
    )
    client.post(url, {"set_cap": "1", "cap-channel": "network:mastodon", "cap-limit": "2"})

    assert list(PostingSlot.objects.values_list("network", "weekday", "time")) == [
        ("mastodon", 1, dt.time(10))
    ]
    assert "existe déjà" in again.content.decode()
    assert list(DailyCap.objects.values_list("network", "limit")) == [("mastodon", 2)]


def test_an_administrator_manages_notable_dates(client, network):
    client.force_login(member(network.a, Role.ADMINISTRATOR))

    client.post(
        reverse("editorial_calendar:notable_dates"),
        {
            "add_date": "1",
            "date-title": "Fête de la musique",
            "date-kind": "cultural",
            "date-start_date": "2026-06-21",
            "date-end_date": "2026-06-21",
            "date-yearly": "on",
            "date-shared_with_branches": "on",
        },
    )
    item = NotableDate.objects.get()
    client.post(
        reverse("editorial_calendar:notable_date_edit", kwargs={"pk": item.pk}),
        {
            "title": "Fête de la musique !",
            "kind": "cultural",
            "start_date": "2026-06-21",
            "end_date": "2026-06-20",
        },
    )
    item.refresh_from_db()
    assert (item.title, item.yearly) == (
        "Fête de la musique",
        True,
    )  # the invalid edit changed nothing

    client.post(reverse("editorial_calendar:notable_date_delete", kwargs={"pk": item.pk}))
    assert not NotableDate.objects.exists()


def test_an_administrator_sets_mix_targets_for_every_month_and_one_month(client, network):
    line = EditorialLineFactory(library=network.a, name="Chatons")
    client.force_login(member(network.a, Role.ADMINISTRATOR))
    url = reverse("editorial_calendar:mix")

    client.post(url, {"month": "", f"line_{line.pk}": "10"})
    client.post(url, {"month": "2026-12", f"line_{line.pk}": "30"})
    too_much = client.post(url, {"month": "", f"line_{line.pk}": "130"})

    assert set(MixTarget.objects.values_list("month", "share")) == {
        (None, 10),
        (dt.date(2026, 12, 1), 30),
    }
    assert too_much.status_code == 200 and "100" in too_much.content.decode()
    december = client.get(url, {"month": "2026-12"})
    assert december.context["form"][f"line_{line.pk}"].value() == 30
