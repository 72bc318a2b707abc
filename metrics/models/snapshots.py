"""What came back from the networks: one `MetricSnapshot` per refresh of a publication,
and the per-publication refresh bookkeeping (`MetricRefresh`) the beat sweep reads.

Field names here are what the dashboard and exports build on: keep them stable.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models import Publication, SocialAccount


class MetricSnapshot(models.Model):
    """The counts of one publication at `taken_at` (one row per refresh).

    `likes` and `shares` are the network's totals. Where the network lists who liked
    or shared (Mastodon, Bluesky), `colleague_*` counts the engagers classified as
    colleagues (metrics.audience) and `public_*` the rest (total − colleagues, never
    negative); where it does not, `audience_known` is False, `public_*` equal the
    totals and `colleague_*` are 0. Headline figures use `public_*`.
    `impressions` and `reach` are None when the network does not give them;
    `clicks` are counted by Annexe's own redirects (metrics.links), copied here at
    refresh time."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="metric_snapshots"
    )
    taken_at = models.DateTimeField(_("relevé le"))
    likes = models.PositiveIntegerField(_("mentions j'aime"), default=0)
    shares = models.PositiveIntegerField(_("partages"), default=0)
    replies = models.PositiveIntegerField(_("réponses"), default=0)
    quotes = models.PositiveIntegerField(_("citations"), default=0)
    impressions = models.PositiveIntegerField(_("vues"), null=True, blank=True)
    reach = models.PositiveIntegerField(_("portée"), null=True, blank=True)
    clicks = models.PositiveIntegerField(_("clics"), default=0)
    public_likes = models.PositiveIntegerField(_("mentions j'aime du public"), default=0)
    public_shares = models.PositiveIntegerField(_("partages du public"), default=0)
    colleague_likes = models.PositiveIntegerField(_("mentions j'aime des collègues"), default=0)
    colleague_shares = models.PositiveIntegerField(_("partages des collègues"), default=0)
    audience_known = models.BooleanField(_("public distingué des collègues"), default=False)

    class Meta:
        verbose_name = _("relevé de statistiques")
        verbose_name_plural = _("relevés de statistiques")
        ordering = ["publication_id", "taken_at"]
        indexes = [
            models.Index(fields=["publication", "taken_at"]),
            models.Index(fields=["taken_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} @ {self.taken_at:%Y-%m-%d %H:%M}"


class MetricRefresh(models.Model):
    """When a published publication is next asked for its counts (metrics.refresh).

    `next_refresh_at` follows the age tiers (METRICS_REFRESH_TIERS) with jitter and is
    None once the last tier is over (or the post was deleted on the network). A sweep
    claims due rows by setting `claimed_until` (compare-and-set on its old value);
    `latest` points at the newest snapshot so a dashboard needs no "latest per
    publication" subquery. `account` and `published_at` are copied from the
    publication for the sweep's index. `audience_*` hold what the engager lists said
    at the last classification (metrics.audience)."""

    publication = models.OneToOneField(
        Publication, on_delete=models.CASCADE, related_name="metric_refresh"
    )
    account = models.ForeignKey(
        SocialAccount, on_delete=models.CASCADE, related_name="metric_refreshes"
    )
    published_at = models.DateTimeField()
    next_refresh_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    remote_deleted_at = models.DateTimeField(null=True, blank=True)
    refreshes = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    latest = models.ForeignKey(
        MetricSnapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Engager lists: the totals they were last walked for, the colleagues found, and
    # when the identifiers were purged (after that the colleague counts stay as they
    # were and new engagement counts as public).
    audience_likes = models.PositiveIntegerField(default=0)
    audience_shares = models.PositiveIntegerField(default=0)
    colleague_likes = models.PositiveIntegerField(default=0)
    colleague_shares = models.PositiveIntegerField(default=0)
    engagers_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("relevé programmé")
        verbose_name_plural = _("relevés programmés")
        indexes = [
            models.Index(
                fields=["next_refresh_at"],
                name="metricrefresh_due",
                condition=models.Q(next_refresh_at__isnull=False),
            ),
            models.Index(fields=["account", "next_refresh_at"]),
            models.Index(fields=["published_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} → {self.next_refresh_at}"
