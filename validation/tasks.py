from celery import shared_task

from validation.services import deadlines_check


@shared_task
def check_validation_deadlines() -> dict[str, int]:
    """Beat: reminders before the approval deadline, escalation after it, and
    `missed` for posts whose publication time came before their approval."""
    return deadlines_check()
