"""Re-encrypt every stored credential with the newest key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones
after it), deploy, run this command, then remove the old keys.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from publishing import crypto
from publishing.models import SocialAccount


class Command(BaseCommand):
    help = "Re-encrypt network credentials with the newest FIELD_ENCRYPTION_KEYS key."

    def handle(self, *args, **options) -> None:
        # Work on the stored tokens directly: Fernet's rotate() re-encrypts
        # without the JSON ever being decoded here.
        table = connection.ops.quote_name(SocialAccount._meta.db_table)
        lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
        select = f"SELECT id, credentials FROM {table}{lock}"  # noqa: S608 - name from model meta
        update = f"UPDATE {table} SET credentials = %s WHERE id = %s"  # noqa: S608 - same
        count = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select)
            for pk, token in cursor.fetchall():
                if token:
                    cursor.execute(update, [crypto.rotate(token), pk])
                    count += 1
        self.stdout.write(f"{count} account(s) re-encrypted with the newest key.")
