"""The fake Graph API behaves as Meta documents Instagram content publishing."""

from __future__ import annotations

import requests

from tests.fakes.client import FakeProcess

V = "/v25.0"


def call(fake, method, path, **params):
    data = params.pop("data", None)
    return requests.request(method, f"{fake.url}{V}{path}", params=params, data=data, timeout=5)


def setup(fake):
    ig_id = fake.ids()["instagram"]["mediatheque_lille"]
    return ig_id, fake.issue_token()


def create(fake, ig_id, token, **data):
    return call(fake, "POST", f"/{ig_id}/media", data={**data, "access_token": token})


def status(fake, container_id, token):
    return call(
        fake, "GET", f"/{container_id}", fields="status_code,status", access_token=token
    ).json()


def test_container_is_in_progress_for_the_configured_polls_then_finished(
    fake_graph_factory, fake_media_host
):
    fake = fake_graph_factory(ig_processing_polls=2)
    ig_id, token = setup(fake)
    url = fake_media_host.add_image("/ig/1.jpg", 1080, 1350)
    container = create(
        fake, ig_id, token, image_url=url, caption="Rentrée #BD", alt_text="Des BD"
    ).json()
    # Meta really downloads the image from the given URL
    assert (
        fake_media_host.requests(path="/ig/1.jpg")[0]
        .header("user-agent")
        .startswith("facebookexternalhit")
    )
    early = call(
        fake,
        "POST",
        f"/{ig_id}/media_publish",
        data={"creation_id": container["id"], "access_token": token},
    )
    assert early.json()["error"]["error_subcode"] == 2207027
    codes = [status(fake, container["id"], token)["status_code"] for _ in range(3)]
    assert codes == ["IN_PROGRESS", "IN_PROGRESS", "FINISHED"]
    media = call(
        fake,
        "POST",
        f"/{ig_id}/media_publish",
        data={"creation_id": container["id"], "access_token": token},
    ).json()
    # a published container says so, and publishing it again is refused (detectable)
    assert status(fake, container["id"], token)["status_code"] == "PUBLISHED"
    again = call(
        fake,
        "POST",
        f"/{ig_id}/media_publish",
        data={"creation_id": container["id"], "access_token": token},
    )
    assert again.status_code == 400 and again.json()["error"]["code"] == 9007
    assert len(fake.ig_posts()) == 1
    fields = call(
        fake,
        "GET",
        f"/{media['id']}",
        fields="like_count,comments_count,permalink,caption",
        access_token=token,
    ).json()
    assert (
        fields["permalink"].startswith("https://www.instagram.com/p/")
        and fields["caption"] == "Rentrée #BD"
    )
    assert fake.ig_posts()[0]["alt_texts"] == ["Des BD"]


def test_image_checks_answer_the_documented_errors(fake_graph, fake_media_host):
    ig_id, token = setup(fake_graph)
    cases = {
        "/wide.jpg": (fake_media_host.add_image("/wide.jpg", 2000, 1000), 36003, 2207009),
        "/tall.jpg": (fake_media_host.add_image("/tall.jpg", 1000, 1300), 36003, 2207009),
        "/big.jpg": (
            fake_media_host.add_image("/big.jpg", 1000, 1000, padding=8_400_000),
            36000,
            2207004,
        ),
        "/png.png": (fake_media_host.add_image("/png.png", 1000, 1000, "PNG"), 36001, 2207005),
        "/missing.jpg": (f"{fake_media_host.url}/missing.jpg", 9004, 2207052),
    }
    for url, code, subcode in cases.values():
        error = create(fake_graph, ig_id, token, image_url=url).json()["error"]
        assert (error["code"], error["error_subcode"], error["is_transient"]) == (
            code,
            subcode,
            False,
        ), url
    # 4:5 and 1.91:1 are inside the bounds
    for width, height in ((1080, 1350), (1910, 1000)):
        ok = create(
            fake_graph,
            ig_id,
            token,
            image_url=fake_media_host.add_image(f"/{width}.jpg", width, height),
        )
        assert ok.status_code == 200
    long_caption = create(
        fake_graph, ig_id, token, image_url=fake_media_host.url + "/1080.jpg", caption="a" * 2201
    )
    assert long_caption.json()["error"]["error_subcode"] == 2207010


def test_carousel_of_items_with_alt_text(fake_graph_factory, fake_media_host):
    fake = fake_graph_factory(ig_processing_polls=0)
    ig_id, token = setup(fake)
    items = [
        create(
            fake,
            ig_id,
            token,
            image_url=fake_media_host.add_image(f"/c{n}.jpg", 1080, 1080),
            is_carousel_item="true",
            alt_text=f"Photo {n}",
        ).json()["id"]
        for n in range(3)
    ]
    one_child = create(fake, ig_id, token, media_type="CAROUSEL", children=items[0]).json()["error"]
    assert one_child["error_subcode"] == 2207028
    carousel = create(
        fake, ig_id, token, media_type="CAROUSEL", children=",".join(items), caption="Trois images"
    ).json()
    media = call(
        fake,
        "POST",
        f"/{ig_id}/media_publish",
        data={"creation_id": carousel["id"], "access_token": token},
    ).json()
    body = call(
        fake,
        "GET",
        f"/{media['id']}",
        fields="media_type,children{id,media_type}",
        access_token=token,
    ).json()
    assert body["media_type"] == "CAROUSEL_ALBUM" and len(body["children"]["data"]) == 3
    [post] = fake.ig_posts()
    assert post["alt_texts"] == ["Photo 0", "Photo 1", "Photo 2"]
    quota = call(
        fake,
        "GET",
        f"/{ig_id}/content_publishing_limit",
        fields="quota_usage,config",
        access_token=token,
    ).json()
    assert quota == {
        "data": [{"quota_usage": 1, "config": {"quota_total": 100, "quota_duration": 86400}}]
    }


def test_publishing_quota_answers_2207042_and_frees_up_after_24_hours(
    fake_graph_factory, fake_media_host
):
    fake = fake_graph_factory(ig_quota_total=2, ig_processing_polls=0)
    ig_id, token = setup(fake)
    url = fake_media_host.add_image("/q.jpg", 1080, 1080)

    def publish():
        container = create(fake, ig_id, token, image_url=url).json()["id"]
        return call(
            fake,
            "POST",
            f"/{ig_id}/media_publish",
            data={"creation_id": container, "access_token": token},
        )

    assert [publish().status_code for _ in range(2)] == [200, 200]
    refused = publish().json()["error"]
    assert (refused["code"], refused["error_subcode"]) == (9, 2207042)
    assert refused["error_user_msg"].startswith("You reached maximum number of posts")
    fake.advance_clock(86401)
    assert publish().status_code == 200


def test_error_and_expired_containers(fake_graph_factory, fake_media_host):
    fake = fake_graph_factory(ig_processing_polls=0)
    ig_id, token = setup(fake)
    url = fake_media_host.add_image("/e.jpg", 1080, 1080)
    broken = create(fake, ig_id, token, image_url=url).json()["id"]
    fake.fail_container(broken, "ERROR")
    assert status(fake, broken, token)["status_code"] == "ERROR"
    old = create(fake, ig_id, token, image_url=url).json()["id"]
    fake.advance_clock(86401)
    assert status(fake, old, token)["status_code"] == "EXPIRED"
    expired = call(
        fake, "POST", f"/{ig_id}/media_publish", data={"creation_id": old, "access_token": token}
    ).json()
    assert expired["error"]["error_subcode"] == 2207020


def test_insights_retired_metrics_error_and_not_enough_viewers(fake_graph_factory, fake_media_host):
    fake = fake_graph_factory(ig_processing_polls=0)
    ig_id, token = setup(fake)
    container = create(
        fake, ig_id, token, image_url=fake_media_host.add_image("/i.jpg", 1080, 1080)
    ).json()["id"]
    media = call(
        fake,
        "POST",
        f"/{ig_id}/media_publish",
        data={"creation_id": container, "access_token": token},
    ).json()["id"]
    fake.set_ig_counts(media, likes=12, comments=3)
    fake.set_ig_insights(media, views=400, reach=250, saved=5, shares=2)
    metrics = "views,reach,likes,comments,shares,saved,total_interactions"
    data = call(fake, "GET", f"/{media}/insights", metric=metrics, access_token=token).json()[
        "data"
    ]
    assert {d["name"]: d["values"][0]["value"] for d in data} == {
        "views": 400,
        "reach": 250,
        "likes": 12,
        "comments": 3,
        "shares": 2,
        "saved": 5,
        "total_interactions": 22,
    }
    retired = call(
        fake, "GET", f"/{media}/insights", metric="impressions,reach", access_token=token
    ).json()["error"]
    assert (
        retired["code"] == 100 and "impressions metric is no longer supported" in retired["message"]
    )
    fake.set_insights_unavailable(media)
    small = call(fake, "GET", f"/{media}/insights", metric="reach", access_token=token).json()[
        "error"
    ]
    assert (small["code"], small["message"]) == (
        10,
        "(#10) Not enough viewers for the media to show insights",
    )


def test_an_instagram_account_not_picked_is_refused(fake_graph, fake_media_host):
    ids = fake_graph.ids()
    picked = ids["instagram"]["bib_wazemmes"]
    token = fake_graph.issue_token(ig_ids=[picked])
    url = fake_media_host.add_image("/p.jpg", 1080, 1080)
    assert create(fake_graph, picked, token, image_url=url).status_code == 200
    refused = create(fake_graph, ids["instagram"]["mediatheque_lille"], token, image_url=url)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, 10)
    assert not fake_media_host.requests(path="/p.jpg")[1:]  # refused before downloading


def test_runs_as_a_process_for_workers(fake_media_host):
    with FakeProcess("tests.fakes.graph", "--ig-processing-polls", "0") as fake:
        ids = fake.call("ids")
        ig_id = ids["instagram"]["mediatheque_lille"]
        token = fake.call("issue_token")
        url = fake_media_host.add_image("/proc.jpg", 1080, 1080)
        container = requests.post(
            f"{fake.url}{V}/{ig_id}/media",
            data={"image_url": url, "caption": "Depuis un processus", "access_token": token},
            timeout=10,
        ).json()["id"]
        requests.post(
            f"{fake.url}{V}/{ig_id}/media_publish",
            data={"creation_id": container, "access_token": token},
            timeout=10,
        ).raise_for_status()
        assert [m["text"] for m in fake.state()["ig_media"]] == ["Depuis un processus"]
