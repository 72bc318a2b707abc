import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory, member

pytestmark = pytest.mark.django_db


def test_login_then_logout(client, network):
    user = member(network.a)

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("libraries:settings")).status_code == 200

    client.post(reverse("logout"))
    assert client.get(reverse("libraries:settings")).status_code == 302


def test_wrong_password_is_explained_in_french(client, network):
    user = member(network.a)

    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})

    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_five_failures_lock_the_account_out_from_that_address(client, network, settings):
    user = member(network.a)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_password_reset_sends_a_working_link(client):
    user = UserFactory(email="lea@example.org")

    client.post(reverse("password_reset"), {"email": "lea@example.org"})

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Une-longue-phrase-42", "new_password2": "Une-longue-phrase-42"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Une-longue-phrase-42")


def test_password_change(client, network):
    user = member(network.a)
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Une-autre-phrase-43",
            "new_password2": "Une-autre-phrase-43",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Une-autre-phrase-43")


def test_preferred_language_applies_at_login(client, network):
    user = member(network.a, language="en")

    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    page = client.get(reverse("libraries:settings"))

    assert client.cookies["django_language"].value == "en"
    assert "Settings" in page.content.decode()
