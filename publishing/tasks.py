"""Background work of the publishing app: thin tasks that load ids and call one service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(ignore_result=True)
def accounts_check_token_expiry() -> None:
    """Refresh tokens ahead of expiry, remind administrators of the others (hourly)."""
    from publishing.expiry import expiry_check

    expiry_check()


@shared_task(name="publishing.dispatch", ignore_result=True)
def dispatch() -> None:
    from publishing import services

    services.dispatch_due()


@shared_task(
    name="publishing.publish_publication",
    ignore_result=True,
    # The database refused a connection ("too many clients", a restart): try again in
    # a few seconds rather than drop the message (the dispatcher would only send it
    # again after PUBLISHING_REQUEUE_AFTER_SECONDS). A retry is harmless: the claim is
    # a compare-and-set, and an attempt cut short after its claim is reconciled.
    autoretry_for=(InterfaceError, OperationalError),
    retry_backoff=1,
    retry_backoff_max=30,
    retry_jitter=True,
    max_retries=8,
)
def publish_publication(publication_id: int) -> str:
    from publishing import services

    return services.publication_publish(publication_id=publication_id)


@shared_task(
    name="publishing.delete_publication",
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    max_retries=5,
)
def delete_publication(publication_id: int) -> None:
    from publishing import services

    services.publication_delete_remote(publication_id=publication_id)
