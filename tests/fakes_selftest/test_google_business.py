"""The fake Google Business Profile behaves as Google documents it."""

from __future__ import annotations

import pytest
import requests

from tests.fakes_selftest.helpers import ConsentForm, query_of

SCOPE = "https://www.googleapis.com/auth/business.manage"
GROUP, LILLE, WAZEMMES, VIEUX = "2000000001", "4000000001", "4000000002", "4000000003"
PHOTO = {"width": 1200, "height": 900, "padding": 20_000}


def api(fake, method, path, token, **kwargs):
    return requests.request(
        method,
        f"{fake.url}{path}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
        **kwargs,
    )


def posts_path(location=LILLE):
    return f"/v4/accounts/{GROUP}/locations/{location}/localPosts"


def consent(fake, **extra):
    callback = f"{fake.url}/callback"
    page = requests.get(
        f"{fake.url}/o/oauth2/v2/auth",
        params={
            "client_id": fake.config.client_id,
            "redirect_uri": callback,
            "response_type": "code",
            "scope": SCOPE,
            "state": "g-1",
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


def exchange(fake, code, callback):
    return requests.post(
        f"{fake.url}/token",
        data={
            "code": code,
            "client_id": fake.config.client_id,
            "client_secret": fake.config.client_secret,
            "redirect_uri": callback,
            "grant_type": "authorization_code",
        },
        timeout=5,
    ).json()


def refresh(fake, refresh_token):
    return requests.post(
        f"{fake.url}/token",
        data={
            "refresh_token": refresh_token,
            "client_id": fake.config.client_id,
            "client_secret": fake.config.client_secret,
            "grant_type": "refresh_token",
        },
        timeout=5,
    )


def test_offline_consent_gives_a_refresh_token_once_unless_prompted(fake_google_business):
    fake = fake_google_business
    query, callback = consent(fake, access_type="offline", prompt="consent")
    first = exchange(fake, query["code"], callback)
    assert (first["expires_in"], first["token_type"], first["scope"]) == (3599, "Bearer", SCOPE)
    assert first["refresh_token"].startswith("1//")
    assert exchange(fake, query["code"], callback) == {
        "error": "invalid_grant",
        "error_description": "Bad Request",
    }
    query, callback = consent(fake, access_type="offline")
    assert "refresh_token" not in exchange(fake, query["code"], callback)
    renewed = refresh(fake, first["refresh_token"]).json()
    assert renewed["expires_in"] == 3599 and "refresh_token" not in renewed
    fake.advance_clock(3600)
    expired = api(fake, "GET", "/v1/accounts", first["access_token"])
    error = expired.json()["error"]
    assert (expired.status_code, error["status"], error["code"]) == (401, "UNAUTHENTICATED", 401)
    assert error["details"][0]["reason"] == "ACCESS_TOKEN_EXPIRED"
    requests.post(
        f"{fake.url}/revoke", params={"token": first["refresh_token"]}, timeout=5
    ).raise_for_status()
    revoked = refresh(fake, first["refresh_token"])
    assert (revoked.status_code, revoked.json()) == (
        400,
        {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
    )


def test_testing_apps_refresh_tokens_expire_after_seven_days(fake_google_business_factory):
    fake = fake_google_business_factory(refresh_ttl=7 * 86400)
    tokens = fake.issue_token()
    fake.advance_clock(7 * 86400 + 1)
    assert refresh(fake, tokens["refresh_token"]).json()["error"] == "invalid_grant"


def test_accounts_and_locations_need_a_read_mask(fake_google_business):
    token = fake_google_business.issue_token()["access_token"]
    accounts = api(fake_google_business, "GET", "/v1/accounts", token).json()["accounts"]
    assert [(a["name"], a["type"]) for a in accounts] == [
        (f"accounts/{GROUP}", "LOCATION_GROUP"),
        ("accounts/2000000002", "PERSONAL"),
    ]
    missing = api(fake_google_business, "GET", f"/v1/accounts/{GROUP}/locations", token).json()[
        "error"
    ]
    assert (missing["status"], missing["details"][0]["fieldViolations"][0]["field"]) == (
        "INVALID_ARGUMENT",
        "read_mask",
    )
    locations = api(
        fake_google_business,
        "GET",
        f"/v1/accounts/{GROUP}/locations",
        token,
        params={"readMask": "name,title,metadata.canOperateLocalPost", "pageSize": 2},
    ).json()
    assert locations["locations"][0] == {
        "name": f"locations/{LILLE}",
        "title": "Médiathèque de Lille",
        "metadata": {"canOperateLocalPost": True},
    }
    assert locations["nextPageToken"] and locations["totalSize"] == 3
    rest = api(
        fake_google_business,
        "GET",
        f"/v1/accounts/{GROUP}/locations",
        token,
        params={
            "readMask": "name,metadata.canOperateLocalPost",
            "pageToken": locations["nextPageToken"],
        },
    ).json()["locations"]
    assert rest == [{"name": f"locations/{VIEUX}", "metadata": {"canOperateLocalPost": False}}]


OFFER_EVENT = {
    "title": "Carte gratuite",
    "schedule": {
        "startDate": {"year": 2026, "month": 12, "day": 1},
        "endDate": {"year": 2026, "month": 12, "day": 31},
    },
}


def test_an_offer_post_keeps_its_offer_and_drops_the_ignored_button(fake_google_business):
    token = fake_google_business.issue_token()["access_token"]
    offer = {
        "couponCode": "NOEL26",
        "redeemOnlineUrl": "https://bm.example.fr/carte",
        "termsConditions": "Moins de 26 ans.",
    }
    answer = api(
        fake_google_business,
        "POST",
        posts_path(),
        token,
        json={
            "languageCode": "fr",
            "topicType": "OFFER",
            "summary": "La carte est gratuite en décembre.",
            "event": OFFER_EVENT,
            "offer": offer,
            "callToAction": {"actionType": "BOOK", "url": "https://bm.example.fr"},
        },
    ).json()
    assert answer["topicType"] == "OFFER" and answer["offer"] == offer
    assert "callToAction" not in answer  # "ignored for topic type OFFER"


def test_standard_and_event_posts_with_photo_and_call_to_action(
    fake_google_business, fake_media_host
):
    fake = fake_google_business
    token = fake.issue_token()["access_token"]
    url = fake_media_host.add_image("/gbp/affiche.jpg", **PHOTO)
    standard = api(
        fake,
        "POST",
        posts_path(),
        token,
        json={
            "languageCode": "fr",
            "topicType": "STANDARD",
            "summary": "Nouveaux mangas en rayon",
            "callToAction": {"actionType": "LEARN_MORE", "url": "https://bm.example.fr/mangas"},
            "media": [{"mediaFormat": "PHOTO", "sourceUrl": url}],
        },
    )
    assert standard.status_code == 200
    body = standard.json()
    assert body["name"].startswith(f"accounts/{GROUP}/locations/{LILLE}/localPosts/")
    assert body["state"] == "LIVE" and body["searchUrl"] and body["media"][0]["googleUrl"]
    assert fake_media_host.requests(path="/gbp/affiche.jpg")
    event = api(
        fake,
        "POST",
        posts_path(),
        token,
        json={
            "languageCode": "fr",
            "topicType": "EVENT",
            "summary": "Venez jouer !",
            "event": {
                "title": "Nuit du jeu",
                "schedule": {
                    "startDate": {"year": 2026, "month": 11, "day": 14},
                    "startTime": {"hours": 18, "minutes": 0},
                    "endDate": {"year": 2026, "month": 11, "day": 14},
                    "endTime": {"hours": 23, "minutes": 30},
                },
            },
            "callToAction": {"actionType": "CALL"},
        },
    )
    assert event.status_code == 200 and event.json()["event"]["title"] == "Nuit du jeu"
    listed = api(fake, "GET", posts_path(), token).json()["localPosts"]
    assert [p["topicType"] for p in listed] == ["EVENT", "STANDARD"]
    assert api(fake, "DELETE", "/v4/" + body["name"], token).json() == {}
    gone = api(fake, "GET", "/v4/" + body["name"], token)
    assert (gone.status_code, gone.json()["error"]["status"]) == (404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"summary": "x" * 1501}, "summary"),
        ({"topicType": "EVENT"}, "event.title"),
        (
            {
                "topicType": "EVENT",
                "event": {
                    "title": "Conte",
                    "schedule": {"startDate": {"year": 2026, "month": 5, "day": 2}},
                },
            },
            "event.schedule",
        ),
        (
            {
                "topicType": "EVENT",
                "event": {
                    "title": "Conte",
                    "schedule": {
                        "startDate": {"year": 2026, "month": 5, "day": 2},
                        "endDate": {"year": 2026, "month": 5, "day": 1},
                    },
                },
            },
            "event.schedule.end_date",
        ),
        ({"topicType": "EVENT", "event": {"title": "T" * 59, "schedule": {}}}, "event.title"),
        (
            {"callToAction": {"actionType": "VISIT", "url": "https://a.fr"}},
            "call_to_action.action_type",
        ),
        ({"callToAction": {"actionType": "BOOK"}}, "call_to_action.url"),
        ({"offer": {"couponCode": "A"}}, "offer"),
        ({"topicType": "OFFER"}, "event.title"),
        (
            {"topicType": "OFFER", "event": OFFER_EVENT, "offer": {"couponCode": "C" * 59}},
            "offer.coupon_code",
        ),
        (
            {"topicType": "OFFER", "event": OFFER_EVENT, "offer": {"redeemOnlineUrl": "accueil"}},
            "offer.redeem_online_url",
        ),
        (
            {"topicType": "OFFER", "event": OFFER_EVENT, "offer": {"termsConditions": "T" * 5001}},
            "offer.terms_conditions",
        ),
    ],
)
def test_validation_errors(fake_google_business, change, field):
    token = fake_google_business.issue_token()["access_token"]
    body = {"languageCode": "fr", "topicType": "STANDARD", "summary": "Bonjour", **change}
    error = api(fake_google_business, "POST", posts_path(), token, json=body).json()["error"]
    assert (error["code"], error["status"]) == (400, "INVALID_ARGUMENT")
    assert error["details"][0]["errorDetails"][0]["field"] == field


def test_photos_are_downloaded_and_checked(fake_google_business, fake_media_host):
    token = fake_google_business.issue_token()["access_token"]
    cases = {
        "small": fake_media_host.add_image("/s.jpg", 200, 200, padding=20_000),
        "tiny_file": fake_media_host.add_image("/t.jpg", 300, 300),
        "gif": fake_media_host.add_image("/g.gif", 400, 400, "GIF", padding=20_000),
        "missing": f"{fake_media_host.url}/none.jpg",
    }
    for name, url in cases.items():
        body = {
            "topicType": "STANDARD",
            "summary": name,
            "media": [{"mediaFormat": "PHOTO", "sourceUrl": url}],
        }
        error = api(fake_google_business, "POST", posts_path(), token, json=body).json()["error"]
        assert error["details"][0]["errorDetails"][0]["field"] == "media[0].source_url", name
    png = fake_media_host.add_image("/ok.png", 800, 600, "PNG", padding=20_000)
    two = {
        "topicType": "STANDARD",
        "summary": "Deux",
        "media": [{"mediaFormat": "PHOTO", "sourceUrl": png}] * 2,
    }
    assert (
        api(fake_google_business, "POST", posts_path(), token, json=two).json()["error"]["details"][
            0
        ]["errorDetails"][0]["field"]
        == "media"
    )
    two["media"] = two["media"][:1]
    assert api(fake_google_business, "POST", posts_path(), token, json=two).status_code == 200


def test_rejected_posts_unverified_locations_and_permissions(fake_google_business):
    fake = fake_google_business
    token = fake.issue_token()["access_token"]
    phone = api(
        fake,
        "POST",
        posts_path(),
        token,
        json={"topicType": "STANDARD", "summary": "Appelez le 03 20 12 34 56"},
    ).json()
    assert phone["state"] == "REJECTED" and "searchUrl" not in phone
    unverified = api(
        fake, "POST", posts_path(VIEUX), token, json={"topicType": "STANDARD", "summary": "Bonjour"}
    ).json()["error"]
    assert unverified["status"] == "FAILED_PRECONDITION"
    no_scope = fake.issue_token(scopes=["openid"])["access_token"]
    denied = api(fake, "GET", "/v1/accounts", no_scope).json()["error"]
    assert (denied["code"], denied["details"][0]["reason"]) == (
        403,
        "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
    )
    stranger = fake.add_user("108000000000000000009", "Paul", "paul@example.fr")
    other = fake.issue_token(user_id=stranger)["access_token"]
    assert api(fake, "GET", posts_path(), other).json()["error"]["status"] == "PERMISSION_DENIED"
    missing = requests.get(f"{fake.url}/v1/accounts", timeout=5).json()["error"]
    assert missing["details"][0]["reason"] == "CREDENTIALS_MISSING"


def test_post_insights_and_performance_metrics(fake_google_business_factory):
    fake = fake_google_business_factory()
    token = fake.issue_token()["access_token"]
    name = api(
        fake, "POST", posts_path(), token, json={"topicType": "STANDARD", "summary": "Expo"}
    ).json()["name"]
    fake.set_post_metrics(name, LOCAL_POST_VIEWS_SEARCH=321, LOCAL_POST_ACTIONS_CALL_TO_ACTION=12)
    request = {
        "localPostNames": [name],
        "basicRequest": {
            "metricRequests": [{"metric": "ALL"}],
            "timeRange": {"startTime": "2026-01-01T00:00:00Z", "endTime": "2026-02-01T00:00:00Z"},
        },
    }
    report = api(fake, "POST", posts_path() + ":reportInsights", token, json=request).json()
    values = {
        v["metric"]: v["totalValue"]["value"] for v in report["localPostMetrics"][0]["metricValues"]
    }
    assert values == {"LOCAL_POST_VIEWS_SEARCH": "321", "LOCAL_POST_ACTIONS_CALL_TO_ACTION": "12"}
    fake.configure(post_insights="retired")
    assert (
        api(fake, "POST", posts_path() + ":reportInsights", token, json=request).status_code == 404
    )
    fake.set_daily_metrics(LILLE, WEBSITE_CLICKS=4)
    daily = api(
        fake,
        "GET",
        f"/v1/locations/{LILLE}:fetchMultiDailyMetricsTimeSeries",
        token,
        params={
            "dailyMetrics": ["WEBSITE_CLICKS", "CALL_CLICKS"],
            "dailyRange.startDate.year": 2026,
            "dailyRange.startDate.month": 3,
            "dailyRange.startDate.day": 1,
            "dailyRange.endDate.year": 2026,
            "dailyRange.endDate.month": 3,
            "dailyRange.endDate.day": 2,
        },
    ).json()["multiDailyMetricTimeSeries"][0]["dailyMetricTimeSeries"]
    assert daily[0]["timeSeries"]["datedValues"][0] == {
        "date": {"year": 2026, "month": 3, "day": 1},
        "value": "4",
    }
    assert "value" not in daily[1]["timeSeries"]["datedValues"][0]  # zero is left out


def test_quota_429_and_drop_after_processing(fake_google_business_factory):
    fake = fake_google_business_factory(qpm=3)
    token = fake.issue_token()["access_token"]
    fake.inject(posts_path(), method="POST", mode="drop_after")
    with pytest.raises(requests.ConnectionError):
        api(fake, "POST", posts_path(), token, json={"topicType": "STANDARD", "summary": "Atelier"})
    assert [p["summary"] for p in api(fake, "GET", posts_path(), token).json()["localPosts"]] == [
        "Atelier"
    ]
    api(fake, "GET", "/v1/accounts", token)
    refused = api(fake, "GET", "/v1/accounts", token)
    error = refused.json()["error"]
    assert (refused.status_code, error["status"], error["details"][0]["reason"]) == (
        429,
        "RESOURCE_EXHAUSTED",
        "RATE_LIMIT_EXCEEDED",
    )
    fake.advance_clock(60)
    assert api(fake, "GET", "/v1/accounts", token).status_code == 200
