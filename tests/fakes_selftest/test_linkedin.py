"""The fake LinkedIn behaves as LinkedIn documents its OAuth and Posts APIs."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote

import pytest
import requests

from tests.fakes.remote_media import make_image
from tests.fakes_selftest.helpers import ConsentForm, query_of

ORG = "urn:li:organization:10001"
HEADERS = {"LinkedIn-Version": "202608", "X-Restli-Protocol-Version": "2.0.0"}


def rest(fake, method, path, token, *, headers=None, **kwargs):
    merged = {"Authorization": f"Bearer {token}", **HEADERS, **(headers or {})}
    return requests.request(method, f"{fake.url}{path}", headers=merged, timeout=5, **kwargs)


def upload(fake, token, owner=ORG, data=None):
    init = rest(
        fake,
        "POST",
        "/rest/images",
        token,
        params={"action": "initializeUpload"},
        json={"initializeUploadRequest": {"owner": owner}},
    ).json()["value"]
    put = requests.put(
        init["uploadUrl"],
        data=data or make_image(1200, 627),
        timeout=5,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert put.status_code == 201
    return init["image"]


def wait_available(fake, token, urn):
    statuses = []
    while not statuses or statuses[-1] == "PROCESSING":
        statuses.append(
            rest(fake, "GET", f"/rest/images/{quote(urn, safe='')}", token).json()["status"]
        )
    return statuses


def post_body(commentary, content=None, author=ORG):
    body = {
        "author": author,
        "commentary": commentary,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    if content:
        body["content"] = content
    return body


def authorize(fake, **extra):
    callback = f"{fake.url}/callback"
    page = requests.get(
        f"{fake.url}/oauth/v2/authorization",
        params={
            "response_type": "code",
            "client_id": fake.config.client_id,
            "redirect_uri": callback,
            "state": "li-1",
            "scope": "openid profile w_organization_social rw_organization_admin",
            **extra,
        },
        timeout=5,
    )
    form = ConsentForm(page.text)
    allowed = requests.post(
        f"{fake.url}{form.action}",
        data={**form.hidden, "decision": "allow"},
        allow_redirects=False,
        timeout=5,
    )
    return query_of(allowed.headers["Location"]), callback


def exchange(fake, code, callback, **extra):
    return requests.post(
        f"{fake.url}/oauth/v2/accessToken",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": fake.config.client_id,
            "client_secret": fake.config.client_secret,
            "redirect_uri": callback,
            **extra,
        },
        timeout=5,
    )


def test_oauth_code_flow_and_partner_refresh_tokens(fake_linkedin_factory):
    plain = fake_linkedin_factory()
    query, callback = authorize(plain)
    assert query["state"] == "li-1"
    token = exchange(plain, query["code"], callback).json()
    assert token["expires_in"] == 5_184_000 and "refresh_token" not in token
    assert exchange(plain, query["code"], callback).json()["error"] == "invalid_request"
    info = requests.get(
        f"{plain.url}/v2/userinfo",
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=5,
    ).json()
    assert info["sub"] == "mD8xQ2pL1z" and info["given_name"] == "Marie"
    # partners get a refresh token whose lifetime is not extended by refreshing
    partner = fake_linkedin_factory(partner_refresh_tokens=True)
    verifier = "v" * 50
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    query, callback = authorize(partner, code_challenge=challenge, code_challenge_method="S256")
    assert exchange(partner, query["code"], callback).json()["error"] == "invalid_request"
    query, callback = authorize(partner, code_challenge=challenge, code_challenge_method="S256")
    first = exchange(partner, query["code"], callback, code_verifier=verifier).json()
    assert first["refresh_token_expires_in"] == 31_536_000
    partner.advance_clock(100 * 86400)
    refreshed = requests.post(
        f"{partner.url}/oauth/v2/accessToken",
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": partner.config.client_id,
            "client_secret": partner.config.client_secret,
        },
        timeout=5,
    ).json()
    assert refreshed["refresh_token"] == first["refresh_token"]
    assert refreshed["refresh_token_expires_in"] == 31_536_000 - 100 * 86400
    assert (
        refreshed["access_token"] != first["access_token"] and refreshed["expires_in"] == 5_184_000
    )
    partner.revoke_refresh_token(first["refresh_token"])
    again = requests.post(
        f"{partner.url}/oauth/v2/accessToken",
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": partner.config.client_id,
            "client_secret": partner.config.client_secret,
        },
        timeout=5,
    )
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_rest_calls_need_the_version_and_protocol_headers(fake_linkedin):
    token = fake_linkedin.issue_token()["access_token"]
    missing = rest(
        fake_linkedin,
        "POST",
        "/rest/posts",
        token,
        headers={"LinkedIn-Version": ""},
        json=post_body("x"),
    )
    assert (missing.status_code, missing.json()["code"]) == (400, "VERSION_MISSING")
    old = rest(
        fake_linkedin,
        "POST",
        "/rest/posts",
        token,
        headers={"LinkedIn-Version": "202501"},
        json=post_body("x"),
    )
    assert (old.status_code, old.json()) == (
        426,
        {
            "status": 426,
            "code": "NONEXISTENT_VERSION",
            "message": "Requested version 20250101 is not active",
        },
    )
    no_protocol = rest(
        fake_linkedin,
        "POST",
        "/rest/posts",
        token,
        headers={"X-Restli-Protocol-Version": ""},
        json=post_body("x"),
    )
    assert no_protocol.status_code == 400
    assert fake_linkedin.li_posts() == []


def test_token_errors_have_the_documented_bodies(fake_linkedin):
    token = fake_linkedin.issue_token()["access_token"]
    url = "/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED"
    assert rest(fake_linkedin, "GET", url, token).status_code == 200
    unknown = rest(fake_linkedin, "GET", url, "nope").json()
    assert unknown == {
        "status": 401,
        "serviceErrorCode": 65600,
        "code": "INVALID_ACCESS_TOKEN",
        "message": "Invalid access token",
    }
    fake_linkedin.advance_clock(60 * 86400 + 1)
    assert rest(fake_linkedin, "GET", url, token).json()["serviceErrorCode"] == 65602
    fresh = fake_linkedin.issue_token()["access_token"]
    fake_linkedin.revoke_token(fresh)
    revoked = rest(fake_linkedin, "GET", url, fresh)
    assert (revoked.status_code, revoked.json()["code"]) == (401, "REVOKED_ACCESS_TOKEN")


def test_organizations_the_member_administers(fake_linkedin):
    token = fake_linkedin.issue_token()["access_token"]
    acls = rest(
        fake_linkedin,
        "GET",
        "/rest/organizationAcls",
        token,
        params={
            "q": "roleAssignee",
            "state": "APPROVED",
            "projection": "(elements*(*,organization~(localizedName)))",
        },
    ).json()["elements"]
    assert [(a["organization"], a["role"], a["organization~"]["localizedName"]) for a in acls] == [
        (ORG, "ADMINISTRATOR", "Médiathèque de Lille"),
        ("urn:li:organization:10002", "CONTENT_ADMINISTRATOR", "Réseau des bibliothèques"),
        ("urn:li:organization:10003", "ANALYST", "Ville de Lille"),
    ]
    admin_only = rest(
        fake_linkedin,
        "GET",
        "/rest/organizationAcls",
        token,
        params={"q": "roleAssignee", "role": "ADMINISTRATOR"},
    )
    assert len(admin_only.json()["elements"]) == 1
    assert (
        rest(fake_linkedin, "GET", "/rest/organizations/10001", token).json()["localizedName"]
        == "Médiathèque de Lille"
    )


def test_image_upload_then_single_and_multi_image_posts(fake_linkedin_factory):
    fake = fake_linkedin_factory(image_processing_polls=2)
    token = fake.issue_token()["access_token"]
    image = upload(fake, token)
    early = rest(
        fake,
        "POST",
        "/rest/posts",
        token,
        json=post_body("Trop tôt", {"media": {"id": image, "altText": "Affiche"}}),
    )
    assert early.status_code == 422
    assert wait_available(fake, token, image) == ["PROCESSING", "PROCESSING", "AVAILABLE"]
    created = rest(
        fake,
        "POST",
        "/rest/posts",
        token,
        json=post_body("Expo photo", {"media": {"id": image, "altText": "Affiche"}}),
    )
    assert created.status_code == 201 and created.text == ""
    urn = created.headers["x-restli-id"]
    assert urn.startswith("urn:li:share:")
    images = [upload(fake, token) for _ in range(3)]
    for other in images:
        wait_available(fake, token, other)
    multi = rest(
        fake,
        "POST",
        "/rest/posts",
        token,
        json=post_body(
            "Trois photos",
            {
                "multiImage": {
                    "images": [{"id": i, "altText": f"Photo {n}"} for n, i in enumerate(images)]
                }
            },
        ),
    )
    assert multi.status_code == 201
    one = rest(fake, "GET", f"/rest/posts/{quote(urn, safe='')}", token).json()
    assert one["content"]["media"]["altText"] == "Affiche" and one["commentary"] == "Expo photo"
    listed = rest(
        fake, "GET", "/rest/posts", token, params={"author": ORG, "q": "author", "count": 10}
    ).json()
    assert [p["commentary"] for p in listed["elements"]] == ["Trois photos", "Expo photo"]
    assert listed["paging"]["total"] == 2
    broken = upload(fake, token, data=b"not an image")
    assert wait_available(fake, token, broken) == ["PROCESSING_FAILED"]


def test_duplicate_post_names_the_existing_urn_and_permissions(fake_linkedin):
    token = fake_linkedin.issue_token()["access_token"]
    first = rest(
        fake_linkedin, "POST", "/rest/posts", token, json=post_body("Heure du conte")
    ).headers["x-restli-id"]
    again = rest(fake_linkedin, "POST", "/rest/posts", token, json=post_body("Heure du conte"))
    assert (again.status_code, again.json()["message"]) == (
        422,
        f"Content is a duplicate of {first}",
    )
    analyst = rest(
        fake_linkedin,
        "POST",
        "/rest/posts",
        token,
        json=post_body("x", author="urn:li:organization:10003"),
    )
    assert (analyst.status_code, analyst.json()["code"]) == (403, "ACCESS_DENIED")


def test_drop_after_processing_then_recover_the_urn_from_the_duplicate(fake_linkedin):
    token = fake_linkedin.issue_token()["access_token"]
    fake_linkedin.inject("/rest/posts", method="POST", mode="drop_after")
    with pytest.raises(requests.ConnectionError):
        rest(fake_linkedin, "POST", "/rest/posts", token, json=post_body("Concert"))
    [created] = fake_linkedin.li_posts()
    retry = rest(fake_linkedin, "POST", "/rest/posts", token, json=post_body("Concert"))
    assert retry.json()["message"].endswith(created["id"])


def test_statistics_social_actions_reactions_and_delete(fake_linkedin):
    token = fake_linkedin.issue_token()["access_token"]
    urn = rest(fake_linkedin, "POST", "/rest/posts", token, json=post_body("Atelier")).headers[
        "x-restli-id"
    ]
    fake_linkedin.set_post_stats(
        urn,
        likes=4,
        comments=2,
        impressionCount=200,
        uniqueImpressionsCount=150,
        clickCount=6,
        shareCount=1,
    )
    for n in range(3):
        fake_linkedin.add_reaction(urn, f"urn:li:person:lecteur{n}", "PRAISE" if n else "LIKE")
    stats = rest(
        fake_linkedin,
        "GET",
        "/rest/organizationalEntityShareStatistics",
        token,
        params={
            "q": "organizationalEntity",
            "organizationalEntity": ORG,
            "shares": f"List({quote(urn, safe='')})",
        },
    ).json()["elements"]
    [element] = stats
    totals = element["totalShareStatistics"]
    assert element["share"] == urn
    assert (
        totals["impressionCount"],
        totals["likeCount"],
        totals["commentCount"],
        totals["clickCount"],
    ) == (200, 7, 2, 6)
    assert totals["engagement"] == pytest.approx((6 + 7 + 2 + 1) / 200)
    actions = rest(fake_linkedin, "GET", f"/rest/socialActions/{quote(urn, safe='')}", token).json()
    assert (
        actions["likesSummary"]["totalLikes"] == 7
        and actions["commentsSummary"]["totalFirstLevelComments"] == 2
    )
    reactions = rest(
        fake_linkedin,
        "GET",
        f"/rest/reactions/(entity:{quote(urn, safe='')})",
        token,
        params={"q": "entity", "sort": "(value:REVERSE_CHRONOLOGICAL)"},
    ).json()
    assert reactions["paging"]["total"] == 3
    assert {r["created"]["actor"] for r in reactions["elements"]} == {
        f"urn:li:person:lecteur{n}" for n in range(3)
    }
    deleted = rest(fake_linkedin, "DELETE", f"/rest/posts/{quote(urn, safe='')}", token)
    assert deleted.status_code == 204
    assert (
        rest(fake_linkedin, "GET", f"/rest/posts/{quote(urn, safe='')}", token).status_code == 404
    )


def test_daily_quota_answers_429_without_headers_and_resets_at_midnight_utc(fake_linkedin_factory):
    fake = fake_linkedin_factory(member_daily_limit=2)
    token = fake.issue_token()["access_token"]
    url = "/rest/organizationAcls?q=roleAssignee"
    assert [rest(fake, "GET", url, token).status_code for _ in range(2)] == [200, 200]
    refused = rest(fake, "GET", url, token)
    assert refused.status_code == 429 and refused.json()["status"] == 429
    assert not [
        h for h in refused.headers if "ratelimit" in h.lower() or h.lower() == "retry-after"
    ]
    fake.advance_clock(86400)
    assert rest(fake, "GET", url, token).status_code == 200
