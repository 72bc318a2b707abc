from celery.schedules import crontab
from django.conf import settings

BEAT_SCHEDULE = {
    "metrics-refresh-sweep": {
        "task": "metrics.refresh_sweep",
        "schedule": settings.METRICS_SWEEP_INTERVAL,
        # A sweep not run in time is replaced by the next one, not piled up.
        "options": {"expires": settings.METRICS_SWEEP_INTERVAL * 2},
    },
    # Accounts' own daily metrics (Google Business Profile locations): once a day.
    "metrics-refresh-account-daily": {
        "task": "metrics.refresh_account_daily",
        "schedule": crontab(hour=4, minute=23),
    },
    "metrics-purge-engagers": {
        "task": "metrics.purge_engagers",
        "schedule": crontab(hour=3, minute=41),
    },
    # Click visitor hashes only deduplicate within their clock hour (metrics.links).
    "metrics-forget-click-visitors": {
        "task": "metrics.forget_click_visitors",
        "schedule": crontab(minute=7),
    },
    # Monthly reports go out at each library's first working moment of the month; the
    # task only sends what is due and not yet sent (metrics.reports).
    "metrics-monthly-reports": {
        "task": "metrics.send_monthly_reports",
        "schedule": crontab(minute="*/15"),
    },
}
