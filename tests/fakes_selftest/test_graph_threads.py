"""The fake Graph API behaves as Meta documents the Threads API."""

from __future__ import annotations

import pytest
import requests

from tests.fakes_selftest.helpers import ConsentForm, query_of


def api(fake, method, path, **params):
    data = params.pop("data", None)
    return requests.request(
        method, f"{fake.threads_url}/v1.0{path}", params=params, data=data, timeout=5
    )


def test_threads_oauth_long_lived_and_refresh(fake_graph):
    callback = f"{fake_graph.url}/callback"
    page = requests.get(
        f"{fake_graph.threads_url}/oauth/authorize",
        params={
            "client_id": fake_graph.config.threads_app_id,
            "redirect_uri": callback,
            "scope": "threads_basic,threads_content_publish",
            "response_type": "code",
            "state": "t1",
        },
        timeout=5,
    )
    form = ConsentForm(page.text)
    assert form.buttons == ["Allow", "Cancel"]
    decision = requests.post(
        f"{fake_graph.url}{form.action}",
        data={**form.hidden, "decision": "approve"},
        allow_redirects=False,
        timeout=5,
    )
    location = decision.headers["Location"]
    assert location.endswith("#_")
    query = query_of(location.removesuffix("#_"))
    short = requests.post(
        f"{fake_graph.threads_url}/oauth/access_token",
        data={
            "client_id": fake_graph.config.threads_app_id,
            "client_secret": fake_graph.config.threads_app_secret,
            "grant_type": "authorization_code",
            "redirect_uri": callback,
            "code": query["code"],
        },
        timeout=5,
    ).json()
    assert short["user_id"] == int(fake_graph.ids()["threads"]["mediatheque_lille"])
    long = requests.get(
        f"{fake_graph.threads_url}/access_token",
        params={
            "grant_type": "th_exchange_token",
            "client_secret": fake_graph.config.threads_app_secret,
            "access_token": short["access_token"],
        },
        timeout=5,
    ).json()
    assert (long["token_type"], long["expires_in"]) == ("bearer", 5_183_944)

    def refresh(token):
        return requests.get(
            f"{fake_graph.threads_url}/refresh_access_token",
            params={"grant_type": "th_refresh_token", "access_token": token},
            timeout=5,
        ).json()

    # refreshing needs a token at least 24 hours old, and not expired
    assert refresh(long["access_token"])["error"]["code"] == 10
    fake_graph.advance_clock(86400 + 1)
    refreshed = refresh(long["access_token"])
    assert refreshed["expires_in"] == 5_183_944
    fake_graph.advance_clock(61 * 86400)
    assert refresh(refreshed["access_token"])["error"]["error_subcode"] == 463


def test_text_image_and_carousel_posts_with_alt_text(fake_graph, fake_media_host):
    token = fake_graph.issue_threads()
    text = api(
        fake_graph,
        "POST",
        "/me/threads",
        data={"media_type": "TEXT", "text": "Bonjour 👋", "access_token": token},
    ).json()
    image = api(
        fake_graph,
        "POST",
        "/me/threads",
        data={
            "media_type": "IMAGE",
            "image_url": fake_media_host.add_image("/t.png", 1200, 800, "PNG"),
            "alt_text": "Lecture",
            "access_token": token,
        },
    ).json()
    items = [
        api(
            fake_graph,
            "POST",
            "/me/threads",
            data={
                "media_type": "IMAGE",
                "is_carousel_item": "true",
                "image_url": fake_media_host.add_image(f"/c{n}.jpg", 1080, 1080),
                "alt_text": f"Image {n}",
                "access_token": token,
            },
        ).json()["id"]
        for n in range(2)
    ]
    carousel = api(
        fake_graph,
        "POST",
        "/me/threads",
        data={
            "media_type": "CAROUSEL",
            "children": ",".join(items),
            "text": "Deux",
            "access_token": token,
        },
    ).json()
    published = []
    for container in (text, image, carousel):
        assert (
            api(
                fake_graph,
                "GET",
                f"/{container['id']}",
                fields="status,error_message",
                access_token=token,
            ).json()["status"]
            == "FINISHED"
        )
        published.append(
            api(
                fake_graph,
                "POST",
                "/me/threads_publish",
                data={"creation_id": container["id"], "access_token": token},
            ).json()["id"]
        )
    first = api(
        fake_graph,
        "GET",
        f"/{published[0]}",
        fields="id,text,permalink,media_type",
        access_token=token,
    ).json()
    assert first["media_type"] == "TEXT_POST" and "/post/" in first["permalink"]
    posts = fake_graph.threads_posts()
    assert [p["media_type"] for p in posts] == ["TEXT_POST", "IMAGE", "CAROUSEL_ALBUM"]
    assert posts[1]["alt_texts"] == ["Lecture"] and posts[2]["alt_texts"] == ["Image 0", "Image 1"]
    limit = api(
        fake_graph,
        "GET",
        "/me/threads_publishing_limit",
        fields="quota_usage,config",
        access_token=token,
    ).json()
    assert limit == {
        "data": [{"quota_usage": 3, "config": {"quota_total": 250, "quota_duration": 86400}}]
    }
    listed = api(fake_graph, "GET", "/me/threads", fields="id,text", access_token=token).json()[
        "data"
    ]
    assert [p["id"] for p in listed] == list(reversed(published))


def test_text_limits_links_and_bad_images(fake_graph, fake_media_host):
    token = fake_graph.issue_threads()
    # 500 characters, emoji counted as their UTF-8 bytes: 125 × 😀 is 500
    assert (
        api(
            fake_graph,
            "POST",
            "/me/threads",
            data={"media_type": "TEXT", "text": "😀" * 125, "access_token": token},
        ).status_code
        == 200
    )
    too_long = api(
        fake_graph,
        "POST",
        "/me/threads",
        data={"media_type": "TEXT", "text": "😀" * 126, "access_token": token},
    ).json()
    assert too_long["error"]["type"] == "THApiException"
    links = " ".join(f"https://site{n}.fr" for n in range(6))
    assert (
        api(
            fake_graph,
            "POST",
            "/me/threads",
            data={"media_type": "TEXT", "text": links, "access_token": token},
        ).json()["error"]["message"]
        == "THREADS_API__LINK_LIMIT_EXCEEDED"
    )
    panorama = fake_media_host.add_image("/pano.jpg", 2200, 200)
    container = api(
        fake_graph,
        "POST",
        "/me/threads",
        data={"media_type": "IMAGE", "image_url": panorama, "access_token": token},
    ).json()["id"]
    state = api(
        fake_graph, "GET", f"/{container}", fields="status,error_message", access_token=token
    ).json()
    assert state["status"] == "ERROR" and state["error_message"]
    refused = api(
        fake_graph,
        "POST",
        "/me/threads_publish",
        data={"creation_id": container, "access_token": token},
    )
    assert refused.status_code == 400


@pytest.mark.parametrize("polls", [2])
def test_polling_insights_and_delete(fake_graph_factory, polls):
    fake = fake_graph_factory(threads_processing_polls=polls)
    token = fake.issue_threads()
    container = api(
        fake,
        "POST",
        "/me/threads",
        data={"media_type": "TEXT", "text": "Atelier", "access_token": token},
    ).json()["id"]
    states = [
        api(fake, "GET", f"/{container}", fields="status", access_token=token).json()["status"]
        for _ in range(3)
    ]
    assert states == ["IN_PROGRESS", "IN_PROGRESS", "FINISHED"]
    media = api(
        fake, "POST", "/me/threads_publish", data={"creation_id": container, "access_token": token}
    ).json()["id"]
    again = api(
        fake, "POST", "/me/threads_publish", data={"creation_id": container, "access_token": token}
    )
    assert again.status_code == 400
    fake.set_threads_insights(media, views=90, likes=7, replies=2, reposts=1, quotes=0)
    insights = api(
        fake,
        "GET",
        f"/{media}/insights",
        metric="views,likes,replies,reposts,quotes",
        access_token=token,
    ).json()["data"]
    assert [d["values"][0]["value"] for d in insights] == [90, 7, 2, 1, 0]
    assert (
        api(fake, "GET", f"/{media}/insights", metric="impressions", access_token=token).json()[
            "error"
        ]["code"]
        == 100
    )
    assert api(fake, "DELETE", f"/{media}", access_token=token).json() == {
        "success": True,
        "deleted_id": media,
    }
    fake.configure(threads_processing_polls=0)
    no_scope = fake.issue_threads(scopes=["threads_basic", "threads_content_publish"])
    other = api(
        fake,
        "POST",
        "/me/threads",
        data={"media_type": "TEXT", "text": "x", "access_token": no_scope},
    ).json()["id"]
    other_media = api(
        fake, "POST", "/me/threads_publish", data={"creation_id": other, "access_token": no_scope}
    ).json()["id"]
    assert (
        api(fake, "DELETE", f"/{other_media}", access_token=no_scope).json()["error"]["code"] == 10
    )
