"""Google OAuth 2.0 for web server applications, on the fake Business Profile.

Source: developers.google.com ``identity/protocols/oauth2/web-server``:
- ``GET https://accounts.google.com/o/oauth2/v2/auth?client_id&redirect_uri&
  response_type=code&scope&access_type=offline&prompt=consent&state&
  include_granted_scopes&code_challenge…``; refusal redirects with
  ``error=access_denied``.
- ``POST https://oauth2.googleapis.com/token`` (``code, client_id,
  client_secret, redirect_uri, grant_type=authorization_code``, optional
  ``code_verifier``) → ``{"access_token", "expires_in": 3599, "refresh_token",
  "scope", "token_type": "Bearer"}``; the refresh token comes only with
  ``access_type=offline``, and only on the first consent unless
  ``prompt=consent`` asks again; ``grant_type=refresh_token`` answers a new
  access token without a refresh token; a bad or used code and a revoked
  refresh token answer 400 ``invalid_grant`` ("Bad Request", "Token has been
  expired or revoked."); an unknown client 401 ``invalid_client``.
- ``POST https://oauth2.googleapis.com/revoke?token=`` → 200.
- Refresh tokens of apps in "Testing" publishing status expire after 7 days
  (``refresh_ttl``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.fakes.google_models import GCode, GRefresh, GToken
from tests.fakes.remote_media import is_loopback_url
from tests.fakes.web import (
    FakeRequest,
    FakeResponse,
    html_response,
    json_response,
    redirect_response,
)

if TYPE_CHECKING:
    from tests.fakes.google_business import FakeGoogleBusiness


def oauth_error(error: str, description: str, status: int = 400) -> FakeResponse:
    return json_response({"error": error, "error_description": description}, status)


class GoogleOAuthMixin:
    """Consent page, token and revoke endpoints; mixed into FakeGoogleBusiness."""

    def _consent_problem(self: FakeGoogleBusiness, request: FakeRequest) -> FakeResponse | None:
        redirect_uri = request.arg("redirect_uri") or ""
        allowed = (
            redirect_uri in self.config.redirect_uris
            if self.config.redirect_uris
            else is_loopback_url(redirect_uri)
        )
        if request.arg("client_id") != self.config.client_id:
            return html_response(
                "<h1>Access blocked: Authorization Error</h1><p>Error 401: invalid_client</p>", 401
            )
        if not allowed:
            return html_response(
                "<h1>Access blocked: This app's request is invalid</h1>"
                "<p>Error 400: redirect_uri_mismatch</p>",
                400,
            )
        return None

    def consent_page(self: FakeGoogleBusiness, request: FakeRequest) -> FakeResponse:
        problem = self._consent_problem(request)
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
            "access_type",
            "prompt",
            "code_challenge",
            "code_challenge_method",
        )
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(request.arg(k) or "")}">'
            for k in keys
        )
        items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes)
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts</title></head>
<body><main>
<h1>Annexe wants access to your Google Account</h1>
<p>{html.escape(user.email)}</p>
<ul aria-label="Permissions">{items}</ul>
<form method="post" action="/o/oauth2/v2/auth" aria-label="Grant access">
{hidden}
<button type="submit" name="decision" value="allow">Continue</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form></main></body></html>"""
        return html_response(page)

    def consent_decision(self: FakeGoogleBusiness, request: FakeRequest) -> FakeResponse:
        problem = self._consent_problem(request)
        if problem:
            return problem
        redirect_uri = request.arg("redirect_uri")
        params: dict[str, str]
        if request.arg("decision") != "allow":
            params = {"error": "access_denied"}
        else:
            code = GCode(
                code="4/0A" + secrets.token_urlsafe(60),
                user_id=self.current_user_id,
                redirect_uri=redirect_uri,
                scopes=(request.arg("scope") or "").split(),
                offline=request.arg("access_type") == "offline",
                force_consent="consent" in (request.arg("prompt") or "").split(),
                expires_at=self.now() + self.config.code_ttl,
                challenge=request.arg("code_challenge") or None,
            )
            self.codes[code.code] = code
            params = {"code": code.code, "scope": " ".join(code.scopes)}
        if request.arg("state"):
            params["state"] = request.arg("state")
        separator = "&" if "?" in redirect_uri else "?"
        return redirect_response(f"{redirect_uri}{separator}{urlencode(params)}")

    # -- token endpoint --------------------------------------------------------
    def token(self: FakeGoogleBusiness, request: FakeRequest) -> FakeResponse:
        client_id, secret = request.arg("client_id"), request.arg("client_secret")
        header = request.header("authorization")
        if header.lower().startswith("basic "):
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        if client_id != self.config.client_id or not secrets.compare_digest(
            self.config.client_secret, secret or ""
        ):
            return oauth_error("invalid_client", "The OAuth client was not found.", 401)
        grant = request.arg("grant_type")
        if grant == "refresh_token":
            refresh = self.refresh_tokens.get(request.arg("refresh_token") or "")
            now = self.now()
            if (
                refresh is None
                or refresh.revoked
                or (refresh.expires_at is not None and now >= refresh.expires_at)
            ):
                return oauth_error("invalid_grant", "Token has been expired or revoked.")
            return self._answer(self.issue_google_token(refresh.user_id, refresh.scopes), None)
        if grant != "authorization_code":
            return oauth_error("unsupported_grant_type", "Invalid grant_type: " + (grant or ""))
        code = self.codes.get(request.arg("code") or "")
        if (
            code is None
            or code.used
            or self.now() >= code.expires_at
            or code.redirect_uri != request.arg("redirect_uri")
            or not self._verifier_ok(code, request.arg("code_verifier"))
        ):
            return oauth_error("invalid_grant", "Bad Request")
        code.used = True
        first_time = any((code.user_id, s) not in self.granted for s in code.scopes)
        self.granted.update((code.user_id, s) for s in code.scopes)
        refresh = None
        if code.offline and (first_time or code.force_consent):
            refresh = self.issue_refresh_token(code.user_id, code.scopes)
        return self._answer(self.issue_google_token(code.user_id, code.scopes), refresh)

    @staticmethod
    def _verifier_ok(code: GCode, verifier: str | None) -> bool:
        if not code.challenge:
            return True
        if not verifier:
            return False
        digest = hashlib.sha256(verifier.encode()).digest()
        return secrets.compare_digest(
            base64.urlsafe_b64encode(digest).rstrip(b"=").decode(), code.challenge
        )

    def _answer(self: FakeGoogleBusiness, token: GToken, refresh: GRefresh | None) -> FakeResponse:
        body: dict[str, Any] = {
            "access_token": token.value,
            "expires_in": round(token.expires_at - self.now()),
        }
        if refresh:
            body["refresh_token"] = refresh.value
        body["scope"] = " ".join(token.scopes)
        body["token_type"] = "Bearer"
        return json_response(body)

    def issue_google_token(self: FakeGoogleBusiness, user_id: str, scopes: list[str]) -> GToken:
        token = GToken(
            value="ya29." + secrets.token_urlsafe(120),
            user_id=user_id,
            scopes=list(scopes),
            expires_at=self.now() + self.config.access_ttl,
        )
        self.tokens[token.value] = token
        return token

    def issue_refresh_token(self: FakeGoogleBusiness, user_id: str, scopes: list[str]) -> GRefresh:
        ttl = self.config.refresh_ttl
        refresh = GRefresh(
            value="1//0" + secrets.token_urlsafe(90),
            user_id=user_id,
            scopes=list(scopes),
            expires_at=None if ttl is None else self.now() + ttl,
        )
        self.refresh_tokens[refresh.value] = refresh
        return refresh

    def revoke(self: FakeGoogleBusiness, request: FakeRequest) -> FakeResponse:
        value = request.arg("token") or ""
        if value in self.tokens:
            self.tokens[value].revoked = True
        elif value in self.refresh_tokens:
            self.refresh_tokens[value].revoked = True
            for token in self.tokens.values():
                if token.user_id == self.refresh_tokens[value].user_id:
                    token.revoked = True
        else:
            return oauth_error("invalid_token", "Token expired or revoked")
        return json_response({})
