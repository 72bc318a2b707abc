"""An account's own metrics, one value per day (Google Business Profile: how often the
location was seen on Maps and Search, calls, direction requests, website clicks), as
the network counts them; not tied to any post (metrics.account_daily collects them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models import SocialAccount


class AccountDailyMetric(models.Model):
    account = models.ForeignKey(
        SocialAccount, on_delete=models.CASCADE, related_name="daily_metrics"
    )
    day = models.DateField(_("jour"))  # the network's day (the location's own, for Google)
    metric = models.CharField(_("mesure"), max_length=64)  # the network's name
    value = models.BigIntegerField(_("valeur"))
    fetched_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mesure quotidienne d'un compte")
        verbose_name_plural = _("mesures quotidiennes des comptes")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "day", "metric"], name="accountdailymetric_once_per_day"
            )
        ]
        indexes = [models.Index(fields=["day", "account"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day} {self.metric}={self.value}"
