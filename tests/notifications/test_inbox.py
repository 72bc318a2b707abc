"""The bell, the inbox, marking read: a person only ever sees their own notifications."""

import pytest
from django.urls import reverse

from libraries.models import Role
from notifications.models import Notification
from notifications.services import notify
from tests.factories import LibraryFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    return LibraryFactory()


def _one(user, library, url="/settings/"):
    (notification,) = notify(
        recipients=[user], library=library, kind="k", title="Une nouvelle", body="Détail", url=url
    )
    return notification


def test_the_bell_shows_the_unread_count(client, library):
    user = member(library, Role.VALIDATOR)
    _one(user, library)
    _one(user, library)
    client.force_login(user)

    html = client.get(reverse("home"), follow=True).content.decode()

    assert reverse("notifications:inbox") in html
    assert "Notifications : 2 non lues" in html


def test_inbox_lists_and_marks_read(client, library):
    user = member(library, Role.VALIDATOR)
    first, second = _one(user, library), _one(user, library)
    client.force_login(user)

    page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 200
    assert page.content.decode().count('<li class="notification unread') == 2

    client.post(reverse("notifications:mark_read", args=[first.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    unread = client.get(reverse("notifications:inbox") + "?show=unread").content.decode()
    assert unread.count('<li class="notification unread') == 1

    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, library):
    user = member(library, Role.VALIDATOR)
    notification = _one(user, library, url="/settings/members/")
    client.force_login(user)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302 and response.url == "/settings/members/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_an_outside_link_is_not_followed(client, library):
    user = member(library, Role.VALIDATOR)
    notification = _one(user, library, url="https://evil.example/")
    client.force_login(user)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.url == reverse("notifications:inbox")


@pytest.mark.parametrize("url_name", ["notifications:open", "notifications:mark_read"])
def test_someone_elses_notification_does_not_exist(client, library, url_name):
    # Notifications belong to a person, not to a library: even an administrator
    # of the same library cannot open or mark another person's notification.
    owner = member(library, Role.VALIDATOR)
    notification = _one(owner, library)
    client.force_login(member(library, Role.ADMINISTRATOR))

    assert client.get(reverse(url_name, args=[notification.pk])).status_code in (404, 405)
    assert client.post(reverse(url_name, args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_login_is_required(client, library):
    notification = _one(member(library), library)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
