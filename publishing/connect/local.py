"""Sandbox and Website feed: channels inside Annexe, connected in one click.

- Sandbox: posts land on the library's sandbox timeline (publishing.views.sandbox),
  with simulated likes and shares (networks.sandbox).
- Website feed: published posts appear in RSS 2.0, Atom and JSON Feed, and in an
  embeddable widget, at public addresses holding an unguessable token
  (`SocialAccount.feed_token`, publishing.views.feeds).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.client import Account
from publishing.connect import AccountDetails, ConnectContext, Connected, ConnectFlow
from publishing.models import SocialAccount


class SandboxFlow(ConnectFlow):
    network = "sandbox"
    help_text = gettext_lazy(
        "Un réseau d'entraînement interne à Annexe : les publications apparaissent sur le"
        " fil du bac à sable et reçoivent des réactions simulées. Rien ne sort d'Annexe."
    )

    def start(self, context: ConnectContext, data: dict[str, Any]) -> Connected:
        library = context.library
        timeline = reverse("publishing:sandbox", kwargs={"library": library.slug})
        return Connected(
            AccountDetails(
                remote_id=f"sandbox:{library.slug}",
                display_name=_("Bac à sable — %(library)s") % {"library": library.name},
                handle=f"@{library.slug}",
                server_url=context.site_url + timeline,
            )
        )

    def verify(self, account: SocialAccount, client_account: Account) -> AccountDetails:
        return AccountDetails(remote_id=account.remote_id, display_name=account.display_name)


class WebsiteFlow(ConnectFlow):
    network = "website"
    needs_feed_token = True
    help_text = gettext_lazy(
        "Les publications parues alimentent des flux RSS, Atom et JSON et un widget à"
        " intégrer au portail de la bibliothèque ou au site de la ville."
    )

    def start(self, context: ConnectContext, data: dict[str, Any]) -> Connected:
        library = context.library
        return Connected(
            AccountDetails(
                remote_id=f"website:{library.slug}",
                display_name=_("Site web — %(library)s") % {"library": library.name},
                handle=library.slug,
                # WebsiteClient makes each item's address `{server_url}{key}/`.
                server_url=context.site_url + reverse("publishing:feed_items"),
            )
        )

    def verify(self, account: SocialAccount, client_account: Account) -> AccountDetails:
        return AccountDetails(remote_id=account.remote_id, display_name=account.display_name)
