import json

from django.db import models

from publishing import crypto


class EncryptedJSONField(models.TextField):
    """A JSON object stored as a Fernet token: unreadable in the database and in backups."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return {}
        return json.loads(crypto.decrypt(value))

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        if value in (None, ""):
            return {}
        return json.loads(crypto.decrypt(value))

    def get_prep_value(self, value):
        if value is None:
            value = {}
        return crypto.encrypt(json.dumps(value, sort_keys=True))

    def value_to_string(self, obj):
        # Serialisation (dumpdata) never exposes credentials.
        return ""
