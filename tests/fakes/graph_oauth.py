"""Facebook Login for the fake Graph API: the dialog, token exchanges, token
introspection, the user's Pages.

Sources (developers.facebook.com):
- ``facebook-login/guides/advanced/manual-flow``: ``/vNN.0/dialog/oauth``
  (``client_id``, ``redirect_uri``, ``state``, ``scope`` or Facebook Login for
  Business ``config_id``, ``response_type=code``); the redirect carries
  ``code`` and ``state`` and ends with ``#_=_``; a refusal carries
  ``error=access_denied&error_code=200&error_description=Permissions+error&
  error_reason=user_denied``; ``GET /oauth/access_token`` exchanges the code
  (``client_id``, ``redirect_uri``, ``client_secret``, ``code``) for
  ``{"access_token", "token_type": "bearer", "expires_in"}``; ``/debug_token``
  inspects a token (``data.app_id, type, application, data_access_expires_at,
  expires_at, is_valid, issued_at, scopes, granular_scopes, user_id``).
- ``facebook-login/guides/access-tokens/get-long-lived``:
  ``grant_type=fb_exchange_token`` gives a ~60-day user token; Page tokens
  obtained with it from ``/me/accounts`` have no expiry (configurable).
- Facebook Login for Business shows the Pages and the Instagram accounts
  linked to them, each with a checkbox: what the user picks becomes the
  ``target_ids`` of ``granular_scopes``; ``/me/accounts`` lists the picked
  Pages only; calls on an Instagram account that was not picked fail with a
  permission error (code 10).
- ``graph-api/reference/user/permissions`` ("Revoking Permissions") and
  ``facebook-login/guides/permissions/request-revoke``: ``DELETE
  /{user-id}/permissions`` de-authorizes the app for the person ("must be made
  with a user access token or an app access token for the current app") and
  answers ``{"success": true}``; every token of that person for the app (user
  and Page tokens) then fails with code 190 subcode 458 "The user has not
  authorized application". ``DELETE /{user-id}/permissions/{name}`` removes one
  permission.
"""

from __future__ import annotations

import html
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.fakes.graph_fields import FieldSpec, field_names, paged
from tests.fakes.graph_models import AuthCode, GraphToken, pacific_time
from tests.fakes.remote_media import is_loopback_url
from tests.fakes.web import (
    FakeRequest,
    FakeResponse,
    html_response,
    json_response,
    redirect_response,
)

if TYPE_CHECKING:
    from tests.fakes.graph import FakeGraph

DEFAULT_SCOPES = [
    "pages_show_list",
    "pages_manage_posts",
    "pages_read_engagement",
    "pages_manage_engagement",
    "read_insights",
    "business_management",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_insights",
    "instagram_manage_comments",
]
PAGE_DEFAULT_FIELDS = ["id", "name", "access_token", "category", "category_list", "tasks"]
PAGE_TASKS = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"]


def split_scopes(value: str | None) -> list[str]:
    return [s for s in (value or "").replace(" ", ",").split(",") if s]


def targets_for(scopes: list[str], page_ids: list[str], ig_ids: list[str]) -> dict[str, list[str]]:
    """``granular_scopes``: Page scopes target the picked Pages, Instagram ones the
    picked accounts; account-wide scopes (business_management…) have no targets."""
    targets = {}
    for scope in scopes:
        if scope.startswith("pages_") or scope == "read_insights":
            targets[scope] = list(page_ids)
        elif scope.startswith("instagram_"):
            targets[scope] = list(ig_ids)
    return targets


class GraphOAuthMixin:
    """Login dialog, ``/oauth/access_token``, ``/debug_token``, ``/me``; mixed into FakeGraph."""

    # -- the dialog ------------------------------------------------------------
    def _dialog_problem(self: FakeGraph, request: FakeRequest) -> FakeResponse | None:
        app = self.apps.get(request.arg("client_id") or "")
        redirect_uri = request.arg("redirect_uri") or ""
        if app is None:
            return self._error_page(
                "Invalid App ID", "The provided app ID does not look like a valid app ID."
            )
        allowed = (
            redirect_uri in app.redirect_uris
            if app.redirect_uris
            else is_loopback_url(redirect_uri)
        )
        if not redirect_uri or not allowed:
            return self._error_page(
                "URL Blocked",
                "This redirect failed because the redirect URI is not whitelisted in the app's "
                "Client OAuth Settings. Make sure Client and Web OAuth Login are on and add all "
                "your app domains as Valid OAuth Redirect URIs.",
            )
        return None

    @staticmethod
    def _error_page(title: str, text: str) -> FakeResponse:
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title></head><body><main><h1>{html.escape(title)}</h1>"
            f"<p>{html.escape(text)}</p></main></body></html>"
        )
        return html_response(page, 400)

    def dialog_page(self: FakeGraph, request: FakeRequest) -> FakeResponse:
        problem = self._dialog_problem(request)
        if problem:
            return problem
        app = self.apps[request.arg("client_id")]
        scopes = split_scopes(request.arg("scope")) or list(DEFAULT_SCOPES)
        user = self.users[self.current_user_id]
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
            for k, v in {
                "client_id": app.app_id,
                "redirect_uri": request.arg("redirect_uri"),
                "state": request.arg("state") or "",
                "scope": ",".join(scopes),
                "response_type": request.arg("response_type") or "code",
            }.items()
        )
        rows = []
        checked = " checked" if self.config.dialog_preselect else ""
        for page in self._admin_pages(user.id):
            rows.append(
                f'<li><label><input type="checkbox" name="page" value="{page.id}"{checked}> '
                f"{html.escape(page.name)}</label>"
            )
            ig = self.ig_users.get(page.ig_user_id or "")
            if ig:
                rows.append(
                    f'<ul><li><label><input type="checkbox" name="ig" value="{ig.id}"{checked}> '
                    f"Instagram @{html.escape(ig.username)}</label></li></ul>"
                )
            rows.append("</li>")
        items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes)
        name = html.escape(app.name)
        page_html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in with Facebook</title></head>
<body><main>
<h1>{name} is requesting access</h1>
<p>Logged in as <strong>{html.escape(user.name)}</strong>.</p>
<form method="post" action="/dialog/oauth/decision" aria-label="Choose what {name} can access">
{hidden}
<fieldset><legend>Choose the Pages and Instagram accounts {name} can access</legend>
<ul>{"".join(rows)}</ul></fieldset>
<h2 id="perm-title">{name} will be able to</h2>
<ul aria-labelledby="perm-title">{items}</ul>
<button type="submit" name="decision" value="approve">Continue</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form></main></body></html>"""
        return html_response(page_html)

    def dialog_decision(self: FakeGraph, request: FakeRequest) -> FakeResponse:
        problem = self._dialog_problem(request)
        if problem:
            return problem
        redirect_uri = request.arg("redirect_uri")
        state = request.arg("state") or ""
        if request.arg("decision") != "approve":
            params = {
                "error": "access_denied",
                "error_code": "200",
                "error_description": "Permissions error",
                "error_reason": "user_denied",
            }
            if state:
                params["state"] = state
            return redirect_response(f"{redirect_uri}?{urlencode(params)}#_=_")
        user_id = self.current_user_id
        admin = {p.id for p in self._admin_pages(user_id)}
        page_ids = [p for p in request.form.get("page", []) if p in admin]
        ig_ids = [
            i
            for i in request.form.get("ig", [])
            if i in self.ig_users and self.ig_users[i].page_id in admin
        ]
        scopes = split_scopes(request.arg("scope"))
        code = AuthCode(
            code=secrets.token_urlsafe(48),
            app_id=request.arg("client_id"),
            redirect_uri=redirect_uri,
            user_id=user_id,
            scopes=scopes,
            targets=targets_for(scopes, page_ids, ig_ids),
            expires_at=self.now() + self.config.code_ttl,
        )
        self.codes[code.code] = code
        params = {"code": code.code}
        if state:
            params["state"] = state
        separator = "&" if "?" in redirect_uri else "?"
        return redirect_response(f"{redirect_uri}{separator}{urlencode(params)}#_=_")

    def _admin_pages(self: FakeGraph, user_id: str) -> list[Any]:
        return [p for p in self.pages.values() if user_id in p.admin_ids]

    # -- /oauth/access_token ---------------------------------------------------
    def access_token(self: FakeGraph, request: FakeRequest) -> FakeResponse:
        app = self.apps.get(request.arg("client_id") or "")
        if app is None:
            return self.err("client_id_invalid")
        if not secrets.compare_digest(app.secret, request.arg("client_secret") or ""):
            return self.err("client_secret_invalid")
        grant = request.arg("grant_type")
        if grant == "fb_exchange_token":
            return self._exchange_long_lived(request, app.app_id)
        if grant == "client_credentials":
            return json_response(
                {"access_token": f"{app.app_id}|{app.secret}", "token_type": "bearer"}
            )
        code = self.codes.get(request.arg("code") or "")
        if code is None or code.app_id != app.app_id:
            return self.err("code_invalid")
        if code.used:
            return self.err("code_used")
        if code.expires_at <= self.now():
            return self.err("code_expired")
        if code.redirect_uri != request.arg("redirect_uri"):
            return self.err("code_redirect_mismatch")
        code.used = True
        token = self.issue_user_token(
            code.user_id, scopes=code.scopes, targets=code.targets, app_id=app.app_id
        )
        return self._token_answer(token)

    def _exchange_long_lived(self: FakeGraph, request: FakeRequest, app_id: str) -> FakeResponse:
        short = self.tokens.get(request.arg("fb_exchange_token") or "")
        if short is None or short.kind != "USER" or short.app_id != app_id:
            return self.err("token_invalid")
        if short.broken:
            return self.err(short.broken, app_id=app_id)
        now = self.now()
        if short.expired(now):
            return self.err(
                "token_expired",
                expired=self._when(short.expires_at),
                now=self._when(now),
            )
        token = self.issue_user_token(
            short.user_id,
            scopes=short.scopes,
            targets=short.targets,
            app_id=app_id,
            long_lived=True,
        )
        return self._token_answer(token)

    def _when(self: FakeGraph, timestamp: float) -> str:
        return pacific_time(timestamp)

    def _token_answer(self: FakeGraph, token: GraphToken) -> FakeResponse:
        body: dict[str, Any] = {"access_token": token.value, "token_type": "bearer"}
        if token.expires_at:
            body["expires_in"] = round(token.expires_at - self.now())
        return json_response(body)

    def issue_user_token(
        self: FakeGraph,
        user_id: str,
        *,
        scopes: list[str] | None = None,
        targets: dict[str, list[str]] | None = None,
        app_id: str | None = None,
        long_lived: bool = False,
    ) -> GraphToken:
        now = self.now()
        ttl = self.config.long_token_ttl if long_lived else self.config.short_token_ttl
        token = GraphToken(
            value="EAA" + secrets.token_urlsafe(60),
            kind="USER",
            app_id=app_id or self.config.app_id,
            user_id=user_id,
            scopes=list(scopes if scopes is not None else DEFAULT_SCOPES),
            issued_at=now,
            expires_at=now + ttl,
            targets={k: list(v) for k, v in (targets or {}).items()},
            long_lived=long_lived,
        )
        self.tokens[token.value] = token
        return token

    def page_token(self: FakeGraph, user_token: GraphToken, page_id: str) -> GraphToken:
        """The Page token ``/me/accounts`` hands out for ``user_token`` (stable per pair)."""
        key = (user_token.value, page_id)
        existing = self.tokens.get(self.page_tokens.get(key, ""))
        if existing:
            return existing
        never = user_token.long_lived and self.config.page_token_never_expires
        token = GraphToken(
            value="EAA" + secrets.token_urlsafe(60),
            kind="PAGE",
            app_id=user_token.app_id,
            user_id=user_token.user_id,
            scopes=list(user_token.scopes),
            issued_at=self.now(),
            expires_at=0 if never else user_token.expires_at,
            page_id=page_id,
            targets={k: list(v) for k, v in user_token.targets.items()},
            long_lived=user_token.long_lived,
            parent=user_token.value,
        )
        self.tokens[token.value] = token
        self.page_tokens[key] = token.value
        return token

    # -- /debug_token ----------------------------------------------------------
    def debug_token(self: FakeGraph, request: FakeRequest) -> FakeResponse:
        inspector = request.arg("access_token") or request.bearer or ""
        app_id, _, secret = inspector.partition("|")
        app = self.apps.get(app_id)
        inspector_token = self.tokens.get(inspector)
        if not (app and secrets.compare_digest(app.secret, secret)) and inspector_token is None:
            return self.err("token_invalid")
        token = self.tokens.get(request.arg("input_token") or "")
        if token is None:
            return json_response(
                {
                    "data": {
                        "error": {
                            "code": 190,
                            "message": "Invalid OAuth access token - Cannot parse access token",
                        },
                        "is_valid": False,
                        "scopes": [],
                    }
                }
            )
        now = self.now()
        parent = self.tokens.get(token.parent) if token.parent else None
        broken = token.broken or (parent.broken if parent else None)
        data: dict[str, Any] = {
            "app_id": token.app_id,
            "type": token.kind if token.kind != "THREADS" else "USER",
            "application": self.apps[token.app_id].name,
            "data_access_expires_at": int(token.issued_at + 90 * 86400),
            "expires_at": int(token.expires_at),
            "is_valid": not broken and not token.expired(now),
            "issued_at": int(token.issued_at),
            "scopes": list(token.scopes),
            "granular_scopes": [
                {"scope": s, "target_ids": token.targets[s]} if s in token.targets else {"scope": s}
                for s in token.scopes
            ],
            "user_id": token.user_id,
        }
        if token.page_id:
            data["profile_id"] = token.page_id
        if broken:
            from tests.fakes.graph_errors import GRAPH_ERRORS

            _, code, subcode, message, *_ = GRAPH_ERRORS[broken]
            data["error"] = {"code": code, "message": message, "subcode": subcode}
        return json_response({"data": data})

    # -- DELETE /{user-id}/permissions ----------------------------------------
    def revoke_permissions(self: FakeGraph, request: FakeRequest) -> FakeResponse:
        user_id = request.params["id"]
        value = self.token_value(request) or ""
        app_id, _, secret = value.partition("|")
        app = self.apps.get(app_id)
        if app is not None and secrets.compare_digest(app.secret, secret):
            pass  # the app token
        else:
            token = self.authenticate(request)
            if isinstance(token, FakeResponse):
                return token
            if token.kind != "USER" or token.user_id != user_id:
                return self.err("unsupported_request", method="DELETE", id=user_id)
            app_id = token.app_id
        if user_id not in self.users:
            return self.err("unsupported_request", method="DELETE", id=user_id)
        permission = request.params.get("permission")
        for token in self.tokens.values():
            if token.user_id != user_id or token.app_id != app_id or token.kind == "THREADS":
                continue
            if permission:
                token.scopes = [s for s in token.scopes if s != permission]
            else:
                token.broken = "token_app_deauthorized"
        self.revocations.append({"user_id": user_id, "app_id": app_id, "permission": permission})
        return json_response({"success": True})

    # -- /me, /me/accounts, /me/permissions ------------------------------------
    def me(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        if token.kind == "PAGE":
            page = self.pages[token.page_id]
            return json_response({"id": page.id, "name": page.name})
        user = self.users[token.user_id]
        return json_response({"id": user.id, "name": user.name})

    def me_accounts(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        if token.kind != "USER":
            return self.err("nonexisting_field", field="accounts", node="Page")
        specs = field_names(request) or [FieldSpec(n) for n in PAGE_DEFAULT_FIELDS]
        granted = token.targets.get("pages_show_list")
        pages = [
            p
            for p in self._admin_pages(token.user_id)
            if "pages_show_list" in token.scopes and (granted is None or p.id in granted)
        ]
        chunk, paging = paged(pages, request, self.url)
        data = [self.serialize_page(p, specs, user_token=token) for p in chunk]
        return json_response({"data": data, "paging": paging} if paging else {"data": data})

    def serialize_page(
        self: FakeGraph, page: Any, specs: list[FieldSpec], *, user_token: GraphToken | None = None
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in specs:
            name = spec.name
            if name == "id":
                out["id"] = page.id
            elif name == "name":
                out["name"] = page.name
            elif name == "access_token" and user_token is not None:
                out["access_token"] = self.page_token(user_token, page.id).value
            elif name == "category":
                out["category"] = page.category
            elif name == "category_list":
                out["category_list"] = [{"id": "2235", "name": page.category}]
            elif name == "tasks":
                out["tasks"] = list(PAGE_TASKS)
            elif name == "fan_count":
                out["fan_count"] = page.fan_count
            elif name == "link":
                out["link"] = f"https://www.facebook.com/{page.id}"
            elif name == "instagram_business_account" and page.ig_user_id:
                ig = self.ig_users[page.ig_user_id]
                sub = spec.subfields or [FieldSpec("id")]
                out[name] = self.serialize_ig_user(ig, sub)
        return out

    def me_permissions(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        data = [{"permission": s, "status": "granted"} for s in token.scopes]
        return json_response({"data": data})
