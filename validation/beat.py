BEAT_SCHEDULE = {
    "validation-check-deadlines": {
        "task": "validation.tasks.check_validation_deadlines",
        "schedule": 60.0,
    },
}
