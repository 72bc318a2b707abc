"""The Google Business Profile client against the fake: standard posts with a photo and a
button, event posts, each Google error mapped to its kind, find after an ambiguous
failure, delete, metrics with a refused metric skipped, token refresh."""

import logging
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation

from networks import google_business_client as gbc
from networks.client import (
    Account,
    AmbiguousError,
    AuthError,
    Event,
    Image,
    Offer,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
)
from networks.google_business_client import GoogleBusinessClient

client = GoogleBusinessClient()
client.poll_delays = (0.01, 0.01, 0.01)
YEAR = datetime.now(UTC).year + 1  # events and offers still to come


@pytest.fixture
def google(fake_google_business, settings):
    settings.GOOGLE_BUSINESS_CLIENT_ID = fake_google_business.config.client_id
    settings.GOOGLE_BUSINESS_CLIENT_SECRET = fake_google_business.config.client_secret
    return fake_google_business


@pytest.fixture
def saved():
    return []


@pytest.fixture
def location(google, saved):
    ids = google.ids()
    group = ids["accounts"]["Réseau des médiathèques"]
    lille = ids["locations"]["Médiathèque de Lille"]
    credentials = google.issue_token()
    return Account(
        "google_business",
        server_url=google.url,
        remote_id=f"accounts/{group}/locations/{lille}",
        credentials={**credentials, "expires_at": time.time() + 3500},
        on_credentials_changed=saved.append,
    )


def posts_path(location: Account) -> str:
    return f"/v4/{location.remote_id}/localPosts"


def photo(fake_media_host, width=1200, height=900) -> Image:
    url = fake_media_host.add_image("/media/affiche.jpg", width, height, padding=20_000)
    return Image(data=b"", mime_type="image/jpeg", width=width, height=height, url=url)


def test_a_standard_post_with_a_photo_and_a_button(google, location, fake_media_host):
    request = PublishRequest(
        key="k",
        text="Nuit de la lecture samedi à la médiathèque",
        images=(photo(fake_media_host),),
        link="https://bm.example.fr/nuit",
    )

    post = client.publish(location, request)

    (sent,) = google.gbp_posts()
    assert post.remote_id == sent["name"]
    assert sent["name"].startswith(location.remote_id + "/localPosts/")
    assert sent["topicType"] == "STANDARD"
    assert sent["summary"] == request.text
    assert sent["callToAction"] == {"actionType": "LEARN_MORE", "url": "https://bm.example.fr/nuit"}
    assert sent["media"][0]["sourceUrl"] == request.images[0].url
    assert post.url == sent["searchUrl"]
    assert post.published_at is not None


def test_an_event_post_with_its_start_and_end_and_another_button(google, location):
    request = PublishRequest(
        key="k",
        text="Jeux de société pour tous, entrée libre.",
        link="https://bm.example.fr/jeux",
        call_to_action="SIGN_UP",
        event=Event("Nuit du jeu", datetime(YEAR, 11, 14, 18, 0), datetime(YEAR, 11, 14, 23, 30)),
    )

    client.publish(location, request)

    (sent,) = google.gbp_posts()
    assert sent["topicType"] == "EVENT"
    assert sent["event"]["title"] == "Nuit du jeu"
    schedule = sent["event"]["schedule"]
    assert schedule["startDate"] == {"year": YEAR, "month": 11, "day": 14}
    assert (schedule["startTime"]["hours"], schedule["startTime"]["minutes"]) == (18, 0)
    assert (schedule["endTime"]["hours"], schedule["endTime"]["minutes"]) == (23, 30)
    assert sent["callToAction"]["actionType"] == "SIGN_UP"


def test_an_offer_post_with_its_code_page_and_terms_and_no_button(google, location):
    request = PublishRequest(
        key="k",
        text="La carte est gratuite pour les moins de 26 ans tout le mois.",
        link="https://bm.example.fr/carte",
        call_to_action="SIGN_UP",  # Google ignores a button on an offer: not sent
        event=Event("Carte gratuite", datetime(YEAR, 12, 1, 9, 0), datetime(YEAR, 12, 31, 19)),
        offer=Offer(coupon_code=" NOEL26 ", terms="Sur présentation d'un justificatif."),
    )

    post = client.publish(location, request)

    (sent,) = google.gbp_posts()
    assert post.remote_id == sent["name"]
    assert sent["topicType"] == "OFFER"
    assert sent["event"]["title"] == "Carte gratuite"
    assert sent["event"]["schedule"]["endDate"] == {"year": YEAR, "month": 12, "day": 31}
    # Without a page of its own, the offer is redeemed online at the post's link.
    assert sent["offer"] == {
        "couponCode": "NOEL26",
        "redeemOnlineUrl": "https://bm.example.fr/carte",
        "termsConditions": "Sur présentation d'un justificatif.",
    }
    assert "callToAction" not in gbc.local_post(request)
    # find() recognises it (kind and title) after an uncertain failure.
    found = client.find(location, request, since=datetime.now(UTC) - timedelta(minutes=1))
    assert found is not None and found.remote_id == post.remote_id


@pytest.mark.parametrize("offer", [None, Offer(coupon_code="NOEL26")])
def test_an_event_or_offer_already_over_is_not_sent(google, location, offer):
    """What Google answers to one is not documented: never sent, a clear refusal."""
    evening = datetime(2026, 11, 14, 23, 30, tzinfo=UTC)
    request = PublishRequest(
        key="k",
        text="Nuit du jeu",
        event=Event("Nuit du jeu", evening - timedelta(hours=5), evening),
        offer=offer,
    )

    with pytest.raises(PermanentError) as caught:
        client.publish(location, request)

    message = caught.value.message
    assert "« Nuit du jeu »" in message and "14/11/2026 23:30" in message
    assert ("l'offre" if offer else "l'événement") in message
    assert "rien n'a été envoyé" in message
    assert google.gbp_posts() == [] and caught.value.code == "EVENT_ENDED"
    with translation.override("en"):
        assert "is over (ended 14/11/2026 23:30)" in message.translated()
    gbc.refuse_ended(request, now=evening - timedelta(seconds=1))  # not yet over


@pytest.mark.parametrize(
    ("offer", "field"),
    [
        (Offer(coupon_code="C" * 59), "offer.coupon_code"),
        (Offer(redeem_url="inscription à l'accueil"), "offer.redeem_online_url"),
        (Offer(terms="T" * 5001), "offer.terms_conditions"),
    ],
)
def test_an_offer_google_refuses_is_permanent_with_the_field(google, location, offer, field):
    request = PublishRequest(
        key="k",
        text="Carte gratuite",
        event=Event("Carte gratuite", datetime(YEAR, 12, 1, 9), datetime(YEAR, 12, 31, 19)),
        offer=offer,
    )

    with pytest.raises(PermanentError) as caught:
        client.publish(location, request)

    assert caught.value.status == 400
    assert field in caught.value.message
    assert google.gbp_posts() == []


def test_an_offer_without_an_event_is_not_sent_as_an_offer(google, location):
    # The rules require the event; the client never sends an OFFER Google would refuse.
    body = gbc.local_post(PublishRequest(key="k", text="Soldes", offer=Offer("X")))
    assert body["topicType"] == "STANDARD" and "offer" not in body


def test_the_call_button_has_no_link(google, location):
    client.publish(location, PublishRequest(key="k", text="Appelez-nous", call_to_action="CALL"))
    assert google.gbp_posts()[0]["callToAction"] == {"actionType": "CALL"}


def test_a_photo_without_a_public_address_is_refused_before_sending(google, location):
    image = Image(data=b"x", mime_type="image/jpeg")
    with pytest.raises(PermanentError, match="adresse publique"):
        client.publish(location, PublishRequest(key="k", text="Vue", images=(image,)))
    assert google.requests(posts_path(location)) == []


def test_a_photo_google_refuses_is_permanent_with_its_words(google, location, fake_media_host):
    small = photo(fake_media_host, width=200, height=200)

    with pytest.raises(PermanentError) as caught:
        client.publish(location, PublishRequest(key="k", text="Vue", images=(small,)))

    assert caught.value.status == 400
    assert caught.value.code == "INVALID_ARGUMENT"
    assert "at least 250 x 250 pixels" in caught.value.message
    assert google.gbp_posts() == []


def test_a_phone_number_in_the_summary_is_refused(google, location):
    with pytest.raises(PermanentError, match="REJECTED"):
        client.publish(location, PublishRequest(key="k", text="Réservations au 03 20 12 34 56"))


def test_a_post_still_processing_is_read_back_until_live(google, location):
    google.configure(post_processing_polls=2)

    post = client.publish(location, PublishRequest(key="k", text="Heure du conte"))

    assert post.data["state"] == "LIVE"
    assert post.url


@pytest.mark.parametrize(
    ("status", "message", "error", "words"),
    [
        (400, "Summary contains a phone number.", PermanentError, "phone number"),
        (403, "The caller does not have permission", AuthError, "permission manquante"),
        (429, None, RateLimited, "quota"),
        (500, None, TransientError, "Internal error"),
        (503, None, TransientError, "unavailable"),
    ],
)
def test_google_errors_are_mapped(google, location, status, message, error, words):
    google.inject_google_error(posts_path(location), status, message, method="POST")

    with pytest.raises(error) as caught:
        client.publish(location, PublishRequest(key="k", text="Bonjour"))

    assert caught.value.status == status
    assert words in caught.value.message
    if error is RateLimited:
        assert caught.value.reset_at > datetime.now(UTC)
        assert caught.value.reset_at <= datetime.now(UTC) + timedelta(seconds=62)
    assert google.gbp_posts() == []


def test_the_quota_per_minute_is_rate_limited_until_the_next_minute(google, location):
    google.exhaust_rate_limit()

    with pytest.raises(RateLimited) as caught:
        client.publish(location, PublishRequest(key="k", text="Bonjour"))

    assert caught.value.code == "RESOURCE_EXHAUSTED"
    assert "Requests per minute" in caught.value.message


def test_a_401_refreshes_the_token_once_and_repeats_the_call(google, location, saved):
    google.inject_google_error(posts_path(location), 401, method="POST")
    old = location.credentials["access_token"]

    client.publish(location, PublishRequest(key="k", text="Bonjour"))

    assert len(google.gbp_posts()) == 1
    assert len(google.requests("/token")) == 1
    assert saved[-1]["access_token"] != old
    assert saved[-1]["refresh_token"] == location.credentials["refresh_token"]


def test_an_expired_token_is_refreshed_before_the_call(google, location, saved):
    location.credentials["expires_at"] = time.time() - 10

    client.publish(location, PublishRequest(key="k", text="Bonjour"))

    assert [r.method for r in google.requests("/token")] == ["POST"]
    assert saved[-1]["expires_at"] > time.time() + 3000
    assert google.requests(posts_path(location))[0].outcome == "answered"


def test_a_401_without_a_refresh_token_needs_reconnecting(google, location):
    location.credentials.pop("refresh_token")
    google.inject_google_error(posts_path(location), 401, method="POST")

    with pytest.raises(AuthError) as caught:
        client.publish(location, PublishRequest(key="k", text="Bonjour"))
    assert caught.value.code == "UNAUTHENTICATED"


def test_invalid_grant_needs_reconnecting(google, location):
    # The person removed Annexe's access in their Google account.
    google.revoke_token(location.credentials["refresh_token"])
    google.revoke_token(location.credentials["access_token"])

    with pytest.raises(AuthError) as caught:
        client.publish(location, PublishRequest(key="k", text="Bonjour"))

    assert caught.value.code == "refresh_refused"
    assert "reconnectez" in caught.value.message
    assert google.gbp_posts() == []


def test_a_dropped_answer_is_ambiguous_and_find_returns_the_post(google, location):
    since = datetime.now(UTC)
    request = PublishRequest(key="k", text="Rencontre  avec   l'autrice\njeudi")
    google.inject(posts_path(location), method="POST", mode="drop_after")

    with pytest.raises(AmbiguousError):
        client.publish(location, request)
    found = client.find(location, request, since=since)

    (created,) = google.gbp_posts()  # never twice
    assert found is not None and found.remote_id == created["name"]
    assert client.find(location, PublishRequest(key="k2", text="Autre"), since=since) is None
    event = Event("Rencontre", datetime(2026, 5, 1, 18), datetime(2026, 5, 1, 20))
    as_event = PublishRequest(key="k3", text=request.text, event=event)
    assert client.find(location, as_event, since=since) is None


def test_find_ignores_older_posts_and_reports_a_rejected_one(google, location):
    client.publish(location, PublishRequest(key="k", text="Heure du conte"))
    with pytest.raises(PermanentError):
        client.publish(location, PublishRequest(key="k2", text="Appelez le 03 20 12 34 56"))

    later = datetime.now(UTC) + timedelta(minutes=10)
    again = PublishRequest(key="k", text="Heure du conte")
    assert client.find(location, again, since=later) is None
    rejected = PublishRequest(key="k2", text="Appelez le 03 20 12 34 56")
    with pytest.raises(PermanentError, match="REJECTED"):  # refused, not to be sent again
        client.find(location, rejected, since=datetime.now(UTC) - timedelta(hours=1))


def test_delete_and_deleting_again_is_fine(google, location):
    post = client.publish(location, PublishRequest(key="k", text="Bientôt supprimé"))

    client.delete(location, post)
    client.delete(location, post)

    assert google.gbp_posts(include_deleted=False) == []


def test_verify_reads_the_location(google, location):
    info = client.verify(location)

    assert info.display_name == "Médiathèque de Lille"
    assert info.remote_id == location.remote_id
    assert "Lille" in info.handle


def test_locations_lists_every_location_and_whether_it_may_post(google, location):
    found = {loc.title: loc for loc in client.locations(location)}

    assert set(found) == {
        "Médiathèque de Lille",
        "Bibliothèque Wazemmes",
        "Bibliothèque du Vieux-Lille",
    }
    assert found["Médiathèque de Lille"].name == location.remote_id
    assert found["Bibliothèque du Vieux-Lille"].can_post is False
    assert found["Bibliothèque Wazemmes"].account_name == "Réseau des médiathèques"


def test_metrics_views_and_button_clicks(google, location):
    post = client.publish(location, PublishRequest(key="k", text="Nuit", link="https://a.fr/x"))
    google.set_post_metrics(
        post.remote_id, LOCAL_POST_VIEWS_SEARCH=120, LOCAL_POST_ACTIONS_CALL_TO_ACTION=7
    )

    metrics = client.fetch_metrics(location, [post])

    assert metrics[post.remote_id].impressions == 120
    assert metrics[post.remote_id].clicks == 7
    assert metrics[post.remote_id].likes is None


def test_a_refused_metric_is_skipped_and_logged(google, location, caplog, monkeypatch):
    post = client.publish(location, PublishRequest(key="k", text="Nuit"))
    google.set_post_metrics(post.remote_id, LOCAL_POST_VIEWS_SEARCH=40)
    monkeypatch.setattr(
        client, "post_metrics", {**gbc.POST_METRICS, "LOCAL_POST_VIEWS_MAPS": "likes"}
    )

    with caplog.at_level(logging.WARNING, logger="networks.google_business_client"):
        metrics = client.fetch_metrics(location, [post])

    assert metrics[post.remote_id].impressions == 40
    assert metrics[post.remote_id].clicks == 0
    assert metrics[post.remote_id].likes is None
    assert "LOCAL_POST_VIEWS_MAPS skipped" in caplog.text


def test_retired_post_insights_leave_the_counts_unknown(google, location):
    post = client.publish(location, PublishRequest(key="k", text="Nuit"))
    google.configure(post_insights="retired")

    metrics = client.fetch_metrics(location, [post])

    assert metrics[post.remote_id].impressions is None


def test_daily_metrics_of_the_location_with_a_refused_metric_skipped(google, location, caplog):
    google.set_daily_metrics(location.remote_id.rsplit("/", 1)[-1], WEBSITE_CLICKS=3, CALL_CLICKS=1)
    retired = GoogleBusinessClient()
    retired.account_daily_metrics = (
        "WEBSITE_CLICKS",
        "CALL_CLICKS",
        "BUSINESS_IMPRESSIONS_RETIRED",
    )

    totals = retired.fetch_daily_metrics(location, start=date(2026, 11, 1), end=date(2026, 11, 7))

    assert totals == {"WEBSITE_CLICKS": 21, "CALL_CLICKS": 7}
    assert "BUSINESS_IMPRESSIONS_RETIRED skipped" in caplog.text


def test_daily_metrics_per_day_with_zero_days_left_out_by_google(google, location):
    location_id = location.remote_id.rsplit("/", 1)[-1]
    google.set_daily_metrics(location_id, CALL_CLICKS=2)
    google.set_daily_values(location_id, "2026-11-02", CALL_CLICKS=0, WEBSITE_CLICKS=5)

    days = client.fetch_account_daily(location, start=date(2026, 11, 1), end=date(2026, 11, 3))

    assert sorted(days) == [date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)]
    assert days[date(2026, 11, 1)]["CALL_CLICKS"] == 2
    # proto3 leaves zeros out: Google sends the day without a value.
    assert days[date(2026, 11, 2)]["CALL_CLICKS"] == 0
    assert days[date(2026, 11, 2)]["WEBSITE_CLICKS"] == 5
    assert set(days[date(2026, 11, 3)]) == set(client.account_daily_metrics)
    (call,) = google.requests(f"/v1/locations/{location_id}:fetchMultiDailyMetricsTimeSeries")
    assert sorted(call.query["dailyMetrics"]) == sorted(client.account_daily_metrics)


def test_a_deleted_post_is_left_out_and_the_others_still_counted(google, location):
    kept = client.publish(location, PublishRequest(key="k", text="Nuit"))
    gone = client.publish(location, PublishRequest(key="k2", text="Conte"))
    google.set_post_metrics(kept.remote_id, LOCAL_POST_VIEWS_SEARCH=12)
    google.delete_remote(gone.remote_id)
    # Google refuses a batch naming a post it no longer has (the fake still counts it).
    google.inject_google_error(
        posts_path(location) + ":reportInsights", 400, "Post not found.", method="POST"
    )

    metrics = client.fetch_metrics(location, [kept, gone])

    assert set(metrics) == {kept.remote_id}
    assert metrics[kept.remote_id].impressions == 12


def test_a_button_without_a_link_is_left_out(google, location):
    client.publish(location, PublishRequest(key="k", text="Venez", call_to_action="BOOK"))
    assert "callToAction" not in google.gbp_posts()[0]
