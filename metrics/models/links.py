"""Clicks through Annexe's own short redirect (`/l/<code>`).

A `ShortLink` is one URL of one publication (the link of the post, with UTM parameters
added); it is created when the publication is rendered for sending, so only links that
belong to a post can ever be redirected to. A `Click` is one counted visit: known bots
and link-preview fetchers are not counted, and a visitor counts once per link and clock
hour. No IP address is stored: `visitor` is a salted hash of the address and user agent
whose salt changes every day, kept only for the hour it deduplicates
(metrics.links.clicks_forget_visitors clears it afterwards).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models import Publication


class ShortLink(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="short_links"
    )
    # The URL as written in the post, and where /l/<code> sends people (with UTM).
    url = models.URLField(_("lien de la publication"), max_length=1000)
    target_url = models.URLField(_("adresse de destination"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lien court")
        verbose_name_plural = _("liens courts")
        constraints = [
            models.UniqueConstraint(fields=["publication", "url"], name="shortlink_once_per_url")
        ]

    def __str__(self) -> str:
        return f"/l/{self.code} → {self.target_url}"


class Click(models.Model):
    """One counted click (a visitor at most once per link and clock hour)."""

    link = models.ForeignKey(ShortLink, on_delete=models.CASCADE, related_name="clicks")
    # Copied from the link: clicks are summed per publication.
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="clicks")
    hour = models.DateTimeField(_("heure"))
    clicked_at = models.DateTimeField(_("cliqué le"))
    # Daily-salted hash, cleared once its hour is over. NULL (not ""): forgotten
    # visitors must never collide in the unique constraint below.
    visitor = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001

    class Meta:
        verbose_name = _("clic")
        verbose_name_plural = _("clics")
        indexes = [
            models.Index(fields=["publication", "clicked_at"]),
            models.Index(
                fields=["hour"],
                name="click_visitor_kept",
                condition=models.Q(visitor__isnull=False),
            ),
        ]
        constraints = [
            # NULLs are distinct: forgotten visitors never collide.
            models.UniqueConstraint(
                fields=["link", "hour", "visitor"], name="click_once_per_visitor_hour"
            )
        ]

    def __str__(self) -> str:
        return f"{self.link_id} @ {self.clicked_at:%Y-%m-%d %H:%M}"
