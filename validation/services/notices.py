"""What the validation app tells people (through notifications.services.notify).

Texts are lazy so each person reads them in their own language.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.services import notify
from posts.models import Post
from validation.rules import LevelSpec

URGENT_WITHIN = dt.timedelta(hours=2)


def deadline_of(post: Post) -> dt.datetime | None:
    if post.scheduled_at is None:
        return None
    return post.scheduled_at - dt.timedelta(hours=post.library.validation_deadline_hours)


def is_urgent(post: Post, now: dt.datetime | None = None) -> bool:
    """Urgent: the approval deadline is within two hours (or passed, before publication)."""
    deadline = deadline_of(post)
    now = now or timezone.now()
    return deadline is not None and deadline - now <= URGENT_WITHIN


def review_url(post: Post) -> str:
    return reverse("validation:review", args=[post.pk])


def _send(kind: str, recipients, post: Post, title, body="", urgent=None, url=None) -> None:
    recipients = [user for user in recipients if user is not None]
    if not recipients:
        return
    notify(
        recipients=recipients,
        library=post.library,
        kind=f"validation.{kind}",
        title=title,
        body=body,
        url=url or review_url(post),
        urgent=is_urgent(post) if urgent is None else urgent,
    )


def waiting(post: Post, level: LevelSpec, recipients: list[User], *, after_reset=False) -> None:
    if after_reset:
        title = format_lazy(_("« {title} » a été modifiée : à revalider"), title=post.title)
    else:
        title = format_lazy(_("« {title} » attend votre validation"), title=post.title)
    body = format_lazy(
        _("Étape : {level}. Auteur·rice : {author}."), level=level.name, author=post.author
    )
    _send("waiting", recipients, post, title, body)


def changed_since_approval(post: Post, recipients: list[User]) -> None:
    title = format_lazy(_("« {title} » a été modifiée après votre validation"), title=post.title)
    body = _("Les validations repartent de la première étape ; la page montre ce qui a changé.")
    _send("changed", recipients, post, title, body, urgent=False)


def decided(post: Post, kind: str, by: User | None, comment: str = "") -> None:
    """Tell the author the outcome of a decision."""
    titles = {
        "approved": _("« {title} » est validée"),
        "changes_requested": _("Modifications demandées pour « {title} »"),
        "rejected": _("« {title} » a été refusée"),
        "forced": _("Décision forcée sur « {title} »"),
        "missed": _("« {title} » n'a pas été validée à temps : elle ne sera pas publiée"),
        "comment": _("Nouveau commentaire sur « {title} »"),
    }
    body = (
        format_lazy(_("{who} : {comment}"), who=by, comment=comment) if by and comment else comment
    )
    _send(
        kind,
        [post.author],
        post,
        format_lazy(titles[kind], title=post.title),
        body,
        urgent=False,
        url=reverse("posts:detail", args=[post.pk]),
    )


def commented(post: Post, recipients: list[User], by: User, comment: str) -> None:
    title = format_lazy(_("Nouveau commentaire sur « {title} »"), title=post.title)
    _send(
        "comment",
        recipients,
        post,
        title,
        format_lazy(_("{who} : {comment}"), who=by, comment=comment),
        urgent=False,
    )


def forced(post: Post, recipients: list[User], by: User, reason: str) -> None:
    title = format_lazy(_("Décision forcée sur « {title} »"), title=post.title)
    _send(
        "forced",
        recipients,
        post,
        title,
        format_lazy(_("{who} : {comment}"), who=by, comment=reason),
        urgent=False,
    )


def reminder(post: Post, level: LevelSpec, recipients: list[User], deadline) -> None:
    local = timezone.localtime(deadline, post.library.tzinfo)
    title = format_lazy(_("Rappel : « {title} » attend votre validation"), title=post.title)
    body = format_lazy(
        _("Étape : {level}. À valider avant le {date} à {time}."),
        level=level.name,
        date=local.strftime("%d/%m/%Y"),
        time=local.strftime("%H:%M"),
    )
    _send("reminder", recipients, post, title, body)


def escalation(post: Post, level: LevelSpec | None, recipients: list[User]) -> None:
    local = timezone.localtime(post.scheduled_at, post.library.tzinfo)
    title = format_lazy(_("Délai de validation dépassé : « {title} »"), title=post.title)
    body = format_lazy(
        _("Publication prévue le {date} à {time}, toujours en attente ({level})."),
        date=local.strftime("%d/%m/%Y"),
        time=local.strftime("%H:%M"),
        level=level.name if level else _("modifications demandées"),
    )
    urgent = post.scheduled_at - timezone.now() <= URGENT_WITHIN
    _send("escalation", recipients, post, title, body, urgent=urgent)
