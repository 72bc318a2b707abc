"""The fake Bluesky behaves as the atproto lexicons and PDS say."""

from __future__ import annotations

import base64
import json
import time

import pytest
import requests

from tests.fakes.atproto_ids import is_tid, make_tid

HANDLE = "mediatheque.bsky.social"
PASSWORD = "abcd-efgh-ijkl-mnop"


def xrpc(fake, nsid: str) -> str:
    return f"{fake.url}/xrpc/{nsid}"


def login(fake, identifier=HANDLE, password=PASSWORD) -> requests.Response:
    return requests.post(
        xrpc(fake, "com.atproto.server.createSession"),
        json={"identifier": identifier, "password": password},
        timeout=5,
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_rkey() -> str:
    return make_tid(int(time.time() * 1_000_000))


def create_post(fake, session, record, rkey=None) -> requests.Response:
    body = {"repo": session["did"], "collection": "app.bsky.feed.post", "record": record}
    if rkey:
        body["rkey"] = rkey
    return requests.post(
        xrpc(fake, "com.atproto.repo.createRecord"),
        headers=bearer(session["accessJwt"]),
        json=body,
        timeout=5,
    )


def post(text: str, **extra) -> dict:
    return {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": "2026-03-01T10:00:00.000Z",
        **extra,
    }


@pytest.fixture
def session(fake_bluesky) -> dict:
    response = login(fake_bluesky)
    assert response.status_code == 200
    return response.json()


def test_session_tokens_are_jwts_with_expiry(fake_bluesky, session):
    payload = json.loads(base64.urlsafe_b64decode(session["accessJwt"].split(".")[1] + "=="))
    assert payload["sub"] == session["did"] == fake_bluesky.did
    assert 7190 < payload["exp"] - payload["iat"] <= 7200
    assert session["handle"] == HANDLE
    assert session["didDoc"]["service"][0]["serviceEndpoint"] == fake_bluesky.url


def test_bad_password_is_401(fake_bluesky):
    refused = login(fake_bluesky, password="wrong")
    assert (refused.status_code, refused.json()) == (
        401,
        {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
    )


def test_expired_token_then_refresh_works(fake_bluesky_factory):
    fake = fake_bluesky_factory(access_ttl=60)
    session = login(fake).json()
    fake.advance_clock(61)
    expired = requests.get(
        xrpc(fake, "com.atproto.server.getSession"), headers=bearer(session["accessJwt"]), timeout=5
    )
    assert (expired.status_code, expired.json()) == (
        400,
        {"error": "ExpiredToken", "message": "Token has expired"},
    )
    wrong_kind = requests.post(
        xrpc(fake, "com.atproto.server.refreshSession"),
        headers=bearer(session["accessJwt"]),
        timeout=5,
    )
    assert wrong_kind.json()["error"] in ("ExpiredToken", "InvalidToken")
    refreshed = requests.post(
        xrpc(fake, "com.atproto.server.refreshSession"),
        headers=bearer(session["refreshJwt"]),
        timeout=5,
    )
    assert refreshed.status_code == 200
    fresh = refreshed.json()
    ok = requests.get(
        xrpc(fake, "com.atproto.server.getSession"), headers=bearer(fresh["accessJwt"]), timeout=5
    )
    assert ok.status_code == 200 and ok.json()["did"] == session["did"]
    # the old refresh token dies after the grace period
    fake.advance_clock(7201)
    stale = requests.post(
        xrpc(fake, "com.atproto.server.refreshSession"),
        headers=bearer(session["refreshJwt"]),
        timeout=5,
    )
    assert stale.json() == {"error": "ExpiredToken", "message": "Token has been revoked"}


def test_expire_and_revoke_helpers(fake_bluesky, session):
    fake_bluesky.expire_access_tokens()
    assert (
        requests.get(
            xrpc(fake_bluesky, "com.atproto.server.getSession"),
            headers=bearer(session["accessJwt"]),
            timeout=5,
        ).json()["error"]
        == "ExpiredToken"
    )
    fake_bluesky.revoke_refresh_tokens()
    revoked = requests.post(
        xrpc(fake_bluesky, "com.atproto.server.refreshSession"),
        headers=bearer(session["refreshJwt"]),
        timeout=5,
    )
    assert (revoked.status_code, revoked.json()["error"]) == (400, "ExpiredToken")
    assert login(fake_bluesky).status_code == 200  # a new session is the way out


def test_create_session_rate_limit_is_enforced(fake_bluesky):
    responses = [login(fake_bluesky, password="wrong") for _ in range(30)]
    assert {r.status_code for r in responses} == {401}
    assert responses[-1].headers["RateLimit-Remaining"] == "0"
    assert responses[0].headers["RateLimit-Policy"] == "30;w=300"
    limited = login(fake_bluesky)
    assert (limited.status_code, limited.json()) == (
        429,
        {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
    )
    assert int(limited.headers["RateLimit-Reset"]) > time.time()
    fake_bluesky.advance_clock(301)
    assert login(fake_bluesky).status_code == 200


def test_upload_blob_and_size_limit(fake_bluesky_factory):
    fake = fake_bluesky_factory(blob_limit=1000)
    session = login(fake).json()
    ok = requests.post(
        xrpc(fake, "com.atproto.repo.uploadBlob"),
        headers={**bearer(session["accessJwt"]), "Content-Type": "image/png"},
        data=b"\x89PNG" + b"0" * 500,
        timeout=5,
    )
    blob = ok.json()["blob"]
    assert blob["$type"] == "blob" and blob["mimeType"] == "image/png" and blob["size"] == 504
    assert blob["ref"]["$link"].startswith("bafkrei")
    too_big = requests.post(
        xrpc(fake, "com.atproto.repo.uploadBlob"),
        headers={**bearer(session["accessJwt"]), "Content-Type": "image/png"},
        data=b"0" * 1001,
        timeout=5,
    )
    assert (too_big.status_code, too_big.json()["error"]) == (413, "PayloadTooLarge")
    assert fake.requests(path="/xrpc/com.atproto.repo.uploadBlob")[0].body_size == 504


def test_post_with_facets_images_and_client_rkey(fake_bluesky, session):
    upload = requests.post(
        xrpc(fake_bluesky, "com.atproto.repo.uploadBlob"),
        headers={**bearer(session["accessJwt"]), "Content-Type": "image/jpeg"},
        data=b"\xff\xd8jpeg",
        timeout=5,
    ).json()["blob"]
    text = "Fête 🎉 à la médiathèque : https://bib.example/agenda #lecture"
    data = text.encode()
    link_start = data.index(b"https://")
    tag_start = data.index(b"#lecture")
    facets = [
        {
            "index": {
                "byteStart": link_start,
                "byteEnd": link_start + len(b"https://bib.example/agenda"),
            },
            "features": [
                {"$type": "app.bsky.richtext.facet#link", "uri": "https://bib.example/agenda"}
            ],
        },
        {
            "index": {"byteStart": tag_start, "byteEnd": len(data)},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "lecture"}],
        },
    ]
    embed = {
        "$type": "app.bsky.embed.images",
        "images": [{"image": upload, "alt": "Affiche de la fête"}],
    }
    rkey = new_rkey()
    created = create_post(fake_bluesky, session, post(text, facets=facets, embed=embed), rkey=rkey)
    assert created.status_code == 200
    assert created.json()["uri"] == f"at://{session['did']}/app.bsky.feed.post/{rkey}"
    assert created.json()["validationStatus"] == "valid"
    [stored] = fake_bluesky.posts()
    assert stored["value"]["embed"]["images"][0]["alt"] == "Affiche de la fête"
    fetched = requests.get(
        xrpc(fake_bluesky, "com.atproto.repo.getRecord"),
        params={"repo": session["did"], "collection": "app.bsky.feed.post", "rkey": rkey},
        timeout=5,
    )
    assert fetched.json()["cid"] == created.json()["cid"]


def test_code_point_offsets_are_refused(fake_bluesky, session):
    text = "Café 🎉 https://bib.example"
    start = text.index("https://")  # code points, not bytes: the classic bug
    facets = [
        {
            "index": {"byteStart": start, "byteEnd": start + len("https://bib.example")},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://bib.example"}],
        }
    ]
    refused = create_post(fake_bluesky, session, post(text, facets=facets))
    assert refused.status_code == 400 and refused.json()["error"] == "InvalidRequest"
    assert "facets/0" in refused.json()["message"]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            post("é" * 301),
            "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes",
        ),
        (
            post("👨‍👩‍👧‍👦" * 121),
            "Invalid app.bsky.feed.post record: "
            "Record/text must not be longer than 3000 characters",
        ),
        (
            {"$type": "app.bsky.feed.post", "text": "sans date"},
            'Invalid app.bsky.feed.post record: Record must have the property "createdAt"',
        ),
    ],
)
def test_text_limits(fake_bluesky, session, record, message):
    refused = create_post(fake_bluesky, session, record)
    assert (refused.status_code, refused.json()) == (
        400,
        {"error": "InvalidRequest", "message": message},
    )


def test_three_hundred_emoji_graphemes_are_accepted(fake_bluesky, session):
    assert create_post(fake_bluesky, session, post("🇫🇷" * 300)).status_code == 200


def test_image_rules(fake_bluesky, session):
    blob = requests.post(
        xrpc(fake_bluesky, "com.atproto.repo.uploadBlob"),
        headers={**bearer(session["accessJwt"]), "Content-Type": "image/png"},
        data=b"png",
        timeout=5,
    ).json()["blob"]
    five = {"$type": "app.bsky.embed.images", "images": [{"image": blob, "alt": ""}] * 5}
    assert (
        create_post(fake_bluesky, session, post("cinq", embed=five))
        .json()["message"]
        .endswith("Record/embed/images must not have more than 4 elements")
    )
    no_alt = {"$type": "app.bsky.embed.images", "images": [{"image": blob}]}
    assert (
        create_post(fake_bluesky, session, post("sans alt", embed=no_alt))
        .json()["message"]
        .endswith('Record/embed/images/0 must have the property "alt"')
    )
    foreign = dict(
        blob, ref={"$link": "bafkreiaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
    )
    missing = create_post(
        fake_bluesky,
        session,
        post(
            "inconnue",
            embed={"$type": "app.bsky.embed.images", "images": [{"image": foreign, "alt": ""}]},
        ),
    )
    assert missing.status_code == 400 and missing.json()["error"] == "BlobNotFound"
    empty_alt = {"$type": "app.bsky.embed.images", "images": [{"image": blob, "alt": ""}]}
    assert (
        create_post(fake_bluesky, session, post("alt vide permis", embed=empty_alt)).status_code
        == 200
    )


def test_duplicate_rkey(fake_bluesky, session):
    rkey = new_rkey()
    assert create_post(fake_bluesky, session, post("une fois"), rkey=rkey).status_code == 200
    again = create_post(fake_bluesky, session, post("une fois"), rkey=rkey)
    assert (again.status_code, again.json()) == (
        500,
        {"error": "InternalServerError", "message": "Internal Server Error"},
    )
    fake_bluesky.configure(duplicate_rkey=(409, "RecordAlreadyExists", "Record already exists"))
    assert create_post(fake_bluesky, session, post("une fois"), rkey=rkey).status_code == 409
    assert len(fake_bluesky.posts()) == 1
    not_tid = create_post(fake_bluesky, session, post("clé libre"), rkey="not-a-tid")
    assert not_tid.status_code == 400


def test_get_record_not_found_delete_and_get_posts(fake_bluesky, session):
    uris = [create_post(fake_bluesky, session, post(f"n°{i}")).json()["uri"] for i in range(3)]
    fake_bluesky.set_counts(uris[0], likes=7, reposts=2, replies=1, quotes=1)
    rkey = uris[1].rsplit("/", 1)[1]
    deleted = requests.post(
        xrpc(fake_bluesky, "com.atproto.repo.deleteRecord"),
        headers=bearer(session["accessJwt"]),
        json={"repo": session["did"], "collection": "app.bsky.feed.post", "rkey": rkey},
        timeout=5,
    )
    assert deleted.status_code == 200
    again = requests.post(
        xrpc(fake_bluesky, "com.atproto.repo.deleteRecord"),
        headers=bearer(session["accessJwt"]),
        json={"repo": session["did"], "collection": "app.bsky.feed.post", "rkey": rkey},
        timeout=5,
    )
    assert (again.status_code, again.json()) == (200, {})
    gone = requests.get(
        xrpc(fake_bluesky, "com.atproto.repo.getRecord"),
        params={"repo": session["did"], "collection": "app.bsky.feed.post", "rkey": rkey},
        timeout=5,
    )
    assert (gone.status_code, gone.json()["error"]) == (400, "RecordNotFound")
    views = requests.get(
        xrpc(fake_bluesky, "app.bsky.feed.getPosts"), params={"uris": uris}, timeout=5
    ).json()["posts"]
    assert [v["uri"] for v in views] == [uris[0], uris[2]]
    assert (
        views[0]["likeCount"],
        views[0]["repostCount"],
        views[0]["replyCount"],
        views[0]["quoteCount"],
    ) == (7, 2, 1, 1)
    too_many = requests.get(
        xrpc(fake_bluesky, "app.bsky.feed.getPosts"), params={"uris": uris * 9}, timeout=5
    )
    assert too_many.status_code == 400


def test_get_likes_pagination_walks_every_liker(fake_bluesky, session):
    uri = create_post(fake_bluesky, session, post("Prix des lecteurs")).json()["uri"]
    for n in range(230):
        fake_bluesky.add_like(uri, handle=f"lecteur{n}.bsky.social")
    seen, cursor, pages = [], None, 0
    while True:
        params = {"uri": uri, "limit": 100} | ({"cursor": cursor} if cursor else {})
        page = requests.get(
            xrpc(fake_bluesky, "app.bsky.feed.getLikes"), params=params, timeout=5
        ).json()
        pages += 1
        seen += [like["actor"]["handle"] for like in page["likes"]]
        cursor = page.get("cursor")
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 230 and pages == 4  # 100, 100, 30, then empty
    over = requests.get(
        xrpc(fake_bluesky, "app.bsky.feed.getLikes"), params={"uri": uri, "limit": 101}, timeout=5
    )
    assert over.status_code == 400


def test_repost_replaces_an_earlier_repost_and_lists_reposters(fake_bluesky, session):
    target = create_post(fake_bluesky, session, post("À relayer")).json()
    fake_bluesky.add_repost(target["uri"], handle="partenaire.bsky.social")
    repost = {
        "$type": "app.bsky.feed.repost",
        "subject": {"uri": target["uri"], "cid": target["cid"]},
        "createdAt": "2026-03-01T10:00:00.000Z",
    }
    for _ in range(2):
        made = requests.post(
            xrpc(fake_bluesky, "com.atproto.repo.createRecord"),
            headers=bearer(session["accessJwt"]),
            json={"repo": session["did"], "collection": "app.bsky.feed.repost", "record": repost},
            timeout=5,
        )
        assert made.status_code == 200 and is_tid(made.json()["uri"].rsplit("/", 1)[1])
    reposters = requests.get(
        xrpc(fake_bluesky, "app.bsky.feed.getRepostedBy"), params={"uri": target["uri"]}, timeout=5
    ).json()
    assert sorted(a["handle"] for a in reposters["repostedBy"]) == [
        HANDLE,
        "partenaire.bsky.social",
    ]
    view = requests.get(
        xrpc(fake_bluesky, "app.bsky.feed.getPosts"), params={"uris": [target["uri"]]}, timeout=5
    ).json()
    assert view["posts"][0]["repostCount"] == 2


def test_write_rate_limit(fake_bluesky_factory):
    fake = fake_bluesky_factory(write_points_per_hour=9)
    session = login(fake).json()
    statuses = [create_post(fake, session, post(f"n°{i}")) for i in range(4)]
    assert [s.status_code for s in statuses] == [200, 200, 200, 429]
    assert statuses[2].headers["RateLimit-Remaining"] == "0"
    assert statuses[3].json()["error"] == "RateLimitExceeded"
    assert statuses[3].headers["RateLimit-Policy"] == "9;w=3600"
    assert len(fake.posts()) == 3


def test_injected_rate_limit_and_expired_token(fake_bluesky, session):
    fake_bluesky.inject_rate_limited("/xrpc/com.atproto.repo.createRecord", reset_in=90)
    limited = create_post(fake_bluesky, session, post("x"))
    assert (
        limited.status_code == 429
        and 80 < int(limited.headers["RateLimit-Reset"]) - time.time() <= 91
    )
    fake_bluesky.inject_unauthorized("/xrpc/com.atproto.repo.createRecord")
    assert create_post(fake_bluesky, session, post("x")).json()["error"] == "ExpiredToken"
    assert fake_bluesky.posts() == []


def test_identity_resolution(fake_bluesky):
    resolved = requests.get(
        xrpc(fake_bluesky, "com.atproto.identity.resolveHandle"),
        params={"handle": HANDLE},
        timeout=5,
    )
    did = resolved.json()["did"]
    assert did.startswith("did:plc:")
    document = requests.get(f"{fake_bluesky.plc_url}/{did}", timeout=5).json()
    assert document["alsoKnownAs"] == [f"at://{HANDLE}"]
    assert document["service"][0]["serviceEndpoint"] == fake_bluesky.pds_url
    unknown = requests.get(
        xrpc(fake_bluesky, "com.atproto.identity.resolveHandle"),
        params={"handle": "x.test"},
        timeout=5,
    )
    assert unknown.json() == {"error": "InvalidRequest", "message": "Unable to resolve handle"}
    well_known = requests.get(
        f"{fake_bluesky.url}/.well-known/atproto-did", headers={"Host": HANDLE}, timeout=5
    )
    assert well_known.text == did
