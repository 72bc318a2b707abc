"""Connect flows: how an administrator links a network account to a library.

One module per network kind in this package, one line in `FLOWS` below. The views in
`publishing/views/connect.py` are generic: they know nothing about any network.

    GET  accounts/connect/<network>/            the flow's form (nothing to ask: one click)
    POST accounts/connect/<network>/            flow.start(context, data)
    GET  accounts/connect/<network>/continue/   "you are leaving Annexe for …" (OAuth only)
    GET  accounts/connect/<network>/callback/   flow.callback(context, params, pending)

A step returns either
- `Connected(details)`: the account is ready; the view calls
  `publishing.account_services.account_connect`, which creates the SocialAccount, or
  updates the same row when it is a reconnection (history kept), and stores the
  credentials encrypted; or
- `Authorize(url, pending)`: send the person to the network's consent page. The view
  keeps `pending` (PKCE `code_verifier`, the server, the app…) **server-side in the
  session** under a fresh `state`, shows a page with a link to `url` (a form may not
  redirect to another origin under our `form-action 'self'` CSP), and on the way back
  the callback view finds the pending data by `state`, checks it belongs to this
  person, library and network, and calls `flow.callback`.

Adding a network's connect flow (Meta, LinkedIn, X, Google…):
1. `publishing/connect/<network>.py`: a `ConnectFlow` subclass. OAuth 2.0 flows use
   `networks.oauth` (requests-oauthlib, PKCE where offered) through the network's
   client; keep every HTTP call in `networks/<network>.py` (no ORM there).
   - `form_class`: a Django form of what to ask (None: nothing);
   - `start(context, data)`: return `Authorize(...)` (OAuth) or `Connected(...)`;
   - `callback(context, params, pending)`: exchange the code, verify, return
     `Connected(...)`; raise `networks.client.NetworkError` with the network's words,
     or `ConnectRefused` for a refusal of ours (the person denied access…);
   - `verify(account)` and `revoke(account)` default to the network client's
     `verify` and nothing; override when the network needs more (Mastodon refreshes
     the instance's limits on test, revokes with the app's credentials; LinkedIn and
     Google revoke a token shared by several accounts only with the last one);
   - a network that connects several accounts at once (Facebook Pages) returns
     `Connected(details, choices=[...])`: see `Connected.choices`.
2. One line in `FLOWS` below (`"facebook": "publishing.connect.meta.FacebookFlow"`).
3. A test that connects through the fake server's consent screens
   (tests/publishing/test_connect_<network>.py), and a README line (app
   registration, scopes, redirect URI = `/publishing/accounts/connect/<network>/callback/`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.module_loading import import_string

from networks import get_network
from networks.client import Account, AccountInfo

if TYPE_CHECKING:
    from django import forms
    from django.http import QueryDict
    from django.utils.functional import Promise

    from libraries.models import Library
    from publishing.models import SocialAccount

# network key -> dotted path of its ConnectFlow (imported on first use).
FLOWS: dict[str, str] = {
    "mastodon": "publishing.connect.mastodon.MastodonFlow",
    "bluesky": "publishing.connect.bluesky.BlueskyFlow",
    "linkedin": "publishing.connect.linkedin.LinkedInFlow",
    "x": "publishing.connect.x.XFlow",
    "google_business": "publishing.connect.google_business.GoogleBusinessFlow",
    "facebook": "publishing.connect.meta.FacebookFlow",
    "instagram": "publishing.connect.meta.InstagramFlow",
    "threads": "publishing.connect.meta.ThreadsFlow",
    "sandbox": "publishing.connect.local.SandboxFlow",
    "website": "publishing.connect.local.WebsiteFlow",
}


class ConnectRefused(Exception):
    """The flow stops for a reason of ours (access denied, state mismatch…); the
    message is shown to the person."""


@dataclass(frozen=True)
class ConnectContext:
    """What a flow knows about the request, without the request itself."""

    library: Library
    user: Any
    callback_url: str  # absolute redirect URI of this network's callback view
    site_url: str  # absolute root of the site as the person reaches it
    account: SocialAccount | None = None  # the account being reconnected, if any


@dataclass(frozen=True)
class AccountDetails:
    """An account as a flow found it: who it is, its credentials and settings."""

    remote_id: str
    display_name: str
    handle: str = ""
    server_url: str = ""
    avatar_url: str = ""
    credentials: dict[str, Any] = field(default_factory=dict, repr=False)
    settings: dict[str, Any] = field(default_factory=dict)
    # When the credentials stop working unless refreshed (ISO 8601, UTC; "": never or
    # unknown). account_connect records it with publishing.expiry.token_expiry_set.
    expires_at: str = ""
    # The network of this account when it is not the flow's own (Facebook Login also
    # connects the Instagram accounts linked to the Pages): "" = the flow's.
    network: str = ""


@dataclass(frozen=True)
class Connected:
    details: AccountDetails
    # A flow that found several accounts (Pages of a Facebook user…) lists them here;
    # the generic view then connects the one whose remote_id the person picks.
    choices: tuple[AccountDetails, ...] = ()


@dataclass(frozen=True)
class Authorize:
    url: str
    pending: dict[str, Any] = field(default_factory=dict, repr=False)
    host: str = ""  # shown on the "you are leaving Annexe" page
    scopes: tuple[str, ...] = ()


Step = Connected | Authorize


class ConnectFlow:
    """Base class of the connect flows (see the module docstring)."""

    network: ClassVar[str]
    form_class: ClassVar[type[forms.Form] | None] = None
    # Shown on the connect page: what the administrator needs beforehand.
    help_text: ClassVar[str] = ""

    def start(self, context: ConnectContext, data: dict[str, Any]) -> Step:
        raise NotImplementedError

    def callback(self, context: ConnectContext, params: QueryDict, pending: dict[str, Any]) -> Step:
        raise NotImplementedError

    def initial(self, account: SocialAccount | None) -> dict[str, Any]:
        """Initial form values when reconnecting `account`."""
        return {}

    def verify(self, account: SocialAccount, client_account: Account) -> AccountDetails:
        """Test the account (the "Tester" button): who it is now."""
        info: AccountInfo = get_network(self.network).client().verify(client_account)
        return details_from_info(info, credentials=client_account.credentials)

    def revoke(self, account: SocialAccount, client_account: Account) -> str | Promise | None:
        """Give the access back on disconnect, where the network allows it. Returns what
        to tell the administrator about it ("X a retiré l'accès d'Annexe."), or None;
        raises NetworkError when the network could not be told (the account is
        disconnected all the same)."""
        return None


def details_from_info(
    info: AccountInfo, *, credentials: dict | None = None, settings: dict | None = None
) -> AccountDetails:
    return AccountDetails(
        remote_id=info.remote_id,
        display_name=info.display_name or info.handle,
        handle=info.handle,
        server_url=info.server_url,
        avatar_url=info.avatar_url,
        credentials=dict(credentials or {}),
        settings=dict(settings or {}),
    )


def get_flow(network: str) -> ConnectFlow | None:
    """The connect flow of a network, or None when it has none yet."""
    path = FLOWS.get(network)
    return import_string(path)() if path else None


def connectable_networks() -> list[str]:
    """Network keys that have a connect flow, in the registry's order."""
    from networks import all_networks

    return [network.key for network in all_networks() if network.key in FLOWS]
