"""The fake Mastodon behaves as the documentation says."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

REDIRECT = "http://127.0.0.1:9/publishing/mastodon/callback"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post_status(fake, token, key=None, **data):
    headers = auth(token) | ({"Idempotency-Key": key} if key else {})
    return requests.post(f"{fake.url}/api/v1/statuses", headers=headers, data=data, timeout=5)


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.buttons: list[str] = []
        self._in_button = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value", "")
        self._in_button = tag == "button"

    def handle_data(self, data):
        if self._in_button and data.strip():
            self.buttons.append(data.strip())

    def handle_endtag(self, tag):
        self._in_button = False


def test_oauth_dance_with_pkce(fake_mastodon):
    # given an app registered the way Annexe registers it
    app = requests.post(
        f"{fake_mastodon.url}/api/v1/apps",
        data={
            "client_name": "Annexe",
            "redirect_uris": REDIRECT,
            "scopes": "write:statuses write:media profile",
        },
        timeout=5,
    ).json()
    assert app["redirect_uris"] == [REDIRECT] and app["client_secret_expires_at"] == 0
    verifier = "v" * 64
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    params = {
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": REDIRECT,
        "scope": "write:statuses write:media profile",
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    # when the user sees the consent page and clicks "Authorize"
    page = requests.get(f"{fake_mastodon.url}/oauth/authorize", params=params, timeout=5)
    form = FormParser()
    form.feed(page.text)
    assert page.status_code == 200 and form.buttons == ["Authorize", "Deny"]
    decision = requests.post(
        f"{fake_mastodon.url}/oauth/authorize",
        data={**form.fields, "decision": "approve"},
        allow_redirects=False,
        timeout=5,
    )
    location = urlsplit(decision.headers["Location"])
    query = parse_qs(location.query)
    assert decision.status_code == 302 and location.path == "/publishing/mastodon/callback"
    assert query["state"] == ["xyz"]
    token_request = {
        "grant_type": "authorization_code",
        "code": query["code"][0],
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "redirect_uri": REDIRECT,
    }
    # then the code needs the PKCE verifier, works once, and the token identifies the user
    assert (
        requests.post(f"{fake_mastodon.url}/oauth/token", data=token_request, timeout=5).json()[
            "error"
        ]
        == "invalid_grant"
    )
    token = requests.post(
        f"{fake_mastodon.url}/oauth/token",
        data={**token_request, "code_verifier": verifier},
        timeout=5,
    ).json()
    assert (
        token["token_type"] == "Bearer" and token["scope"] == "write:statuses write:media profile"
    )
    assert isinstance(token["created_at"], int)
    replay = requests.post(
        f"{fake_mastodon.url}/oauth/token",
        data={**token_request, "code_verifier": verifier},
        timeout=5,
    )
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    me = requests.get(
        f"{fake_mastodon.url}/api/v1/accounts/verify_credentials",
        headers=auth(token["access_token"]),
        timeout=5,
    )
    assert me.json()["username"] == "mediatheque"
    # and the journal kept what was asked at registration
    registered = fake_mastodon.requests(path="/api/v1/apps")[0]
    assert registered.form["scopes"] == ["write:statuses write:media profile"]
    assert registered.form["redirect_uris"] == [REDIRECT]


def test_wrong_client_secret_and_denied_consent(fake_mastodon):
    app = requests.post(
        f"{fake_mastodon.url}/api/v1/apps",
        json={"client_name": "Annexe", "redirect_uris": [REDIRECT]},
        timeout=5,
    ).json()
    bad = requests.post(
        f"{fake_mastodon.url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": "x",
            "client_id": app["client_id"],
            "client_secret": "wrong",
            "redirect_uri": REDIRECT,
        },
        timeout=5,
    )
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    denied = requests.post(
        f"{fake_mastodon.url}/oauth/authorize",
        data={
            "client_id": app["client_id"],
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": "read",
            "state": "s",
            "decision": "deny",
        },
        allow_redirects=False,
        timeout=5,
    )
    assert parse_qs(urlsplit(denied.headers["Location"]).query)["error"] == ["access_denied"]


def test_revoked_and_unknown_tokens(fake_mastodon):
    token = fake_mastodon.issue_token()
    fake_mastodon.revoke_token(token)
    url = f"{fake_mastodon.url}/api/v1/accounts/verify_credentials"
    revoked = requests.get(url, headers=auth(token), timeout=5)
    assert (revoked.status_code, revoked.json()) == (401, {"error": "The access token was revoked"})
    unknown = requests.get(url, headers=auth("nope"), timeout=5)
    assert (unknown.status_code, unknown.json()) == (401, {"error": "The access token is invalid"})
    missing = post_status(fake_mastodon, "", status="x")
    assert missing.status_code == 401


def test_idempotent_replay_returns_the_same_status_and_creates_one(fake_mastodon):
    token = fake_mastodon.issue_token()
    first = post_status(fake_mastodon, token, key="pub-1", status="Heure du conte samedi")
    again = post_status(fake_mastodon, token, key="pub-1", status="Heure du conte samedi")
    other = post_status(fake_mastodon, token, key="pub-2", status="Heure du conte samedi")
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"] != other.json()["id"]
    assert len(fake_mastodon.posts()) == 2
    assert first.json()["url"] == f"{fake_mastodon.url}/@mediatheque/{first.json()['id']}"
    # the key is kept one hour
    fake_mastodon.advance_clock(3601)
    assert (
        post_status(fake_mastodon, token, key="pub-1", status="Heure du conte samedi").json()["id"]
        != first.json()["id"]
    )


def test_async_media_202_206_200_and_not_ready_422(fake_mastodon_factory):
    fake = fake_mastodon_factory(media_processing_seconds=30)
    token = fake.issue_token()
    upload = requests.post(
        f"{fake.url}/api/v2/media",
        headers=auth(token),
        files={"file": ("affiche.jpg", b"\xff\xd8\xff" + b"0" * 100, "image/jpeg")},
        data={"description": "Affiche de la fête du livre"},
        timeout=5,
    )
    assert upload.status_code == 202 and upload.json()["url"] is None
    media_id = upload.json()["id"]
    assert fake.requests(path="/api/v2/media")[0].files["file"]["content_type"] == "image/jpeg"
    poll = requests.get(f"{fake.url}/api/v1/media/{media_id}", headers=auth(token), timeout=5)
    assert poll.status_code == 206
    early = post_status(fake, token, status="Fête du livre", **{"media_ids[]": media_id})
    assert (early.status_code, early.json()) == (
        422,
        {"error": "Cannot attach files that have not finished processing. Try again in a moment!"},
    )
    updated = requests.put(
        f"{fake.url}/api/v1/media/{media_id}",
        headers=auth(token),
        data={"description": "Nouvelle alt"},
        timeout=5,
    )
    assert updated.json()["description"] == "Nouvelle alt"
    fake.advance_clock(31)
    ready = requests.get(f"{fake.url}/api/v1/media/{media_id}", headers=auth(token), timeout=5)
    assert ready.status_code == 200 and ready.json()["url"]
    posted = post_status(fake, token, status="Fête du livre", **{"media_ids[]": media_id})
    assert posted.status_code == 200
    assert posted.json()["media_attachments"][0]["description"] == "Nouvelle alt"
    # attached media can no longer be fetched or edited
    assert (
        requests.get(
            f"{fake.url}/api/v1/media/{media_id}", headers=auth(token), timeout=5
        ).status_code
        == 404
    )


def test_validation_errors(fake_mastodon_factory):
    fake = fake_mastodon_factory(max_characters=30)
    token = fake.issue_token()
    too_long = post_status(fake, token, status="x" * 31)
    assert (too_long.status_code, too_long.json()) == (
        422,
        {"error": "Validation failed: Text character limit of 30 exceeded"},
    )
    # a URL counts 23 whatever its length; a remote mention counts as its local part
    assert post_status(fake, token, status="https://example.org/" + "a" * 80).status_code == 200
    assert (
        post_status(fake, token, status="@bib@mastodon.example.org " + "y" * 25).status_code == 200
    )
    # emoji and flags count as one character each (graphemes)
    assert post_status(fake, token, status="🇫🇷" * 30).status_code == 200
    blank = post_status(fake, token, status="   ")
    assert blank.json() == {"error": "Validation failed: Text can't be blank"}


def test_rate_limit_headers_count_down_then_429(fake_mastodon_factory):
    fake = fake_mastodon_factory(status_rate_limit=3)
    token = fake.issue_token()
    remaining = []
    for n in range(3):
        response = post_status(fake, token, status=f"post {n}")
        remaining.append(int(response.headers["X-RateLimit-Remaining"]))
        assert response.headers["X-RateLimit-Limit"] == "3"
    refused = post_status(fake, token, status="one too many")
    assert remaining == [2, 1, 0]
    assert (refused.status_code, refused.json()) == (429, {"error": "Too many requests"})
    reset = datetime.strptime(
        refused.headers["X-RateLimit-Reset"], "%Y-%m-%dT%H:%M:%S.%fZ"
    ).replace(tzinfo=UTC)
    assert reset.timestamp() > datetime.now(UTC).timestamp()
    assert len(fake.posts()) == 3


def test_injected_429_carries_the_reset_header(fake_mastodon):
    token = fake_mastodon.issue_token()
    fake_mastodon.inject_rate_limited("/api/v1/statuses", method="POST", reset_in=120)
    refused = post_status(fake_mastodon, token, status="Bonjour")
    assert refused.status_code == 429 and refused.json() == {"error": "Too many requests"}
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    reset = datetime.strptime(
        refused.headers["X-RateLimit-Reset"], "%Y-%m-%dT%H:%M:%S.%fZ"
    ).replace(tzinfo=UTC)
    assert 100 < reset.timestamp() - datetime.now(UTC).timestamp() <= 121
    assert fake_mastodon.posts() == []
    assert post_status(fake_mastodon, token, status="Bonjour").status_code == 200


def test_drop_after_processing_creates_the_post_but_the_client_sees_no_answer(fake_mastodon):
    token = fake_mastodon.issue_token()
    fake_mastodon.inject("/api/v1/statuses", method="POST", mode="drop_after")
    with pytest.raises(requests.ConnectionError):
        post_status(fake_mastodon, token, key="pub-7", status="Concert à la médiathèque")
    [created] = fake_mastodon.posts()
    assert created["text"] == "Concert à la médiathèque"
    assert fake_mastodon.requests(path="/api/v1/statuses")[0].outcome == "dropped_after_processing"
    # reconciliation: the same Idempotency-Key returns the status, and the account lists it
    retry = post_status(fake_mastodon, token, key="pub-7", status="Concert à la médiathèque")
    assert retry.json()["id"] == created["id"] and len(fake_mastodon.posts()) == 1
    account_id = created["account"]["id"]
    listed = requests.get(
        f"{fake_mastodon.url}/api/v1/accounts/{account_id}/statuses", timeout=5
    ).json()
    assert [s["id"] for s in listed] == [created["id"]]


def test_counts_batch_and_deleted_statuses(fake_mastodon):
    token = fake_mastodon.issue_token()
    ids = [post_status(fake_mastodon, token, status=f"n°{i}").json()["id"] for i in range(3)]
    fake_mastodon.set_counts(ids[0], favourites=12, reblogs=3, replies=1)
    one = requests.get(f"{fake_mastodon.url}/api/v1/statuses/{ids[0]}", timeout=5).json()
    assert (one["favourites_count"], one["reblogs_count"], one["replies_count"]) == (12, 3, 1)
    deleted = requests.delete(
        f"{fake_mastodon.url}/api/v1/statuses/{ids[1]}", headers=auth(token), timeout=5
    )
    assert deleted.json()["text"] == "n°1"
    gone = requests.get(f"{fake_mastodon.url}/api/v1/statuses/{ids[1]}", timeout=5)
    assert (gone.status_code, gone.json()) == (404, {"error": "Record not found"})
    after = requests.get(f"{fake_mastodon.url}/api/v1/statuses/{ids[0]}", timeout=5).json()
    assert after["account"]["statuses_count"] == 2
    batch = requests.get(
        f"{fake_mastodon.url}/api/v1/statuses", params={"id[]": ids}, timeout=5
    ).json()
    assert [s["id"] for s in batch] == [ids[0], ids[2]]
    too_many = requests.get(
        f"{fake_mastodon.url}/api/v1/statuses",
        params={"id[]": [str(i) for i in range(21)]},
        timeout=5,
    )
    assert too_many.status_code == 422


def test_boost_is_idempotent(fake_mastodon):
    branch = fake_mastodon.issue_token()
    fake_mastodon.add_user("reseau")
    network = fake_mastodon.issue_token(username="reseau")
    status_id = post_status(fake_mastodon, branch, status="Atelier numérique").json()["id"]
    first = requests.post(
        f"{fake_mastodon.url}/api/v1/statuses/{status_id}/reblog", headers=auth(network), timeout=5
    )
    again = requests.post(
        f"{fake_mastodon.url}/api/v1/statuses/{status_id}/reblog", headers=auth(network), timeout=5
    )
    assert first.json()["id"] == again.json()["id"] and first.json()["reblog"]["id"] == status_id
    original = requests.get(f"{fake_mastodon.url}/api/v1/statuses/{status_id}", timeout=5).json()
    assert original["reblogs_count"] == 1
    boosters = requests.get(
        f"{fake_mastodon.url}/api/v1/statuses/{status_id}/reblogged_by", timeout=5
    ).json()
    assert [a["acct"] for a in boosters] == ["reseau"]


def test_pagination_walks_every_liker(fake_mastodon):
    token = fake_mastodon.issue_token()
    status_id = post_status(fake_mastodon, token, status="Prix des lecteurs").json()["id"]
    expected = set()
    for n in range(95):
        domain = None if n % 3 == 0 else "autre.example"
        account = fake_mastodon.add_account(f"lecteur{n}", domain=domain)
        fake_mastodon.favourite(status_id, account["id"])
        expected.add(account["acct"])
    seen: list[str] = []
    url = f"{fake_mastodon.url}/api/v1/statuses/{status_id}/favourited_by?limit=40"
    pages = 0
    while url:
        response = requests.get(url, timeout=5)
        seen += [a["acct"] for a in response.json()]
        url = response.links.get("next", {}).get("url")
        pages += 1
    assert pages == 3 and len(seen) == 95 and set(seen) == expected
    assert "lecteur1@autre.example" in seen and "lecteur0" in seen
    assert (
        requests.get(f"{fake_mastodon.url}/api/v1/statuses/{status_id}", timeout=5).json()[
            "favourites_count"
        ]
        == 95
    )
    capped = requests.get(
        f"{fake_mastodon.url}/api/v1/statuses/{status_id}/favourited_by?limit=500", timeout=5
    )
    assert len(capped.json()) == 80


def test_instance_configuration(fake_mastodon_factory):
    fake = fake_mastodon_factory(max_characters=1000)
    v2 = requests.get(f"{fake.url}/api/v2/instance", timeout=5).json()
    assert v2["configuration"]["statuses"] == {
        "max_characters": 1000,
        "max_media_attachments": 4,
        "characters_reserved_per_url": 23,
    }
    assert v2["configuration"]["media_attachments"]["description_limit"] == 1500
    v1 = requests.get(f"{fake.url}/api/v1/instance", timeout=5).json()
    assert v1["configuration"]["statuses"]["max_characters"] == 1000
    fake.configure(max_characters=600)
    assert (
        requests.get(f"{fake.url}/api/v2/instance", timeout=5).json()["configuration"]["statuses"][
            "max_characters"
        ]
        == 600
    )
