"""Facebook Login for Business: the steps that connect Facebook Pages and the
Instagram professional accounts linked to them (Instagram API with Facebook Login).

Sources (developers.facebook.com): facebook-login/guides/advanced/manual-flow (the
dialog, `GET /oauth/access_token`), facebook-login/facebook-login-for-business
(`config_id`: the configuration chosen in the app dashboard holds the permissions;
the person picks the Pages and Instagram accounts there), facebook-login/guides/
access-tokens/get-long-lived (`grant_type=fb_exchange_token`, ~60 days; Page tokens
obtained with a long-lived user token have no expiry date), graph-api/reference/
user/accounts (`/me/accounts` lists only the Pages the person picked), reference/
debug_token (`expires_at`, 0 = never; `user_id`: who granted a user or Page token),
graph-api/reference/user/permissions ("Revoking Permissions": `DELETE
/{user-id}/permissions`, "with a user access token or an app access token for the
current app"; it de-authorizes the app for the person, so every token derived from
their login, Page tokens included, stops working).

Plain dataclasses out, no ORM: publishing.connect.meta turns them into accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from networks import graph, oauth

# What Annexe asks for (README "Meta"): publish on Pages, read their reactions and
# views, publish on and read the linked Instagram accounts.
SCOPES = [
    "pages_show_list",
    "pages_manage_posts",
    "pages_read_engagement",
    "read_insights",
    "business_management",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_insights",
]
PAGE_FIELDS = (
    "id,name,access_token,link,instagram_business_account{id,username,name,profile_picture_url}"
)
MAX_PAGES = 20  # pages of 25 Pages: more than any library administers

_http = graph.make_http("Facebook")


@dataclass(frozen=True)
class InstagramLinked:
    remote_id: str
    username: str
    name: str = ""
    avatar_url: str = ""


@dataclass(frozen=True)
class PageGranted:
    """A Page the person picked, with its Page token and its Instagram account."""

    remote_id: str
    name: str
    access_token: str
    link: str = ""
    instagram: InstagramLinked | None = None


def _root(graph_url: str) -> str:
    return f"{(graph_url or graph.GRAPH_URL).rstrip('/')}/{graph.GRAPH_VERSION}"


def authorization_url(
    *,
    dialog_url: str,
    client_id: str,
    redirect_uri: str,
    state: str,
    config_id: str = "",
) -> str:
    """The Facebook Login dialog. With a Facebook Login for Business `config_id`, the
    configuration's permissions apply; `scope` is sent as well for apps without one."""
    extra = {"config_id": config_id} if config_id else {}
    return oauth.authorization_url(
        authorize_url=f"{(dialog_url or graph.DIALOG_URL).rstrip('/')}/{graph.GRAPH_VERSION}"
        "/dialog/oauth",
        client_id=client_id,
        redirect_uri=redirect_uri,
        scopes=[",".join(SCOPES)],  # manual-flow: "a comma-separated list"
        state=state,
        **extra,
    )


def exchange_code(
    *, graph_url: str, client_id: str, client_secret: str, redirect_uri: str, code: str
) -> dict:
    """Code → short-lived user token → long-lived user token (~60 days).
    Returns `{access_token, expires_in}`."""
    short = oauth.exchange_code(
        network="Facebook",
        token_url=f"{_root(graph_url)}/oauth/access_token",
        client_id=client_id,
        client_secret=client_secret,
        redirect_uri=redirect_uri,
        code=code,
        method="GET",  # manual-flow: "GET /oauth/access_token"
    )
    response = _http.request(
        "GET",
        f"{_root(graph_url)}/oauth/access_token",
        params={
            "grant_type": "fb_exchange_token",
            "client_id": client_id,
            "client_secret": client_secret,
            "fb_exchange_token": short["access_token"],
        },
    )
    answer = response.json()
    return {"access_token": answer["access_token"], "expires_in": answer.get("expires_in")}


def pages(*, graph_url: str, user_token: str) -> list[PageGranted]:
    """The Pages the person picked, each with its Page token and linked Instagram
    account (only when the person picked it too: a Page's field may still name an
    account that was not picked, so callers check with `instagram_granted`)."""
    url = f"{_root(graph_url)}/me/accounts"
    params: dict | None = {"fields": PAGE_FIELDS, "limit": 25}
    found: list[PageGranted] = []
    for _page in range(MAX_PAGES):
        response = _http.request(
            "GET", url, headers={"Authorization": f"OAuth {user_token}"}, params=params
        )
        body = response.json()
        for data in body.get("data") or []:
            ig = data.get("instagram_business_account") or None
            found.append(
                PageGranted(
                    remote_id=str(data["id"]),
                    name=data.get("name") or str(data["id"]),
                    access_token=data["access_token"],
                    link=data.get("link") or "",
                    instagram=InstagramLinked(
                        remote_id=str(ig["id"]),
                        username=ig.get("username") or str(ig["id"]),
                        name=ig.get("name") or "",
                        avatar_url=ig.get("profile_picture_url") or "",
                    )
                    if ig and ig.get("id")
                    else None,
                )
            )
        next_url = (body.get("paging") or {}).get("next")
        if not next_url:
            break
        url, params = next_url, None
    return found


def token_details(*, graph_url: str, app_id: str, app_secret: str, token: str) -> dict:
    """`/debug_token` of a token, inspected with the app token: `expires_at` (0:
    never), `granular_scopes` (`[{"scope", "target_ids"}]`: the picked Pages and
    Instagram accounts)."""
    response = _http.request(
        "GET",
        f"{_root(graph_url)}/debug_token",
        params={"input_token": token, "access_token": f"{app_id}|{app_secret}"},
    )
    return response.json().get("data") or {}


def revoke_login(*, graph_url: str, app_id: str, app_secret: str, user_id: str) -> None:
    """Give the person's Facebook Login back (`DELETE /{user-id}/permissions` with the
    app token: Annexe keeps no user token). Every Page token obtained through that
    login dies with it, in every library: callers check no other account uses it."""
    _http.request(
        "DELETE",
        f"{_root(graph_url)}/{user_id}/permissions",
        write=True,
        params={"access_token": f"{app_id}|{app_secret}"},
    )


def expiry_of(details: dict) -> datetime | None:
    value = details.get("expires_at")
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(value, UTC)
    return None


def granted_targets(details: dict, scope: str) -> set[str] | None:
    """The ids a scope was granted for (None: the whole account, no targets, or
    unknown because the token could not be inspected)."""
    if "granular_scopes" not in details:
        return None
    for entry in details.get("granular_scopes") or []:
        if entry.get("scope") == scope:
            targets = entry.get("target_ids")
            return {str(t) for t in targets} if targets is not None else None
    return set()
