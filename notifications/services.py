"""Notify people: in the app at once, by email at once or as a digest in working hours.

Other apps call `notify()`. Emails are sent by Celery: at once when the
notification is urgent or the recipient chose "immediate"; otherwise held
outside the working hours of the recipient's library and sent at the start of
the next working period, all held notifications in one digest (beat task in
notifications/beat.py, every minute).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from libraries.hours import next_working_start
from libraries.models import Library, Membership
from libraries.selectors import LibraryTree
from notifications.models import Notification

Text = str | Promise


def notify(
    *,
    recipients: Iterable[User],
    library: Library | None,
    kind: str,
    title: Text,
    body: Text = "",
    url: str = "",
    urgent: bool = False,
) -> list[Notification]:
    """Create one notification per recipient (in their language) and schedule its email.

    `title` and `body` may be lazy translations (`gettext_lazy`, or
    `django.utils.text.format_lazy` to fill in values): they are rendered in each
    recipient's language. `url` is a path of the site (e.g. the review page); the
    email links to it and the page still requires logging in. `urgent` (e.g. a
    deadline within two hours) sends the email at once, whatever the hours.
    Inactive users and duplicates are skipped. Call it inside the transaction
    that caused it: emails are enqueued on commit.
    """
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return []
    now = timezone.now()
    hours_library = _working_libraries(list(people), library)
    notifications = []
    for user in people.values():
        with translation.override(user.language or settings.LANGUAGE_CODE):
            rendered_title, rendered_body = str(title)[:300], str(body)
        notifications.append(
            Notification(
                recipient=user,
                library=library,
                kind=kind,
                title=rendered_title,
                body=rendered_body,
                url=url,
                urgent=urgent,
                created_at=now,
                email_due_at=_email_due_at(user, hours_library.get(user.pk), urgent, now),
            )
        )
    Notification.objects.bulk_create(notifications)
    send_now = [n.recipient_id for n in notifications if n.email_due_at and n.email_due_at <= now]
    if send_now:
        transaction.on_commit(lambda: _enqueue_emails(send_now))
    return notifications


def _enqueue_emails(recipient_ids: list[int]) -> None:
    from notifications.tasks import send_notification_emails

    send_notification_emails.delay(recipient_ids=recipient_ids)


def _working_libraries(user_ids: list[int], library: Library | None) -> dict[int, Library]:
    """Whose working hours apply to each recipient: the library of their membership
    nearest to `library` (the library itself, then its parents), else any of theirs."""
    tree = LibraryTree.load()
    ancestors = tree.ancestors(library.id) if library else []
    theirs: dict[int, list[int]] = defaultdict(list)
    for user_id, library_id in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "library_id"
    ):
        theirs[user_id].append(library_id)
    chosen: dict[int, int] = {}
    for user_id in user_ids:
        own = theirs.get(user_id, [])
        nearest = next((lid for lid in ancestors if lid in own), None)
        if nearest is None:
            nearest = min(own) if own else (library.id if library else None)
        if nearest is not None:
            chosen[user_id] = nearest
    by_id = Library.objects.in_bulk(set(chosen.values()))
    return {user_id: by_id[lid] for user_id, lid in chosen.items() if lid in by_id}


def _email_due_at(user: User, library: Library | None, urgent: bool, now):
    if not user.email:
        return None
    if urgent or user.notification_mode == User.NotificationMode.IMMEDIATE or library is None:
        return now
    return next_working_start(library.working_hours, library.tzinfo, now) or now


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_emails_send(*, recipient: User, now=None) -> int:
    """Email the recipient's due, unread, not yet emailed notifications: one email, a
    digest when there are several. Returns how many notifications it carried.

    The rows are claimed first with a conditional UPDATE, so two workers (or the
    beat task and an immediate task) never email the same notification twice; a
    failed send releases the claim for the next run.
    """
    now = now or timezone.now()
    if not recipient.email or not recipient.is_active:
        return 0
    batch = uuid.uuid4()
    claimed = Notification.objects.filter(
        recipient=recipient, emailed_at__isnull=True, read_at__isnull=True, email_due_at__lte=now
    ).update(emailed_at=now, email_batch=batch)
    if not claimed:
        return 0
    items = list(
        Notification.objects.filter(email_batch=batch)
        .select_related("library")
        .order_by("created_at", "id")
    )
    try:
        _send_email(recipient, items)
    except Exception:
        Notification.objects.filter(email_batch=batch).update(emailed_at=None, email_batch=None)
        raise
    return len(items)


def notification_emails_send_due(*, now=None) -> int:
    """Every recipient's due emails (the beat task). Returns the number of emails sent."""
    now = now or timezone.now()
    recipient_ids = (
        Notification.objects.filter(
            emailed_at__isnull=True, read_at__isnull=True, email_due_at__lte=now
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(recipient_ids), is_active=True):
        if notification_emails_send(recipient=user, now=now):
            sent += 1
    return sent


def _send_email(recipient: User, items: list[Notification]) -> None:
    site = settings.SITE_URL.rstrip("/")
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        entries = [
            {
                "notification": item,
                "when": timezone.localtime(
                    item.created_at, item.library.tzinfo if item.library else None
                ),
                "link": site + item.url if item.url.startswith("/") else item.url,
            }
            for item in items
        ]
        context = {
            "recipient": recipient,
            "entries": entries,
            "inbox_url": site + "/notifications/",
            "preferences_url": site + "/accounts/preferences/",
        }
        if len(items) == 1:
            subject = _("Annexe : %(title)s") % {"title": items[0].title}
        else:
            subject = ngettext(
                "Annexe : %(count)d notification",
                "Annexe : %(count)d notifications",
                len(items),
            ) % {"count": len(items)}
        text = render_to_string("notifications/email/notifications.txt", context)
        html = render_to_string("notifications/email/notifications.html", context)
    message = EmailMultiAlternatives(
        subject=subject.replace("\n", " "), body=text, to=[recipient.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()
