"""The Google Business Profile client: local posts (standard or event, with one photo
and a call-to-action button) on a location, find, delete, verify, metrics, and the
OAuth 2.0 steps (offline access, token refresh, revoke). The rules (1,500 characters,
one photo, events, buttons) are in `networks.google_business`.

Sources (developers.google.com, read 2026-12): ``identity/protocols/oauth2/web-server``
(offline access, refresh, revoke, ``invalid_grant``); ``my-business/reference/rest/v4/
accounts.locations.localPosts`` (create, list, get, delete, reportInsights);
``my-business/reference/accountmanagement/rest/v1/accounts/list``;
``my-business/reference/businessinformation/rest/v1/accounts.locations/list``
(``readMask`` required); ``my-business/reference/performance/rest/v1/locations/
fetchMultiDailyMetricsTimeSeries``; ``my-business/content/limits`` (300 queries per
minute per project); cloud.google.com ``apis/design/errors`` (google.rpc.Status with
ErrorInfo, RetryInfo, BadRequest details).

An Annexe account is one *location*: its `remote_id` is the v4 resource name
``accounts/{account}/locations/{location}``, under which its posts live. Hosts, the
error mapping and the parsers are in `networks.google_api`.

A post whose summary holds a phone number is accepted and then ``REJECTED`` (Ayrshare):
the client reads the state back and raises PermanentError.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import requests
from django.utils.translation import gettext_noop as _

from networks import oauth
from networks.client import (
    Account,
    AccountInfo,
    AuthError,
    Metrics,
    NetworkClient,
    PermanentError,
    PublishRequest,
    RemotePost,
)
from networks.google_api import (
    HOSTS,
    SCOPES,
    Location,
    access_removed,
    address,
    bearer,
    host,
    http,
    is_gone,
    parse_time,
    to_int,
    token_credentials,
)
from networks.messages import Message

__all__ = ["HOSTS", "SCOPES", "GoogleBusinessClient", "Location", "local_post"]

logger = logging.getLogger(__name__)

LOCATION_MASK = "name,title,storefrontAddress,metadata"
# Per-post insights (v4 reportInsights); the Performance API that replaces v4 insights
# has no per-post metrics, so the method may disappear: then nothing is counted.
POST_METRICS = {
    "LOCAL_POST_VIEWS_SEARCH": "impressions",
    "LOCAL_POST_ACTIONS_CALL_TO_ACTION": "clicks",
}
# Location-level daily metrics (Performance API), for the library's dashboards.
DAILY_METRICS = (
    "BUSINESS_IMPRESSIONS_DESKTOP_MAPS",
    "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
    "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
    "BUSINESS_DIRECTION_REQUESTS",
    "CALL_CLICKS",
    "WEBSITE_CLICKS",
)
INSIGHTS_BATCH = 10  # localPostNames per reportInsights call (unconfirmed: conservative)
FIND_SLACK = timedelta(minutes=5)  # Google's clock against ours
REFRESH_MARGIN = 60  # seconds: refresh an access token this close to its expiry


def _remote(data: dict[str, Any]) -> RemotePost:
    return RemotePost(
        remote_id=data["name"],
        url=data.get("searchUrl") or "",
        published_at=parse_time(data.get("createTime")),
        data={"state": data.get("state") or "", "topic": data.get("topicType") or ""},
    )


def _comparable(text: str) -> str:
    return " ".join((text or "").split())


def _date(value: datetime) -> dict[str, int]:
    return {"year": value.year, "month": value.month, "day": value.day}


def _time(value: datetime) -> dict[str, int]:
    return {"hours": value.hour, "minutes": value.minute, "seconds": 0, "nanos": 0}


def refuse_ended(request: PublishRequest, now: datetime | None = None) -> None:
    """An event or offer already over is not sent: PermanentError naming it. What Google
    answers to one is not documented (unconfirmed: refused with INVALID_ARGUMENT, or
    accepted and shown nowhere, as third-party guides say these posts show until their
    end); we never send it rather than let the library believe it was announced. A
    naive end counts as UTC."""
    event = request.event
    if event is None:
        return
    end = event.end if event.end.tzinfo else event.end.replace(tzinfo=UTC)
    if end > (now or datetime.now(UTC)):
        return
    template = (
        _(
            "Google : l'offre « {title} » est terminée (fin le {end}) : rien n'a été envoyé "
            "à Google. Changez sa fin de validité, puis relancez la publication."
        )
        if request.offer is not None
        else _(
            "Google : l'événement « {title} » est terminé (fin le {end}) : rien n'a été "
            "envoyé à Google. Changez sa fin, puis relancez la publication."
        )
    )
    message = Message(template, title=event.title, end=event.end.strftime("%d/%m/%Y %H:%M"))
    raise PermanentError(message, code="EVENT_ENDED")


def local_post(request: PublishRequest) -> dict[str, Any]:
    """The LocalPost for a request: STANDARD, EVENT when it carries an event, OFFER when
    it also carries an offer. The link becomes the call-to-action button (LEARN_MORE
    unless another is chosen); an offer has no button (Google ignores it on OFFER
    posts): its link is where it is redeemed online, the offer's own or the post's."""
    body: dict[str, Any] = {
        "languageCode": request.language or "fr",
        "summary": request.text,
        "topicType": "STANDARD",
    }
    if request.event is not None:
        event = request.event
        body["topicType"] = "EVENT"
        body["event"] = {
            "title": event.title,
            "schedule": {
                "startDate": _date(event.start),
                "startTime": _time(event.start),
                "endDate": _date(event.end),
                "endTime": _time(event.end),
            },
        }
        if request.offer is not None:
            body["topicType"] = "OFFER"
            offer = {
                "couponCode": request.offer.coupon_code.strip(),
                "redeemOnlineUrl": request.offer.redeem_url.strip() or request.link,
                "termsConditions": request.offer.terms.strip(),
            }
            body["offer"] = {key: value for key, value in offer.items() if value}
            return _with_media(body, request)
    action = request.call_to_action or "LEARN_MORE"
    # A button opens the post's link; without one, only "CALL" (the profile's number)
    # makes sense, and Google refuses the others.
    if request.link or action == "CALL":
        body["callToAction"] = {"actionType": action}
        if action != "CALL":
            body["callToAction"]["url"] = request.link
    return _with_media(body, request)


def _with_media(body: dict[str, Any], request: PublishRequest) -> dict[str, Any]:
    if request.images:
        if any(not image.url for image in request.images):
            raise PermanentError(
                Message(
                    _("{network} : la photo n'a pas d'adresse publique."),
                    network="Google",
                )
            )
        # Google downloads the photo itself; there is no alt text field.
        body["media"] = [{"mediaFormat": "PHOTO", "sourceUrl": i.url} for i in request.images]
    return body


# --- the client -------------------------------------------------------------------------
class GoogleBusinessClient(NetworkClient):
    key = "google_business"
    connect_kind = "oauth2"
    # Google fetches photos from a URL: the engine fills `Image.url` with a public one.
    needs_public_image_urls = True
    # Reads of a post still PROCESSING after it was created (seconds between reads).
    poll_delays: tuple[float, ...] = (1, 2, 4)
    metrics_batch_size = INSIGHTS_BATCH  # posts per reportInsights call
    post_metrics: dict[str, str] = POST_METRICS
    account_daily_metrics: tuple[str, ...] = DAILY_METRICS

    # --- publishing ----------------------------------------------------------------------
    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        refuse_ended(request)
        response = self._call(
            account,
            "POST",
            f"{host(account.server_url, 'posts')}/v4/{account.remote_id}/localPosts",
            write=True,
            json=local_post(request),
        )
        return _remote(self._settled(account, response.json()))

    def _settled(self, account: Account, data: dict[str, Any]) -> dict[str, Any]:
        """Read a PROCESSING post back until LIVE (briefly); REJECTED is a refusal."""
        for delay in (*self.poll_delays, None):
            if data.get("state") == "REJECTED":
                raise PermanentError(
                    Message(
                        _(
                            "Google : la publication a été refusée (REJECTED). Google refuse "
                            "notamment les numéros de téléphone dans le texte."
                        )
                    ),
                    code="REJECTED",
                )
            if data.get("state") != "PROCESSING" or delay is None:
                return data
            time.sleep(delay)
            data = self._call(
                account, "GET", f"{host(account.server_url, 'posts')}/v4/{data['name']}"
            ).json()
        return data

    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        """The location's posts since the first attempt, newest first, whose summary
        (whitespace aside), kind and event title match: Google has no idempotency key.
        An earlier attempt Google REJECTED is a refusal (PermanentError): sending the
        same text again would only be rejected again."""
        wanted = local_post(request)
        title = (wanted.get("event") or {}).get("title")
        for post in self._posts(account, since=since - FIND_SLACK):
            if _comparable(post.get("summary") or "") != _comparable(wanted["summary"]):
                continue
            if (post.get("topicType") or "STANDARD") != wanted["topicType"]:
                continue
            if title is not None and (post.get("event") or {}).get("title") != title:
                continue
            return _remote(self._settled(account, post))
        return None

    def _posts(self, account: Account, *, since: datetime) -> Iterator[dict[str, Any]]:
        url = f"{host(account.server_url, 'posts')}/v4/{account.remote_id}/localPosts"
        params: dict[str, Any] = {"pageSize": 100}
        while True:
            body = self._call(account, "GET", url, params=params).json()
            for post in body.get("localPosts") or []:
                created = parse_time(post.get("createTime"))
                if created is not None and created < since:
                    return  # newest first: the rest is older
                yield post
            if not body.get("nextPageToken"):
                return
            params["pageToken"] = body["nextPageToken"]

    def delete(self, account: Account, post: RemotePost) -> None:
        try:
            self._call(
                account,
                "DELETE",
                f"{host(account.server_url, 'posts')}/v4/{post.remote_id}",
                write=True,
            )
        except PermanentError as exc:
            if not is_gone(exc):  # already deleted: what we wanted
                raise

    # --- the account -----------------------------------------------------------------------
    def verify(self, account: Account) -> AccountInfo:
        location_id = account.remote_id.rsplit("/", 1)[-1]
        data = self._call(
            account,
            "GET",
            f"{host(account.server_url, 'info')}/v1/locations/{location_id}",
            params={"readMask": LOCATION_MASK},
        ).json()
        title = data.get("title") or account.remote_id
        return AccountInfo(
            remote_id=account.remote_id,
            handle=address(data) or title,
            display_name=title,
            server_url=account.server_url,
        )

    def locations(self, account: Account) -> list[Location]:
        """Every location of every account (personal, location groups) the person
        manages, whether it may post (verified) or not."""
        found = []
        for group in self._pages(
            account, f"{host(account.server_url, 'accounts')}/v1/accounts", "accounts"
        ):
            url = f"{host(account.server_url, 'info')}/v1/{group['name']}/locations"
            for data in self._pages(
                account, url, "locations", readMask=LOCATION_MASK, pageSize=100
            ):
                found.append(
                    Location(
                        name=f"{group['name']}/{data['name']}",
                        title=data.get("title") or data["name"],
                        address=address(data),
                        account_name=group.get("accountName") or group["name"],
                        can_post=bool((data.get("metadata") or {}).get("canOperateLocalPost")),
                    )
                )
        return found

    def _pages(self, account: Account, url: str, key: str, **params: Any) -> Iterator[dict]:
        while True:
            body = self._call(account, "GET", url, params=params).json()
            yield from body.get(key) or []
            if not body.get("nextPageToken"):
                return
            params["pageToken"] = body["nextPageToken"]

    # --- metrics -------------------------------------------------------------------------
    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        """Views in Search and button clicks per post (v4 reportInsights), batched. A
        post Google no longer has is left out (the caller takes it for deleted). A
        metric Google refuses (retired, renamed) is logged and skipped; a retired
        method leaves the counts unknown. Neither fails the refresh."""
        now = now or datetime.now(UTC)
        metrics = list(self.post_metrics)
        found: dict[str, Metrics] = {}
        for start in range(0, len(posts), INSIGHTS_BATCH):
            batch = posts[start : start + INSIGHTS_BATCH]
            earliest = min((p.published_at or now for p in batch), default=now)
            time_range = {
                "startTime": (earliest - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "endTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            try:
                values = self._insights(account, batch, metrics, time_range)
            except PermanentError as exc:
                # One deleted post makes Google refuse the whole batch: keep those that
                # still exist, then ask again one metric at a time.
                logger.info("Google insights of %s refused (%s)", account.remote_id, exc)
                batch = [post for post in batch if self._exists(account, post)]
                values = self._each_metric(
                    metrics,
                    lambda wanted, batch=batch, time_range=time_range: self._insights(
                        account, batch, wanted, time_range
                    ),
                    what=f"local post insights of {account.remote_id}",
                )
            for post in batch:
                counts = values.get(post.remote_id, {})
                found[post.remote_id] = Metrics(
                    **{field: counts.get(metric) for metric, field in self.post_metrics.items()}
                )
        return found

    def _exists(self, account: Account, post: RemotePost) -> bool:
        try:
            self._call(account, "GET", f"{host(account.server_url, 'posts')}/v4/{post.remote_id}")
        except PermanentError as exc:
            if is_gone(exc):
                return False
            raise
        return True

    def _insights(
        self,
        account: Account,
        posts: list[RemotePost],
        metrics: list[str],
        time_range: dict[str, str],
    ) -> dict[str, dict[str, int]]:
        response = self._call(
            account,
            "POST",
            f"{host(account.server_url, 'posts')}/v4/{account.remote_id}/localPosts:reportInsights",
            json={
                "localPostNames": [post.remote_id for post in posts],
                "basicRequest": {
                    "metricRequests": [{"metric": metric} for metric in metrics],
                    "timeRange": time_range,
                },
            },
        )
        values: dict[str, dict[str, int]] = {}
        for item in response.json().get("localPostMetrics") or []:
            counts = values.setdefault(item.get("localPostName") or "", {})
            for value in item.get("metricValues") or []:
                number = to_int((value.get("totalValue") or {}).get("value"))
                if value.get("metric") and number is not None:
                    counts[value["metric"]] = number
        return values

    def fetch_account_daily(
        self, account: Account, *, start: date, end: date
    ) -> dict[date, dict[str, int]]:
        """The location's value of each daily metric (Performance API,
        ``fetchMultiDailyMetricsTimeSeries``, all metrics in one call) for each day of
        `start`–`end` (inclusive) Google answers. proto3 JSON leaves a zero value out:
        a day Google lists without a value counts 0. A metric Google refuses (retired,
        renamed) is logged and skipped."""
        location_id = account.remote_id.rsplit("/", 1)[-1]
        url = (
            f"{host(account.server_url, 'performance')}/v1/locations/{location_id}"
            ":fetchMultiDailyMetricsTimeSeries"
        )

        def fetch(metrics: list[str]) -> dict[date, dict[str, int]]:
            params: dict[str, Any] = {"dailyMetrics": metrics}
            for which, day in (("startDate", start), ("endDate", end)):
                params.update(
                    {
                        f"dailyRange.{which}.year": day.year,
                        f"dailyRange.{which}.month": day.month,
                        f"dailyRange.{which}.day": day.day,
                    }
                )
            body = self._call(account, "GET", url, params=params).json()
            days: dict[date, dict[str, int]] = {}
            for group in body.get("multiDailyMetricTimeSeries") or []:
                for series in group.get("dailyMetricTimeSeries") or []:
                    metric = series.get("dailyMetric")
                    for item in (series.get("timeSeries") or {}).get("datedValues") or []:
                        when = item.get("date") or {}
                        try:
                            day = date(int(when["year"]), int(when["month"]), int(when["day"]))
                        except (KeyError, TypeError, ValueError):
                            continue
                        if metric:
                            days.setdefault(day, {})[metric] = to_int(item.get("value")) or 0
            return days

        return self._each_metric(
            list(self.account_daily_metrics), fetch, what=f"daily metrics of {account.remote_id}"
        )

    def fetch_daily_metrics(self, account: Account, *, start: date, end: date) -> dict[str, int]:
        """The location's totals over `start`–`end` (inclusive) per daily metric."""
        totals: dict[str, int] = {}
        for values in self.fetch_account_daily(account, start=start, end=end).values():
            for metric, value in values.items():
                totals[metric] = totals.get(metric, 0) + value
        return totals

    @staticmethod
    def _each_metric(metrics: list[str], fetch: Callable[[list[str]], dict], *, what: str):
        """All metrics in one call; when Google refuses it (a retired or unknown metric
        name: 400, or a retired method: 404), one call per metric, skipping (and
        logging) those it still refuses."""
        try:
            return fetch(metrics)
        except PermanentError as exc:
            if len(metrics) == 1:
                logger.warning("Google %s: %s skipped: %s", what, metrics[0], exc)
                return {}
            logger.info("Google %s refused all at once (%s): one metric at a time", what, exc)
        merged: dict = {}
        for metric in metrics:
            try:
                values = fetch([metric])
            except PermanentError as exc:
                logger.warning("Google %s: %s skipped: %s", what, metric, exc)
                continue
            for key, value in values.items():
                if isinstance(value, dict):
                    merged.setdefault(key, {}).update(value)
                else:
                    merged[key] = value
        return merged

    # --- tokens --------------------------------------------------------------------------
    def _call(
        self, account: Account, method: str, url: str, *, write: bool = False, **kwargs: Any
    ) -> requests.Response:
        """A call with the account's access token, refreshed first when it has expired,
        and once more when Google answers 401 (a token revoked or expired early)."""
        if self._expired(account):
            self.refresh(account)
        try:
            return http.request(method, url, write=write, headers=bearer(account), **kwargs)
        except AuthError as exc:
            if exc.status != 401 or not account.credentials.get("refresh_token"):
                raise
        # A 401 means Google did not act on the request: repeating it is safe.
        self.refresh(account)
        return http.request(method, url, write=write, headers=bearer(account), **kwargs)

    @staticmethod
    def _expired(account: Account) -> bool:
        expires_at = account.credentials.get("expires_at")
        if not expires_at or not account.credentials.get("refresh_token"):
            return False
        try:
            return time.time() >= float(expires_at) - REFRESH_MARGIN
        except (TypeError, ValueError):
            return True

    def refresh(self, account: Account) -> dict[str, Any]:
        """A new access token from the refresh token (``grant_type=refresh_token``, with
        requests-oauthlib); saves the credentials (`update_credentials`) and returns
        them. A refused refresh token (``invalid_grant``: access removed in the Google
        account, or expired) raises AuthError: the account needs reconnecting. Google's
        refresh tokens do not rotate: every location connected with it keeps working."""
        refresh_token = account.credentials.get("refresh_token")
        if not refresh_token:
            raise AuthError(
                Message(
                    _("{network} : le compte n'a pas de jeton de renouvellement."), network="Google"
                )
            )
        app = oauth.app(self.key)
        try:
            answer = oauth.refresh_token(
                network="Google",
                token_url=f"{host(account.server_url, 'token')}/token",
                refresh_token=refresh_token,
                client_id=app.client_id,
                client_secret=app.client_secret,
            )
        except AuthError as exc:
            raise AuthError(
                access_removed(exc.message),
                status=exc.status,
                code="refresh_refused",
            ) from exc
        credentials = {**account.credentials, **token_credentials(answer)}
        account.update_credentials(credentials)
        return credentials

    # --- connect flow ----------------------------------------------------------------------
    def authorization_url(
        self, *, server_url: str, client_id: str, redirect_uri: str, state: str, code_verifier: str
    ) -> str:
        """Google's consent page: offline access (a refresh token), asked again each
        time (``prompt=consent``: Google gives the refresh token only on a consent)."""
        return oauth.authorization_url(
            authorize_url=f"{host(server_url, 'authorize')}/o/oauth2/v2/auth",
            client_id=client_id,
            redirect_uri=redirect_uri,
            scopes=SCOPES,
            state=state,
            code_verifier=code_verifier,
            access_type="offline",
            prompt="consent",
        )

    def exchange_code(
        self,
        *,
        server_url: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        code: str,
        code_verifier: str,
    ) -> dict[str, Any]:
        """The credentials: ``access_token``, ``refresh_token``, ``expires_at`` (epoch)."""
        token = oauth.exchange_code(
            network="Google",
            token_url=f"{host(server_url, 'token')}/token",
            client_id=client_id,
            client_secret=client_secret,
            redirect_uri=redirect_uri,
            code=code,
            code_verifier=code_verifier,
        )
        return token_credentials(token)

    def revoke(self, account: Account) -> None:
        """Give the access back: revoking the refresh token revokes its access tokens."""
        token = account.credentials.get("refresh_token") or account.credentials.get("access_token")
        if token:
            http.request(
                "POST",
                f"{host(account.server_url, 'token')}/revoke",
                write=True,
                data={"token": token},
            )
