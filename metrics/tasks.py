"""Background work of the metrics app: thin tasks that load ids and call one service."""

from celery import shared_task


@shared_task(name="metrics.refresh_sweep", ignore_result=True)
def refresh_sweep() -> None:
    from metrics.refresh import refresh_sweep as sweep

    sweep()


@shared_task(name="metrics.refresh_batch", ignore_result=True)
def refresh_batch(refresh_ids: list[int]) -> str:
    from metrics.refresh import refresh_batch as refresh

    return refresh(refresh_ids=refresh_ids)


@shared_task(name="metrics.refresh_account_daily", ignore_result=True)
def refresh_account_daily(account_ids: list[int] | None = None, resumption: int = 0) -> dict:
    """The daily run (beat), or its resumption after a 429 over the accounts not done."""
    from metrics.account_daily import account_daily_refresh_all

    return account_daily_refresh_all(account_ids=account_ids, resumption=resumption)


@shared_task(name="metrics.purge_engagers", ignore_result=True)
def purge_engagers() -> int:
    from django.utils import timezone

    from metrics.audience import engagers_purge

    return engagers_purge(now=timezone.now())


@shared_task(name="metrics.forget_click_visitors", ignore_result=True)
def forget_click_visitors() -> int:
    from metrics.links import clicks_forget_visitors

    return clicks_forget_visitors()


@shared_task(name="metrics.send_monthly_reports", ignore_result=True)
def send_monthly_reports() -> int:
    from metrics.reports import monthly_reports_send_due

    return monthly_reports_send_due()


@shared_task(name="metrics.reclassify_engagements", ignore_result=True)
def reclassify_engagements(library_id: int) -> None:
    from metrics.reclassify import engagements_reclassify

    engagements_reclassify(library_id=library_id)
