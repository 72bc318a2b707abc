"""The engine against the fake Google Business Profile: an event post with a photo (a
signed public URL of Annexe, really downloaded by the fake from a live server) and its
button, exactly once, and each fault mapped to its publication state."""

import datetime as dt
import io
import time

import pytest
from django.utils import timezone
from PIL import Image as PILImage

from posts.models import CallToAction
from publishing.models import AccountStatus, Publication, PublicationState, SocialAccount
from publishing.services import dispatch_due, publication_publish
from tests.factories import MediaFactory

S = PublicationState
YEAR = timezone.now().year + 1  # events and offers still to come
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _google(settings, live_server, fake_google_business):
    settings.PUBLIC_BASE_URL = live_server.url
    settings.GOOGLE_BUSINESS_CLIENT_ID = fake_google_business.config.client_id
    settings.GOOGLE_BUSINESS_CLIENT_SECRET = fake_google_business.config.client_secret


def location_account_on(fake, library, *, name: str = "Médiathèque de Lille") -> SocialAccount:
    ids = fake.ids()
    group = ids["accounts"]["Réseau des médiathèques"]
    credentials = fake.issue_token()
    return SocialAccount.objects.create(
        library=library,
        network="google_business",
        display_name=name,
        handle="32 rue Edouard Delesalle, 59000, Lille",
        server_url=fake.url,
        remote_id=f"accounts/{group}/locations/{ids['locations'][name]}",
        credentials={**credentials, "expires_at": time.time() + 3500},
    )


def _run(now=None):
    sweep = dispatch_due(now=now)
    return {pk: publication_publish(publication_id=pk, now=now) for pk, _eta in sweep.sent}


def _photo(cast, width=1200, height=900):
    # Noise, so that the JPEG rendition weighs more than Google's 10 KB minimum.
    buffer = io.BytesIO()
    PILImage.effect_noise((width, height), 80).convert("RGB").save(buffer, "JPEG")
    return MediaFactory(
        library=cast.net.a,
        file__data=buffer.getvalue(),
        width=width,
        height=height,
        alt_text="Des joueurs autour d'une table",
    )


def test_an_event_post_with_a_photo_and_a_button(approve, cast, fake_google_business, live_server):
    account = location_account_on(fake_google_business, cast.net.a)
    paris = cast.net.a.tzinfo
    post = approve(
        [account],
        body="Jeux de société pour tous, entrée libre.",
        link="https://bm.example.fr/nuit-du-jeu",
        media=[_photo(cast)],
        event_title="Nuit du jeu",
        event_starts_at=dt.datetime(YEAR, 11, 14, 18, 0, tzinfo=paris),
        event_ends_at=dt.datetime(YEAR, 11, 14, 23, 30, tzinfo=paris),
        call_to_action=CallToAction.SIGN_UP,
    )

    outcomes = _run(now=post.scheduled_at)

    assert set(outcomes.values()) == {S.PUBLISHED}, Publication.objects.values_list(
        "network", "error_message"
    )
    (sent,) = fake_google_business.gbp_posts()
    publication = Publication.objects.get()
    assert publication.remote_id == sent["name"]
    assert publication.remote_url == sent["searchUrl"]
    assert sent["topicType"] == "EVENT"
    assert sent["summary"] == "Jeux de société pour tous, entrée libre."
    schedule = sent["event"]["schedule"]
    # Google takes the civil time of the place: 18:00 in Lille, not 17:00 UTC.
    assert (schedule["startTime"]["hours"], schedule["endTime"]["hours"]) == (18, 23)
    assert sent["callToAction"]["actionType"] == "SIGN_UP"
    # The button opens the post's link (through Annexe's click counter when one is set).
    button_url = sent["callToAction"]["url"]
    assert button_url.startswith("https://bm.example.fr/nuit-du-jeu") or "/l/" in button_url
    assert sent["media"][0]["sourceUrl"].startswith(f"{live_server.url}/publishing/public-media/")


def test_an_offer_post_goes_out_as_an_offer_redeemed_at_the_posts_link(
    approve, cast, fake_google_business
):
    account = location_account_on(fake_google_business, cast.net.a)
    paris = cast.net.a.tzinfo
    post = approve(
        [account],
        body="La carte est gratuite pour les moins de 26 ans en décembre.",
        link="https://bm.example.fr/carte",
        event_title="Carte gratuite",
        event_starts_at=dt.datetime(YEAR, 12, 1, 9, 0, tzinfo=paris),
        event_ends_at=dt.datetime(YEAR, 12, 31, 19, 0, tzinfo=paris),
        is_offer=True,
        offer_coupon_code="NOEL26",
        offer_terms="Sur présentation d'un justificatif.",
    )

    outcomes = _run(now=post.scheduled_at)

    assert set(outcomes.values()) == {S.PUBLISHED}, Publication.objects.values_list(
        "network", "error_message"
    )
    (sent,) = fake_google_business.gbp_posts()
    assert sent["topicType"] == "OFFER"
    assert sent["event"]["title"] == "Carte gratuite"
    assert sent["offer"]["couponCode"] == "NOEL26"
    assert sent["offer"]["termsConditions"] == "Sur présentation d'un justificatif."
    # No page of its own: redeemed online at the post's link (Annexe's counter if any).
    redeem = sent["offer"]["redeemOnlineUrl"]
    assert redeem.startswith("https://bm.example.fr/carte") or "/l/" in redeem
    assert "callToAction" not in sent


def test_an_event_over_by_publication_time_fails_clearly_and_nothing_is_sent(
    approve, cast, fake_google_business
):
    account = location_account_on(fake_google_business, cast.net.a)
    ended = timezone.now() - dt.timedelta(hours=1)
    post = approve(
        [account],
        body="Nuit du jeu : merci à tous !",
        event_title="Nuit du jeu",
        event_starts_at=ended - dt.timedelta(hours=5),
        event_ends_at=ended,
    )

    outcomes = _run(now=post.scheduled_at)

    assert set(outcomes.values()) == {S.FAILED}
    publication = Publication.objects.get()
    assert "« Nuit du jeu » est terminé" in publication.error_message
    assert "rien n'a été envoyé à Google" in publication.error_message
    assert publication.error_data["params"]["title"] == "Nuit du jeu"  # shown translated
    assert fake_google_business.gbp_posts() == []


def test_the_same_task_twice_posts_once(approve, cast, fake_google_business):
    account = location_account_on(fake_google_business, cast.net.a)
    post = approve([account])
    sweep = dispatch_due(now=post.scheduled_at)
    (pk,) = [pk for pk, _eta in sweep.sent]

    assert publication_publish(publication_id=pk, now=post.scheduled_at) == S.PUBLISHED
    publication_publish(publication_id=pk, now=post.scheduled_at)

    assert len(fake_google_business.gbp_posts()) == 1


def test_a_dropped_answer_is_reconciled_not_sent_again(approve, cast, fake_google_business):
    account = location_account_on(fake_google_business, cast.net.a)
    posts_path = f"/v4/{account.remote_id}/localPosts"
    fake_google_business.inject(posts_path, method="POST", mode="drop_after")
    post = approve([account])

    assert set(_run(now=post.scheduled_at).values()) == {S.UNKNOWN}
    publication = Publication.objects.get()
    later = timezone.now() + dt.timedelta(hours=1)
    Publication.objects.filter(pk=publication.pk).update(next_attempt_at=timezone.now())
    assert set(_run(now=later).values()) == {S.PUBLISHED}

    (sent,) = fake_google_business.gbp_posts()
    publication.refresh_from_db()
    assert publication.remote_id == sent["name"]
    assert len(fake_google_business.requests(posts_path, method="POST")) == 1


def test_an_expired_access_token_is_refreshed_and_saved(approve, cast, fake_google_business):
    account = location_account_on(fake_google_business, cast.net.a)
    SocialAccount.objects.filter(pk=account.pk).update(
        credentials={**account.credentials, "expires_at": time.time() - 60}
    )
    post = approve([account])

    assert set(_run(now=post.scheduled_at).values()) == {S.PUBLISHED}

    account.refresh_from_db()
    assert account.credentials["expires_at"] > time.time() + 3000
    assert len(fake_google_business.requests("/token")) == 1


def test_removed_access_needs_reconnecting(approve, cast, fake_google_business):
    account = location_account_on(fake_google_business, cast.net.a)
    fake_google_business.revoke_token(account.credentials["refresh_token"])
    fake_google_business.revoke_token(account.credentials["access_token"])
    post = approve([account])

    assert set(_run(now=post.scheduled_at).values()) == {S.NEEDS_RECONNECT}

    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_RECONNECT
    assert fake_google_business.gbp_posts() == []


def test_a_refused_post_fails_with_googles_words(approve, cast, fake_google_business):
    account = location_account_on(fake_google_business, cast.net.a)
    post = approve([account], body="Inscriptions au 03 20 12 34 56")

    assert set(_run(now=post.scheduled_at).values()) == {S.FAILED}
    assert "REJECTED" in Publication.objects.get().error_message


def test_the_quota_per_minute_waits_for_the_next_minute(approve, cast, fake_google_business):
    account = location_account_on(fake_google_business, cast.net.a)
    fake_google_business.inject_google_error(
        f"/v4/{account.remote_id}/localPosts", 429, method="POST"
    )
    post = approve([account])

    assert set(_run(now=post.scheduled_at).values()) == {S.SCHEDULED}
    publication = Publication.objects.get()
    assert publication.next_attempt_at > timezone.now()
    assert publication.next_attempt_at <= timezone.now() + dt.timedelta(seconds=62)
    assert fake_google_business.gbp_posts() == []


def test_googles_refusal_and_quota_read_in_the_readers_language(
    approve, cast, fake_google_business
):
    from django.utils import translation

    account = location_account_on(fake_google_business, cast.net.a)
    post = approve([account], body="Inscriptions au 03 20 12 34 56")
    _run(now=post.scheduled_at)
    publication = Publication.objects.get()

    # Stored in French (logs, older readers), with its msgid for the pages.
    assert publication.error_message.startswith("Google : la publication a été refusée")
    with translation.override("en"):
        assert publication.error_text == (
            "Google: the post was refused (REJECTED). Google refuses, among other things,"
            " phone numbers in the text."
        )
    with translation.override("fr"):
        assert publication.error_text == publication.error_message

    # Google's own words stay as Google wrote them, inside the English sentence.
    Publication.objects.all().delete()
    fake_google_business.inject_google_error(
        f"/v4/{account.remote_id}/localPosts", 429, method="POST"
    )
    post = approve([account])
    _run(now=post.scheduled_at)
    publication = Publication.objects.get(post=post)
    words = publication.error_data["params"]["words"]
    assert publication.error_message == f"Google : quota de requêtes atteint ({words})"
    with translation.override("en"):
        assert publication.error_text == f"Google: request quota reached ({words})"
