"""Printed by `make run` before the processes start: the URL and the demo logins."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from libraries.demo import DEMO_PASSWORD, DEMO_PEOPLE


class Command(BaseCommand):
    help = "Print the URL of the app and the demo logins."

    def handle(self, *args, **options) -> None:
        port = os.environ.get("PORT", "8000")
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
        lines = [
            "",
            f"  Annexe: http://127.0.0.1:{port}/   (database: {database}, broker: {broker})",
            f"  Demo logins, all with the password {DEMO_PASSWORD!r}:",
        ]
        for username, display_name, role, level, _library in DEMO_PEOPLE:
            detail = role + (f", {level}" if level else "")
            lines.append(f"    {username:<14} {display_name:<24} {detail}")
        lines.append(
            "  The web server, a Celery worker and Celery beat run together; Ctrl-C stops them all."
        )
        lines.append("")
        self.stdout.write("\n".join(lines))
