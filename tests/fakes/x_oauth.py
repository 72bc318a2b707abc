"""OAuth 2.0 authorization code with PKCE on the fake X.

Source: xdevplatform/docs ``resources/fundamentals/authentication/oauth-2-0/
authorization-code.mdx`` and ``user-access-token.mdx``:
- ``GET https://x.com/i/oauth2/authorize?response_type=code&client_id&
  redirect_uri&scope&state&code_challenge&code_challenge_method=S256|plain``;
  PKCE is required; the code is valid 30 seconds.
- ``POST https://api.x.com/2/oauth2/token`` (form): confidential clients
  authenticate with HTTP Basic (client id and secret), public ones send
  ``client_id``; ``grant_type=authorization_code`` with ``code``,
  ``redirect_uri``, ``code_verifier`` → ``{"token_type": "bearer",
  "expires_in": 7200, "access_token", "scope", "refresh_token"}`` (the
  refresh token only with ``offline.access``); ``grant_type=refresh_token``
  gives a new pair, the used refresh token stops working (rotation).
- ``POST /2/oauth2/revoke`` (``token``) → ``{"revoked": true}``.
- Error bodies ``{"error", "error_description"}``; the wordings ("Value
  passed for the authorization code was invalid.", "Value passed for the
  token was invalid.") are those clients report (unconfirmed in the docs).
- ``GET /2/users/me`` → ``{"data": {"id", "name", "username"}}``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.fakes.remote_media import is_loopback_url
from tests.fakes.web import (
    FakeRequest,
    FakeResponse,
    html_response,
    json_response,
    redirect_response,
)
from tests.fakes.x_models import XCode, XRefresh, XToken

if TYPE_CHECKING:
    from tests.fakes.x import FakeX

DEFAULT_SCOPES = [
    "tweet.read",
    "tweet.write",
    "users.read",
    "media.write",
    "like.read",
    "offline.access",
]


def oauth_error(error: str, description: str, status: int = 400) -> FakeResponse:
    return json_response({"error": error, "error_description": description}, status)


class XOAuthMixin:
    """Authorize page, token and revoke endpoints, ``/2/users/me``; mixed into FakeX."""

    def _authorize_problem(self: FakeX, request: FakeRequest) -> FakeResponse | None:
        redirect_uri = request.arg("redirect_uri") or ""
        allowed = (
            redirect_uri in self.config.redirect_uris
            if self.config.redirect_uris
            else is_loopback_url(redirect_uri)
        )
        if (
            request.arg("client_id") != self.config.client_id
            or not allowed
            or request.arg("response_type") != "code"
            or not request.arg("code_challenge")
            or (request.arg("code_challenge_method") or "plain") not in ("S256", "plain")
        ):
            return html_response(
                "<!doctype html><html lang='en'><head><title>X</title></head><body><main>"
                "<h1>Something went wrong</h1><p>You weren't able to give access to the App. "
                "Go back and try logging in again.</p></main></body></html>",
                400,
            )
        return None

    def authorize_page(self: FakeX, request: FakeRequest) -> FakeResponse:
        problem = self._authorize_problem(request)
        if problem:
            return problem
        user = self.users[self.current_user_id]
        scopes = (request.arg("scope") or "").split()
        keys = (
            "client_id",
            "redirect_uri",
            "state",
            "scope",
            "response_type",
            "code_challenge",
            "code_challenge_method",
        )
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(request.arg(k) or "")}">'
            for k in keys
        )
        items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes)
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize app / X</title></head><body><main>
<h1>Annexe wants to access your X account</h1>
<p>Signed in as <strong>@{html.escape(user.username)}</strong>.</p>
<ul aria-label="Permissions">{items}</ul>
<form method="post" action="/i/oauth2/authorize" aria-label="Authorize Annexe">
{hidden}
<button type="submit" name="decision" value="allow">Authorize app</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form></main></body></html>"""
        return html_response(page)

    def authorize_decision(self: FakeX, request: FakeRequest) -> FakeResponse:
        problem = self._authorize_problem(request)
        if problem:
            return problem
        redirect_uri = request.arg("redirect_uri")
        params: dict[str, str]
        if request.arg("decision") != "allow":
            params = {"error": "access_denied"}
        else:
            code = XCode(
                code=secrets.token_urlsafe(64),
                user_id=self.current_user_id,
                redirect_uri=redirect_uri,
                scopes=(request.arg("scope") or "").split(),
                challenge=request.arg("code_challenge"),
                method=request.arg("code_challenge_method") or "plain",
                expires_at=self.now() + self.config.code_ttl,
            )
            self.codes[code.code] = code
            params = {"code": code.code}
        if request.arg("state"):
            params["state"] = request.arg("state")
        separator = "&" if "?" in redirect_uri else "?"
        return redirect_response(f"{redirect_uri}{separator}{urlencode(params)}")

    # -- token endpoint --------------------------------------------------------
    def _client_ok(self: FakeX, request: FakeRequest) -> bool:
        header = request.header("authorization")
        if self.config.client_secret is None:
            return request.arg("client_id") == self.config.client_id
        if not header.lower().startswith("basic "):
            return False
        client_id, _, secret = (
            base64.b64decode(header[6:]).decode("utf-8", "replace").partition(":")
        )
        return client_id == self.config.client_id and secrets.compare_digest(
            secret, self.config.client_secret
        )

    def token(self: FakeX, request: FakeRequest) -> FakeResponse:
        if not self._client_ok(request):
            return oauth_error("unauthorized_client", "Missing valid authorization header", 401)
        grant = request.arg("grant_type")
        if grant == "refresh_token":
            refresh = self.refresh_tokens.get(request.arg("refresh_token") or "")
            if refresh is None or refresh.used or self.now() >= refresh.expires_at:
                return oauth_error("invalid_request", "Value passed for the token was invalid.")
            refresh.used = True
            return self._grant(refresh.user_id, refresh.scopes)
        if grant != "authorization_code":
            return oauth_error("invalid_request", "Missing required parameter [grant_type].")
        code = self.codes.get(request.arg("code") or "")
        if (
            code is None
            or code.used
            or self.now() >= code.expires_at
            or code.redirect_uri != request.arg("redirect_uri")
            or not self._verifier_ok(code, request.arg("code_verifier") or "")
        ):
            return oauth_error(
                "invalid_request", "Value passed for the authorization code was invalid."
            )
        code.used = True
        return self._grant(code.user_id, code.scopes)

    @staticmethod
    def _verifier_ok(code: XCode, verifier: str) -> bool:
        if code.method == "S256":
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        else:
            expected = verifier
        return bool(verifier) and secrets.compare_digest(expected, code.challenge)

    def _grant(self: FakeX, user_id: str, scopes: list[str]) -> FakeResponse:
        token, refresh = self.issue_x_token(user_id, scopes)
        body: dict[str, Any] = {
            "token_type": "bearer",
            "expires_in": round(token.expires_at - self.now()),
            "access_token": token.value,
            "scope": " ".join(scopes),
        }
        if refresh:
            body["refresh_token"] = refresh.value
        return json_response(body)

    def issue_x_token(
        self: FakeX, user_id: str, scopes: list[str]
    ) -> tuple[XToken, XRefresh | None]:
        now = self.now()
        token = XToken(
            value=secrets.token_urlsafe(64),
            user_id=user_id,
            scopes=list(scopes),
            expires_at=now + self.config.access_ttl,
        )
        self.tokens[token.value] = token
        refresh = None
        if "offline.access" in scopes:
            refresh = XRefresh(
                value=secrets.token_urlsafe(64),
                user_id=user_id,
                scopes=list(scopes),
                expires_at=now + self.config.refresh_ttl,
            )
            self.refresh_tokens[refresh.value] = refresh
        return token, refresh

    def revoke(self: FakeX, request: FakeRequest) -> FakeResponse:
        if not self._client_ok(request):
            return oauth_error("unauthorized_client", "Missing valid authorization header", 401)
        value = request.arg("token") or ""
        if value in self.tokens:
            self.tokens[value].revoked = True
        if value in self.refresh_tokens:
            self.refresh_tokens[value].used = True
        return json_response({"revoked": True})

    def users_me(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        user = self.users[token.user_id]
        data: dict[str, Any] = {"id": user.id, "name": user.name, "username": user.username}
        fields = [f for f in (request.arg("user.fields") or "").split(",") if f]
        if "profile_image_url" in fields:
            data["profile_image_url"] = f"{self.url}/profile_images/{user.id}_normal.jpg"
        if "verified" in fields:
            data["verified"] = False
        return json_response({"data": data})
