"""The engine in one process against the fake networks (real HTTP): lifecycle,
dispatcher, one attempt and its error mapping. Each ends with the journal."""

import datetime as dt

import pytest
from django.utils import timezone

from posts.models import Post, PostState
from publishing import hooks
from publishing.models import AccountStatus, Publication, PublicationState
from publishing.services import dispatch_due, publication_publish, publishing_pause

pytestmark = pytest.mark.django_db
S = PublicationState


def _run(now=None):
    """One sweep at `now`, then every claimed publication attempted once (what the
    worker would do with the messages)."""
    sweep = dispatch_due(now=now)
    return {pk: publication_publish(publication_id=pk, now=now) for pk, _eta in sweep.sent}


def test_approved_post_goes_out_once_on_each_network_at_its_time(
    approve, mastodon_account, bluesky_account, fake_mastodon, fake_bluesky
):
    post = approve([mastodon_account, bluesky_account])
    publications = list(Publication.objects.filter(post=post))
    assert {p.state for p in publications} == {S.SCHEDULED}
    assert all(p.scheduled_at == post.scheduled_at for p in publications)

    assert _run() == {}  # not due yet
    outcomes = _run(now=post.scheduled_at)

    assert set(outcomes.values()) == {S.PUBLISHED}
    (status,) = fake_mastodon.posts()
    assert len(fake_bluesky.posts()) == 1
    mastodon = Publication.objects.get(post=post, account=mastodon_account)
    assert mastodon.remote_id == status["id"] and mastodon.remote_url == status["url"]
    assert status["idempotency_key"] == mastodon.key
    bluesky = Publication.objects.get(post=post, account=bluesky_account)
    assert bluesky.remote_id.startswith("at://") and "/post/" in bluesky.remote_url
    assert Post.objects.get(pk=post.pk).state == PostState.PUBLISHED


def test_the_same_task_delivered_twice_publishes_once(approve, mastodon_account, fake_mastodon):
    post = approve([mastodon_account])
    sweep = dispatch_due(now=post.scheduled_at)
    (pk, _eta) = sweep.sent[0]

    assert publication_publish(publication_id=pk) == S.PUBLISHED
    assert publication_publish(publication_id=pk) == "skipped"
    assert dispatch_due(now=post.scheduled_at + dt.timedelta(hours=1)).claimed == 0
    assert len(fake_mastodon.posts()) == 1


def test_server_error_is_retried_after_its_backoff_only(approve, mastodon_account, fake_mastodon):
    post = approve([mastodon_account])
    fake_mastodon.inject("/api/v1/statuses", method="POST", status=500)

    assert set(_run(now=post.scheduled_at).values()) == {S.SCHEDULED}
    publication = Publication.objects.get(post=post)
    assert publication.error_status == 500 and publication.next_attempt_at > post.scheduled_at
    assert _run(now=publication.next_attempt_at - dt.timedelta(seconds=1)) == {}
    assert set(_run(now=publication.next_attempt_at).values()) == {S.PUBLISHED}
    assert len(fake_mastodon.posts()) == 1


def test_rate_limited_waits_for_the_reset(approve, mastodon_account, fake_mastodon):
    post = approve([mastodon_account])
    fake_mastodon.inject_rate_limited("/api/v1/statuses", method="POST", reset_in=120)

    _run(now=post.scheduled_at)

    publication = Publication.objects.get(post=post)
    assert publication.state == S.SCHEDULED
    wait = (publication.next_attempt_at - timezone.now()).total_seconds()
    assert 100 < wait <= 121
    assert set(_run(now=publication.next_attempt_at).values()) == {S.PUBLISHED}
    assert len(fake_mastodon.posts()) == 1


def test_revoked_token_waits_for_reconnection(approve, mastodon_account, fake_mastodon):
    post = approve([mastodon_account])
    fake_mastodon.revoke_token(mastodon_account.credentials["access_token"])

    _run(now=post.scheduled_at)

    mastodon_account.refresh_from_db()
    assert mastodon_account.status == AccountStatus.NEEDS_RECONNECT
    assert Publication.objects.get(post=post).state == S.NEEDS_RECONNECT
    assert _run(now=post.scheduled_at + dt.timedelta(hours=1)) == {}
    # the administrator reconnects the account (the accounts pages do this)
    mastodon_account.credentials = {"access_token": fake_mastodon.issue_token(scopes="read write")}
    mastodon_account.status = AccountStatus.CONNECTED
    mastodon_account.save()
    assert set(_run(now=post.scheduled_at + dt.timedelta(hours=1)).values()) == {S.PUBLISHED}
    assert len(fake_mastodon.posts()) == 1


def test_dropped_after_processing_is_reconciled_not_resent(
    approve, mastodon_account, fake_mastodon
):
    post = approve([mastodon_account])
    fake_mastodon.inject("/api/v1/statuses", method="POST", mode="drop_after")

    assert set(_run(now=post.scheduled_at).values()) == {S.UNKNOWN}
    publication = Publication.objects.get(post=post)
    assert set(_run(now=publication.next_attempt_at).values()) == {S.PUBLISHED}
    assert len(fake_mastodon.posts()) == 1
    assert len(fake_mastodon.requests("/api/v1/statuses", "POST")) == 1  # found, not resent
    assert Publication.objects.get(post=post).remote_id == fake_mastodon.posts()[0]["id"]


def test_refused_content_fails_with_the_networks_message(approve, mastodon_account, fake_mastodon):
    post = approve([mastodon_account])
    fake_mastodon.inject(
        "/api/v1/statuses",
        method="POST",
        status=422,
        body={"error": "Validation failed: Text character limit of 500 exceeded"},
    )

    assert set(_run(now=post.scheduled_at).values()) == {S.FAILED}

    publication = Publication.objects.get(post=post)
    assert "character limit" in publication.error_message
    assert Post.objects.get(pk=post.pk).state == PostState.FAILED
    assert fake_mastodon.posts() == []


def test_gives_up_after_the_last_attempt(approve, mastodon_account, fake_mastodon, settings):
    settings.PUBLISHING_MAX_ATTEMPTS = 2
    post = approve([mastodon_account])
    fake_mastodon.inject("/api/v1/statuses", method="POST", status=503, times=None)

    now = post.scheduled_at
    for _ in range(2):
        _run(now=now)
        now = Publication.objects.get(post=post).next_attempt_at or now

    publication = Publication.objects.get(post=post)
    assert publication.state == S.FAILED and "2" in publication.error_message
    assert fake_mastodon.posts() == []


def test_withdrawn_post_is_not_published(
    approve, cast, mastodon_account, fake_mastodon, django_capture_on_commit_callbacks
):
    from validation.services import post_withdraw

    post = approve([mastodon_account])
    with django_capture_on_commit_callbacks(execute=True):
        post_withdraw(post=post, by=cast.agent)

    assert Publication.objects.get(post=post).state == S.CANCELLED
    assert _run(now=post.scheduled_at) == {}
    assert fake_mastodon.posts() == []


def test_a_moved_post_takes_its_publications_along(approve, cast, mastodon_account):
    from editorial_calendar.services.schedule import post_reschedule

    post = approve([mastodon_account], when=dt.timedelta(days=2))
    later = post.scheduled_at + dt.timedelta(days=1)
    post_reschedule(post=post, by=cast.admin, scheduled_at=later)

    assert Publication.objects.get(post=post).scheduled_at == later


def test_nothing_goes_out_while_paused(approve, cast, mastodon_account, fake_mastodon):
    post = approve([mastodon_account])
    publishing_pause(library=cast.net.head, by=cast.admin, reason="Deuil national")

    assert _run(now=post.scheduled_at) == {}
    assert Publication.objects.get(post=post).state == S.SCHEDULED
    assert fake_mastodon.posts() == []


def test_link_rewriters_apply_to_the_text_and_images_keep_their_alt_text(
    approve, mastodon_account, fake_mastodon
):
    from metrics.links import tracked_url

    def tracked(publication, url):
        return f"{url}?via=annexe-{publication.pk}"

    # Only this rewriter (metrics registers the /l/ short links at start-up).
    hooks.unregister_link_rewriter(tracked_url)
    hooks.register_link_rewriter(tracked)
    try:
        post = approve([mastodon_account], link="https://bib.example.fr/conte")
        _run(now=post.scheduled_at)
    finally:
        hooks.unregister_link_rewriter(tracked)
        hooks.register_link_rewriter(tracked_url)

    (status,) = fake_mastodon.posts()
    publication = Publication.objects.get(post=post)
    assert f"https://bib.example.fr/conte?via=annexe-{publication.pk}" in status["text"]
