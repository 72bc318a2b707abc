from celery.schedules import crontab
from django.conf import settings

BEAT_SCHEDULE = {
    "publishing-check-token-expiry": {
        "task": "publishing.tasks.accounts_check_token_expiry",
        "schedule": crontab(minute=17),
    },
    "publishing-dispatch": {
        "task": "publishing.dispatch",
        "schedule": settings.PUBLISHING_DISPATCH_INTERVAL,
        # A sweep not run in time is replaced by the next one, not piled up.
        "options": {"expires": settings.PUBLISHING_DISPATCH_INTERVAL * 2},
    },
}
