"""Refreshers for publishing.expiry: renew an account's token ahead of its expiry with
the network client's `refresh(account)`, one process at a time per account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import transaction

from networks.client import Account
from publishing.models import SocialAccount


def _credentials_expiry(credentials: dict) -> datetime | None:
    value = (credentials or {}).get("expires_at")
    try:
        return datetime.fromtimestamp(float(value), UTC) if value else None
    except (TypeError, ValueError):
        return None


def expires_at_iso(credentials: dict) -> str:
    """The credentials' `expires_at` (epoch seconds) for `AccountDetails.expires_at`."""
    expiry = _credentials_expiry(credentials)
    return expiry.isoformat() if expiry else ""


def locked_refresher(
    refresh: Callable[[Account], datetime | None],
) -> Callable[[SocialAccount], datetime | None]:
    """A refresher that locks the account's row, and skips the network when the saved
    credentials are already newer than the recorded expiry (a publication refreshed
    them on demand meanwhile): X's refresh tokens work only once."""

    def refresher(account: SocialAccount) -> datetime | None:
        from publishing.account_services import client_account
        from publishing.expiry import token_expiry_get

        recorded = token_expiry_get(account)
        with transaction.atomic():
            locked = SocialAccount.objects.select_for_update().get(pk=account.pk)
            saved = _credentials_expiry(locked.credentials)
            if saved and recorded and saved > recorded + timedelta(minutes=1):
                return saved
            return refresh(client_account(locked))

    return refresher
