"""The calendar's own data: posting slots and caps (the queue), notable dates,
editorial-mix targets and private iCal feeds.

Posts themselves belong to the posts app; the calendar only reads them and
changes their date through editorial_calendar.services.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from libraries.models import Library

DEFAULT_DAILY_CAP = 3


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class PostingSlot(models.Model):
    """A weekly time at which the queue places posts, for one account.

    While a library has no connected account on a network, slots are set for
    the network itself (account is null). The time is a wall-clock time of the
    library's timezone: 10:00 stays 10:00 across DST changes.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="posting_slots")
    network = models.CharField(_("réseau"), max_length=32)
    account = models.ForeignKey(
        "publishing.SocialAccount",
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="posting_slots",
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    time = models.TimeField(_("heure"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("créneau de publication")
        verbose_name_plural = _("créneaux de publication")
        ordering = ["network", "account_id", "weekday", "time"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "weekday", "time"], name="postingslot_unique_account"
            ),
            models.UniqueConstraint(
                fields=["library", "network", "weekday", "time"],
                condition=Q(account__isnull=True),
                name="postingslot_unique_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.time:%H:%M} ({self.account_id or self.network})"


class DailyCap(models.Model):
    """At most `limit` posts a day on one account (or network, while no account)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="daily_caps")
    network = models.CharField(_("réseau"), max_length=32)
    account = models.ForeignKey(
        "publishing.SocialAccount",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="daily_caps",
    )
    limit = models.PositiveSmallIntegerField(
        _("publications par jour au plus"),
        default=DEFAULT_DAILY_CAP,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    class Meta:
        verbose_name = _("plafond quotidien")
        verbose_name_plural = _("plafonds quotidiens")
        constraints = [
            models.UniqueConstraint(fields=["account"], name="dailycap_unique_account"),
            models.UniqueConstraint(
                fields=["library", "network"],
                condition=Q(account__isnull=True),
                name="dailycap_unique_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id or self.network}: {self.limit}"


class NotableKind(models.TextChoices):
    CULTURAL = "cultural", _("Temps fort culturel")
    CLOSURE = "closure", _("Fermeture")
    EXHIBITION = "exhibition", _("Exposition")
    OTHER = "other", _("Autre")


class NotableDate(models.Model):
    """A date the team plans around: a national cultural event, a closure, an exhibition.

    Shown as a background band on the calendar of the library and, when
    `shared_with_branches`, of all its branches.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="notable_dates")
    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=16, choices=NotableKind.choices, default=NotableKind.CULTURAL
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au (inclus)"))
    yearly = models.BooleanField(_("tous les ans"), default=False)
    shared_with_branches = models.BooleanField(
        _("visible dans les bibliothèques du réseau"), default=True
    )
    description = models.TextField(_("description"), blank=True)
    # The UID of the iCal event it was imported from: importing the same file twice
    # updates instead of duplicating.
    uid = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("date clé")
        verbose_name_plural = _("dates clés")
        ordering = ["start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="notabledate_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["library", "uid"], condition=~Q(uid=""), name="notabledate_unique_uid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin doit être après le début.")})
        long = self.start_date and self.end_date and self.end_date - self.start_date
        if self.yearly and long and long >= dt.timedelta(days=365):
            raise ValidationError({"end_date": _("Une date annuelle dure moins d'un an.")})


class MixTarget(models.Model):
    """The share of a month's posts an editorial line aims at (percent).

    `month` is the first day of a month; null means "every month" unless a
    month has its own target.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="mix_targets")
    editorial_line = models.ForeignKey(
        "posts.EditorialLine",
        verbose_name=_("ligne éditoriale"),
        on_delete=models.CASCADE,
        related_name="mix_targets",
    )
    month = models.DateField(_("mois"), null=True, blank=True)
    share = models.PositiveSmallIntegerField(
        _("part visée (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("objectif de mix éditorial")
        verbose_name_plural = _("objectifs de mix éditorial")
        constraints = [
            models.UniqueConstraint(
                fields=["library", "editorial_line", "month"], name="mixtarget_unique_month"
            ),
            models.UniqueConstraint(
                fields=["library", "editorial_line"],
                condition=Q(month__isnull=True),
                name="mixtarget_unique_default",
            ),
            models.CheckConstraint(condition=Q(share__lte=100), name="mixtarget_share_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.editorial_line_id} {self.month or '*'}: {self.share} %"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private iCal subscription URL for one person and one library.

    The token is the only credential (calendar applications cannot log in), so
    it is long, random and revocable; a revoked token answers 404.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement iCal")
        verbose_name_plural = _("abonnements iCal")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "library"],
                condition=Q(revoked_at__isnull=True),
                name="calendarfeed_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.library}"
