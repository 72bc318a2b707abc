"""Background work of the publishing app: thin tasks that load ids and call one service."""

from celery import shared_task


@shared_task(ignore_result=True)
def accounts_check_token_expiry() -> None:
    """Refresh tokens ahead of expiry, remind administrators of the others (hourly)."""
    from publishing.expiry import expiry_check

    expiry_check()
