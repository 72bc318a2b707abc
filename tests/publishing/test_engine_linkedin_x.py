"""The engine against the fake LinkedIn and the fake X (real HTTP): a post with photos
and their alt text to a LinkedIn Page and an X account at once, and each fault mapped
to its publication state; exactly once when the answer is lost or the task repeats."""

import datetime as dt

import pytest
from django.utils import timezone

from networks import linkedin
from publishing.models import AccountStatus, Publication, PublicationState
from publishing.services import dispatch_due, publication_publish
from tests.factories import MediaFactory, make_image

pytestmark = pytest.mark.django_db
S = PublicationState


@pytest.fixture(autouse=True)
def _apps(monkeypatch, settings, fake_linkedin, fake_x):
    monkeypatch.setattr(linkedin.posts, "POLL_DELAYS", (0.01,) * 3)
    settings.LINKEDIN_CLIENT_ID = fake_linkedin.config.client_id
    settings.LINKEDIN_CLIENT_SECRET = fake_linkedin.config.client_secret
    settings.LINKEDIN_OAUTH_URL = fake_linkedin.url
    settings.X_CLIENT_ID = fake_x.config.client_id
    settings.X_CLIENT_SECRET = fake_x.config.client_secret


def _run(now=None):
    sweep = dispatch_due(now=now)
    return {pk: publication_publish(publication_id=pk, now=now) for pk, _eta in sweep.sent}


def _photo(cast, alt):
    return MediaFactory(
        library=cast.net.a, file__data=make_image(800, 600), width=800, height=600, alt_text=alt
    )


def _errors():
    return list(Publication.objects.values_list("network", "state", "error_message"))


def test_a_post_with_photos_goes_to_linkedin_and_x_with_their_alt_text(
    approve, cast, li_account, x_account, fake_linkedin, fake_x
):
    post = approve(
        [li_account, x_account], media=[_photo(cast, "L'affiche"), _photo(cast, "La salle")]
    )

    outcomes = _run(now=post.scheduled_at)

    assert set(outcomes.values()) == {S.PUBLISHED}, _errors()
    (li_post,) = fake_linkedin.li_posts()
    images = li_post["content"]["multiImage"]["images"]
    assert [i["altText"] for i in images] == ["L'affiche", "La salle"]
    (tweet,) = fake_x.x_posts()
    assert tweet["alt_texts"] == ["L'affiche", "La salle"]
    li_pub = Publication.objects.get(post=post, account=li_account)
    assert li_pub.remote_id == li_post["id"]
    assert li_pub.remote_url == f"https://www.linkedin.com/feed/update/{li_post['id']}/"
    x_pub = Publication.objects.get(post=post, account=x_account)
    assert x_pub.remote_url == f"https://x.com/mediatheque_lille/status/{tweet['id']}"


@pytest.mark.parametrize("which", ["linkedin", "x"])
def test_the_same_task_delivered_twice_publishes_once(
    approve, li_account, x_account, fake_linkedin, fake_x, which
):
    account = li_account if which == "linkedin" else x_account
    post = approve([account])
    ((pk, _eta),) = dispatch_due(now=post.scheduled_at).sent

    assert publication_publish(publication_id=pk) == S.PUBLISHED
    assert publication_publish(publication_id=pk) == "skipped"
    posts = fake_linkedin.li_posts() if which == "linkedin" else fake_x.x_posts()
    assert len(posts) == 1


@pytest.mark.parametrize(("which", "path"), [("linkedin", "/rest/posts"), ("x", "/2/tweets")])
def test_dropped_after_processing_is_reconciled_not_resent(
    approve, li_account, x_account, fake_linkedin, fake_x, which, path
):
    account, fake = (li_account, fake_linkedin) if which == "linkedin" else (x_account, fake_x)
    post = approve([account])
    fake.inject(path, method="POST", mode="drop_after")

    assert set(_run(now=post.scheduled_at).values()) == {S.UNKNOWN}
    publication = Publication.objects.get(post=post)
    assert set(_run(now=publication.next_attempt_at).values()) == {S.PUBLISHED}, _errors()

    posts = fake_linkedin.li_posts() if which == "linkedin" else fake_x.x_posts()
    assert len(posts) == 1
    assert len(fake.requests(path, "POST")) == 1  # found, not resent
    assert Publication.objects.get(post=post).remote_id == posts[0]["id"]


def test_linkedin_revoked_token_waits_for_reconnection(approve, li_account, fake_linkedin):
    post = approve([li_account])
    fake_linkedin.revoke_token(li_account.credentials["access_token"])

    _run(now=post.scheduled_at)

    li_account.refresh_from_db()
    assert li_account.status == AccountStatus.NEEDS_RECONNECT
    assert Publication.objects.get(post=post).state == S.NEEDS_RECONNECT
    assert fake_linkedin.li_posts() == []


def test_x_revoked_access_is_refreshed_and_saved_encrypted(approve, x_account, fake_x):
    post = approve([x_account])
    old = dict(x_account.credentials)
    fake_x.revoke_token(old["access_token"])

    assert set(_run(now=post.scheduled_at).values()) == {S.PUBLISHED}, _errors()

    x_account.refresh_from_db()
    assert x_account.credentials["refresh_token"] != old["refresh_token"]
    assert x_account.status == AccountStatus.CONNECTED


def test_x_with_its_refresh_refused_waits_for_reconnection(approve, x_account, fake_x):
    post = approve([x_account])
    fake_x.revoke_token(x_account.credentials["access_token"])
    fake_x.inject(
        "/2/oauth2/token",
        method="POST",
        status=400,
        body={
            "error": "invalid_request",
            "error_description": "Value passed for the token was invalid.",
        },
    )

    _run(now=post.scheduled_at)

    x_account.refresh_from_db()
    assert x_account.status == AccountStatus.NEEDS_RECONNECT
    assert Publication.objects.get(post=post).state == S.NEEDS_RECONNECT


def test_linkedin_daily_quota_waits_for_midnight_utc(approve, li_account, fake_linkedin):
    post = approve([li_account])
    fake_linkedin.exhaust_rate_limit("member")

    _run(now=post.scheduled_at)

    publication = Publication.objects.get(post=post)
    assert publication.state == S.SCHEDULED
    reset = publication.next_attempt_at.astimezone(dt.UTC)
    assert (reset.hour, reset.minute) == (0, 0)


def test_x_rate_limit_waits_for_its_reset(approve, x_account, fake_x):
    post = approve([x_account])
    fake_x.exhaust_rate_limit("tweets_create")

    _run(now=post.scheduled_at)

    publication = Publication.objects.get(post=post)
    assert publication.state == S.SCHEDULED
    wait = (publication.next_attempt_at - timezone.now()).total_seconds()
    assert 60 < wait <= 901


def test_refused_image_fails_with_the_networks_words(approve, cast, li_account, fake_linkedin):
    fake_linkedin.configure(image_max_pixels=100)  # the photo is far larger
    post = approve([li_account], media=[_photo(cast, "Trop grande")])

    assert set(_run(now=post.scheduled_at).values()) == {S.FAILED}

    assert "Trop grande" in Publication.objects.get(post=post).error_message
    assert fake_linkedin.li_posts() == []


def test_x_server_error_is_retried_later(approve, x_account, fake_x):
    post = approve([x_account])
    fake_x.inject_problem("/2/tweets", 503, "Service Unavailable", method="POST")

    assert set(_run(now=post.scheduled_at).values()) == {S.SCHEDULED}
    publication = Publication.objects.get(post=post)
    assert publication.error_status == 503
    assert set(_run(now=publication.next_attempt_at).values()) == {S.PUBLISHED}
    assert len(fake_x.x_posts()) == 1


def test_a_stored_failure_reads_in_the_readers_language(approve, cast, li_account, fake_linkedin):
    from django.utils import translation

    fake_linkedin.configure(image_max_pixels=100)
    post = approve([li_account], media=[_photo(cast, "Trop grande")])
    _run(now=post.scheduled_at)
    publication = Publication.objects.get(post=post)

    # Stored in French (logs, older readers), with its msgid for the pages.
    assert publication.error_message == (
        "LinkedIn : l'image « Trop grande » a été refusée (PROCESSING_FAILED)."
    )
    with translation.override("en"):
        assert publication.error_text == (
            "LinkedIn: image “Trop grande” was refused (PROCESSING_FAILED)."
        )
    with translation.override("fr"):
        assert publication.error_text == publication.error_message


def test_give_up_and_account_problems_read_in_english_too(li_account, fake_linkedin):
    from django.utils import translation

    from networks.messages import Message
    from publishing.account_services import account_test
    from publishing.models import Publication as Pub

    gave_up = Message(
        "Abandon après {n} tentatives : {message}",
        n=5,
        message=Message("{network} : serveur injoignable", network="X"),
    )
    with translation.override("en"):
        assert Pub(error_message=gave_up, error_data=gave_up.data()).error_text == (
            "Gave up after 5 attempts: X: server unreachable"
        )
    fake_linkedin.revoke_token(li_account.credentials["access_token"])
    with translation.override("en"):
        ok, told = account_test(account=li_account, by=None)
    li_account.refresh_from_db()
    assert not ok and told.startswith("LinkedIn: ")
    assert li_account.settings["last_error"].startswith("LinkedIn : ")
    with translation.override("en"):
        assert li_account.last_error_text == told
