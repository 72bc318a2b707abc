"""The fake X behaves as the X API v2 documentation says."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest
import requests

from tests.fakes.remote_media import make_image
from tests.fakes.x_models import x_time
from tests.fakes_selftest.helpers import ConsentForm, query_of

VERIFIER = "k" * 60
CHALLENGE = (
    base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
)


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def basic(fake):
    raw = f"{fake.config.client_id}:{fake.config.client_secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def authorize(fake, scope="tweet.read tweet.write users.read media.write offline.access"):
    callback = f"{fake.url}/callback"
    page = requests.get(
        f"{fake.url}/i/oauth2/authorize",
        params={
            "response_type": "code",
            "client_id": fake.config.client_id,
            "redirect_uri": callback,
            "scope": scope,
            "state": "x-1",
            "code_challenge": CHALLENGE,
            "code_challenge_method": "S256",
        },
        timeout=5,
    )
    form = ConsentForm(page.text)
    assert form.buttons == ["Authorize app", "Cancel"]
    allowed = requests.post(
        f"{fake.url}{form.action}",
        data={**form.hidden, "decision": "allow"},
        allow_redirects=False,
        timeout=5,
    )
    return query_of(allowed.headers["Location"]), callback


def token_request(fake, data, headers=None):
    return requests.post(
        f"{fake.url}/2/oauth2/token",
        data=data,
        headers=headers if headers is not None else basic(fake),
        timeout=5,
    )


def post(fake, token, **body):
    return requests.post(f"{fake.url}/2/tweets", json=body, headers=auth(token), timeout=5)


def upload_photo(fake, token, alt=None):
    media = requests.post(
        f"{fake.url}/2/media/upload",
        headers=auth(token),
        timeout=5,
        files={"media": ("a.jpg", make_image(1200, 675), "image/jpeg")},
        data={"media_category": "tweet_image"},
    ).json()["data"]
    if alt is not None:
        requests.post(
            f"{fake.url}/2/media/metadata",
            headers=auth(token),
            timeout=5,
            json={"id": media["id"], "metadata": {"alt_text": {"text": alt}}},
        ).raise_for_status()
    return media["id"]


def test_oauth2_pkce_code_refresh_rotation_and_two_hour_tokens(fake_x):
    query, callback = authorize(fake_x)
    assert query["state"] == "x-1"
    base = {"grant_type": "authorization_code", "code": query["code"], "redirect_uri": callback}
    assert token_request(fake_x, base, headers={}).status_code == 401
    wrong = token_request(fake_x, {**base, "code_verifier": "wrong"}).json()
    assert wrong == {
        "error": "invalid_request",
        "error_description": "Value passed for the authorization code was invalid.",
    }
    token = token_request(fake_x, {**base, "code_verifier": VERIFIER}).json()
    assert (token["token_type"], token["expires_in"]) == ("bearer", 7200) and token["refresh_token"]
    me = requests.get(
        f"{fake_x.url}/2/users/me", headers=auth(token["access_token"]), timeout=5
    ).json()
    assert me == {
        "data": {
            "id": "1500000000000000001",
            "name": "Médiathèque de Lille",
            "username": "mediatheque_lille",
        }
    }
    refreshed = token_request(
        fake_x, {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}
    ).json()
    assert refreshed["refresh_token"] != token["refresh_token"]
    reused = token_request(
        fake_x, {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}
    )
    assert reused.json()["error_description"] == "Value passed for the token was invalid."
    fake_x.advance_clock(7201)
    expired = requests.get(
        f"{fake_x.url}/2/users/me", headers=auth(refreshed["access_token"]), timeout=5
    )
    assert (expired.status_code, expired.json()) == (
        401,
        {"title": "Unauthorized", "detail": "Unauthorized", "type": "about:blank", "status": 401},
    )


def test_code_lives_thirty_seconds_and_offline_access_gives_refresh_tokens(fake_x_factory):
    fake = fake_x_factory(client_secret=None)  # a public client: client_id in the body
    query, callback = authorize(fake, scope="tweet.read users.read")
    fake.advance_clock(31)
    late = token_request(
        fake,
        {
            "grant_type": "authorization_code",
            "code": query["code"],
            "redirect_uri": callback,
            "code_verifier": VERIFIER,
            "client_id": fake.config.client_id,
        },
        headers={},
    )
    assert late.status_code == 400
    query, callback = authorize(fake, scope="tweet.read users.read")
    token = token_request(
        fake,
        {
            "grant_type": "authorization_code",
            "code": query["code"],
            "redirect_uri": callback,
            "code_verifier": VERIFIER,
            "client_id": fake.config.client_id,
        },
        headers={},
    ).json()
    assert "refresh_token" not in token and token["scope"] == "tweet.read users.read"


def test_photo_upload_alt_text_and_post(fake_x):
    token = fake_x.issue_token()["access_token"]
    media_id = upload_photo(fake_x, token, alt="Une lectrice dans le jardin")
    created = post(
        fake_x,
        token,
        text="Lecture au jardin https://bm.example.fr/jardin",
        media={"media_ids": [media_id]},
    )
    assert created.status_code == 201
    data = created.json()["data"]
    assert data["edit_history_tweet_ids"] == [data["id"]]
    assert (
        data["text"].startswith("Lecture au jardin https://t.co/")
        and data["text"].count("https://t.co/") == 2
    )
    looked = requests.get(
        f"{fake_x.url}/2/tweets/{data['id']}",
        headers=auth(token),
        timeout=5,
        params={
            "expansions": "attachments.media_keys",
            "media.fields": "alt_text",
            "tweet.fields": "created_at",
        },
    ).json()
    assert looked["includes"]["media"][0]["alt_text"] == "Une lectrice dans le jardin"
    too_long_alt = requests.post(
        f"{fake_x.url}/2/media/metadata",
        headers=auth(token),
        timeout=5,
        json={"id": upload_photo(fake_x, token), "metadata": {"alt_text": {"text": "a" * 1001}}},
    )
    assert too_long_alt.status_code == 400


@pytest.mark.parametrize("form", ["paths", "command"])
def test_chunked_upload_with_processing_then_post(fake_x, form):
    token = fake_x.issue_token()["access_token"]
    video = b"\x00\x00\x00\x18ftypmp42" + b"v" * 3000
    chunks = [video[:1500], video[1500:]]
    if form == "paths":
        init = requests.post(
            f"{fake_x.url}/2/media/upload/initialize",
            headers=auth(token),
            timeout=5,
            json={
                "media_type": "video/mp4",
                "total_bytes": len(video),
                "media_category": "tweet_video",
            },
        ).json()["data"]
        for index, chunk in enumerate(chunks):
            requests.post(
                f"{fake_x.url}/2/media/upload/{init['id']}/append",
                headers=auth(token),
                timeout=5,
                data={"segment_index": index},
                files={"media": ("c", chunk)},
            ).raise_for_status()
        final = requests.post(
            f"{fake_x.url}/2/media/upload/{init['id']}/finalize", headers=auth(token), timeout=5
        ).json()["data"]
    else:
        init = requests.post(
            f"{fake_x.url}/2/media/upload",
            headers=auth(token),
            timeout=5,
            data={
                "command": "INIT",
                "media_type": "video/mp4",
                "total_bytes": len(video),
                "media_category": "tweet_video",
            },
        ).json()["data"]
        for index, chunk in enumerate(chunks):
            requests.post(
                f"{fake_x.url}/2/media/upload",
                headers=auth(token),
                timeout=5,
                data={"command": "APPEND", "media_id": init["id"], "segment_index": index},
                files={"media": ("c", chunk)},
            ).raise_for_status()
        final = requests.post(
            f"{fake_x.url}/2/media/upload",
            headers=auth(token),
            timeout=5,
            data={"command": "FINALIZE", "media_id": init["id"]},
        ).json()["data"]
    assert init["media_key"] == f"7_{init['id']}"
    assert (
        final["processing_info"]["state"] == "pending"
        and final["processing_info"]["check_after_secs"] >= 1
    )
    early = post(fake_x, token, text="Bande-annonce", media={"media_ids": [init["id"]]})
    assert early.status_code == 400 and early.json()["type"].endswith("/invalid-request")
    states = []
    while not states or states[-1] in ("pending", "in_progress"):
        status = requests.get(
            f"{fake_x.url}/2/media/upload",
            headers=auth(token),
            timeout=5,
            params={"command": "STATUS", "media_id": init["id"]},
        ).json()["data"]
        states.append(status["processing_info"]["state"])
    assert states == ["in_progress", "in_progress", "succeeded"]
    assert (
        post(fake_x, token, text="Bande-annonce", media={"media_ids": [init["id"]]}).status_code
        == 201
    )


def test_text_length_duplicates_and_media_count(fake_x):
    token = fake_x.issue_token()["access_token"]
    assert post(fake_x, token, text="a" * 280).status_code == 201
    assert (
        post(fake_x, token, text="Voir https://example.com/" + "x" * 300).status_code == 201
    )  # 5 + 23
    too_long = post(fake_x, token, text="日" * 141)  # weight 2 each: 282
    assert too_long.status_code == 400 and too_long.json()["detail"].startswith(
        "Your Tweet text is too long."
    )
    assert post(fake_x, token, text="Fête du livre").status_code == 201
    duplicate = post(fake_x, token, text="Fête du livre")
    assert (duplicate.status_code, duplicate.json()) == (
        403,
        {
            "title": "Forbidden",
            "detail": "You are not allowed to create a Tweet with duplicate content.",
            "type": "about:blank",
            "status": 403,
        },
    )
    five = [upload_photo(fake_x, token) for _ in range(5)]
    assert post(fake_x, token, text="Cinq", media={"media_ids": five}).status_code == 400
    assert len(fake_x.x_posts()) == 3


def test_metrics_public_non_public_and_missing_posts(fake_x):
    token = fake_x.issue_token()["access_token"]
    tweet_id = post(fake_x, token, text="Club lecture").json()["data"]["id"]
    fake_x.set_metrics(
        tweet_id,
        like_count=8,
        retweet_count=2,
        impression_count=500,
        url_link_clicks=12,
        user_profile_clicks=3,
        engagements=25,
    )
    fields = {"tweet.fields": "public_metrics,non_public_metrics,organic_metrics"}
    body = requests.get(
        f"{fake_x.url}/2/tweets/{tweet_id}", params=fields, headers=auth(token), timeout=5
    ).json()
    assert body["data"]["public_metrics"]["like_count"] == 8
    assert body["data"]["non_public_metrics"] == {
        "impression_count": 500,
        "url_link_clicks": 12,
        "user_profile_clicks": 3,
        "engagements": 25,
    }
    assert "errors" not in body
    fake_x.advance_clock(31 * 86400)
    fresh = fake_x.issue_token()["access_token"]
    old = requests.get(
        f"{fake_x.url}/2/tweets/{tweet_id}", params=fields, headers=auth(fresh), timeout=5
    ).json()
    assert (
        "non_public_metrics" not in old["data"]
        and old["data"]["public_metrics"]["impression_count"] == 500
    )
    assert {e["type"].rsplit("/", 1)[1] for e in old["errors"]} == {"not-authorized-for-field"}
    assert requests.delete(
        f"{fake_x.url}/2/tweets/{tweet_id}", headers=auth(fresh), timeout=5
    ).json() == {"data": {"deleted": True}}
    gone = requests.get(f"{fake_x.url}/2/tweets/{tweet_id}", headers=auth(fresh), timeout=5)
    assert gone.status_code == 200 and gone.json()["errors"][0]["title"] == "Not Found Error"


def test_reconciliation_by_user_timeline_and_liking_users(fake_x):
    token = fake_x.issue_token()["access_token"]
    before = x_time(fake_x.now() - 1)
    fake_x.inject("/2/tweets", method="POST", mode="drop_after")
    with pytest.raises(requests.ConnectionError):
        post(fake_x, token, text="Concert samedi")
    assert post(fake_x, token, text="Concert samedi").status_code == 403  # duplicate: it went out
    timeline = requests.get(
        f"{fake_x.url}/2/users/1500000000000000001/tweets",
        headers=auth(token),
        timeout=5,
        params={"start_time": before, "max_results": 5, "tweet.fields": "created_at"},
    ).json()
    assert [t["text"] for t in timeline["data"]] == ["Concert samedi"] and timeline["meta"][
        "result_count"
    ] == 1
    tweet_id = timeline["data"][0]["id"]
    for n in range(120):
        fake_x.like(tweet_id, f"lecteur{n}")
    likers, token_param = [], None
    while True:
        params = {"max_results": 50, **({"pagination_token": token_param} if token_param else {})}
        page = requests.get(
            f"{fake_x.url}/2/tweets/{tweet_id}/liking_users",
            params=params,
            headers=auth(token),
            timeout=5,
        ).json()
        likers += [u["username"] for u in page.get("data", [])]
        token_param = page["meta"].get("next_token")
        if not token_param:
            break
    assert len(likers) == 100 and likers[0] == "lecteur119"  # the 100 most recent only


def test_rate_limit_headers_429_bodies_and_usage_cap(fake_x_factory):
    limits = {
        "tweets_create": (2, 900),
        "tweets_create_app": (10_000, 86400),
        "users_me": (75, 900),
    }
    fake = fake_x_factory(rate_limits=limits)
    token = fake.issue_token()["access_token"]
    first = post(fake, token, text="Un")
    assert (first.headers["x-rate-limit-limit"], first.headers["x-rate-limit-remaining"]) == (
        "2",
        "1",
    )
    assert int(first.headers["x-rate-limit-reset"]) > time.time()
    post(fake, token, text="Deux")
    refused = post(fake, token, text="Trois")
    assert refused.status_code == 429 and refused.json()["title"] == "Too Many Requests"
    assert refused.headers["x-rate-limit-remaining"] == "0"
    fake.configure(rate_limit_body="v1")
    assert post(fake, token, text="Trois").json() == {
        "errors": [{"code": 88, "message": "Rate limit exceeded"}]
    }
    fake.cap_usage()
    capped = requests.get(f"{fake.url}/2/users/me", headers=auth(token), timeout=5).json()
    assert (
        capped["type"] == "https://api.twitter.com/2/problems/usage-capped"
        and capped["status"] == 429
    )
