"""Network credentials are encrypted at rest and survive key rotation."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from publishing.models import SocialAccount
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def _raw(account) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credentials FROM publishing_socialaccount WHERE id = %s", [account.pk]
        )
        return cursor.fetchone()[0]


def test_credentials_are_unreadable_in_the_database():
    account = SocialAccountFactory(credentials={"access_token": "tok-secret-123"})

    assert "tok-secret-123" not in _raw(account)
    assert SocialAccount.objects.get(pk=account.pk).credentials == {
        "access_token": "tok-secret-123"
    }


def test_rotation_re_encrypts_with_the_new_key(settings):
    account = SocialAccountFactory(credentials={"access_token": "tok-1"})
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_credentials", stdout=io.StringIO())

    # Readable with the new key alone.
    assert Fernet(new_key.encode()).decrypt(_raw(account).encode())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert SocialAccount.objects.get(pk=account.pk).credentials == {"access_token": "tok-1"}
