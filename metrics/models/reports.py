"""Monthly reports: one row per person, library and month, created before the email
is sent (the claim), so a report is never sent twice (metrics.reports)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from libraries.models import Library


class MonthlyReportDelivery(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="monthly_reports"
    )
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="monthly_reports")
    month = models.DateField(_("mois"))  # the first day of the month reported on
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bilan mensuel envoyé")
        verbose_name_plural = _("bilans mensuels envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "library", "month"], name="monthlyreport_once_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.library} {self.month:%Y-%m}"
