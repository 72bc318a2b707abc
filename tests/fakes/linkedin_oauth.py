"""OAuth 2.0 and the member's identity on the fake LinkedIn.

Sources (learn.microsoft.com/linkedin):
- ``shared/authentication/authorization-code-flow``: ``GET
  /oauth/v2/authorization?response_type=code&client_id&redirect_uri&state&
  scope`` (scopes space-separated); refusal redirects with
  ``error=user_cancelled_authorize&error_description=…``; ``POST
  /oauth/v2/accessToken`` (``grant_type=authorization_code, code,
  client_id, client_secret, redirect_uri``) answers ``{"access_token",
  "expires_in", "scope"}``; the code lives 30 minutes and works once; a bad
  code answers 400 ``invalid_request`` "Unable to retrieve access token:
  appid/redirect uri/code verifier does not match authorization code. Or
  authorization code expired. …" (bodies quoted by clients); PKCE is
  accepted when the authorization asked for it.
- ``shared/authentication/programmatic-refresh-tokens``: with refresh
  tokens (approved partners), ``grant_type=refresh_token`` gives a new
  access token (60 days); the refresh token keeps its first expiry
  (``refresh_token_expires_in`` counts down); an expired or revoked one
  answers ``invalid_grant`` (wording unconfirmed).
- ``consumer/integrations/self-serve/sign-in-with-linkedin-v2``: ``GET
  /v2/userinfo`` (scope ``openid``) → ``sub, name, given_name, family_name,
  picture, locale, email, email_verified``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.fakes.linkedin_models import LiCode, LiToken, RefreshToken
from tests.fakes.remote_media import is_loopback_url
from tests.fakes.web import (
    FakeRequest,
    FakeResponse,
    html_response,
    json_response,
    redirect_response,
)

if TYPE_CHECKING:
    from tests.fakes.linkedin import FakeLinkedIn

BAD_CODE = (
    "Unable to retrieve access token: appid/redirect uri/code verifier does not match "
    "authorization code. Or authorization code expired. Or external member binding exists"
)
DEFAULT_SCOPES = [
    "openid",
    "profile",
    "email",
    "w_organization_social",
    "r_organization_social",
    "rw_organization_admin",
]


def oauth_error(error: str, description: str, status: int = 400) -> FakeResponse:
    return json_response({"error": error, "error_description": description}, status)


class LinkedInOAuthMixin:
    """Authorization page, ``accessToken``, ``userinfo``; mixed into FakeLinkedIn."""

    def _redirect_allowed(self: FakeLinkedIn, redirect_uri: str) -> bool:
        if self.config.redirect_uris:
            return redirect_uri in self.config.redirect_uris
        return bool(redirect_uri) and is_loopback_url(redirect_uri)

    def authorization_page(self: FakeLinkedIn, request: FakeRequest) -> FakeResponse:
        redirect_uri = request.arg("redirect_uri") or ""
        if request.arg("client_id") != self.config.client_id or not self._redirect_allowed(
            redirect_uri
        ):
            return html_response(
                "<!doctype html><html lang='en'><head><title>LinkedIn</title></head><body><main>"
                "<h1>Bummer, something went wrong.</h1><p>The redirect_uri does not match the "
                "registered value</p></main></body></html>",
                400,
            )
        member = self.members[self.current_member_id]
        scopes = (request.arg("scope") or "").split()
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(str(v))}">'
            for k, v in {
                "client_id": self.config.client_id,
                "redirect_uri": redirect_uri,
                "state": request.arg("state") or "",
                "scope": " ".join(scopes),
                "response_type": request.arg("response_type") or "code",
                "code_challenge": request.arg("code_challenge") or "",
                "code_challenge_method": request.arg("code_challenge_method") or "",
            }.items()
        )
        items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes)
        who = html.escape(f"{member.given_name} {member.family_name}")
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign In with LinkedIn</title></head>
<body><main>
<h1>Annexe would like to access your LinkedIn account</h1>
<p>Signed in as <strong>{who}</strong>.</p>
<ul aria-label="Permissions">{items}</ul>
<form method="post" action="/oauth/v2/authorization" aria-label="Allow access">
{hidden}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form></main></body></html>"""
        return html_response(page)

    def authorization_decision(self: FakeLinkedIn, request: FakeRequest) -> FakeResponse:
        redirect_uri = request.arg("redirect_uri") or ""
        if not self._redirect_allowed(redirect_uri):
            return html_response("<h1>Bummer, something went wrong.</h1>", 400)
        state = request.arg("state") or ""
        if request.arg("decision") != "allow":
            params = {
                "error": "user_cancelled_authorize",
                "error_description": "The user cancelled the authorization",
            }
        else:
            code = LiCode(
                code="AQ" + secrets.token_urlsafe(90),
                member_id=self.current_member_id,
                redirect_uri=redirect_uri,
                scopes=(request.arg("scope") or "").split(),
                expires_at=self.now() + self.config.code_ttl,
                code_challenge=request.arg("code_challenge") or None,
            )
            self.codes[code.code] = code
            params = {"code": code.code}
        if state:
            params["state"] = state
        separator = "&" if "?" in redirect_uri else "?"
        return redirect_response(f"{redirect_uri}{separator}{urlencode(params)}")

    # -- POST /oauth/v2/accessToken --------------------------------------------
    def access_token(self: FakeLinkedIn, request: FakeRequest) -> FakeResponse:
        client_id, secret = request.arg("client_id"), request.arg("client_secret")
        header = request.header("authorization")
        if header.lower().startswith("basic "):
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        if client_id != self.config.client_id or not secrets.compare_digest(
            self.config.client_secret, secret or ""
        ):
            return oauth_error("invalid_client", "Client authentication failed", 401)
        grant = request.arg("grant_type")
        if grant == "refresh_token":
            return self._refresh(request)
        if grant != "authorization_code":
            return oauth_error("unsupported_grant_type", "Unsupported grant type")
        code = self.codes.get(request.arg("code") or "")
        if (
            code is None
            or code.used
            or code.expires_at <= self.now()
            or code.redirect_uri != request.arg("redirect_uri")
            or not self._pkce_ok(code, request.arg("code_verifier"))
        ):
            return oauth_error("invalid_request", BAD_CODE)
        code.used = True
        return self._grant(code.member_id, code.scopes)

    # -- POST /oauth/v2/revoke -------------------------------------------------
    def revoke(self: FakeLinkedIn, request: FakeRequest) -> FakeResponse:
        """RFC 7009 style: an unknown token is not an error (nothing to revoke)."""
        if request.arg("client_id") != self.config.client_id or not secrets.compare_digest(
            self.config.client_secret, request.arg("client_secret") or ""
        ):
            return oauth_error("invalid_client", "Client authentication failed", 401)
        value = request.arg("token") or ""
        if not value:
            return oauth_error("invalid_request", 'A required parameter "token" is missing')
        if value in self.tokens:
            self.tokens[value].revoked = True
        return FakeResponse(status=200, body=b"", headers={})

    @staticmethod
    def _pkce_ok(code: LiCode, verifier: str | None) -> bool:
        if not code.code_challenge:
            return True
        if not verifier:
            return False
        digest = hashlib.sha256(verifier.encode()).digest()
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        return secrets.compare_digest(expected, code.code_challenge)

    def _refresh(self: FakeLinkedIn, request: FakeRequest) -> FakeResponse:
        refresh = self.refresh_tokens.get(request.arg("refresh_token") or "")
        if refresh is None or refresh.revoked or refresh.expires_at <= self.now():
            return oauth_error(
                "invalid_grant",
                "The provided authorization grant or refresh token is invalid, expired or revoked",
            )
        return self._grant(refresh.member_id, refresh.scopes, refresh=refresh)

    def _grant(
        self: FakeLinkedIn, member_id: str, scopes: list[str], refresh: RefreshToken | None = None
    ) -> FakeResponse:
        token = self.issue_li_token(member_id, scopes, refresh=refresh)
        now = self.now()
        body: dict[str, Any] = {
            "access_token": token.value,
            "expires_in": round(token.expires_at - now),
        }
        if token.refresh_token:
            stored = self.refresh_tokens[token.refresh_token]
            body["refresh_token"] = stored.value
            body["refresh_token_expires_in"] = round(stored.expires_at - now)
        body["scope"] = ",".join(scopes)
        return json_response(body)

    def issue_li_token(
        self: FakeLinkedIn,
        member_id: str,
        scopes: list[str],
        *,
        refresh: RefreshToken | None = None,
    ) -> LiToken:
        now = self.now()
        if refresh is None and self.config.partner_refresh_tokens:
            refresh = RefreshToken(
                value="AQ" + secrets.token_urlsafe(90),
                member_id=member_id,
                scopes=list(scopes),
                expires_at=now + self.config.refresh_ttl,
            )
            self.refresh_tokens[refresh.value] = refresh
        token = LiToken(
            value="AQ" + secrets.token_urlsafe(120),
            member_id=member_id,
            scopes=list(scopes),
            issued_at=now,
            expires_at=now + self.config.access_ttl,
            refresh_token=refresh.value if refresh else None,
        )
        self.tokens[token.value] = token
        return token

    # -- identity --------------------------------------------------------------
    def userinfo(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        member = self.members[token.member_id]
        return json_response(
            {
                "sub": member.id,
                "email_verified": True,
                "name": f"{member.given_name} {member.family_name}",
                "locale": {"country": "FR", "language": "fr"},
                "given_name": member.given_name,
                "family_name": member.family_name,
                "email": member.email,
                "picture": f"{self.url}/media/{member.id}.jpg",
            }
        )

    def me(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        member = self.members[token.member_id]
        return json_response(
            {
                "id": member.id,
                "localizedFirstName": member.given_name,
                "localizedLastName": member.family_name,
            }
        )
