"""Every change to network accounts: connect, reconnect, test, disconnect.

Credentials are encrypted at rest (publishing.fields.EncryptedJSONField), never shown
back and never logged: the messages below name the network's words, never a token.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from libraries.models import Library
from networks.client import AuthError, NetworkError
from networks.messages import as_data, translated
from publishing.connect import AccountDetails, ConnectFlow, ConnectRefused, get_flow
from publishing.expiry import token_expiry_set
from publishing.models import AccountStatus, RegisteredApp, SocialAccount
from publishing.services.render import client_account
from publishing.signals import account_identity_changed

logger = logging.getLogger(__name__)


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic
def account_connect(
    *,
    library: Library,
    flow: ConnectFlow,
    details: AccountDetails,
    by,
    account: SocialAccount | None = None,
) -> SocialAccount:
    """Create the account, or update the same row when reconnecting (its publications
    and metrics stay attached). Connecting an account the library already has (same
    network, server and remote id) reconnects it rather than making a second one.
    `details.network` (when set) is the account's network, else the flow's."""
    network = details.network or flow.network
    if account is None:
        account = (
            SocialAccount.objects.select_for_update()
            .filter(
                library=library,
                network=network,
                remote_id=details.remote_id,
                server_url=details.server_url,
            )
            .first()
        )
    elif account.remote_id and details.remote_id != account.remote_id:
        raise ConnectRefused(
            _(
                "Ce n'est pas le même compte (%(handle)s) : déconnectez celui-ci et connectez"
                " le nouveau compte à part, pour ne pas mélanger leurs historiques."
            )
            % {"handle": details.handle or details.display_name}
        )
    if account is None:
        account = SocialAccount(library=library, network=network)
    identity = (account.remote_id, account.handle) if account.pk else None
    account.remote_id = details.remote_id
    account.display_name = details.display_name[:200] or flow.network
    account.handle = details.handle[:300]
    account.server_url = details.server_url
    account.avatar_url = details.avatar_url[:1000]
    account.credentials = dict(details.credentials)
    account.settings = {
        **(account.settings or {}),
        **details.settings,
        "connected_at": timezone.now().isoformat(),
        "connected_by": getattr(by, "pk", None),
        "verified_at": timezone.now().isoformat(),
    }
    account.settings.pop("last_error", None)
    account.settings.pop("last_error_data", None)
    # A new token: its own expiry (or none), and no reminder sent for it yet.
    expires_at = datetime.fromisoformat(details.expires_at) if details.expires_at else None
    token_expiry_set(account=account, expires_at=expires_at, save=False)
    account.status = AccountStatus.CONNECTED
    if getattr(flow, "needs_feed_token", False) and not account.feed_token:
        account.feed_token = new_feed_token()
    account.save()
    if identity != (account.remote_id, account.handle):
        changed = account
        transaction.on_commit(
            lambda: account_identity_changed.send(
                sender=SocialAccount, account=changed, created=identity is None
            )
        )
    logger.info(
        "account connected: %s %s (library %s) by user %s",
        account.network,
        account.pk,
        library.pk,
        getattr(by, "pk", None),
    )
    return account


def account_test(*, account: SocialAccount, by) -> tuple[bool, str]:
    """Check the credentials still work ("Tester"). Returns (ok, the network's words).
    A refused token marks the account to reconnect; a passing test clears that."""
    flow = get_flow(account.network)
    if flow is None or account.status == AccountStatus.DISABLED:
        return False, _("Ce compte ne peut pas être testé.")
    try:
        details = flow.verify(account, client_account(account))
    except AuthError as exc:
        _account_needs_reconnect(account, exc.message)
        return False, translated(exc.message)
    except NetworkError as exc:
        _set_settings(account, **last_error_settings(exc.message))
        return False, translated(exc.message)
    # Reload: the client may have refreshed (and saved) the credentials meanwhile.
    account.refresh_from_db(fields=["credentials"])
    account.display_name = details.display_name[:200] or account.display_name
    account.handle = details.handle[:300] or account.handle
    account.avatar_url = details.avatar_url[:1000] or account.avatar_url
    account.status = AccountStatus.CONNECTED
    account.settings = {
        **(account.settings or {}),
        **details.settings,
        "verified_at": timezone.now().isoformat(),
    }
    account.settings.pop("last_error", None)
    account.settings.pop("last_error_data", None)
    account.save(
        update_fields=["display_name", "handle", "avatar_url", "status", "settings", "updated_at"]
    )
    return True, ""


def _account_needs_reconnect(account: SocialAccount, message: str) -> None:
    SocialAccount.objects.filter(pk=account.pk).exclude(status=AccountStatus.DISABLED).update(
        status=AccountStatus.NEEDS_RECONNECT, updated_at=timezone.now()
    )
    account.refresh_from_db(fields=["status"])
    _set_settings(account, **last_error_settings(message))


def last_error_settings(message: str) -> dict[str, Any]:
    """The account's last problem as settings: the French text and, for a message that
    has them, its msgid and parameters (`SocialAccount.last_error_text` shows it in the
    reader's language)."""
    return {"last_error": str.__str__(message), "last_error_data": as_data(message)}


def _set_settings(account: SocialAccount, **values: Any) -> None:
    account.settings = {**(account.settings or {}), **values}
    account.save(update_fields=["settings", "updated_at"])


def account_publishing_settings_set(*, account: SocialAccount, by, **values: str) -> None:
    """Language, visibility…: what every later post through this account carries
    (publishing.account_forms says which networks have which)."""
    _set_settings(account, **values)
    logger.info("account publishing settings: %s %s by user %s", account.network, account.pk, by.pk)


@dataclass(frozen=True)
class Disconnected:
    """What became of the access on disconnect: `note` what the network did (or why
    it was not asked), `warning` why it could not be told (the access then dies when
    the person removes Annexe in the network's settings)."""

    note: str | Promise = ""
    warning: str = ""


def account_disconnect(*, account: SocialAccount, by) -> Disconnected:
    """Give the access back where the network allows it, forget the credentials, keep
    the account (its publications and metrics) as disabled, whatever the network
    answered."""
    note, warning = "", ""
    flow = get_flow(account.network)
    if flow is not None and account.credentials:
        try:
            note = flow.revoke(account, client_account(account)) or ""
        except NetworkError as exc:
            warning = translated(exc.message)  # shown at once, to who disconnected
            logger.info("revoke failed on disconnect: %s %s: %s", account.network, account.pk, exc)
    account.credentials = {}
    account.status = AccountStatus.DISABLED
    account.settings = {
        **(account.settings or {}),
        "disconnected_at": timezone.now().isoformat(),
        "disconnected_by": getattr(by, "pk", None),
    }
    account.save(update_fields=["credentials", "status", "settings", "updated_at"])
    logger.info("account disconnected: %s %s", account.network, account.pk)
    return Disconnected(note=note, warning=warning)


def account_feed_token_reset(*, account: SocialAccount, by) -> SocialAccount:
    """A new address for the public feeds and widget; the old one stops working."""
    account.feed_token = new_feed_token()
    account.save(update_fields=["feed_token", "updated_at"])
    return account


def registered_app_get_or_create(
    *,
    network: str,
    server_url: str,
    redirect_uri: str,
    scopes: str,
    register: Callable[[], dict[str, Any]],
) -> RegisteredApp:
    """The app registered on `server_url` for this redirect URI and scopes, registering
    it (one network call) the first time. Two first connections at once may both
    register; the second row loses the race and its app is simply not used."""
    lookup = {
        "network": network,
        "server_url": server_url,
        "redirect_uri": redirect_uri,
        "scopes": scopes,
    }
    app = RegisteredApp.objects.filter(**lookup).first()
    if app is not None:
        return app
    credentials = register()
    try:
        with transaction.atomic():
            return RegisteredApp.objects.create(credentials=credentials, **lookup)
    except IntegrityError:
        return RegisteredApp.objects.get(**lookup)


def registered_app_forget(app: RegisteredApp) -> None:
    """The server no longer knows the app (invalid_client): register again next time."""
    RegisteredApp.objects.filter(pk=app.pk).delete()
