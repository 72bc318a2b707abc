"""Integration: the invitation email is sent by a real Celery worker process."""

import re

import pytest
from django.urls import reverse

from libraries.models import Role
from tests.factories import member
from tests.support.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_invited_member_receives_a_link_to_choose_a_password(
    client, network, celery_worker_process
):
    client.force_login(member(network.a, Role.ADMINISTRATOR))

    client.post(
        reverse("libraries:members"),
        {"add-email": "invite@example.org", "add-role": Role.CONTRIBUTOR},
    )

    messages = wait_until(
        celery_worker_process.sent_mail, timeout=60, message="the invitation email"
    )
    assert "To: invite@example.org" in messages[0]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", messages[0]).group(1)
    # The link works: it leads to the page where the new member chooses a password.
    page = client.get(link, follow=True)
    assert "Choisir un mot de passe" in page.content.decode()
    assert page.context["validlink"]
