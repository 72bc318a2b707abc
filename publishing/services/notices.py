"""Telling people: the author and the library's administrators when a publication
failed for good or an account needs reconnecting. Not urgent: the emails wait for
working hours (the right to disconnect); the in-app notification is immediate."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from libraries.models import Role
from libraries.selectors import users_with_role
from networks.messages import render_lazy, translated_lazy
from notifications.services import notify
from publishing.models import (
    ENGINE_ERRORS,
    Publication,
    PublicationKind,
    PublicationState,
    SocialAccount,
)


def _post_url(post_id: int) -> str:
    try:
        return reverse("posts:detail", args=[post_id])
    except Exception:
        return f"/posts/{post_id}/"


def after_attempt(*, publication_id: int, outcome: str) -> None:
    if outcome != PublicationState.FAILED:
        return
    publication_failed(publication_id=publication_id)


def publication_failed(*, publication_id: int) -> None:
    publication = (
        Publication.objects.select_related("post", "post__author", "post__library", "account")
        .filter(pk=publication_id, state=PublicationState.FAILED)
        .first()
    )
    if publication is None:
        return
    post = publication.post
    where = str(publication.account) if publication.account else publication.network
    kind = {
        PublicationKind.POST: _("La publication « {title} » n'a pas pu paraître sur {where}."),
        PublicationKind.REPOST: _("Le relais de « {title} » par {where} a échoué."),
        PublicationKind.EMAIL: _("Le courriel de relais de « {title} » n'a pas pu être envoyé."),
    }[publication.kind]
    recipients = [post.author, *users_with_role(library=post.library, min_role=Role.ADMINISTRATOR)]
    notify(
        recipients=recipients,
        library=post.library,
        kind="publication_failed",
        title=format_lazy(kind, title=post.title, where=where),
        # The engine's own messages are lazy, a network's are rendered lazily: each in
        # the recipient's language.
        body=ENGINE_ERRORS.get(
            publication.error_kind, render_lazy(publication.error_data, publication.error_message)
        ),
        url=_post_url(post.pk),
    )


def account_needs_reconnect(*, account_id: int, message: str = "") -> None:
    account = SocialAccount.objects.select_related("library").filter(pk=account_id).first()
    if account is None:
        return
    waiting = Publication.objects.filter(account=account).exclude(
        state__in=[
            PublicationState.PUBLISHED,
            PublicationState.CANCELLED,
            PublicationState.MISSED,
            PublicationState.FAILED,
        ]
    )
    authors = {p.post.author for p in waiting.select_related("post__author")}
    admins = list(users_with_role(library=account.library, min_role=Role.ADMINISTRATOR))
    notify(
        recipients=[*admins, *authors],
        library=account.library,
        kind="account_needs_reconnect",
        title=format_lazy(
            _("Le compte {account} doit être reconnecté : ses publications attendent."),
            account=str(account),
        ),
        body=translated_lazy(message),
        url="/settings/",
    )
