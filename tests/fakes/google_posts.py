"""Local posts on the fake Google Business Profile (API v4).

Sources (developers.google.com/my-business):
- ``content/posts-data`` and ``reference/rest/v4/accounts.locations.localPosts``:
  ``POST /v4/accounts/{a}/locations/{l}/localPosts`` with a LocalPost
  (``languageCode``, ``summary``, ``topicType`` STANDARD | EVENT | OFFER,
  ``event {title, schedule {startDate, startTime, endDate, endTime}}``,
  ``callToAction {actionType, url}``, ``media [{mediaFormat: PHOTO,
  sourceUrl}]``) answers the LocalPost with ``name``, ``createTime``,
  ``updateTime``, ``state`` (PROCESSING, LIVE, REJECTED) and ``searchUrl``;
  ``GET …/localPosts`` (``pageSize`` 20 by default, 100 at most,
  ``nextPageToken``), ``GET`` and ``DELETE`` one post (``{}``); a missing one
  is 404 NOT_FOUND. Action types: BOOK, ORDER, SHOP, LEARN_MORE, SIGN_UP, CALL
  (no ``url``); GET_OFFER is deprecated.
- OFFER posts (``content/posts-data`` "Offer Posts", reference ``LocalPost`` and
  ``LocalPostOffer``): ``event`` is "required for topic types EVENT and OFFER";
  ``offer {couponCode, redeemOnlineUrl, termsConditions}``, each optional, "should
  only be set when the topic_type is OFFER" (the fake refuses it elsewhere: 400,
  unconfirmed); ``callToAction`` is "ignored for topic type OFFER" (the fake drops
  it). Undocumented lengths, configurable: coupon code 58, terms 5,000; the
  redemption URL must be a web address (as a button's).
- Limits: summary 1,500 characters; event title 58 (PostSyncer); photos JPG
  or PNG, 10 KB to 5 MB, at least 250 × 250 (Ayrshare); one photo per post
  (Late; unconfirmed); Google downloads ``sourceUrl`` itself (the fake really
  GETs it, loopback only); posts with a phone number end up REJECTED
  (Ayrshare). A location without ``canOperateLocalPost`` answers 400
  FAILED_PRECONDITION (unconfirmed), as do the ValidationError detail codes.
- ``reference/rest/v4/accounts.locations.localPosts/reportInsights``: ``POST
  …/localPosts:reportInsights`` with ``localPostNames`` and ``basicRequest
  {metricRequests [{metric}], timeRange}`` → ``{"name", "localPostMetrics":
  [{"localPostName", "metricValues": [{"metric", "totalValue": {"metricOption",
  "timeDimension", "value"}}]}], "timeZone"}``. The method is deprecated (the
  Performance API replacing v4 insights has no per-post metrics):
  ``post_insights="retired"`` answers 404.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from networks.google_business import has_phone_number
from tests.fakes.google_locations import page_of
from tests.fakes.google_models import (
    GToken,
    LocalPost,
    google_error,
    invalid_argument,
    not_found,
    permission_denied,
    rfc3339,
    validation_error,
)
from tests.fakes.remote_media import MediaFetchError, fetch_media, inspect_image, lock_released
from tests.fakes.web import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from tests.fakes.google_business import FakeGoogleBusiness

TOPICS = ("STANDARD", "EVENT", "OFFER")
ACTIONS = ("BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP", "CALL", "GET_OFFER")
POST_METRICS = ("LOCAL_POST_VIEWS_SEARCH", "LOCAL_POST_ACTIONS_CALL_TO_ACTION", "ALL")


def date_of(value: Any) -> date:
    return date(int(value["year"]), int(value["month"]), int(value["day"]))


def moment(day: Any, time: Any, default: tuple[int, int]) -> datetime:
    when = date_of(day)
    hours, minutes = (int(time.get("hours", 0)), int(time.get("minutes", 0))) if time else default
    return datetime(when.year, when.month, when.day, hours, minutes)


class GooglePostsMixin:
    """LocalPosts create, list, get, delete, reportInsights; mixed into FakeGoogleBusiness."""

    def _post_location(self: FakeGoogleBusiness, request: FakeRequest, token: GToken) -> Any:
        location = self.locations.get(request.params["location"])
        if location is None or location.account_id != request.params["account"]:
            return not_found()
        if self._user_account(token, location.account_id) is None:
            return permission_denied()
        return location

    def create_local_post(
        self: FakeGoogleBusiness, request: FakeRequest, token: GToken
    ) -> FakeResponse:
        location = self._post_location(request, token)
        if isinstance(location, FakeResponse):
            return location
        if not location.verified:
            return google_error(
                400, "FAILED_PRECONDITION", "This location cannot operate local posts."
            )
        body = request.json if isinstance(request.json, dict) else None
        if body is None:
            return invalid_argument(validation_error("", "Invalid JSON payload received."))
        problem = self._validate_post(body)
        if problem:
            return problem
        if body.get("topicType") == "OFFER":
            body = {k: v for k, v in body.items() if k != "callToAction"}  # ignored
        media = []
        for index, item in enumerate(body.get("media") or []):
            checked = self._fetch_photo(index, item)
            if isinstance(checked, FakeResponse):
                return checked
            media.append(checked)
        now = self.now()
        post = LocalPost(
            id=self.new_id(1_000_000_000_000_000_000),
            account_id=location.account_id,
            location_id=location.id,
            body={
                k: v
                for k, v in body.items()
                if k in ("languageCode", "summary", "callToAction", "event", "topicType", "offer")
            },
            created=now,
            updated=now,
            polls_left=self.config.post_processing_polls,
            rejected=self.config.reject_phone_numbers and has_phone_number(body.get("summary", "")),
        )
        media_prefix = f"accounts/{location.account_id}/locations/{location.id}/media/"
        post.body["media"] = [
            {
                "name": media_prefix + self.new_id(2_000_000),
                "mediaFormat": "PHOTO",
                "sourceUrl": item["sourceUrl"],
                "googleUrl": f"https://lh3.googleusercontent.com/p/fake-{post.id}-{n}",
                "dimensions": {"widthPixels": item["width"], "heightPixels": item["height"]},
            }
            for n, item in enumerate(media)
        ]
        self.local_posts[post.id] = post
        return json_response(self.serialize_post(post, poll=False))

    def _validate_post(self: FakeGoogleBusiness, body: dict[str, Any]) -> FakeResponse | None:
        topic = body.get("topicType")
        if topic not in TOPICS:
            return invalid_argument(validation_error("topic_type", f"Invalid topic type: {topic}"))
        summary = body.get("summary") or ""
        if len(summary) > self.config.summary_max:
            return invalid_argument(
                validation_error(
                    "summary", f"Summary is longer than {self.config.summary_max} characters."
                )
            )
        if topic == "STANDARD" and not summary.strip() and not body.get("media"):
            return invalid_argument(
                validation_error("summary", "A post needs a summary or a photo.")
            )
        if topic in ("EVENT", "OFFER"):
            problem = self._validate_event(body.get("event"))
            if problem:
                return problem
        problem = self._validate_offer(topic, body.get("offer"))
        if problem:
            return problem
        action = body.get("callToAction")
        if action is not None and topic != "OFFER":
            kind = action.get("actionType")
            if kind not in ACTIONS:
                return invalid_argument(
                    validation_error("call_to_action.action_type", f"Invalid action type: {kind}")
                )
            url = action.get("url") or ""
            if kind != "CALL" and not re.match(r"https?://[^\s/]+\.[^\s]+", url):
                return invalid_argument(
                    validation_error("call_to_action.url", "A valid URL is required.")
                )
        media = body.get("media") or []
        if len(media) > self.config.max_media:
            return invalid_argument(
                validation_error(
                    "media", f"At most {self.config.max_media} media item(s) per post."
                )
            )
        for index, item in enumerate(media):
            if item.get("mediaFormat") != "PHOTO" or not item.get("sourceUrl"):
                return invalid_argument(
                    validation_error(
                        f"media[{index}]", "Only PHOTO media with a sourceUrl are supported."
                    )
                )
        return None

    def _validate_offer(self: FakeGoogleBusiness, topic: str, offer: Any) -> FakeResponse | None:
        if offer is None:
            return None
        if topic != "OFFER":
            return invalid_argument(
                validation_error("offer", "Offer may only be set for topic type OFFER.")
            )
        if not isinstance(offer, dict) or set(offer) - {
            "couponCode",
            "redeemOnlineUrl",
            "termsConditions",
        }:
            return invalid_argument(validation_error("offer", "Invalid offer."))
        if len(offer.get("couponCode") or "") > self.config.offer_coupon_max:
            return invalid_argument(
                validation_error(
                    "offer.coupon_code",
                    f"Coupon code is longer than {self.config.offer_coupon_max} characters.",
                )
            )
        if len(offer.get("termsConditions") or "") > self.config.offer_terms_max:
            return invalid_argument(
                validation_error(
                    "offer.terms_conditions",
                    f"Terms are longer than {self.config.offer_terms_max} characters.",
                )
            )
        url = offer.get("redeemOnlineUrl")
        if url is not None and not re.match(r"https?://[^\s/]+\.[^\s]+\Z", url):
            return invalid_argument(
                validation_error("offer.redeem_online_url", "A valid URL is required.")
            )
        return None

    def _validate_event(self: FakeGoogleBusiness, event: Any) -> FakeResponse | None:
        if not isinstance(event, dict) or not (event.get("title") or "").strip():
            return invalid_argument(validation_error("event.title", "An event needs a title."))
        if len(event["title"]) > self.config.event_title_max:
            return invalid_argument(
                validation_error(
                    "event.title", f"Title is longer than {self.config.event_title_max} characters."
                )
            )
        schedule = event.get("schedule") or {}
        if "startDate" not in schedule or "endDate" not in schedule:
            return invalid_argument(
                validation_error("event.schedule", "An event needs a start and an end date.")
            )
        try:
            start = moment(schedule["startDate"], schedule.get("startTime"), (0, 0))
            end = moment(schedule["endDate"], schedule.get("endTime"), (23, 59))
        except (KeyError, TypeError, ValueError):
            return invalid_argument(validation_error("event.schedule", "Invalid date or time."))
        if end <= start:
            return invalid_argument(
                validation_error("event.schedule.end_date", "End must be after start.")
            )
        return None

    def _fetch_photo(
        self: FakeGoogleBusiness, index: int, item: dict[str, Any]
    ) -> dict[str, Any] | FakeResponse:
        field_name = f"media[{index}].source_url"
        try:
            with lock_released(self.lock):
                data = fetch_media(
                    item["sourceUrl"], max_bytes=self.config.media_max_bytes * 2
                ).data
        except MediaFetchError:
            return invalid_argument(
                validation_error(field_name, "The photo could not be fetched from the URL.")
            )
        facts = inspect_image(data)
        if facts is None or facts.format not in self.config.media_formats:
            return invalid_argument(validation_error(field_name, "Photos must be JPG or PNG."))
        if not self.config.media_min_bytes <= facts.size <= self.config.media_max_bytes:
            return invalid_argument(
                validation_error(field_name, "Photo size must be between 10 KB and 5 MB.")
            )
        if min(facts.width, facts.height) < self.config.media_min_side:
            return invalid_argument(
                validation_error(field_name, "Photo must be at least 250 x 250 pixels.")
            )
        return {"sourceUrl": item["sourceUrl"], "width": facts.width, "height": facts.height}

    def serialize_post(
        self: FakeGoogleBusiness, post: LocalPost, *, poll: bool = True
    ) -> dict[str, Any]:
        if post.polls_left > 0:
            state = "PROCESSING"
            if poll:
                post.polls_left -= 1
        else:
            state = "REJECTED" if post.rejected else "LIVE"
        location = self.locations[post.location_id]
        body = {
            "name": post.name,
            **post.body,
            "createTime": rfc3339(post.created),
            "updateTime": rfc3339(post.updated),
            "state": state,
        }
        if state == "LIVE":
            body["searchUrl"] = (
                f"https://local.google.com/place?id={location.id}&use=posts&lpsid={post.id}"
            )
        if not body.get("media"):
            body.pop("media", None)
        return body

    def list_local_posts(
        self: FakeGoogleBusiness, request: FakeRequest, token: GToken
    ) -> FakeResponse:
        location = self._post_location(request, token)
        if isinstance(location, FakeResponse):
            return location
        posts = [
            p for p in self.local_posts.values() if p.location_id == location.id and not p.deleted
        ]
        posts.sort(key=lambda p: p.created, reverse=True)
        chunk, next_token = page_of(posts, request, 20, 100)
        body: dict[str, Any] = {"localPosts": [self.serialize_post(p) for p in chunk]}
        if next_token:
            body["nextPageToken"] = next_token
        return json_response(body if chunk else {})

    def _post_of(
        self: FakeGoogleBusiness, request: FakeRequest, token: GToken
    ) -> LocalPost | FakeResponse:
        location = self._post_location(request, token)
        if isinstance(location, FakeResponse):
            return location
        post = self.local_posts.get(request.params["post"])
        if post is None or post.deleted or post.location_id != location.id:
            return not_found()
        return post

    def get_local_post(
        self: FakeGoogleBusiness, request: FakeRequest, token: GToken
    ) -> FakeResponse:
        post = self._post_of(request, token)
        if isinstance(post, FakeResponse):
            return post
        return json_response(self.serialize_post(post))

    def delete_local_post(
        self: FakeGoogleBusiness, request: FakeRequest, token: GToken
    ) -> FakeResponse:
        post = self._post_of(request, token)
        if isinstance(post, FakeResponse):
            return post
        post.deleted = True
        return json_response({})

    def report_insights(
        self: FakeGoogleBusiness, request: FakeRequest, token: GToken
    ) -> FakeResponse:
        if self.config.post_insights == "retired":
            return google_error(404, "NOT_FOUND", "Method not found.")
        location = self._post_location(request, token)
        if isinstance(location, FakeResponse):
            return location
        body = request.json if isinstance(request.json, dict) else {}
        names = body.get("localPostNames") or []
        basic = body.get("basicRequest") or {}
        metrics = [m.get("metric") for m in basic.get("metricRequests") or []]
        if not names or not metrics or any(m not in POST_METRICS for m in metrics):
            return invalid_argument(
                validation_error(
                    "basic_request", "localPostNames and valid metricRequests are required."
                )
            )
        prefix = f"accounts/{location.account_id}/locations/{location.id}/localPosts/"
        if any(
            not n.startswith(prefix) or n.removeprefix(prefix) not in self.local_posts
            for n in names
        ):
            return invalid_argument(
                validation_error("local_post_names", "Every post must belong to the location.")
            )
        wanted = [m for m in POST_METRICS[:2]] if "ALL" in metrics else metrics
        time_range = basic.get("timeRange") or {}
        results = []
        for name in names:
            post = self.local_posts[name.removeprefix(prefix)]
            values = [
                {
                    "metric": metric,
                    "totalValue": {
                        "metricOption": "AGGREGATED_TOTAL",
                        "timeDimension": {"timeRange": time_range},
                        "value": str(post.metrics.get(metric, 0)),
                    },
                }
                for metric in wanted
            ]
            results.append({"localPostName": name, "metricValues": values})
        return json_response(
            {
                "name": f"accounts/{location.account_id}/locations/{location.id}",
                "localPostMetrics": results,
                "timeZone": "Europe/Paris",
            }
        )
