"""Token expiry forecasting, shared by every network whose tokens have a known
lifetime (issue 8: Meta, Threads, LinkedIn, X, Google…).

    expiry.token_expiry_set(account=account, expires_at=when)     # after connecting
    expiry.register_refresher("threads", refresh, ahead=timedelta(days=10))
    expiry.expiry_check()                                          # beat, hourly

- A token whose network lets us renew it is refreshed ahead of time by the
  network's *refresher* (`refresh(account) -> new expiry or None`, saving the new
  credentials itself; it raises `networks.client.NetworkError` when it cannot).
  A refresher refused with `AuthError` (access revoked, `invalid_grant`) marks the
  account to reconnect and tells its administrators at once.
- A *short-lived* token (Google: one-hour access tokens renewed with a refresh token
  that does not expire) is refreshed whenever due, even after it has expired, and
  never causes a reminder: only a refusal matters, and it marks the account to
  reconnect.
- Otherwise (or when refreshing failed) the library's administrators are reminded
  two weeks and two days before expiry. `notify` holds the email until the
  recipients' working hours (the reminders are not urgent). The link goes to the
  accounts page, where "Reconnecter" renews the credentials of the same account
  (its publications and metrics stay attached to it).

Where the expiry is kept: `SocialAccount.settings["token_expires_at"]` (ISO 8601,
UTC) and the reminders already sent for it in `settings["expiry_reminders"]` (days
before expiry); setting a new expiry clears them. Always go through the functions
below, never the keys.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from networks import UnknownNetwork, get_network
from networks.client import AuthError, NetworkError, RateLimited
from networks.messages import as_data
from publishing.models import AccountStatus, SocialAccount

logger = logging.getLogger(__name__)

EXPIRES_KEY = "token_expires_at"
REMINDERS_KEY = "expiry_reminders"
# A token endpoint that answered 429: no refresh attempt before this (ISO 8601, UTC).
REFRESH_WAIT_KEY = "token_refresh_not_before"
# Days before expiry at which administrators are reminded, farthest first.
REMINDER_DAYS: tuple[int, ...] = (14, 2)
NOTIFICATION_KIND = "account_token_expiring"


# --- reading and writing the expiry --------------------------------------------------------
def token_expiry_get(account: SocialAccount) -> datetime | None:
    """When the account's credentials stop working (None: unknown or never)."""
    value = (account.settings or {}).get(EXPIRES_KEY)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except (TypeError, ValueError):
        return None


def token_expiry_set(
    *, account: SocialAccount, expires_at: datetime | None, save: bool = True
) -> None:
    """Record a new expiry (None: the token does not expire) and forget the reminders
    sent for the previous one."""
    settings = dict(account.settings or {})
    settings.pop(REMINDERS_KEY, None)
    settings.pop(REFRESH_WAIT_KEY, None)
    if expires_at is None:
        settings.pop(EXPIRES_KEY, None)
    else:
        settings[EXPIRES_KEY] = expires_at.astimezone(UTC).isoformat()
    account.settings = settings
    if save and account.pk:
        SocialAccount.objects.filter(pk=account.pk).update(settings=settings)


def expires_at_from_token(token: dict, *, now: datetime | None = None) -> datetime | None:
    """The expiry of an OAuth token answer: `expires_at` (epoch) or `expires_in` (s)."""
    now = now or timezone.now()
    if token.get("expires_at"):
        try:
            return datetime.fromtimestamp(float(token["expires_at"]), UTC)
        except (TypeError, ValueError):
            return None
    if token.get("expires_in"):
        try:
            return now + timedelta(seconds=float(token["expires_in"]))
        except (TypeError, ValueError):
            return None
    return None


def token_expiry_shown(account: SocialAccount) -> dict | None:
    """What the account page says about the authorisation's end: `{"expires_at",
    "auto_refresh"}`, or None (no known expiry, or short-lived tokens renewed all
    the time, which are nobody's concern)."""
    expires_at = token_expiry_get(account)
    refresher = REFRESHERS.get(account.network)
    if expires_at is None or (refresher is not None and refresher.short_lived):
        return None
    return {"expires_at": expires_at, "auto_refresh": refresher is not None}


# --- refreshers ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Refresher:
    """Renews an account's token: returns the new expiry (None: no longer expires) after
    saving the new credentials; raises NetworkError when it cannot."""

    refresh: Callable[[SocialAccount], datetime | None]
    ahead: timedelta
    short_lived: bool = False


REFRESHERS: dict[str, Refresher] = {}


class CannotRefresh(Exception):
    """Raised by a refresher when this account's token cannot be renewed at all (no
    refresh token was granted): its administrators are reminded instead, quietly."""


def register_refresher(
    network: str,
    refresh: Callable[[SocialAccount], datetime | None],
    *,
    ahead: timedelta,
    short_lived: bool = False,
) -> None:
    """Let `expiry_check` renew `network`'s tokens `ahead` of their expiry (and, when
    `short_lived`, after it too, without reminders: see the module docstring)."""
    REFRESHERS[network] = Refresher(refresh=refresh, ahead=ahead, short_lived=short_lived)


# --- the periodic check ----------------------------------------------------------------------
def expiry_check(*, now: datetime | None = None) -> dict[str, int]:
    """Refresh what can be refreshed, remind administrators of the rest. Idempotent:
    each reminder is sent once per expiry. Returns counts (refreshed, reminded, failed)."""
    now = now or timezone.now()
    counts = {"refreshed": 0, "reminded": 0, "failed": 0, "needs_reconnect": 0}
    horizon = now + timedelta(days=max(REMINDER_DAYS) + 1)
    accounts = SocialAccount.objects.filter(status=AccountStatus.CONNECTED).select_related(
        "library"
    )
    for account in accounts.iterator():
        expires_at = token_expiry_get(account)
        if expires_at is None:
            continue
        refresher = REFRESHERS.get(account.network)
        due = refresher is not None and expires_at - refresher.ahead <= now
        if due and _refresh_waiting(account, now=now):
            counts["failed"] += 1
            continue
        if due and (refresher.short_lived or now < expires_at):
            try:
                new_expiry = refresher.refresh(account)
            except CannotRefresh:
                pass  # nothing to renew with (LinkedIn without a refresh token): remind
            except AuthError as exc:
                _needs_reconnect(account, exc, now=now)
                counts["needs_reconnect"] += 1
                continue
            except RateLimited as exc:
                # The token endpoint is busy, the refresh token still good: try again
                # after its reset, nobody to bother.
                _refresh_wait(account, until=exc.reset_at or now + timedelta(minutes=15))
                logger.info("token refresh rate-limited for account %s: %s", account.pk, exc)
                counts["failed"] += 1
                continue
            except NetworkError as exc:
                logger.warning(
                    "token refresh failed for account %s (%s): %s", account.pk, account.network, exc
                )
                counts["failed"] += 1
            else:
                token_expiry_set(account=account, expires_at=new_expiry)
                counts["refreshed"] += 1
                continue
        if expires_at > horizon or (refresher is not None and refresher.short_lived):
            continue
        if _remind(account, expires_at=expires_at, now=now):
            counts["reminded"] += 1
    return counts


def _refresh_waiting(account: SocialAccount, *, now: datetime) -> bool:
    value = (account.settings or {}).get(REFRESH_WAIT_KEY)
    try:
        return bool(value) and now < datetime.fromisoformat(value).astimezone(UTC)
    except (TypeError, ValueError):
        return False


def _refresh_wait(account: SocialAccount, *, until: datetime) -> None:
    settings = {**(account.settings or {}), REFRESH_WAIT_KEY: until.astimezone(UTC).isoformat()}
    account.settings = settings
    SocialAccount.objects.filter(pk=account.pk).update(settings=settings)


def _needs_reconnect(account: SocialAccount, exc: AuthError, *, now: datetime) -> None:
    from publishing.services.notices import account_needs_reconnect

    logger.warning("token refused for account %s (%s): %s", account.pk, account.network, exc)
    settings = {
        **(account.settings or {}),
        "last_error": exc.message,
        "last_error_data": as_data(exc.message),
    }
    flagged = SocialAccount.objects.filter(pk=account.pk, status=AccountStatus.CONNECTED).update(
        status=AccountStatus.NEEDS_RECONNECT, settings=settings, updated_at=now
    )
    if flagged:
        account_needs_reconnect(account_id=account.pk, message=exc.message)


def _due_reminder(account: SocialAccount, *, expires_at: datetime, now: datetime) -> int | None:
    """The reminder (days before expiry) to send now, if any: the nearest threshold
    passed and not yet sent (a late check sends one reminder, not two)."""
    sent = set((account.settings or {}).get(REMINDERS_KEY) or [])
    passed = [days for days in REMINDER_DAYS if expires_at - timedelta(days=days) <= now]
    if not passed:
        return None
    nearest = min(passed)
    return None if nearest in sent else nearest


def _remind(account: SocialAccount, *, expires_at: datetime, now: datetime) -> bool:
    days = _due_reminder(account, expires_at=expires_at, now=now)
    if days is None:
        return False
    from libraries.models import Role
    from libraries.selectors import users_with_role
    from notifications.services import notify

    try:
        network_name = get_network(account.network).name
    except UnknownNetwork:
        network_name = account.network
    local = timezone.localtime(expires_at, account.library.tzinfo)
    with transaction.atomic():
        # Compare-and-set on the reminders list, so two beat runs never send it twice.
        current = SocialAccount.objects.select_for_update().get(pk=account.pk)
        sent = list((current.settings or {}).get(REMINDERS_KEY) or [])
        if days in sent or token_expiry_get(current) != expires_at:
            return False
        passed = [d for d in REMINDER_DAYS if expires_at - timedelta(days=d) <= now]
        settings = dict(current.settings or {})
        settings[REMINDERS_KEY] = sorted(set(sent) | set(passed), reverse=True)
        SocialAccount.objects.filter(pk=account.pk).update(settings=settings)
        account.settings = settings
        notify(
            recipients=users_with_role(library=account.library, min_role=Role.ADMINISTRATOR),
            library=account.library,
            kind=NOTIFICATION_KIND,
            title=format_lazy(
                _("Le compte {network} « {name} » doit être reconnecté avant le {date}"),
                network=network_name,
                name=account.display_name,
                date=local.strftime("%d/%m/%Y %H:%M"),
            ),
            body=format_lazy(
                _(
                    "L'autorisation donnée à Annexe pour ce compte expire le {date}. "
                    "Reconnectez-le depuis la page des comptes : ses publications et ses "
                    "statistiques restent attachées au compte."
                ),
                date=local.strftime("%d/%m/%Y %H:%M"),
            ),
            url=reconnect_url(account),
        )
    return True


def reconnect_url(account: SocialAccount) -> str:
    """Where an administrator reconnects the account (the accounts settings page)."""
    for name, args in (
        ("publishing:account_reconnect", [account.pk]),
        ("publishing:accounts", []),
    ):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return "/"
