"""App-password sessions of the fake Bluesky PDS.

Sources: lexicons ``com/atproto/server/{createSession,refreshSession,getSession,
deleteSession}.json``; the PDS's ``auth-verifier.ts`` (an expired JWT is
``400 {"error": "ExpiredToken", "message": "Token has expired"}``, an
unverifiable one ``400 InvalidToken "Token could not be verified"``, a token of
the wrong kind ``400 InvalidToken "Bad token scope"``, no token ``401
AuthMissing "Authentication Required"``); ``api/com/atproto/server/
refreshSession.ts`` (a revoked refresh token is ``400 ExpiredToken "Token has
been revoked"``); ``createSession.ts`` (bad password ``401
AuthenticationRequired "Invalid identifier or password"``; limited to 30 per
5 minutes and 300 per day per identifier and IP). Access tokens live 120
minutes and refresh tokens 90 days by default. A refresh token stays usable
for a grace period after it was rotated (the PDS's ``REFRESH_GRACE_MS``, 2 h),
so two workers refreshing at once both succeed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.fakes.atproto_ids import jwt_decode, jwt_encode
from tests.fakes.web import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from tests.fakes.bluesky import BlueskyAccount, FakeBluesky

ACCESS_SCOPE = "com.atproto.appPass"
REFRESH_SCOPE = "com.atproto.refresh"


def xrpc_error(status: int, error: str, message: str) -> FakeResponse:
    return json_response({"error": error, "message": message}, status)


@dataclass
class RefreshGrant:
    jti: str
    did: str
    expires_at: float
    rotated_at: float | None = None
    revoked: bool = False


@dataclass
class Credentials:
    did: str
    token: str
    scope: str
    jti: str | None = None


class BlueskySessionMixin:
    """Session endpoints and token checks; mixed into ``FakeBluesky``."""

    def _session_reset(self: FakeBluesky) -> None:
        self.refresh_grants: dict[str, RefreshGrant] = {}
        self.expired_access: set[str] = set()
        self.issued_access: set[str] = set()

    # -- tokens ----------------------------------------------------------------
    def _issue(self: FakeBluesky, did: str) -> dict[str, str]:
        now = self.now()
        access = jwt_encode(
            {"typ": "at+jwt", "alg": "HS256"},
            {
                "scope": ACCESS_SCOPE,
                "sub": did,
                "aud": self.service_did,
                "iat": int(now),
                "exp": int(now + self.access_ttl),
                "nonce": secrets.token_hex(4),
            },
            self.jwt_secret,
        )
        jti = secrets.token_urlsafe(16)
        refresh = jwt_encode(
            {"typ": "refresh+jwt", "alg": "HS256"},
            {
                "scope": REFRESH_SCOPE,
                "sub": did,
                "aud": self.service_did,
                "jti": jti,
                "iat": int(now),
                "exp": int(now + self.refresh_ttl),
            },
            self.jwt_secret,
        )
        self.refresh_grants[jti] = RefreshGrant(jti=jti, did=did, expires_at=now + self.refresh_ttl)
        self.issued_access.add(access)
        return {"accessJwt": access, "refreshJwt": refresh}

    def verify(
        self: FakeBluesky, request: FakeRequest, *, scope: str
    ) -> Credentials | FakeResponse:
        """The caller's credentials, or the PDS's error answer."""
        token = request.bearer
        if not token:
            return xrpc_error(401, "AuthMissing", "Authentication Required")
        decoded = jwt_decode(token, self.jwt_secret)
        if decoded is None:
            return xrpc_error(400, "InvalidToken", "Token could not be verified")
        _, payload = decoded
        if payload.get("exp", 0) <= self.now() or token in self.expired_access:
            return xrpc_error(400, "ExpiredToken", "Token has expired")
        if payload.get("scope") != scope:
            return xrpc_error(400, "InvalidToken", "Bad token scope")
        if payload.get("sub") not in self.accounts_by_did:
            return xrpc_error(400, "InvalidToken", "Token could not be verified")
        return Credentials(did=payload["sub"], token=token, scope=scope, jti=payload.get("jti"))

    # -- endpoints -------------------------------------------------------------
    def session_body(
        self: FakeBluesky, account: BlueskyAccount, tokens: dict[str, str]
    ) -> dict[str, Any]:
        return {
            **tokens,
            "handle": account.handle,
            "did": account.did,
            "didDoc": self.did_document(account),
            "email": account.email,
            "emailConfirmed": True,
            "emailAuthFactor": False,
            "active": True,
        }

    def create_session(self: FakeBluesky, request: FakeRequest) -> FakeResponse:
        body = request.json if isinstance(request.json, dict) else {}
        for key in ("identifier", "password"):
            if not isinstance(body.get(key), str):
                return xrpc_error(400, "InvalidRequest", f'Input must have the property "{key}"')
        account = self.find_account(body["identifier"])
        if account is None or body["password"] not in account.passwords:
            return xrpc_error(401, "AuthenticationRequired", "Invalid identifier or password")
        return json_response(self.session_body(account, self._issue(account.did)))

    def refresh_session(
        self: FakeBluesky, request: FakeRequest, creds: Credentials
    ) -> FakeResponse:
        grant = self.refresh_grants.get(creds.jti or "")
        now = self.now()
        if (
            grant is None
            or grant.revoked
            or (grant.rotated_at is not None and now > grant.rotated_at + self.refresh_grace)
        ):
            return xrpc_error(400, "ExpiredToken", "Token has been revoked")
        if grant.rotated_at is None:
            grant.rotated_at = now
        account = self.accounts_by_did[creds.did]
        body = self.session_body(account, self._issue(account.did))
        body.pop("emailAuthFactor", None)
        return json_response(body)

    def get_session(self: FakeBluesky, request: FakeRequest, creds: Credentials) -> FakeResponse:
        account = self.accounts_by_did[creds.did]
        body = self.session_body(account, {})
        body.pop("emailAuthFactor", None)
        return json_response(body)

    def delete_session(self: FakeBluesky, request: FakeRequest, creds: Credentials) -> FakeResponse:
        grant = self.refresh_grants.get(creds.jti or "")
        if grant is not None:
            grant.revoked = True
        return FakeResponse(200, b"")

    # -- test helpers ----------------------------------------------------------
    def expire_access_tokens(self: FakeBluesky) -> None:
        """Every access token issued so far now answers ExpiredToken (refresh still works)."""
        with self.lock:
            self.expired_access |= self.issued_access

    def revoke_refresh_tokens(self: FakeBluesky, handle: str | None = None) -> None:
        """Refresh tokens (of one account, or all) now answer ExpiredToken (revoked)."""
        with self.lock:
            did = self.find_account(handle).did if handle else None
            for grant in self.refresh_grants.values():
                if did is None or grant.did == did:
                    grant.revoked = True
