"""Accounts, locations and daily metrics on the fake Google Business Profile.

Sources (developers.google.com/my-business/reference):
- ``accountmanagement/rest/v1/accounts/list``: ``GET /v1/accounts`` →
  ``{"accounts": [{"name": "accounts/…", "accountName", "type", "role",
  "verificationState", "vettedState"}], "nextPageToken"}``.
- ``businessinformation/rest/v1/accounts.locations/list``: ``GET
  /v1/{parent=accounts/*}/locations?readMask=…&pageSize&pageToken`` —
  ``readMask`` is required (400 INVALID_ARGUMENT otherwise); ``pageSize``
  defaults to 10, at most 100; answers ``{"locations", "nextPageToken",
  "totalSize"}``; ``metadata.canOperateLocalPost`` tells whether the location
  may post (verified, with voice of merchant).
- ``performance/rest/v1/locations/fetchMultiDailyMetricsTimeSeries``: ``GET
  /v1/locations/{id}:fetchMultiDailyMetricsTimeSeries?dailyMetrics=…&
  dailyRange.startDate.year=…`` → ``{"multiDailyMetricTimeSeries": [{
  "dailyMetricTimeSeries": [{"dailyMetric", "timeSeries": {"datedValues":
  [{"date", "value"}]}}]}]}``; values are int64 strings and a zero value is
  left out (proto3 JSON). Location level only: the Performance API has no
  per-post metrics.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tests.fakes.google_models import (
    GbpLocation,
    GToken,
    field_violation,
    google_error,
    invalid_argument,
    not_found,
    permission_denied,
)
from tests.fakes.web import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from tests.fakes.google_business import FakeGoogleBusiness

LOCATION_FIELDS = {
    "name",
    "languageCode",
    "storeCode",
    "title",
    "phoneNumbers",
    "categories",
    "storefrontAddress",
    "websiteUri",
    "regularHours",
    "specialHours",
    "serviceArea",
    "labels",
    "latlng",
    "openInfo",
    "metadata",
    "profile",
    "relationshipData",
    "moreHours",
}
DAILY_METRICS = (
    "BUSINESS_IMPRESSIONS_DESKTOP_MAPS",
    "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
    "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
    "BUSINESS_CONVERSATIONS",
    "BUSINESS_DIRECTION_REQUESTS",
    "CALL_CLICKS",
    "WEBSITE_CLICKS",
    "BUSINESS_BOOKINGS",
    "BUSINESS_FOOD_ORDERS",
    "BUSINESS_FOOD_MENU_CLICKS",
)


def page_of(
    items: list[Any], request: FakeRequest, default: int, maximum: int
) -> tuple[list[Any], str | None]:
    size = max(1, min(int(request.arg("pageSize") or default), maximum))
    start = int(request.arg("pageToken") or 0)
    chunk = items[start : start + size]
    return chunk, (str(start + size) if start + size < len(items) else None)


class GoogleLocationsMixin:
    """Accounts, locations, daily metrics; mixed into FakeGoogleBusiness."""

    def _user_account(self: FakeGoogleBusiness, token: GToken, account_id: str) -> Any:
        account = self.accounts.get(account_id)
        if account is None or token.user_id not in account.user_ids:
            return None
        return account

    def list_accounts(
        self: FakeGoogleBusiness, request: FakeRequest, token: GToken
    ) -> FakeResponse:
        mine = [a for a in self.accounts.values() if token.user_id in a.user_ids]
        chunk, next_token = page_of(mine, request, 20, 20)
        body: dict[str, Any] = {
            "accounts": [
                {
                    "name": f"accounts/{a.id}",
                    "accountName": a.name,
                    "type": a.type,
                    "role": a.role,
                    "verificationState": "VERIFIED" if a.verified else "UNVERIFIED",
                    "vettedState": "NOT_VETTED",
                }
                for a in chunk
            ]
        }
        if next_token:
            body["nextPageToken"] = next_token
        return json_response(body)

    def serialize_location(self: FakeGoogleBusiness, location: GbpLocation) -> dict[str, Any]:
        return {
            "name": location.name,
            "languageCode": "fr",
            "storeCode": f"BM-{location.id[-4:]}",
            "title": location.title,
            "phoneNumbers": {"primaryPhone": "03 20 00 00 00"},
            "categories": {
                "primaryCategory": {
                    "name": "categories/gcid:public_library",
                    "displayName": "Bibliothèque publique",
                }
            },
            "storefrontAddress": {
                "regionCode": "FR",
                "languageCode": "fr",
                "postalCode": location.postal_code,
                "locality": location.locality,
                "addressLines": [location.address],
            },
            "websiteUri": "https://bibliotheques.example.fr/",
            "openInfo": {"status": "OPEN", "canReopen": True},
            "latlng": {"latitude": 50.6292, "longitude": 3.0573},
            "metadata": {
                "canDelete": True,
                "canOperateLocalPost": location.verified,
                "hasVoiceOfMerchant": location.verified,
                "placeId": f"ChIJfake{location.id}",
                "mapsUri": f"https://maps.google.com/maps?cid={location.id}",
                "newReviewUri": f"https://search.google.com/local/writereview?placeid=ChIJfake{location.id}",
            },
        }

    def _masked(self: FakeGoogleBusiness, location: GbpLocation, mask: list[str]) -> dict[str, Any]:
        full = self.serialize_location(location)
        out: dict[str, Any] = {}
        for path in mask:
            top, _, sub = path.partition(".")
            if top not in full:
                continue
            if sub and isinstance(full[top], dict):
                if sub in full[top]:
                    out.setdefault(top, {})[sub] = full[top][sub]
            else:
                out[top] = full[top]
        return out

    def _read_mask(self: FakeGoogleBusiness, request: FakeRequest) -> list[str] | FakeResponse:
        raw = request.arg("readMask") or request.arg("read_mask")
        if not raw:
            return invalid_argument(field_violation("read_mask", "Field is required"))
        mask = [p.strip() for p in raw.split(",") if p.strip()]
        if any(p.split(".")[0] not in LOCATION_FIELDS for p in mask):
            return google_error(
                400,
                "INVALID_ARGUMENT",
                "Request contains an invalid argument.",
                [field_violation("read_mask", f"Invalid field mask provided: {raw}")],
            )
        return mask

    def list_locations(
        self: FakeGoogleBusiness, request: FakeRequest, token: GToken
    ) -> FakeResponse:
        account = self._user_account(token, request.params["account"])
        if account is None:
            return permission_denied()
        mask = self._read_mask(request)
        if isinstance(mask, FakeResponse):
            return mask
        mine = [loc for loc in self.locations.values() if loc.account_id == account.id]
        chunk, next_token = page_of(mine, request, 10, 100)
        body: dict[str, Any] = {"locations": [self._masked(loc, mask) for loc in chunk]}
        if next_token:
            body["nextPageToken"] = next_token
        body["totalSize"] = len(mine)
        return json_response(body)

    def _own_location(
        self: FakeGoogleBusiness, token: GToken, location_id: str
    ) -> GbpLocation | FakeResponse:
        location = self.locations.get(location_id)
        if location is None:
            return not_found()
        if self._user_account(token, location.account_id) is None:
            return permission_denied()
        return location

    def get_location(self: FakeGoogleBusiness, request: FakeRequest, token: GToken) -> FakeResponse:
        location = self._own_location(token, request.params["location"])
        if isinstance(location, FakeResponse):
            return location
        mask = self._read_mask(request)
        if isinstance(mask, FakeResponse):
            return mask
        return json_response(self._masked(location, mask))

    def fetch_daily_metrics(
        self: FakeGoogleBusiness, request: FakeRequest, token: GToken
    ) -> FakeResponse:
        location = self._own_location(token, request.params["location"])
        if isinstance(location, FakeResponse):
            return location
        metrics = request.query.get("dailyMetrics", [])
        if not metrics or any(m not in DAILY_METRICS for m in metrics):
            return invalid_argument(
                field_violation("daily_metrics", "Invalid or missing daily metric")
            )
        try:
            start = self._date_param(request, "startDate")
            end = self._date_param(request, "endDate")
        except (KeyError, ValueError):
            return invalid_argument(
                field_violation("daily_range", "A complete daily range is required")
            )
        if end < start:
            return invalid_argument(field_violation("daily_range", "End date is before start date"))
        values = self.daily_metrics.get(location.id, {})
        series = []
        for metric in metrics:
            dated = []
            day = start
            while day <= end:
                entry: dict[str, Any] = {
                    "date": {"year": day.year, "month": day.month, "day": day.day}
                }
                day_values = self.daily_values.get((location.id, day.isoformat()), {})
                value = day_values.get(metric, values.get(metric, 0))
                if value:
                    entry["value"] = str(value)
                dated.append(entry)
                day += timedelta(days=1)
            series.append({"dailyMetric": metric, "timeSeries": {"datedValues": dated}})
        return json_response({"multiDailyMetricTimeSeries": [{"dailyMetricTimeSeries": series}]})

    @staticmethod
    def _date_param(request: FakeRequest, which: str) -> date:
        snake = "start_date" if which == "startDate" else "end_date"

        def part(name: str) -> int:
            for key in (f"dailyRange.{which}.{name}", f"daily_range.{snake}.{name}"):
                if request.arg(key):
                    return int(request.arg(key))
            raise KeyError(name)

        return date(part("year"), part("month"), part("day"))
