"""The Celery application.

Periodic tasks are declared by each app in `<app>/beat.py` as a dict named
BEAT_SCHEDULE; they are merged here so that no app edits another's schedule.
"""

import importlib
import os
from pathlib import Path

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("annexe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(sender=None, task=None, **kwargs) -> None:
    """Around each task, what Django does around each request: close the connections
    that are broken or older than CONN_MAX_AGE, keep the others (settings:
    CELERY_DB_REUSE_MAX). SQLite's CONN_MAX_AGE is 0: closed after every task."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


def ensure_broker_folders() -> None:
    """The filesystem broker needs its folders before anyone sends or reads (PITFALLS.md)."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def collect_beat_schedule(app_labels: list[str]) -> dict:
    schedule: dict = {}
    for label in app_labels:
        try:
            module = importlib.import_module(f"{label}.beat")
        except ModuleNotFoundError as exc:
            if exc.name != f"{label}.beat":
                raise
            continue
        schedule.update(module.BEAT_SCHEDULE)
    return schedule


@app.on_after_configure.connect
def _configure(sender: Celery, **kwargs) -> None:
    from django.conf import settings

    ensure_broker_folders()
    sender.conf.beat_schedule = collect_beat_schedule(
        [name.split(".")[0] for name in settings.INSTALLED_APPS]
    )
