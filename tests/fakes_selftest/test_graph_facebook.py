"""The fake Graph API behaves as Meta documents it: Facebook Login and Pages."""

from __future__ import annotations

import json

import pytest
import requests

from tests.fakes.journal import fingerprint
from tests.fakes.remote_media import make_image
from tests.fakes_selftest.helpers import ConsentForm, query_of

V = "/v25.0"
SCOPES = "pages_show_list,pages_manage_posts,pages_read_engagement,read_insights,instagram_basic"


def graph(fake, method, path, **params):
    data = params.pop("data", None)
    files = params.pop("files", None)
    return requests.request(
        method, f"{fake.url}{V}{path}", params=params, data=data, files=files, timeout=5
    )


def connect(fake, *, pick_pages, pick_igs=(), redirect=None):
    """Click through the login dialog the way a browser would; returns the redirect query."""
    redirect = redirect or f"{fake.url}/callback"
    page = requests.get(
        f"{fake.url}{V}/dialog/oauth",
        params={
            "client_id": fake.config.app_id,
            "redirect_uri": redirect,
            "state": "etat-1",
            "scope": SCOPES,
            "response_type": "code",
        },
        timeout=5,
    )
    form = ConsentForm(page.text)
    chosen_pages = [form.value_of("page", name) for name in pick_pages]
    chosen_igs = [form.value_of("ig", f"@{name}") for name in pick_igs]
    decision = requests.post(
        f"{fake.url}{form.action}",
        data={**form.hidden, "page": chosen_pages, "ig": chosen_igs, "decision": "approve"},
        allow_redirects=False,
        timeout=5,
    )
    assert decision.status_code == 302 and decision.headers["Location"].endswith("#_=_")
    return query_of(decision.headers["Location"].removesuffix("#_=_"))


def exchange(fake, code, redirect=None):
    return graph(
        fake,
        "GET",
        "/oauth/access_token",
        client_id=fake.config.app_id,
        client_secret=fake.config.app_secret,
        redirect_uri=redirect or f"{fake.url}/callback",
        code=code,
    )


def long_lived(fake, token):
    return graph(
        fake,
        "GET",
        "/oauth/access_token",
        grant_type="fb_exchange_token",
        client_id=fake.config.app_id,
        client_secret=fake.config.app_secret,
        fb_exchange_token=token,
    ).json()


def test_login_dialog_lets_the_user_pick_pages_and_instagram_accounts(fake_graph):
    ids = fake_graph.ids()
    # when the user picks one Page and its Instagram account
    query = connect(fake_graph, pick_pages=["Bibliothèque Wazemmes"], pick_igs=["bib_wazemmes"])
    assert query["state"] == "etat-1"
    short = exchange(fake_graph, query["code"]).json()
    # then the code works once, the token is short-lived, the long-lived one ~60 days
    assert short["token_type"] == "bearer" and 0 < short["expires_in"] <= 2 * 3600
    again = exchange(fake_graph, query["code"]).json()["error"]
    assert (again["code"], again["error_subcode"]) == (100, 36009)
    user_token = long_lived(fake_graph, short["access_token"])
    assert user_token["expires_in"] == 5_183_944
    accounts = graph(
        fake_graph,
        "GET",
        "/me/accounts",
        fields="id,name,access_token,instagram_business_account{id,username}",
        access_token=user_token["access_token"],
    ).json()["data"]
    assert [a["name"] for a in accounts] == ["Bibliothèque Wazemmes"]
    assert accounts[0]["instagram_business_account"] == {
        "id": ids["instagram"]["bib_wazemmes"],
        "username": "bib_wazemmes",
    }
    # and debug_token tells which Pages and Instagram accounts were granted
    app_token = f"{fake_graph.config.app_id}|{fake_graph.config.app_secret}"
    debug = graph(
        fake_graph,
        "GET",
        "/debug_token",
        input_token=accounts[0]["access_token"],
        access_token=app_token,
    ).json()["data"]
    assert debug["type"] == "PAGE" and debug["expires_at"] == 0 and debug["is_valid"]
    granted = {g["scope"]: g.get("target_ids") for g in debug["granular_scopes"]}
    assert granted["pages_manage_posts"] == [ids["pages"]["Bibliothèque Wazemmes"]]
    assert granted["instagram_basic"] == [ids["instagram"]["bib_wazemmes"]]


def test_denied_dialog_and_wrong_redirect(fake_graph):
    page = requests.get(
        f"{fake_graph.url}/dialog/oauth",
        params={"client_id": fake_graph.config.app_id, "redirect_uri": "https://evil.example/cb"},
        timeout=5,
    )
    assert page.status_code == 400 and "URL Blocked" in page.text
    form = ConsentForm(
        requests.get(
            f"{fake_graph.url}/dialog/oauth",
            params={
                "client_id": fake_graph.config.app_id,
                "redirect_uri": f"{fake_graph.url}/cb",
                "state": "s",
            },
            timeout=5,
        ).text
    )
    assert form.buttons == ["Continue", "Cancel"]
    denied = requests.post(
        f"{fake_graph.url}{form.action}",
        data={**form.hidden, "decision": "deny"},
        allow_redirects=False,
        timeout=5,
    )
    query = query_of(denied.headers["Location"].removesuffix("#_=_"))
    assert query == {
        "error": "access_denied",
        "error_code": "200",
        "error_description": "Permissions error",
        "error_reason": "user_denied",
        "state": "s",
    }
    mismatch = exchange(
        fake_graph,
        connect(fake_graph, pick_pages=["Ludothèque du Centre"])["code"],
        redirect=f"{fake_graph.url}/other",
    )
    assert mismatch.json()["error"]["error_subcode"] == 36008


def test_tokens_expire_on_the_fake_clock_with_the_documented_body(fake_graph_factory):
    fake = fake_graph_factory(page_token_never_expires=False)
    page_id = fake.ids()["pages"]["Médiathèque de Lille"]
    short = fake.issue_token(long_lived=False)
    page_token = fake.issue_page_token(page_id)
    assert graph(fake, "GET", "/me", access_token=short).status_code == 200
    fake.advance_clock(2 * 3600 + 1)
    expired = graph(fake, "GET", "/me", access_token=short)
    error = expired.json()["error"]
    assert expired.status_code == 400
    assert (error["type"], error["code"], error["error_subcode"]) == ("OAuthException", 190, 463)
    assert error["message"].startswith("Error validating access token: Session has expired on")
    assert set(error) >= {"message", "type", "code", "error_subcode", "fbtrace_id"}
    # a Page token minted from a long-lived token expires with it when so configured
    assert graph(fake, "GET", "/me", access_token=page_token).status_code == 200
    fake.advance_clock(61 * 86400)
    assert graph(fake, "GET", "/me", access_token=page_token).json()["error"]["code"] == 190


def test_page_tokens_never_expire_but_die_with_a_password_change(fake_graph):
    page_id = fake_graph.ids()["pages"]["Médiathèque de Lille"]
    user_token = fake_graph.issue_token()
    accounts = graph(fake_graph, "GET", "/me/accounts", access_token=user_token).json()["data"]
    page_token = next(a["access_token"] for a in accounts if a["id"] == page_id)
    fake_graph.advance_clock(400 * 86400)
    assert graph(fake_graph, "GET", "/me", access_token=page_token).json()["id"] == page_id
    fake_graph.break_token(user_token, "token_password_changed")
    error = graph(fake_graph, "GET", "/me", access_token=page_token).json()["error"]
    assert (error["code"], error["error_subcode"]) == (190, 460)
    missing = graph(fake_graph, "GET", "/me").json()["error"]
    assert missing["code"] == 104


def test_feed_post_with_photos_alt_text_and_read_after_write(fake_graph, fake_media_host):
    page_id = fake_graph.ids()["pages"]["Médiathèque de Lille"]
    token = fake_graph.issue_page_token(page_id)
    url = fake_media_host.add_image("/media/affiche.jpg", 1200, 900)
    by_url = graph(
        fake_graph,
        "POST",
        f"/{page_id}/photos",
        data={
            "url": url,
            "published": "false",
            "alt_text_custom": "Affiche",
            "access_token": token,
        },
    ).json()
    by_upload = graph(
        fake_graph,
        "POST",
        f"/{page_id}/photos",
        data={"published": "false", "access_token": token},
        files={"source": ("b.png", make_image(800, 600, "PNG"), "image/png")},
    ).json()
    assert set(by_url) == {"id"} and fake_media_host.requests(path="/media/affiche.jpg")
    post = graph(
        fake_graph,
        "POST",
        f"/{page_id}/feed",
        data={
            "message": "Nuit de la lecture",
            "link": "https://bm.example/nuit",
            "attached_media": json.dumps(
                [{"media_fbid": by_url["id"]}, {"media_fbid": by_upload["id"]}]
            ),
            "fields": "id,permalink_url",
            "access_token": token,
        },
    ).json()
    assert post["id"].startswith(f"{page_id}_")
    assert (
        post["permalink_url"]
        == f"https://www.facebook.com/{page_id}/posts/{post['id'].split('_')[1]}"
    )
    [stored] = fake_graph.fb_posts()
    assert [p["alt_text"] for p in stored["photos"]] == ["Affiche", None]
    # an attached photo cannot be attached again
    reused = graph(
        fake_graph,
        "POST",
        f"/{page_id}/feed",
        data={
            "message": "Autre",
            "attached_media[0]": json.dumps({"media_fbid": by_url["id"]}),
            "access_token": token,
        },
    ).json()
    assert reused["error"]["code"] == 100


def test_publishing_errors_duplicate_photo_rejected_permission(fake_graph, fake_media_host):
    page_id = fake_graph.ids()["pages"]["Médiathèque de Lille"]
    token = fake_graph.issue_page_token(page_id)
    first = graph(
        fake_graph, "POST", f"/{page_id}/feed", data={"message": "Pareil", "access_token": token}
    )
    again = graph(
        fake_graph, "POST", f"/{page_id}/feed", data={"message": "Pareil", "access_token": token}
    )
    assert first.status_code == 200
    error = again.json()["error"]
    assert (again.status_code, error["code"], error["error_user_title"]) == (
        400,
        506,
        "Duplicate Post",
    )
    too_big = fake_media_host.add_image("/big.jpg", 100, 100, padding=4_100_000)
    not_image = fake_media_host.add("/x.jpg", b"not an image")
    for url in (too_big, not_image):
        rejected = graph(
            fake_graph, "POST", f"/{page_id}/photos", data={"url": url, "access_token": token}
        )
        assert rejected.json()["error"]["error_subcode"] == 1366046
    user_token = fake_graph.issue_token()
    denied = graph(
        fake_graph, "POST", f"/{page_id}/feed", data={"message": "x", "access_token": user_token}
    )
    assert (denied.status_code, denied.json()["error"]["code"]) == (403, 200)


def test_metrics_fields_insights_reactions_and_delete(fake_graph):
    page_id = fake_graph.ids()["pages"]["Médiathèque de Lille"]
    token = fake_graph.issue_page_token(page_id)
    post_id = graph(
        fake_graph, "POST", f"/{page_id}/feed", data={"message": "Expo", "access_token": token}
    ).json()["id"]
    fields = "reactions.summary(total_count).limit(0),comments.summary(true),shares,permalink_url"
    empty = graph(fake_graph, "GET", f"/{post_id}", fields=fields, access_token=token).json()
    assert "shares" not in empty and empty["reactions"] == {
        "data": [],
        "summary": {"total_count": 0},
    }
    for n in range(30):
        fake_graph.add_reaction(post_id, f"Lecteur {n}", "LOVE" if n % 2 else "LIKE")
    fake_graph.set_fb_counts(post_id, comments=4, shares=2)
    fake_graph.set_fb_insights(post_id, post_media_view=120, post_total_media_view_unique=80)
    full = graph(fake_graph, "GET", f"/{post_id}", fields=fields, access_token=token).json()
    assert full["reactions"]["summary"]["total_count"] == 30
    assert full["comments"]["summary"]["total_count"] == 4 and full["shares"] == {"count": 2}
    # one retired metric fails the whole request; without it the others come back
    retired = graph(
        fake_graph,
        "GET",
        f"/{post_id}/insights",
        metric="post_impressions,post_media_view",
        access_token=token,
    )
    assert retired.json()["error"]["message"] == "(#100) The value must be a valid insights metric"
    good = graph(
        fake_graph,
        "GET",
        f"/{post_id}/insights",
        metric="post_media_view,post_total_media_view_unique",
        access_token=token,
    ).json()
    assert [(d["name"], d["values"][0]["value"]) for d in good["data"]] == [
        ("post_media_view", 120),
        ("post_total_media_view_unique", 80),
    ]
    # reactions are paged with cursors until there is no next
    names, url = [], f"{fake_graph.url}{V}/{post_id}/reactions?limit=25&access_token={token}"
    while url:
        body = requests.get(url, timeout=5).json()
        names += [r["name"] for r in body["data"]]
        url = body["paging"].get("next")
    assert len(names) == 30 and len(set(names)) == 30
    assert graph(fake_graph, "DELETE", f"/{post_id}", access_token=token).json() == {
        "success": True
    }
    gone = graph(fake_graph, "GET", f"/{post_id}", access_token=token).json()["error"]
    assert (gone["code"], gone["error_subcode"], gone["type"]) == (100, 33, "GraphMethodException")


def test_drop_after_processing_then_reconcile_from_the_page_feed(fake_graph):
    page_id = fake_graph.ids()["pages"]["Médiathèque de Lille"]
    token = fake_graph.issue_page_token(page_id)
    fake_graph.inject(f"{V}/{page_id}/feed", method="POST", mode="drop_after")
    with pytest.raises(requests.ConnectionError):
        graph(
            fake_graph,
            "POST",
            f"/{page_id}/feed",
            data={"message": "Concert", "access_token": token},
        )
    assert fake_graph.requests(method="POST")[0].outcome == "dropped_after_processing"
    feed = graph(
        fake_graph, "GET", f"/{page_id}/feed", fields="id,message,created_time", access_token=token
    ).json()
    assert [p["message"] for p in feed["data"]] == ["Concert"]
    assert feed["data"][0]["created_time"].endswith("+0000")


def test_throttling_answers_the_documented_codes_and_usage_headers(fake_graph_factory):
    fake = fake_graph_factory(page_call_limit=3)
    page_id = fake.ids()["pages"]["Médiathèque de Lille"]
    token = fake.issue_page_token(page_id)
    usages = []
    for _ in range(3):
        response = graph(fake, "GET", f"/{page_id}/feed", access_token=token)
        usages.append(json.loads(response.headers["X-Business-Use-Case-Usage"])[page_id][0])
    assert [u["call_count"] for u in usages] == [34, 67, 100] and usages[0]["type"] == "pages"
    refused = graph(fake, "GET", f"/{page_id}/feed", access_token=token)
    usage = json.loads(refused.headers["X-Business-Use-Case-Usage"])[page_id][0]
    assert refused.json()["error"]["code"] == 32 and usage["estimated_time_to_regain_access"] > 0
    # user-token calls report X-App-Usage; injected throttles carry the wait in minutes
    user_token = fake.issue_token()
    assert "call_count" in json.loads(
        graph(fake, "GET", "/me", access_token=user_token).headers["X-App-Usage"]
    )
    fake.inject_graph_error(f"{V}/me", "throttle_pages_buc", regain_minutes=7)
    injected = graph(fake, "GET", "/me", access_token=user_token)
    header = json.loads(injected.headers["X-Business-Use-Case-Usage"])
    assert injected.json()["error"]["code"] == 80001
    assert next(iter(header.values()))[0]["estimated_time_to_regain_access"] == 7


def test_journal_fingerprints_tokens_in_query_strings(fake_graph):
    token = fake_graph.issue_token()
    graph(fake_graph, "GET", "/me", access_token=token)
    graph(
        fake_graph,
        "GET",
        "/oauth/access_token",
        grant_type="fb_exchange_token",
        client_id=fake_graph.config.app_id,
        client_secret=fake_graph.config.app_secret,
        fb_exchange_token=token,
    )
    me, exchange_entry = fake_graph.requests()
    assert me.query["access_token"] == [fingerprint(token)]
    assert exchange_entry.query["client_secret"] == [fingerprint(fake_graph.config.app_secret)]
    assert exchange_entry.query["fb_exchange_token"] == [fingerprint(token)]
    assert token not in json.dumps([e.to_dict() for e in fake_graph.requests()])
