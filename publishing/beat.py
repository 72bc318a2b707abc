from celery.schedules import crontab

BEAT_SCHEDULE = {
    "publishing-check-token-expiry": {
        "task": "publishing.tasks.accounts_check_token_expiry",
        "schedule": crontab(minute=17),
    },
}
