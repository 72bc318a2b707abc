"""App registration and OAuth 2.0 for the fake Mastodon.

Sources: mastodon/documentation ``content/en/methods/apps.md`` and
``content/en/methods/oauth.md`` (authorize, token, revoke and their error
bodies); Mastodon spec ``spec/requests/api/v1/apps/credentials_spec.rb`` for
the 4.3 Application shape. PKCE (``code_challenge`` S256/plain) is accepted as
Doorkeeper does on Mastodon 4.3+; a code requested with a challenge needs the
matching ``code_verifier``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from tests.fakes.mastodon_entities import Application, Token
from tests.fakes.web import (
    FakeRequest,
    FakeResponse,
    html_response,
    json_response,
    redirect_response,
)

if TYPE_CHECKING:
    from tests.fakes.mastodon import FakeMastodon

OOB = "urn:ietf:wg:oauth:2.0:oob"
CODE_LIFETIME = 600  # Doorkeeper's default authorization code lifetime (10 min)
INVALID_GRANT = {
    "error": "invalid_grant",
    "error_description": (
        "The provided authorization grant is invalid, expired, revoked, does not match the "
        "redirection URI used in the authorization request, or was issued to another client."
    ),
}
INVALID_CLIENT = {
    "error": "invalid_client",
    "error_description": (
        "Client authentication failed due to unknown client, no client authentication "
        "included, or unsupported authentication method."
    ),
}
INVALID_SCOPE = {
    "error": "invalid_scope",
    "error_description": "The requested scope is invalid, unknown, or malformed.",
}


@dataclass
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    scopes: list[str]
    account_id: str
    expires_at: float
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    used: bool = False


def _split_scopes(value: Any) -> list[str]:
    if isinstance(value, list):
        value = " ".join(value)
    return [s for s in str(value or "").replace("+", " ").split() if s]


def _redirect_uris(values: list[Any]) -> list[str]:
    # A string may hold several URIs separated by whitespace (apps.md).
    return [uri for value in values for uri in str(value).split()]


def _absolute(uri: str) -> bool:
    if uri == OOB:
        return True
    parts = urlsplit(uri)
    return bool(parts.scheme and (parts.netloc or parts.scheme not in ("http", "https")))


def scope_allows(granted: list[str], required: str) -> bool:
    """``write`` grants ``write:statuses``; ``read`` grants ``read:accounts`` (oauth-scopes.md)."""
    parent = required.split(":")[0]
    return required in granted or parent in granted


class MastodonOAuthMixin:
    """Routes for /api/v1/apps and /oauth/*; mixed into ``FakeMastodon``."""

    def _oauth_reset(self: FakeMastodon) -> None:
        self.apps: dict[str, Application] = {}
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, Token] = {}

    # -- POST /api/v1/apps -----------------------------------------------------
    def create_app(self: FakeMastodon, request: FakeRequest) -> FakeResponse:
        name = request.arg("client_name")
        uris = _redirect_uris(request.arg_list("redirect_uris"))
        if not name:
            return json_response(
                {"error": "Validation failed: Application name can't be blank"}, 422
            )
        if not uris or not all(_absolute(u) for u in uris):
            return json_response(
                {"error": "Validation failed: Redirect URI must be an absolute URI."}, 422
            )
        app = Application(
            id=str(len(self.apps) + 1),
            name=name,
            website=request.arg("website"),
            redirect_uris=uris,
            scopes=_split_scopes(request.arg("scopes")) or ["read"],
            client_id=secrets.token_urlsafe(32),
            client_secret=secrets.token_urlsafe(32),
        )
        self.apps[app.client_id] = app
        return json_response(app.serialize(with_secret=True))

    # -- GET /oauth/authorize: the consent page --------------------------------
    def authorize_page(self: FakeMastodon, request: FakeRequest) -> FakeResponse:
        problem, app, scopes = self._check_authorize(request)
        if problem:
            return problem
        user = self.accounts[self.current_user_id]
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(str(v))}">'
            for k, v in {
                "client_id": app.client_id,
                "redirect_uri": request.arg("redirect_uri"),
                "response_type": "code",
                "scope": " ".join(scopes),
                "state": request.arg("state") or "",
                "code_challenge": request.arg("code_challenge") or "",
                "code_challenge_method": request.arg("code_challenge_method") or "",
            }.items()
        )
        items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes)
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Authorization required - {html.escape(self.title)}</title></head>
<body><main>
<h1>Authorization required</h1>
<p><strong>{html.escape(app.name)}</strong> would like permission to access your account
<strong>@{html.escape(user.username)}</strong> on {html.escape(self.domain)}.</p>
<h2 id="scopes-title">Requested permissions</h2>
<ul aria-labelledby="scopes-title">{items}</ul>
<form method="post" action="/oauth/authorize" aria-label="Authorize {html.escape(app.name)}">
{hidden}
<button type="submit" name="decision" value="approve">Authorize</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</main></body></html>"""
        return html_response(page)

    def _check_authorize(
        self: FakeMastodon, request: FakeRequest
    ) -> tuple[FakeResponse | None, Application, list[str]]:
        app = self.apps.get(request.arg("client_id") or "")
        redirect_uri = request.arg("redirect_uri") or ""
        if app is None or redirect_uri not in app.redirect_uris:
            # Doorkeeper shows an error page rather than redirecting to an unknown URI.
            page = html_response(
                "<!doctype html><html lang='en'><head><title>Error</title></head><body><main>"
                "<h1>An error has occurred</h1><p>Client authentication failed or the redirect "
                "URI does not match one registered for this application.</p></main></body></html>",
                400,
            )
            return page, app, []  # type: ignore[return-value]
        if request.arg("response_type") != "code":
            return self._redirect_error(request, "unsupported_response_type"), app, []
        scopes = _split_scopes(request.arg("scope")) or ["read"]
        if not all(s in app.scopes or scope_allows(app.scopes, s) for s in scopes):
            return self._redirect_error(request, "invalid_scope"), app, []
        return None, app, scopes

    def _redirect_error(self: FakeMastodon, request: FakeRequest, error: str) -> FakeResponse:
        params = {"error": error}
        if request.arg("state"):
            params["state"] = request.arg("state")
        return redirect_response(f"{request.arg('redirect_uri')}?{urlencode(params)}")

    # -- POST /oauth/authorize: the user's decision ----------------------------
    def authorize_decision(self: FakeMastodon, request: FakeRequest) -> FakeResponse:
        problem, app, scopes = self._check_authorize(request)
        if problem:
            return problem
        redirect_uri = request.arg("redirect_uri")
        state = request.arg("state") or ""
        if request.arg("decision") != "approve":
            params = {
                "error": "access_denied",
                "error_description": (
                    "The resource owner or authorization server denied the request."
                ),
            }
            if state:
                params["state"] = state
            return redirect_response(f"{redirect_uri}?{urlencode(params)}")
        code = AuthorizationCode(
            code=secrets.token_urlsafe(32),
            client_id=app.client_id,
            redirect_uri=redirect_uri,
            scopes=scopes,
            account_id=self.current_user_id,
            expires_at=self.now() + CODE_LIFETIME,
            code_challenge=request.arg("code_challenge") or None,
            code_challenge_method=request.arg("code_challenge_method") or None,
        )
        self.codes[code.code] = code
        if redirect_uri == OOB:
            return html_response(
                "<!doctype html><html lang='en'><head><title>Authorization code</title></head>"
                "<body><main><h1>Authorization code</h1><p>Copy this code and paste it into "
                f"the application.</p><input aria-label='Authorization code' readonly "
                f"value='{code.code}'></main></body></html>"
            )
        params = {"code": code.code}
        if state:
            params["state"] = state
        separator = "&" if "?" in redirect_uri else "?"
        return redirect_response(f"{redirect_uri}{separator}{urlencode(params)}")

    # -- POST /oauth/token -----------------------------------------------------
    def token(self: FakeMastodon, request: FakeRequest) -> FakeResponse:
        app = self._authenticate_client(request)
        if app is None:
            return json_response(INVALID_CLIENT, 401)
        grant = request.arg("grant_type")
        if grant == "client_credentials":
            scopes = _split_scopes(request.arg("scope")) or ["read"]
            if not all(scope_allows(app.scopes, s) for s in scopes):
                return json_response(INVALID_SCOPE, 400)
            return self._grant(app, scopes, account_id=None)
        if grant != "authorization_code":
            return json_response(
                {
                    "error": "unsupported_grant_type",
                    "error_description": (
                        "The authorization grant type is not supported by the authorization server."
                    ),
                },
                400,
            )
        code = self.codes.get(request.arg("code") or "")
        if (
            code is None
            or code.used
            or code.client_id != app.client_id
            or code.expires_at < self.now()
            or code.redirect_uri != request.arg("redirect_uri")
            or not _pkce_ok(code, request.arg("code_verifier"))
        ):
            return json_response(INVALID_GRANT, 400)
        code.used = True
        return self._grant(app, code.scopes, account_id=code.account_id)

    def _authenticate_client(self: FakeMastodon, request: FakeRequest) -> Application | None:
        client_id, client_secret = request.arg("client_id"), request.arg("client_secret")
        header = request.header("authorization")
        if header.lower().startswith("basic "):
            decoded = base64.b64decode(header[6:]).decode("utf-8", "replace")
            client_id, _, client_secret = decoded.partition(":")
        app = self.apps.get(client_id or "")
        if app is None or not secrets.compare_digest(app.client_secret, client_secret or ""):
            return None
        return app

    def _grant(
        self: FakeMastodon, app: Application, scopes: list[str], *, account_id: str | None
    ) -> FakeResponse:
        token = Token(
            value=secrets.token_urlsafe(32),
            client_id=app.client_id,
            scopes=scopes,
            account_id=account_id,
            created_at=self.now(),
        )
        self.tokens[token.value] = token
        return json_response(
            {
                "access_token": token.value,
                "token_type": "Bearer",
                "scope": " ".join(scopes),
                "created_at": int(token.created_at),
            }
        )

    # -- POST /oauth/revoke ----------------------------------------------------
    def revoke(self: FakeMastodon, request: FakeRequest) -> FakeResponse:
        app = self._authenticate_client(request)
        token = self.tokens.get(request.arg("token") or "")
        if app is None or (token is not None and token.client_id != app.client_id):
            return json_response(
                {
                    "error": "unauthorized_client",
                    "error_description": "You are not authorized to revoke this token",
                },
                403,
            )
        if token is not None:
            token.revoked = True
        return json_response({})


def _pkce_ok(code: AuthorizationCode, verifier: str | None) -> bool:
    if not code.code_challenge:
        return True
    if not verifier:
        return False
    if (code.code_challenge_method or "plain").upper() == "S256":
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    else:
        expected = verifier
    return secrets.compare_digest(expected, code.code_challenge)
