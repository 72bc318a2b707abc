"""Events: staff pages within their libraries, attendance, the public anonymous survey
(CSRF, duplicates ignored, hourly cap per address), results per channel, QR code."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from libraries.models import Role
from metrics import events as services
from metrics.models import Event, SurveyAnswer
from tests.factories import LibraryFactory, PostFactory, SocialAccountFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(network):
    SocialAccountFactory(library=network.head, network="mastodon")
    SocialAccountFactory(library=network.a, network="instagram")
    SocialAccountFactory(library=network.a, network="website")
    return services.event_create(
        library=network.a,
        by=None,
        title="Nuit de la lecture",
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="Salle du conte",
        capacity=40,
    )


def _survey(event):
    return reverse("metrics:survey", kwargs={"token": event.survey_token})


def test_staff_create_an_event_linked_to_a_post(client, network):
    agent = member(network.a, Role.CONTRIBUTOR)
    post = PostFactory(library=network.a, scheduled_at=timezone.now(), title="Annonce nuit")
    client.force_login(agent)

    response = client.post(
        reverse("metrics:event_new"),
        {
            "title": "Nuit de la lecture",
            "starts_at": "2026-01-17T20:00",
            "place": "Médiathèque",
            "capacity": "50",
            "posts": [post.pk],
        },
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert list(event.posts.all()) == [post]
    # 20:00 in Paris in winter is 19:00 UTC.
    assert event.starts_at == dt.datetime(2026, 1, 17, 19, 0, tzinfo=dt.UTC)
    assert len(event.survey_token) >= 20


def test_attendance_is_entered_after_the_event(client, network, event):
    agent = member(network.a, Role.CONTRIBUTOR)
    client.force_login(agent)

    response = client.post(reverse("metrics:event_detail", args=[event.pk]), {"attendance": "37"})

    event.refresh_from_db()
    assert response.status_code == 302
    assert event.attendance == 37
    assert event.attendance_recorded_by == agent
    page = client.get(reverse("metrics:event_detail", args=[event.pk]))
    assert "37 participants" in page.content.decode()


def test_events_of_other_libraries_do_not_exist_for_a_user(client, network, event):
    outsider = member(LibraryFactory(), Role.ADMINISTRATOR)
    sibling = member(network.b, Role.ADMINISTRATOR)
    for user in (outsider, sibling):
        client.force_login(user)
        assert client.get(reverse("metrics:event_detail", args=[event.pk])).status_code == 404
        assert client.get(reverse("metrics:event_qr", args=[event.pk])).status_code == 404
        assert (
            client.post(
                reverse("metrics:event_detail", args=[event.pk]), {"attendance": "1"}
            ).status_code
            == 404
        )
        assert "Nuit de la lecture" not in client.get(reverse("metrics:events")).content.decode()
    # The head library's staff see their branch's event.
    client.force_login(member(network.head, Role.CONTRIBUTOR))
    assert "Nuit de la lecture" in client.get(reverse("metrics:events")).content.decode()


def test_the_survey_offers_the_networks_of_the_library_then_the_other_channels(event):
    labels = [label for _value, label in services.survey_choices(event.library)]
    assert labels == [
        "Mastodon",
        "Instagram",
        "Le site de la bibliothèque",
        "Une affiche ou un dépliant",
        "Le bouche-à-oreille",
        "Autrement",
    ]


def test_the_public_survey_needs_no_login_and_is_csrf_protected(event):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(_survey(event))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Comment avez-vous connu cet événement ?" in html
    assert "csrfmiddlewaretoken" in html

    # Without the token: refused.
    assert browser.post(_survey(event), {"channel": "posters"}).status_code == 403
    assert SurveyAnswer.objects.count() == 0

    token = browser.cookies["csrftoken"].value
    answer = browser.post(_survey(event), {"channel": "posters", "csrfmiddlewaretoken": token})
    assert "Merci pour votre réponse" in answer.content.decode()
    assert list(SurveyAnswer.objects.values_list("channel", flat=True)) == ["posters"]


def test_a_browser_answers_once_and_others_on_the_same_wifi_still_can(event):
    first, second = Client(), Client()
    first.post(_survey(event), {"channel": "network:instagram"}, REMOTE_ADDR="192.0.2.1")
    again = first.post(_survey(event), {"channel": "word_of_mouth"}, REMOTE_ADDR="192.0.2.1")
    second.post(_survey(event), {"channel": "word_of_mouth"}, REMOTE_ADDR="192.0.2.1")

    assert "Merci" in again.content.decode()
    assert sorted(SurveyAnswer.objects.values_list("channel", flat=True)) == [
        "network:instagram",
        "word_of_mouth",
    ]


def test_one_address_is_capped_per_hour(event, settings):
    settings.METRICS_SURVEY_MAX_PER_ADDRESS_HOUR = 3
    for _ in range(5):
        Client().post(_survey(event), {"channel": "other"}, REMOTE_ADDR="198.51.100.9")
    assert SurveyAnswer.objects.count() == 3


def test_unknown_channels_closed_surveys_and_unknown_tokens(event):
    Client().post(_survey(event), {"channel": "network:x"})
    Client().post(_survey(event), {"channel": "<script>"})
    assert SurveyAnswer.objects.count() == 0

    services.event_set_survey_open(event=event, is_open=False)
    page = Client().post(_survey(event), {"channel": "other"})
    assert "fermé" in page.content.decode()
    assert SurveyAnswer.objects.count() == 0

    assert Client().get("/metrics/s/not-a-token/").status_code == 404


def test_results_per_channel_with_shares(event):
    for channel in ["network:mastodon", "network:mastodon", "posters", "other"]:
        SurveyAnswer.objects.create(event=event, channel=channel, answered_at=timezone.now())

    results = {row.label: (row.count, row.share) for row in services.survey_results(event)}

    assert results["Mastodon"] == (2, 0.5)
    assert results["Une affiche ou un dépliant"] == (1, 0.25)
    assert results["Instagram"] == (0, 0.0)


def test_the_qr_code_is_an_svg_of_the_survey_address(client, network, event):
    client.force_login(member(network.a))
    response = client.get(reverse("metrics:event_qr", args=[event.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") or b"<svg" in response.content[:200]
    poster = client.get(reverse("metrics:event_poster", args=[event.pk])).content.decode()
    assert event.survey_token in poster
    assert "<script" not in poster
