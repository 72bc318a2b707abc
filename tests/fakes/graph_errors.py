"""Error bodies of the fake Graph API (Facebook, Instagram, Threads).

Shape from developers.facebook.com ``graph-api/guides/error-handling``:
``{"error": {"message", "type", "code", "error_subcode", "error_user_title",
"error_user_msg", "fbtrace_id"}}`` (Instagram adds ``is_transient``, per
``instagram-platform/instagram-graph-api/reference/error-codes``). The
catalogue ``GRAPH_ERRORS`` names each error the fake can answer; tests inject
any of them with ``FakeGraph.inject_graph_error(path, name)``. Entries marked
*(unconfirmed)* are wordings or statuses no document in reach confirmed.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from tests.fakes.web import FakeResponse, json_response

# name: (HTTP status, code, subcode, message, user title, user message, is_transient, type)
GRAPH_ERRORS: dict[
    str, tuple[int, int, int | None, str, str | None, str | None, bool | None, str]
] = {
    # error-handling guide: 190 = expired/invalid token; subcodes 458/459/460/463/467.
    # HTTP status of OAuthException answers: 400 (unconfirmed; configurable via
    # FakeGraph(auth_error_status=…)).
    "token_expired": (
        400,
        190,
        463,
        "Error validating access token: Session has expired on {expired}. "
        "The current time is {now}.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "token_invalid": (
        400,
        190,
        None,
        "Invalid OAuth access token - Cannot parse access token",
        None,
        None,
        False,
        "OAuthException",
    ),
    "token_password_changed": (
        400,
        190,
        460,
        "Error validating access token: The session has been invalidated because the user "
        "changed their password or Facebook has changed the session for security reasons.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "token_app_deauthorized": (
        400,
        190,
        458,
        "Error validating access token: The user has not authorized application {app_id}.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "token_logged_out": (
        400,
        190,
        467,
        "Error validating access token: The session is invalid because the user logged out.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "token_checkpoint": (
        400,
        190,
        459,
        "Error validating access token: You cannot access the app till you log in to "
        "www.facebook.com and follow the instructions given.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "token_missing": (
        400,
        104,
        None,
        "An access token is required to request this resource.",
        None,
        None,
        False,
        "OAuthException",
    ),
    # 10 and 200-299: permission denied or removed (error-handling guide).
    # HTTP 403 (unconfirmed).
    "permission_manage_posts": (
        403,
        200,
        None,
        "(#200) If posting to a page, requires both pages_read_engagement and "
        "pages_manage_posts permission with page token",
        None,
        None,
        False,
        "OAuthException",
    ),
    "permission_read": (
        403,
        10,
        None,
        "(#10) This endpoint requires the 'pages_read_engagement' permission or the "
        "'Page Public Content Access' feature.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "permission_instagram": (
        403,
        10,
        None,
        "(#10) Application does not have permission for this action",
        None,
        None,
        False,
        "OAuthException",
    ),
    "permission_insights": (
        403,
        10,
        None,
        "(#10) Not enough viewers for the media to show insights",
        None,
        None,
        False,
        "OAuthException",
    ),
    # Throttling: codes 4, 17, 32, 613 (error-handling and rate-limiting guides),
    # 80001/80002 (BUC limits of Pages / Instagram). HTTP status 400 (unconfirmed;
    # configurable via FakeGraph(throttle_status=…)).
    "throttle_app": (
        400,
        4,
        None,
        "(#4) Application request limit reached",
        None,
        None,
        True,
        "OAuthException",
    ),
    "throttle_user": (
        400,
        17,
        2446079,
        "(#17) User request limit reached",
        None,
        None,
        True,
        "OAuthException",
    ),
    "throttle_page": (
        400,
        32,
        None,
        "(#32) Page request limit reached",
        None,
        None,
        True,
        "OAuthException",
    ),
    "throttle_api": (
        400,
        613,
        None,
        "(#613) Calls to this api have exceeded the rate limit.",
        None,
        None,
        True,
        "OAuthException",
    ),
    "throttle_pages_buc": (
        400,
        80001,
        None,
        "(#80001) There have been too many calls to this Page account. Wait a bit and try "
        "again. For more info, please refer to "
        "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
        None,
        None,
        True,
        "OAuthException",
    ),
    "throttle_instagram_buc": (
        400,
        80002,
        None,
        "(#80002) There have been too many calls to this Instagram account. Wait a bit and "
        "try again. For more info, please refer to "
        "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
        None,
        None,
        True,
        "OAuthException",
    ),
    # 506 "Duplicate Post" (error-handling guide); subcode and texts (unconfirmed;
    # the user message is the one Ayrshare's error docs quote).
    "duplicate_post": (
        400,
        506,
        1455006,
        "Duplicate status message",
        "Duplicate Post",
        "This status update is identical to the last one you posted. Try posting something "
        "different, or delete your previous update.",
        False,
        "OAuthException",
    ),
    # 1366046: photo rejected (NETWORKS.md, Postiz); texts (unconfirmed).
    "photo_rejected": (
        400,
        100,
        1366046,
        "Invalid parameter",
        "Can't Read Files",
        "Your photos couldn't be uploaded. Photos should be less than 4 MB and saved as JPG, "
        "PNG, GIF, TIFF, HEIF or WebP files.",
        False,
        "OAuthException",
    ),
    "photo_url_unreachable": (
        400,
        324,
        None,
        "(#324) Missing or invalid image file",
        None,
        None,
        False,
        "OAuthException",
    ),
    "invalid_insights_metric": (
        400,
        100,
        None,
        "(#100) The value must be a valid insights metric",
        None,
        None,
        False,
        "OAuthException",
    ),
    "param_required": (
        400,
        100,
        None,
        "(#100) The parameter {param} is required",
        None,
        None,
        False,
        "OAuthException",
    ),
    "invalid_param": (
        400,
        100,
        None,
        "(#100) {detail}",
        None,
        None,
        False,
        "OAuthException",
    ),
    "unsupported_request": (
        400,
        100,
        33,
        "Unsupported {method} request. Object with ID '{id}' does not exist, cannot be loaded "
        "due to missing permissions, or does not support this operation. Please read the Graph "
        "API documentation at https://developers.facebook.com/docs/graph-api",
        None,
        None,
        False,
        "GraphMethodException",
    ),
    "unknown_path": (
        400,
        2500,
        None,
        "Unknown path components: {path}",
        None,
        None,
        False,
        "OAuthException",
    ),
    "service_unavailable": (
        500,
        2,
        None,
        "An unexpected error has occurred. Please retry your request later.",
        None,
        None,
        True,
        "OAuthException",
    ),
    "unknown_error": (
        500,
        1,
        None,
        "An unknown error occurred",
        None,
        None,
        True,
        "OAuthException",
    ),
    # Instagram (reference/error-codes table): code / subcode / user message.
    "ig_image_too_large": (
        400,
        36000,
        2207004,
        "The image size is too large.",
        "Image size too large",
        "The image is too large to download. It should be less than 8 MiB.",
        False,
        "OAuthException",
    ),
    "ig_image_format": (
        400,
        36001,
        2207005,
        "The image format is not supported.",
        "Unsupported image format",
        "The image format is not supported. Supported formats are: JPEG",
        False,
        "OAuthException",
    ),
    "ig_aspect_ratio": (
        400,
        36003,
        2207009,
        "The aspect ratio is not supported.",
        "Cannot post image with this aspect ratio",
        "The submitted image with aspect ratio ('{ratio}') cannot be published. Please submit "
        "an image with a valid aspect ratio.",
        False,
        "OAuthException",
    ),
    "ig_fetch_failed": (
        400,
        9004,
        2207052,
        "Media download has failed.",
        "Media download has failed",
        "The media could not be fetched from this URI: {uri}. Please check the URI and try again.",
        False,
        "OAuthException",
    ),
    "ig_caption_too_long": (
        400,
        100,
        2207010,
        "Invalid parameter",
        "Caption too long",
        "The caption is too long. The maximum length is 2200 characters.",
        False,
        "OAuthException",
    ),
    "ig_not_ready": (
        400,
        9007,
        2207027,
        "Media ID is not available",
        "Media not ready for publishing",
        "The media is not ready for publishing, please wait for a moment",
        False,
        "OAuthException",
    ),
    "ig_already_published": (
        400,
        9007,
        2207027,
        "Media ID is not available",
        "Media already published",
        "The media container has already been published.",
        False,
        "OAuthException",
    ),
    "ig_expired": (
        400,
        -2,
        2207020,
        "The media you are trying to access has expired.",
        "Media expired",
        "The media you are trying to access has expired. Please try to upload again.",
        False,
        "OAuthException",
    ),
    "ig_quota_reached": (
        400,
        9,
        2207042,
        "Application request limit reached",
        "Max posts reached",
        "You reached maximum number of posts that is allowed to be published by Content "
        "Publishing API.",
        False,
        "OAuthException",
    ),
    "ig_server_error": (
        400,
        -1,
        2207001,
        "An unexpected error has occurred. Please retry your request later.",
        "Instagram server error",
        "Instagram server error. Try again.",
        True,
        "OAuthException",
    ),
    "ig_carousel_children": (
        400,
        100,
        2207028,
        "Invalid parameter",
        "Carousel validation failed",
        "Your post could not be published because it doesn't meet carousel requirements.",
        False,
        "OAuthException",
    ),
    # Code exchange errors (unconfirmed wordings, as widely reported).
    "code_expired": (
        400,
        100,
        36007,
        "This authorization code has expired.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "code_used": (
        400,
        100,
        36009,
        "This authorization code has been used.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "code_redirect_mismatch": (
        400,
        100,
        36008,
        "Error validating verification code. Please make sure your redirect_uri is identical "
        "to the one you used in the OAuth dialog request",
        None,
        None,
        False,
        "OAuthException",
    ),
    "code_invalid": (
        400,
        100,
        None,
        "Invalid verification code format.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "client_secret_invalid": (
        400,
        1,
        None,
        "Error validating client secret.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "client_id_invalid": (
        400,
        101,
        None,
        "Error validating application. Invalid application ID.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "nonexisting_field": (
        400,
        100,
        None,
        "(#100) Tried accessing nonexisting field ({field}) on node type ({node})",
        None,
        None,
        False,
        "OAuthException",
    ),
    # Instagram media insights: retired names (v22, Postiz issue #622 quotes the user
    # wording) and unknown names (janu-software/facebook-php-sdk #17).
    "ig_metric_deprecated": (
        400,
        100,
        None,
        "(#100) Starting from version v22.0 and above, the {metric} metric is no longer "
        "supported for the queried media. Please refer to the documentation at "
        "https://developers.facebook.com/docs/instagram-platform/reference/"
        "instagram-media/insights for a list of supported metrics.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "ig_metric_invalid": (
        400,
        100,
        None,
        "(#100) metric[{index}] must be one of the following values: {values}",
        None,
        None,
        False,
        "OAuthException",
    ),
    "threads_refresh_too_early": (
        400,
        10,
        None,
        "(#10) The access token can only be refreshed once it is at least 24 hours old.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "threads_link_limit": (
        400,
        100,
        None,
        "THREADS_API__LINK_LIMIT_EXCEEDED",
        "Too many links",
        "The post has more links than allowed.",
        False,
        "OAuthException",
    ),
    "threads_text_too_long": (
        400,
        100,
        None,
        "(#100) Param text must be at most {limit} characters long.",
        None,
        None,
        False,
        "OAuthException",
    ),
    "threads_quota_reached": (
        400,
        9,
        None,
        "Application request limit reached",
        "Max posts reached",
        "You reached maximum number of posts that is allowed to be published by the API.",
        False,
        "OAuthException",
    ),
}


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: dict[str, Any]) -> str:
    """``text.format`` that leaves unknown ``{names}`` as they are."""
    return text.format_map(_Keep(values))


def fbtrace_id() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(9)).decode().rstrip("=")


def graph_error(
    name: str,
    *,
    status: int | None = None,
    headers: dict[str, str] | None = None,
    error_type: str | None = None,
    **fmt: Any,
) -> FakeResponse:
    """The Graph error body of catalogue entry ``name``; ``fmt`` fills ``{…}``."""
    default_status, code, subcode, message, title, user_msg, transient, kind = GRAPH_ERRORS[name]
    error: dict[str, Any] = {
        "message": fill(message, fmt),
        "type": error_type or kind,
        "code": code,
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient is not None:
        error["is_transient"] = transient
    if title:
        error["error_user_title"] = title
    if user_msg:
        error["error_user_msg"] = fill(user_msg, fmt)
    error["fbtrace_id"] = fbtrace_id()
    return json_response({"error": error}, status or default_status, headers)
