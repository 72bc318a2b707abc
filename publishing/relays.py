"""Relays: when a post is published on an account, relay it — repost it from another
account after a delay, or email the library's relay partners a ready-to-share summary.

Each relay is a Publication (kind `repost` or `email`, `source` = the publication
relayed, `relay_rule` = the rule), created when the engine sends
`publication_state_changed(to_state="published")`, and scheduled at
`published_at + delay`; the engine's publish task performs it (`client.repost`, or
the email this module builds, sent once). Exactly once: a relay is created only if
none exists for its rule and source publication (in any state, so a cancelled relay
stays cancelled), and the `publication_relay_once_per_rule` constraint stops a
concurrent second one.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from libraries.models import Library, Role
from libraries.selectors import access_for
from networks import get_network
from networks import text as textlib
from posts.selectors import content_for_target
from publishing.models import (
    AccountStatus,
    Publication,
    PublicationKind,
    PublicationState,
    RelayAction,
    RelayPartner,
    RelayRule,
    SocialAccount,
)

logger = logging.getLogger(__name__)


# --- creating relays (the engine's signal) ----------------------------------------------
def relays_for_published(*, publication: Publication) -> list[Publication]:
    """The relays of a publication that just went out (none for a relay itself)."""
    if publication.kind != PublicationKind.POST or publication.account_id is None:
        return []
    rules = RelayRule.objects.filter(
        source_account_id=publication.account_id, is_active=True
    ).select_related("repost_account")
    created = []
    for rule in rules:
        relay = _relay_create(publication=publication, rule=rule)
        if relay is not None:
            created.append(relay)
    return created


def _relay_create(*, publication: Publication, rule: RelayRule) -> Publication | None:
    if Publication.objects.filter(source=publication, relay_rule=rule).exists():
        return None  # already relayed (or cancelled): never twice
    if rule.action == RelayAction.REPOST:
        account = rule.repost_account
        if account is None or account.status == AccountStatus.DISABLED:
            return None
        if Publication.objects.filter(
            source=publication, account=account, kind=PublicationKind.REPOST
        ).exists():
            return None  # another rule already reposts it from there
        kind, network = PublicationKind.REPOST, account.network
    else:
        account, kind, network = None, PublicationKind.EMAIL, "email"
    published_at = publication.published_at or timezone.now()
    try:
        with transaction.atomic():
            return Publication.objects.create(
                post_id=publication.post_id,
                account=account,
                network=network,
                kind=kind,
                source=publication,
                relay_rule=rule,
                state=PublicationState.SCHEDULED,
                scheduled_at=published_at + dt.timedelta(minutes=rule.delay_minutes),
            )
    except IntegrityError:
        return None  # a concurrent delivery of the same signal created it


def relay_cancel(*, relay: Publication, by) -> bool:
    """Cancel a relay that has not gone out yet (compare-and-set on its state)."""
    if relay.kind == PublicationKind.POST:
        raise ValidationError(_("Seuls les relais s'annulent ici."))
    post = relay.post
    # Who may act on the post's publications (as the publishing panel): its author
    # and validators.
    if not (access_for(by).has_role(post.library_id, Role.VALIDATOR) or post.author_id == by.pk):
        raise PermissionDenied
    changed = (
        Publication.objects.filter(
            pk=relay.pk, state__in=[PublicationState.SCHEDULED, PublicationState.FAILED]
        )
        .exclude(kind=PublicationKind.POST)
        .update(state=PublicationState.CANCELLED, updated_at=timezone.now())
    )
    return bool(changed)


# --- the email (registered with publishing.hooks) ---------------------------------------
def relay_email_message(publication: Publication) -> EmailMessage:
    """The ready-to-share summary for a relay of kind email: the text, and the links
    of the post everywhere it is out."""
    post = publication.post
    library = post.library
    partners = list(publication.relay_rule.partners.all()) if publication.relay_rule else []
    source = publication.source
    content = content_for_target(post=post, network_key=source.network, account=source.account)
    text = textlib.prepare_text(content.text)
    links = [
        (get_network(p.network).name, p.remote_url)
        for p in post.publications.filter(
            kind=PublicationKind.POST, state=PublicationState.PUBLISHED
        ).exclude(remote_url="")
    ]
    lines = [
        _("Bonjour,"),
        "",
        _("%(library)s vient de publier ceci ; n'hésitez pas à le partager :")
        % {"library": library.name},
        "",
        text,
    ]
    if content.link:
        lines += ["", content.link]
    if links:
        lines += ["", _("Où le retrouver :")]
        lines += [f"- {name} : {url}" for name, url in links]
    lines += ["", "—", _("Envoyé par Annexe pour %(library)s.") % {"library": library.name}]
    title = text.splitlines()[0][:80] if text else library.name
    subject = _("[%(library)s] À partager : %(title)s") % {"library": library.name, "title": title}
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[partner.email for partner in partners],
    )


# --- settings ---------------------------------------------------------------------------
def _require_admin(by, library: Library) -> None:
    if not access_for(by).has_role(library.id, Role.ADMINISTRATOR):
        raise PermissionDenied


def relay_accounts_for(library: Library) -> list[SocialAccount]:
    """Accounts a rule of `library` may watch or repost from: its own and its parents'."""
    from posts.composer import accounts_for

    return accounts_for(library)


def relay_rule_create(
    *,
    library: Library,
    by,
    source_account: SocialAccount,
    action: str,
    repost_account: SocialAccount | None = None,
    partners: list[RelayPartner] = (),
    delay_minutes: int = 60,
) -> RelayRule:
    _require_admin(by, library)
    allowed = {a.pk for a in relay_accounts_for(library)}
    if source_account.pk not in allowed:
        raise ValidationError(_("Ce compte n'est pas un compte de la bibliothèque."))
    if action == RelayAction.REPOST:
        if repost_account is None or repost_account.pk not in allowed:
            raise ValidationError(_("Choisissez le compte qui partagera."))
        if repost_account.pk == source_account.pk:
            raise ValidationError(_("Un compte ne partage pas ses propres publications."))
        if repost_account.network != source_account.network:
            raise ValidationError(_("Le partage se fait sur le même réseau."))
        if not get_network(repost_account.network).client().supports_repost:
            raise ValidationError(_("Ce réseau ne permet pas de partager une publication."))
    elif not partners:
        raise ValidationError(_("Choisissez au moins un partenaire."))
    with transaction.atomic():
        rule = RelayRule.objects.create(
            library=library,
            source_account=source_account,
            action=action,
            repost_account=repost_account if action == RelayAction.REPOST else None,
            delay_minutes=delay_minutes,
        )
        if action == RelayAction.EMAIL:
            rule.partners.set([p for p in partners if p.library_id == library.id])
    return rule


def relay_rule_delete(*, rule: RelayRule, by) -> None:
    """Delete a rule; relays it already scheduled stay (each can be cancelled)."""
    _require_admin(by, rule.library)
    rule.delete()


def relay_partner_create(*, library: Library, by, name: str, email: str) -> RelayPartner:
    _require_admin(by, library)
    partner, _created = RelayPartner.objects.update_or_create(
        library=library, email=email.lower(), defaults={"name": name}
    )
    return partner


def relay_partner_delete(*, partner: RelayPartner, by) -> None:
    _require_admin(by, partner.library)
    partner.delete()
