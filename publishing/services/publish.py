"""One attempt at sending one publication (the body of the publish_publication task).

    queued ──claim (CAS, lease)──> publishing ──> published
                                      │ transient → scheduled, next_attempt_at = backoff
                                      │ rate limited → scheduled, next_attempt_at = reset
                                      │ auth → needs_reconnect (the account too)
                                      │ permanent → failed (the network's message)
                                      └ ambiguous, crash → unknown → find() before any retry

The key the network sees is stored before the first attempt; every attempt after the
first asks the network whether an earlier one went through (`client.find`) before
sending again with the same key. Never twice; never lost silently.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from networks import get_network
from networks.client import (
    AmbiguousError,
    AuthError,
    NetworkError,
    PermanentError,
    RateLimited,
    RemotePost,
    TransientError,
)
from networks.messages import Message, as_data
from posts.images import RenditionImpossible
from posts.models import PostState
from publishing import hooks
from publishing.models import (
    AccountStatus,
    Publication,
    PublicationKind,
    PublicationState,
    SocialAccount,
)
from publishing.services import notices
from publishing.services.lifecycle import post_follow_publications
from publishing.services.pause import paused_library_ids
from publishing.services.render import client_account, publish_request_for, remote_of
from publishing.services.transitions import publication_claim, publication_move
from validation.errors import ContentNotApproved, ValidationFlowError

logger = logging.getLogger(__name__)
S = PublicationState


def _stored(msgid: str) -> Message:
    """A message saved on the publication and shown later in the reader's language
    (`Publication.error_text`): the msgid is kept, translated at display. Every msgid
    given here is in locale/*/django.po (makemessages: `--keyword=_stored`)."""
    return Message(gettext_noop(msgid))


@dataclass(frozen=True)
class _Stop(Exception):
    """Not sent, on purpose: (to_state, error_kind, message)."""

    to_state: str
    kind: str
    message: str


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with full jitter: base·2^(n-1), capped, times 0.5–1."""
    base = settings.PUBLISHING_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return min(base, settings.PUBLISHING_RETRY_MAX_SECONDS) * (0.5 + random.random() / 2)  # noqa: S311


def _claim(publication_id: int, now: dt.datetime) -> Publication | None:
    """queued → publishing with a lease, in one locked read; the key the network will
    see is chosen here, once, before the first request (every retry reuses it)."""
    lease = now + dt.timedelta(seconds=settings.PUBLISHING_LEASE_SECONDS)

    def fields(publication: Publication) -> dict:
        values = {
            "lease_expires_at": lease,
            "attempts": publication.attempts + 1,
            "first_attempt_at": publication.first_attempt_at or now,
        }
        if not publication.key:
            values["key"] = _new_key(publication, now)
        return values

    return publication_claim(
        publication_id=publication_id,
        from_state=S.QUEUED,
        to_state=S.PUBLISHING,
        related=("post", "post__library", "account", "source"),
        fields=fields,
    )


def _new_key(publication: Publication, now: dt.datetime) -> str:
    if publication.kind == PublicationKind.EMAIL:
        return str(publication.uuid)
    return get_network(publication.network).client().new_key(str(publication.uuid), now)


def _check_before_sending(publication: Publication) -> None:
    """Re-check at delivery time what may have changed since it was scheduled."""
    from validation.services import post_mark_publishing

    post = publication.post
    if post.library_id in paused_library_ids():
        raise _Stop(S.SCHEDULED, "paused", "")
    account = publication.account
    if publication.kind != PublicationKind.EMAIL:
        if account is None or account.status == AccountStatus.DISABLED:
            raise _Stop(S.FAILED, "account", _stored("Le compte est désactivé ou n'existe plus."))
        if account.status == AccountStatus.NEEDS_RECONNECT:
            raise _Stop(S.NEEDS_RECONNECT, "auth", _stored("Le compte doit être reconnecté."))
    if publication.kind != PublicationKind.POST:
        source = publication.source
        if source is None or source.state != S.PUBLISHED or source.remote_deleted_at:
            raise _Stop(
                S.CANCELLED, "source", _stored("La publication relayée n'est plus en ligne.")
            )
        return
    if post.state == PostState.PUBLISHING:
        # Another of its publications started it (read under this claim): the content
        # was checked then, and post_mark_publishing would change nothing.
        return
    try:
        post_mark_publishing(post=post)
    except ContentNotApproved as exc:
        raise _Stop(
            S.FAILED,
            "not_approved",
            _stored("Le contenu de cette publication n'est pas celui qui a été validé."),
        ) from exc
    except ValidationFlowError as exc:
        # Withdrawn, cancelled, reset meanwhile: it must not go out.
        if post.state not in {PostState.APPROVED, PostState.PUBLISHING, PostState.FAILED}:
            raise _Stop(S.CANCELLED, "post_state", str(exc)) from exc
        raise


def _send(publication: Publication) -> RemotePost | None:
    """Reconcile (after any earlier attempt), then send. Returns the remote post."""
    if publication.kind == PublicationKind.EMAIL:
        return _send_email(publication)
    client = get_network(publication.network).client()
    account = client_account(publication.account)
    earlier = publication.attempts > 1
    # Past the last attempt (an ambiguous one): look, but never send again.
    look_only = publication.attempts > settings.PUBLISHING_MAX_ATTEMPTS
    since = (publication.first_attempt_at or timezone.now()) - dt.timedelta(minutes=1)
    if publication.kind == PublicationKind.REPOST:
        original = remote_of(publication.source)
        if earlier:
            found = client.find_repost(account, original, key=publication.key)
            if found is not None:
                return found
        if look_only:
            raise _Stop(S.FAILED, "ambiguous", _not_found())
        return client.repost(account, original, key=publication.key)
    request = publish_request_for(publication)
    if earlier:
        found = client.find(account, request, since=since)
        if found is not None:
            return found
    if look_only:
        raise _Stop(S.FAILED, "ambiguous", _not_found())
    return client.publish(account, request)


def _not_found() -> str:
    return _stored(
        "Après plusieurs tentatives sans réponse claire, la publication est introuvable "
        "sur le réseau : elle n'a pas été publiée."
    )


def _send_email(publication: Publication) -> RemotePost:
    if publication.attempts > 1 and publication.error_kind in {"ambiguous", "lease"}:
        # A mail server gives no way to ask whether it was sent: never twice.
        raise _Stop(
            S.FAILED,
            "ambiguous",
            _stored(
                "L'envoi du courriel n'a pas pu être confirmé ; vérifiez auprès des destinataires."
            ),
        )
    build = hooks.email_relay_builder()
    if build is None:
        raise _Stop(
            S.FAILED, "email", _stored("Aucun modèle de courriel de relais n'est installé.")
        )
    message = build(publication)
    if not message.recipients():
        raise _Stop(S.FAILED, "email", _stored("Ce relais n'a aucun destinataire."))
    try:
        message.send()
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError) as exc:
        raise TransientError(str(exc)) from exc
    except smtplib.SMTPException as exc:
        raise PermanentError(str(exc)) from exc
    return RemotePost(
        remote_id=f"email:{publication.key}",
        published_at=timezone.now(),
        data={"to": message.recipients()},
    )


def _published(publication: Publication, remote: RemotePost, now: dt.datetime) -> bool:
    return publication_move(
        publication_id=publication.pk,
        instance=publication,
        # Also from unknown/queued: a lease that expired while the network answered.
        from_states={S.PUBLISHING, S.UNKNOWN, S.QUEUED},
        to_state=S.PUBLISHED,
        remote_id=remote.remote_id[:500],
        remote_url=(remote.url or "")[:1000],
        remote_data=remote.data or {},
        published_at=remote.published_at or now,
        lease_expires_at=None,
        next_attempt_at=None,
        error_kind="",
        error_status=None,
        error_message="",
        error_data={},
    )


def _settle(
    publication: Publication,
    to_state: str,
    *,
    kind: str,
    message: str = "",
    status: int | None = None,
    next_attempt_at: dt.datetime | None = None,
    **extra,
) -> None:
    publication_move(
        publication_id=publication.pk,
        instance=publication,
        from_states={S.PUBLISHING},
        to_state=to_state,
        lease_expires_at=None,
        next_attempt_at=next_attempt_at,
        error_kind=kind,
        error_status=status,
        error_message=message[:2000],
        error_data=as_data(message),
        **extra,
    )


def publication_publish(*, publication_id: int, now: dt.datetime | None = None) -> str:
    """One attempt; returns the state it left the publication in ("skipped" when it
    was not `queued`: a duplicate delivery, or cancelled meanwhile)."""
    now = now or timezone.now()
    publication = _claim(publication_id, now)
    if publication is None:
        return "skipped"
    outcome = _attempt(publication, now)
    if publication.kind == PublicationKind.POST:
        post_follow_publications(post_id=publication.post_id)
    notices.after_attempt(publication_id=publication.pk, outcome=outcome)
    return outcome


def _attempt(publication: Publication, now: dt.datetime) -> str:
    max_attempts = settings.PUBLISHING_MAX_ATTEMPTS
    try:
        _check_before_sending(publication)
        remote = _send(publication)
    except _Stop as stop:
        if stop.kind == "paused":
            # Back in line, untouched: this attempt does not count.
            publication_move(
                publication_id=publication.pk,
                from_states={S.PUBLISHING},
                to_state=S.SCHEDULED,
                lease_expires_at=None,
                attempts=F("attempts") - 1,
            )
            return S.SCHEDULED
        _settle(publication, stop.to_state, kind=stop.kind, message=stop.message)
        return stop.to_state
    except RateLimited as exc:
        retry_at = exc.reset_at or now + dt.timedelta(seconds=backoff_seconds(publication.attempts))
        # Refused before doing anything: this attempt does not count.
        _settle(
            publication,
            S.SCHEDULED,
            kind=exc.kind,
            message=exc.message,
            status=exc.status,
            next_attempt_at=max(retry_at, now),
            attempts=F("attempts") - 1,
        )
        return S.SCHEDULED
    except AuthError as exc:
        flagged = SocialAccount.objects.filter(
            pk=publication.account_id, status=AccountStatus.CONNECTED
        ).update(status=AccountStatus.NEEDS_RECONNECT, updated_at=now)
        # Refused before doing anything: this attempt does not count.
        _settle(
            publication,
            S.NEEDS_RECONNECT,
            kind=exc.kind,
            message=exc.message,
            status=exc.status,
            attempts=F("attempts") - 1,
        )
        if flagged:
            notices.account_needs_reconnect(account_id=publication.account_id, message=exc.message)
        return S.NEEDS_RECONNECT
    except (PermanentError, RenditionImpossible) as exc:
        status = getattr(exc, "status", None)
        _settle(publication, S.FAILED, kind="permanent", message=exc.message, status=status)
        return S.FAILED
    except AmbiguousError as exc:
        return _retry_or_fail(
            publication, S.UNKNOWN, "ambiguous", exc.message, exc.status, now, max_attempts
        )
    except (TransientError, NetworkError) as exc:
        return _retry_or_fail(
            publication, S.SCHEDULED, exc.kind, exc.message, exc.status, now, max_attempts
        )
    except Exception as exc:
        # A bug or an outage of our own (database, storage) after the request may have
        # left: treat it as ambiguous, so the next attempt looks before sending.
        logger.exception("publication %s: unexpected error", publication.pk)
        return _retry_or_fail(
            publication, S.UNKNOWN, "ambiguous", repr(exc)[:500], None, now, max_attempts
        )
    if _published(publication, remote, now):
        return S.PUBLISHED
    return "lost_race"


def _retry_or_fail(publication, to_state, kind, message, status, now, max_attempts) -> str:
    if publication.attempts >= max_attempts:
        final = Message(
            gettext_noop("Abandon après {n} tentatives : {message}"),
            n=publication.attempts,
            message=message,
        )
        if to_state == S.UNKNOWN:
            # It may have gone out: one last look before giving up.
            to_state, kind = S.UNKNOWN, "ambiguous"
            _settle(
                publication,
                to_state,
                kind=kind,
                message=final,
                status=status,
                next_attempt_at=now + dt.timedelta(seconds=backoff_seconds(publication.attempts)),
            )
            return to_state
        _settle(publication, S.FAILED, kind=kind, message=final, status=status)
        return S.FAILED
    retry_at = now + dt.timedelta(seconds=backoff_seconds(publication.attempts))
    _settle(
        publication, to_state, kind=kind, message=message, status=status, next_attempt_at=retry_at
    )
    return to_state
