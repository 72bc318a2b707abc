"""The Mastodon client against the fake Mastodon: what reaches the server, and how each
failure is mapped."""

from datetime import UTC, datetime, timedelta

import pytest
import requests

from networks.client import (
    Account,
    AmbiguousError,
    AuthError,
    Image,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
)
from networks.mastodon import SCOPES, MastodonClient, comparable_text, html_to_text
from tests.factories import make_image

client = MastodonClient()


@pytest.fixture
def account(fake_mastodon):
    token = fake_mastodon.issue_token(scopes=" ".join(SCOPES))
    account = Account("mastodon", server_url=fake_mastodon.url, credentials={"access_token": token})
    info = client.verify(account)
    account.remote_id = info.remote_id
    return account


def _image(alt: str) -> Image:
    return Image(data=make_image(60, 40), mime_type="image/jpeg", alt_text=alt, width=60, height=40)


def test_publish_sends_every_alt_text_and_the_options(fake_mastodon, account):
    request = PublishRequest(
        key="pub-1",
        text="Nouveautés BD 📚 https://bib.example.fr/bd",
        images=(_image("Une pile de BD"), _image("La couverture d'Astérix")),
        content_warning="Spoilers",
        visibility="unlisted",
        language="fr",
    )

    post = client.publish(account, request)

    uploads = fake_mastodon.requests("/api/v2/media", "POST")
    assert [u.form["description"] for u in uploads] == [
        ["Une pile de BD"],
        ["La couverture d'Astérix"],
    ]
    (status,) = fake_mastodon.posts()
    assert status["text"] == request.text
    assert status["spoiler_text"] == "Spoilers"
    assert status["visibility"] == "unlisted"
    assert status["language"] == "fr"
    assert status["idempotency_key"] == "pub-1"
    assert [m["description"] for m in status["media_attachments"]] == [
        "Une pile de BD",
        "La couverture d'Astérix",
    ]
    assert post.remote_id == status["id"]
    assert post.url == status["url"]


def test_media_still_processing_is_awaited(fake_mastodon_factory):
    fake = fake_mastodon_factory(media_processing_seconds=0.6)
    token = fake.issue_token(scopes=" ".join(SCOPES))
    account = Account("mastodon", server_url=fake.url, credentials={"access_token": token})

    client.publish(account, PublishRequest(key="k", text="Photo", images=(_image("Alt"),)))

    assert fake.requests(path_prefix="/api/v1/media/", method="GET")
    assert len(fake.posts()) == 1


def test_same_key_twice_is_one_status(fake_mastodon, account):
    request = PublishRequest(key="same", text="Une fois")

    first = client.publish(account, request)
    second = client.publish(account, request)

    assert first.remote_id == second.remote_id
    assert len(fake_mastodon.posts()) == 1


def test_dropped_after_processing_is_ambiguous_and_found(fake_mastodon, account):
    fake_mastodon.inject("/api/v1/statuses", method="POST", mode="drop_after")
    request = PublishRequest(key="lost", text="Rencontre avec @autrice@autre.example samedi")
    since = datetime.now(UTC) - timedelta(seconds=1)

    with pytest.raises(AmbiguousError):
        client.publish(account, request)

    found = client.find(account, request, since=since)
    assert found is not None
    assert found.remote_id == fake_mastodon.posts()[0]["id"]
    assert client.find(account, PublishRequest(key="x", text="Autre chose"), since=since) is None


@pytest.mark.parametrize(
    ("inject", "error"),
    [
        ({"status": 500}, TransientError),
        ({"status": 503}, TransientError),
        (
            {"status": 422, "body": {"error": "Validation failed: Text can't be blank"}},
            PermanentError,
        ),
        ({"mode": "drop"}, AmbiguousError),
    ],
)
def test_error_mapping(fake_mastodon, account, inject, error):
    fake_mastodon.inject("/api/v1/statuses", method="POST", **inject)

    with pytest.raises(error) as caught:
        client.publish(account, PublishRequest(key="k", text="Bonjour"))

    if error is PermanentError:
        assert "Text can't be blank" in caught.value.message


def test_rate_limit_gives_the_reset(fake_mastodon, account):
    fake_mastodon.inject_rate_limited("/api/v1/statuses", method="POST", reset_in=120)

    with pytest.raises(RateLimited) as caught:
        client.publish(account, PublishRequest(key="k", text="Bonjour"))

    wait = (caught.value.reset_at - datetime.now(UTC)).total_seconds()
    assert 100 < wait <= 121


def test_revoked_token_is_an_auth_error(fake_mastodon, account):
    fake_mastodon.revoke_token(account.credentials["access_token"])

    with pytest.raises(AuthError) as caught:
        client.publish(account, PublishRequest(key="k", text="Bonjour"))

    assert "revoked" in caught.value.message


def test_connection_refused_is_transient():
    account = Account(
        "mastodon", server_url="http://127.0.0.1:9", credentials={"access_token": "t"}
    )

    with pytest.raises(TransientError):
        client.publish(account, PublishRequest(key="k", text="Bonjour"))


def test_delete_and_delete_again(fake_mastodon, account):
    post = client.publish(account, PublishRequest(key="k", text="À supprimer"))

    client.delete(account, post)
    client.delete(account, post)  # already gone: not an error

    assert fake_mastodon.posts()[0]["deleted"] is True


def test_boost_from_another_account_once(fake_mastodon, account):
    fake_mastodon.add_user("reseau")
    other = Account(
        "mastodon",
        server_url=fake_mastodon.url,
        credentials={"access_token": fake_mastodon.issue_token("reseau", " ".join(SCOPES))},
    )
    original = client.publish(account, PublishRequest(key="k", text="À relayer"))

    assert client.find_repost(other, original, key="r") is None
    client.repost(other, original, key="r")
    client.repost(other, original, key="r")

    assert fake_mastodon.posts()[0]["reblogs_count"] == 1
    assert client.find_repost(other, original, key="r") is not None


def test_connect_flow_registers_an_app_and_exchanges_the_code(fake_mastodon):
    redirect_uri = "http://127.0.0.1:8000/settings/accounts/mastodon/callback/"
    app = client.register_app(fake_mastodon.url, redirect_uri=redirect_uri)
    url = client.authorization_url(
        fake_mastodon.url,
        client_id=app["client_id"],
        redirect_uri=redirect_uri,
        state="st4te",
        code_verifier="v" * 50,
    )
    assert "code_challenge=" in url and "state=st4te" in url
    consent = requests.get(url, timeout=5)
    assert "Authorize" in consent.text
    # The person clicks "Authorize" on the consent page.
    fields = dict(p.split("=", 1) for p in url.split("?", 1)[1].split("&"))
    decision = requests.post(
        f"{fake_mastodon.url}/oauth/authorize",
        data={**{k: requests.utils.unquote(v) for k, v in fields.items()}, "decision": "approve"},
        allow_redirects=False,
        timeout=5,
    )
    code = decision.headers["Location"].split("code=")[1].split("&")[0]

    token = client.exchange_code(
        fake_mastodon.url,
        client_id=app["client_id"],
        client_secret=app["client_secret"],
        redirect_uri=redirect_uri,
        code=code,
        code_verifier="v" * 50,
    )

    account = Account("mastodon", server_url=fake_mastodon.url, credentials=token)
    assert client.verify(account).handle.startswith("@mediatheque@")
    (app_request,) = fake_mastodon.requests("/api/v1/apps")
    assert app_request.form["scopes"] == [" ".join(SCOPES)]


def test_a_wrong_code_is_refused(fake_mastodon):
    app = client.register_app(fake_mastodon.url, redirect_uri="http://127.0.0.1/cb")

    with pytest.raises(PermanentError):
        client.exchange_code(
            fake_mastodon.url,
            client_id=app["client_id"],
            client_secret=app["client_secret"],
            redirect_uri="http://127.0.0.1/cb",
            code="nope",
            code_verifier="v" * 50,
        )


def test_status_html_back_to_comparable_text():
    html = (
        '<p>Rencontre avec <span class="h-card"><a href="https://x/@autrice">@<span>autrice'
        '</span></a></span><br />samedi</p><p>Lien : <a href="https://bib.fr/a">'
        '<span class="invisible">https://</span><span>bib.fr/a</span></a> &amp; plus</p>'
    )

    assert comparable_text(html_to_text(html)) == comparable_text(
        "Rencontre avec @autrice@autre.example\nsamedi\n\nLien : https://bib.fr/a & plus"
    )
