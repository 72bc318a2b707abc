BEAT_SCHEDULE = {
    "notifications-send-due-emails": {
        "task": "notifications.tasks.send_due_notification_emails",
        "schedule": 60.0,
    },
}
