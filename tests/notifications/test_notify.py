"""notify(): one notification per person, in their language; emails never sent twice."""

from unittest import mock

import pytest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from libraries.models import Role
from notifications.models import Notification
from notifications.services import notification_emails_send, notify
from tests.factories import LibraryFactory, member

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_the_text_in_their_language(mailoutbox):
    library = LibraryFactory()
    french = member(library, Role.VALIDATOR, language="fr")
    english = member(library, Role.VALIDATOR, language="en")
    title = format_lazy("{} — {title}", gettext_lazy("Toutes vos notifications"), title="Conte")

    notify(recipients=[french, english, french], library=library, kind="k", title=title, url="/p/")

    by_user = {n.recipient_id: n.title for n in Notification.objects.all()}
    assert by_user == {
        french.pk: "Toutes vos notifications — Conte",
        english.pk: "All your notifications — Conte",
    }


def test_the_email_is_written_in_the_recipients_language(mailoutbox):
    library = LibraryFactory()
    english = member(library, Role.VALIDATOR, language="en", notification_mode="immediate")
    notify(recipients=[english], library=library, kind="k", title="T1", url="/p/")
    notify(recipients=[english], library=library, kind="k", title="T2", url="/p/")

    assert notification_emails_send(recipient=english) == 2

    (email,) = mailoutbox
    assert email.subject == "Annexe: 2 notifications"
    assert "Hello" in email.body
    assert "Logging in to Annexe is required to open these links." in email.body
    assert 'lang="en"' in email.alternatives[0][0]


def test_a_failed_send_releases_the_claim_for_the_next_run(mailoutbox):
    library = LibraryFactory()
    user = member(library, Role.VALIDATOR, notification_mode="immediate")
    notify(recipients=[user], library=library, kind="k", title="T", url="/p/")

    with (
        mock.patch("notifications.services.EmailMultiAlternatives.send", side_effect=OSError),
        pytest.raises(OSError),
    ):
        notification_emails_send(recipient=user)
    assert Notification.objects.get().emailed_at is None

    assert notification_emails_send(recipient=user) == 1
    assert notification_emails_send(recipient=user) == 0
    assert len(mailoutbox) == 1


def test_inactive_users_are_not_notified():
    library = LibraryFactory()
    gone = member(library, Role.VALIDATOR, is_active=False)
    assert notify(recipients=[gone], library=library, kind="k", title="T") == []
