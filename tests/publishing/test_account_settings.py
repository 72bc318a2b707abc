"""An account's publishing settings (language, and visibility on Mastodon) are set on
its page by an administrator and carried by every later post sent through it."""

import pytest
from django.urls import reverse

from publishing.models import Publication
from publishing.services import dispatch_due, publication_publish
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def _settings_url(account):
    return reverse("publishing:account_settings", kwargs={"pk": account.pk})


def test_mastodon_posts_go_out_with_the_accounts_language_and_visibility(
    client, cast, approve, mastodon_account, fake_mastodon
):
    client.force_login(cast.admin)
    page = client.get(reverse("publishing:account", kwargs={"pk": mastodon_account.pk}))
    assert page.context["settings_form"]["visibility"].value() == "public"
    assert page.context["settings_form"]["language"].value() == "fr"

    response = client.post(
        _settings_url(mastodon_account), {"language": "br", "visibility": "unlisted"}
    )
    assert response.status_code == 302
    mastodon_account.refresh_from_db()
    assert mastodon_account.settings["language"] == "br"
    assert mastodon_account.settings["visibility"] == "unlisted"

    post = approve([mastodon_account])
    sweep = dispatch_due(now=post.scheduled_at)
    for pk, _eta in sweep.sent:
        publication_publish(publication_id=pk, now=post.scheduled_at)

    (status,) = fake_mastodon.posts()
    assert (status["language"], status["visibility"]) == ("br", "unlisted")
    assert Publication.objects.get(post=post).state == "published"


def test_bluesky_has_a_language_but_no_visibility(client, cast, bluesky_account):
    client.force_login(cast.admin)
    form = client.get(reverse("publishing:account", kwargs={"pk": bluesky_account.pk})).context[
        "settings_form"
    ]
    assert set(form.fields) == {"language"}

    client.post(_settings_url(bluesky_account), {"language": "oc", "visibility": "private"})

    bluesky_account.refresh_from_db()
    assert bluesky_account.settings["language"] == "oc"
    assert "visibility" not in bluesky_account.settings


def test_sandbox_has_no_publishing_settings_and_only_administrators_set_them(
    client, cast, mastodon_account
):
    sandbox = SocialAccountFactory(library=cast.net.a, network="sandbox")
    client.force_login(cast.admin)
    assert (
        client.get(reverse("publishing:account", kwargs={"pk": sandbox.pk})).context[
            "settings_form"
        ]
        is None
    )

    client.force_login(cast.agent)
    response = client.post(_settings_url(mastodon_account), {"language": "en"})

    assert response.status_code in (403, 404)
    mastodon_account.refresh_from_db()
    assert "language" not in mastodon_account.settings
