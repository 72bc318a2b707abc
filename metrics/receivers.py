"""Listen to publishing; the logic is in metrics' services."""

from django.dispatch import receiver

from publishing.signals import account_identity_changed


@receiver(account_identity_changed, dispatch_uid="metrics-reclassify-on-own-account")
def _reclassify_on_own_account(sender, *, account, **kwargs):
    from metrics.colleague_services import own_accounts_changed

    own_accounts_changed(library_id=account.library_id)
