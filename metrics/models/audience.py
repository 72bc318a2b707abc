"""Public vs colleagues: who counts as a colleague, and the engagers seen on each
publication (pseudonymised identifiers only, purged after METRICS_ENGAGER_RETENTION_DAYS).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from publishing.models import Publication


class ColleagueKind(models.TextChoices):
    STAFF = "staff", _("Personnel")
    LIBRARY = "library", _("Autre bibliothèque")
    PROFESSIONAL = "professional", _("Organisme professionnel")
    OTHER = "other", _("Autre")


class ColleagueMatch(models.TextChoices):
    ACCOUNT = "account", _("Un compte")
    DOMAIN = "domain", _("Tout un domaine")


class Colleague(models.Model):
    """An account (`@user@instance`, `handle.bsky.social`, a DID) or a whole domain (an
    instance run by libraries, a Bluesky handle domain) whose likes and shares count as
    colleagues'. Listed by a library's administrators; a branch inherits its parents'
    list. The library's own accounts always count as colleagues (no entry needed)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="colleagues")
    match = models.CharField(
        _("correspondance"),
        max_length=10,
        choices=ColleagueMatch.choices,
        default=ColleagueMatch.ACCOUNT,
    )
    # Normalised by metrics.audience.normalise_identifier: lowercase, no leading "@".
    identifier = models.CharField(_("compte ou domaine"), max_length=300)
    kind = models.CharField(
        _("catégorie"), max_length=20, choices=ColleagueKind.choices, default=ColleagueKind.OTHER
    )
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collègue")
        verbose_name_plural = _("collègues")
        ordering = ["match", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["library", "match", "identifier"], name="colleague_unique"
            )
        ]

    def __str__(self) -> str:
        return self.identifier


class EngagementKind(models.TextChoices):
    LIKE = "like", _("Mention j'aime")
    SHARE = "share", _("Partage")


class Engagement(models.Model):
    """One engager seen on one publication: a keyed hash of the account's stable
    identifier (never the handle or any profile data) and whether it counts as a
    colleague (as seen, then reclassified when the colleague list changes). Used to
    walk engager lists incrementally (stop at the first one already seen); deleted
    METRICS_ENGAGER_RETENTION_DAYS after publication."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="engagements"
    )
    kind = models.CharField(max_length=10, choices=EngagementKind.choices)
    actor = models.CharField(max_length=64)
    # What a colleague entry added later must match (metrics.reclassify), hashed like
    # `actor`: the handle where it differs from the stable identifier (a Bluesky
    # handle; "" otherwise), and " h1 h2 … " the domain and each parent domain
    # (`paris.bibliotheques.fr`, `bibliotheques.fr`, `fr`). "" for engagement seen
    # before these were kept: then only `actor` can be matched again.
    handle_key = models.CharField(max_length=32, blank=True, default="")
    domain_keys = models.TextField(blank=True, default="")
    is_colleague = models.BooleanField(default=False)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        constraints = [
            models.UniqueConstraint(fields=["publication", "kind", "actor"], name="engagement_once")
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.kind}"
