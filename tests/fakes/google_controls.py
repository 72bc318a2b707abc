"""Test helpers of the fake Google Business Profile (also ``POST /__fake__/call``).

The default world: Google user marie.dupont@example.fr owns the location
group "Réseau des médiathèques" (account 2000000001) with three locations:
"Médiathèque de Lille" (4000000001), "Bibliothèque Wazemmes" (4000000002)
and "Bibliothèque du Vieux-Lille" (4000000003, not verified: it cannot
post); and a personal account (2000000002) without locations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakes.google_models import GbpAccount, GbpLocation, GoogleUser

if TYPE_CHECKING:
    from tests.fakes.google_business import FakeGoogleBusiness

SCOPE = "https://www.googleapis.com/auth/business.manage"


class GoogleControlsMixin:
    CONTROL_METHODS: tuple[str, ...] = (
        "ids",
        "add_user",
        "add_account",
        "add_location",
        "login_as",
        "issue_token",
        "revoke_token",
        "set_post_metrics",
        "set_daily_metrics",
        "set_daily_values",
        "delete_remote",
        "exhaust_rate_limit",
        "gbp_posts",
        "configure",
    )

    def seed_default_accounts(self: FakeGoogleBusiness) -> None:
        self.current_user_id = self.add_user(
            "108000000000000000001", "Marie Dupont", "marie.dupont@example.fr"
        )
        group = self.add_account("2000000001", "Réseau des médiathèques", "LOCATION_GROUP", "OWNER")
        self.add_account("2000000002", "Marie Dupont", "PERSONAL", "PRIMARY_OWNER")
        self.add_location(
            group,
            "4000000001",
            "Médiathèque de Lille",
            "Lille",
            "59000",
            "32 rue Edouard Delesalle",
        )
        self.add_location(
            group,
            "4000000002",
            "Bibliothèque Wazemmes",
            "Lille",
            "59000",
            "9 place Nouvelle Aventure",
        )
        self.add_location(
            group,
            "4000000003",
            "Bibliothèque du Vieux-Lille",
            "Lille",
            "59800",
            "2 rue de Rotterdam",
            verified=False,
        )

    def ids(self: FakeGoogleBusiness) -> dict[str, Any]:
        with self.lock:
            return {
                "user": self.current_user_id,
                "accounts": {a.name: a.id for a in self.accounts.values()},
                "locations": {loc.title: loc.id for loc in self.locations.values()},
            }

    def add_user(self: FakeGoogleBusiness, user_id: str, name: str, email: str) -> str:
        with self.lock:
            self.users[user_id] = GoogleUser(user_id, name, email)
            return user_id

    def add_account(
        self: FakeGoogleBusiness,
        account_id: str,
        name: str,
        kind: str = "LOCATION_GROUP",
        role: str = "OWNER",
        user_id: str | None = None,
    ) -> str:
        with self.lock:
            self.accounts[account_id] = GbpAccount(
                account_id, name, kind, role, [user_id or self.current_user_id]
            )
            return account_id

    def add_location(
        self: FakeGoogleBusiness,
        account_id: str,
        location_id: str,
        title: str,
        locality: str = "Lille",
        postal_code: str = "59000",
        address: str = "1 rue de la Paix",
        verified: bool = True,
    ) -> str:
        with self.lock:
            self.locations[location_id] = GbpLocation(
                location_id, account_id, title, locality, postal_code, address, verified
            )
            return location_id

    def login_as(self: FakeGoogleBusiness, user_id: str) -> None:
        with self.lock:
            if user_id not in self.users:
                raise KeyError(user_id)
            self.current_user_id = user_id

    def issue_token(
        self: FakeGoogleBusiness,
        user_id: str | None = None,
        scopes: list[str] | None = None,
        offline: bool = True,
    ) -> dict[str, Any]:
        """``{"access_token", "refresh_token"?}`` without the consent screen."""
        with self.lock:
            user_id = user_id or self.current_user_id
            scopes = list(scopes or [SCOPE])
            result: dict[str, Any] = {
                "access_token": self.issue_google_token(user_id, scopes).value
            }
            if offline:
                result["refresh_token"] = self.issue_refresh_token(user_id, scopes).value
            return result

    def revoke_token(self: FakeGoogleBusiness, token: str) -> None:
        """The user removed the app's access: the token and its refresh token stop working."""
        with self.lock:
            if token in self.refresh_tokens:
                self.refresh_tokens[token].revoked = True
            if token in self.tokens:
                self.tokens[token].revoked = True

    def set_post_metrics(self: FakeGoogleBusiness, post_name: str, **metrics: int) -> None:
        """``LOCAL_POST_VIEWS_SEARCH=…, LOCAL_POST_ACTIONS_CALL_TO_ACTION=…``."""
        with self.lock:
            self.local_posts[post_name.rsplit("/", 1)[-1]].metrics.update(metrics)

    def set_daily_metrics(self: FakeGoogleBusiness, location_id: str, **metrics: int) -> None:
        """Per-day values of the Performance API (``WEBSITE_CLICKS=3``…)."""
        with self.lock:
            self.daily_metrics.setdefault(location_id, {}).update(metrics)

    def set_daily_values(
        self: FakeGoogleBusiness, location_id: str, day: str, **metrics: int
    ) -> None:
        """One day's values (``"2026-11-02"``), over the per-day defaults."""
        with self.lock:
            self.daily_values.setdefault((location_id, day), {}).update(metrics)

    def delete_remote(self: FakeGoogleBusiness, post_name: str) -> None:
        with self.lock:
            self.local_posts[post_name.rsplit("/", 1)[-1]].deleted = True

    def exhaust_rate_limit(self: FakeGoogleBusiness) -> None:
        with self.lock:
            self.budget.exhaust("project", self.now())

    def gbp_posts(self: FakeGoogleBusiness, include_deleted: bool = True) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {**self.serialize_post(p, poll=False), "deleted": p.deleted}
                for p in sorted(self.local_posts.values(), key=lambda p: p.created)
                if include_deleted or not p.deleted
            ]

    def configure(self: FakeGoogleBusiness, **options: Any) -> None:
        with self.lock:
            for key, value in options.items():
                if not hasattr(self.config, key):
                    raise KeyError(f"unknown option {key!r}")
                setattr(self.config, key, value)
            if "qpm" in options:
                from tests.fakes.faults import RateBudget

                self.budget = RateBudget(self.config.qpm, 60, aligned=True)
