"""Load the demo data, idempotently: `python manage.py seed_demo`.

Each app may provide `<app>/demo.py` with `seed(ctx)`; they run in the order of
INSTALLED_APPS, which follows the dependency order of the apps. A module may also
provide `seed_late(ctx)`, run once every app has seeded, for demo data that uses what
apps after it make (the calendar's posts go to the accounts publishing makes).
"""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from libraries import demo as libraries_demo


class Command(BaseCommand):
    help = "Create the demo network of libraries, its team and its content (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            ctx = libraries_demo.seed()
            modules = []
            for app in settings.INSTALLED_APPS:
                label = app.split(".")[0]
                if label == "libraries":
                    continue
                try:
                    module = importlib.import_module(f"{label}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{label}.demo":
                        raise
                    continue
                module.seed(ctx)
                modules.append(module)
                self.stdout.write(f"  demo data: {label}")
            for module in modules:
                if hasattr(module, "seed_late"):
                    module.seed_late(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
