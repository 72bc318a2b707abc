"""The Bluesky client against the fake PDS: sessions, records, facets, cards, errors."""

import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from networks.bluesky import BlueskyClient
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
from tests.factories import make_image

client = BlueskyClient()
PASSWORD = "abcd-efgh-ijkl-mnop"


@pytest.fixture
def saved():
    return []


@pytest.fixture
def account(fake_bluesky, saved):
    credentials = client.login(
        fake_bluesky.url, identifier="mediatheque.bsky.social", app_password=PASSWORD
    )
    return Account(
        "bluesky",
        server_url=fake_bluesky.url,
        handle="@mediatheque.bsky.social",
        remote_id=credentials["did"],
        credentials=credentials,
        on_credentials_changed=saved.append,
    )


def _key() -> str:
    return client.new_key("6f1c7a8e-0000-4000-8000-000000000001", datetime.now(UTC))


@pytest.fixture
def og_page():
    """A page with Open Graph tags on loopback (link previews only reach loopback in tests)."""
    image = make_image(120, 63)

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/cover.jpg":
                body, kind = image, "image/jpeg"
            else:
                body = (
                    b"<html><head><title>Ignored</title>"
                    b'<meta property="og:title" content="Nuit de la lecture">'
                    b'<meta property="og:description" content="Samedi 24 janvier">'
                    b'<meta property="og:image" content="/cover.jpg"></head></html>'
                )
                kind = "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/agenda"
    server.shutdown()


def test_post_with_images_alt_text_aspect_ratio_and_facets(fake_bluesky, account):
    key = _key()
    text = "Été 🌞 à la médiathèque : https://bib.example.fr/été #LectureDÉté"
    images = (
        Image(
            data=make_image(300, 200),
            mime_type="image/jpeg",
            alt_text="Transats",
            width=300,
            height=200,
        ),
        Image(
            data=make_image(100, 100), mime_type="image/jpeg", alt_text="", width=100, height=100
        ),
    )

    post = client.publish(account, PublishRequest(key=key, text=text, images=images, language="fr"))

    (stored,) = fake_bluesky.posts()
    record = stored["value"]
    assert stored["rkey"] == key
    assert record["text"] == text
    assert record["langs"] == ["fr"]
    assert [i["alt"] for i in record["embed"]["images"]] == ["Transats", ""]
    assert record["embed"]["images"][0]["aspectRatio"] == {"width": 300, "height": 200}
    kinds = [f["features"][0]["$type"].rsplit("#", 1)[1] for f in record["facets"]]
    assert kinds == ["link", "tag"]
    assert post.remote_id == stored["uri"]
    assert post.url.endswith(f"/profile/mediatheque.bsky.social/post/{key}")


def test_link_card_when_there_is_no_image(fake_bluesky, account, og_page):
    client.publish(account, PublishRequest(key=_key(), text="Programme", link=og_page))

    external = fake_bluesky.posts()[0]["value"]["embed"]["external"]
    assert external["uri"] == og_page
    assert external["title"] == "Nuit de la lecture"
    assert external["description"] == "Samedi 24 janvier"
    assert external["thumb"]["mimeType"] == "image/jpeg"


def test_no_card_from_outside_hosts_in_tests(fake_bluesky, account):
    client.publish(account, PublishRequest(key=_key(), text="Voir", link="https://example.org/"))

    assert "embed" not in fake_bluesky.posts()[0]["value"]


def test_expired_access_token_is_refreshed_and_saved(fake_bluesky, account, saved):
    fake_bluesky.expire_access_tokens()

    client.publish(account, PublishRequest(key=_key(), text="Bonjour"))

    assert len(fake_bluesky.posts()) == 1
    assert fake_bluesky.requests("/xrpc/com.atproto.server.refreshSession")
    assert saved and saved[-1]["access_jwt"] != ""


def test_revoked_refresh_token_recreates_the_session(fake_bluesky, account, saved):
    fake_bluesky.expire_access_tokens()
    fake_bluesky.revoke_refresh_tokens()

    client.publish(account, PublishRequest(key=_key(), text="Bonjour"))

    assert len(fake_bluesky.requests("/xrpc/com.atproto.server.createSession")) == 2
    assert saved[-1]["refresh_jwt"]


def test_changed_app_password_needs_reconnecting(fake_bluesky, account):
    fake_bluesky.expire_access_tokens()
    fake_bluesky.revoke_refresh_tokens()
    account.credentials = {**account.credentials, "app_password": "wrong"}

    with pytest.raises(AuthError):
        client.publish(account, PublishRequest(key=_key(), text="Bonjour"))


def test_dropped_after_processing_is_found_by_its_key(fake_bluesky, account):
    fake_bluesky.inject("/xrpc/com.atproto.repo.createRecord", mode="drop_after")
    request = PublishRequest(key=_key(), text="Perdu ?")

    with pytest.raises(AmbiguousError):
        client.publish(account, request)

    found = client.find(account, request, since=datetime.now(UTC))
    assert found.remote_id == fake_bluesky.posts()[0]["uri"]
    assert (
        client.find(
            account, PublishRequest(key=_key()[:-1] + "2", text="x"), since=datetime.now(UTC)
        )
        is None
    )


def test_same_key_twice_never_makes_two_posts(fake_bluesky, account):
    request = PublishRequest(key=_key(), text="Une fois")
    client.publish(account, request)

    with pytest.raises(TransientError):  # the PDS answers 500 for a taken key
        client.publish(account, request)

    assert len(fake_bluesky.posts()) == 1


def test_rate_limit_reset_and_permanent_refusal(fake_bluesky, account):
    fake_bluesky.inject_rate_limited("/xrpc/com.atproto.repo.createRecord", reset_in=60)
    with pytest.raises(RateLimited) as caught:
        client.publish(account, PublishRequest(key=_key(), text="Bonjour"))
    assert 50 < (caught.value.reset_at - datetime.now(UTC)).total_seconds() <= 61

    with pytest.raises(PermanentError) as refused:
        client.publish(account, PublishRequest(key=_key(), text="x" * 301))
    assert "300 graphemes" in refused.value.message


def test_repost_delete_and_verify(fake_bluesky, account):
    fake_bluesky.add_account("reseau.bsky.social", "pass-word-0000-0000")
    other_credentials = client.login(
        fake_bluesky.url, identifier="reseau.bsky.social", app_password="pass-word-0000-0000"
    )
    other = Account(
        "bluesky",
        server_url=fake_bluesky.url,
        handle="@reseau.bsky.social",
        remote_id=other_credentials["did"],
        credentials=other_credentials,
    )
    original = client.publish(account, PublishRequest(key=_key(), text="À relayer"))
    key = client.new_key("6f1c7a8e-0000-4000-8000-000000000002", datetime.now(UTC))

    assert client.find_repost(other, original, key=key) is None
    client.repost(other, original, key=key)
    assert client.find_repost(other, original, key=key) is not None
    client.delete(account, original)

    assert fake_bluesky.posts()[0]["deleted"] is True
    assert client.verify(other).handle == "@reseau.bsky.social"


def test_pds_is_resolved_from_the_handle(fake_bluesky):
    pds = client.resolve_pds(
        "@Mediatheque.bsky.social", resolver_url=fake_bluesky.url, plc_url=fake_bluesky.plc_url
    )

    assert pds == fake_bluesky.pds_url
    with pytest.raises(PermanentError):
        client.resolve_pds(
            "inconnu.bsky.social", resolver_url=fake_bluesky.url, plc_url=fake_bluesky.plc_url
        )
