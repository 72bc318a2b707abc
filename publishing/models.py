"""Network accounts. (Publications, the dispatcher and the connect flows are
built on top of this by the publishing engine.)"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from publishing.fields import EncryptedJSONField


class AccountStatus(models.TextChoices):
    CONNECTED = "connected", _("Connecté")
    NEEDS_RECONNECT = "needs_reconnect", _("À reconnecter")
    DISABLED = "disabled", _("Désactivé")


class SocialAccount(models.Model):
    """One account of a library on one network (a Mastodon account, a Facebook Page…)."""

    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="social_accounts")
    network = models.CharField(_("réseau"), max_length=32)
    display_name = models.CharField(_("nom affiché"), max_length=200)
    handle = models.CharField(_("identifiant"), max_length=300, blank=True)
    avatar_url = models.URLField(_("avatar"), max_length=1000, blank=True)
    server_url = models.URLField(
        _("serveur"),
        max_length=300,
        blank=True,
        help_text=_("Pour les réseaux fédérés : l'instance Mastodon, le serveur Bluesky (PDS)."),
    )
    remote_id = models.CharField(_("identifiant sur le réseau"), max_length=300, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=AccountStatus.choices, default=AccountStatus.CONNECTED
    )
    # Tokens, app passwords, refresh tokens: encrypted at rest, never shown back, never logged.
    credentials = EncryptedJSONField(default=dict, blank=True)
    settings = models.JSONField(_("réglages"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        ordering = ["library__name", "network", "display_name"]
        indexes = [models.Index(fields=["library", "network"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.network})"


class PublicationState(models.TextChoices):
    """States of one post on one account (see DESIGN.md "Publishing"). Every change is a
    compare-and-set on the current state, made by publishing.services only."""

    SCHEDULED = "scheduled", _("Programmée")
    QUEUED = "queued", _("En file d'attente")
    PUBLISHING = "publishing", _("Publication en cours")
    PUBLISHED = "published", _("Publiée")
    FAILED = "failed", _("Échec")
    NEEDS_RECONNECT = "needs_reconnect", _("Compte à reconnecter")
    UNKNOWN = "unknown", _("Incertaine (vérification en cours)")
    CANCELLED = "cancelled", _("Annulée")
    MISSED = "missed", _("Non validée à temps")


class PublicationKind(models.TextChoices):
    POST = "post", _("Publication")
    REPOST = "repost", _("Relais (partage)")
    EMAIL = "email", _("Relais par courriel")


class Publication(models.Model):
    """One post on one account (or one relay of a published post).

    `key` is the idempotency key the network sees, chosen once before the first
    attempt and reused by every retry; `lease_expires_at` bounds a `publishing`
    attempt (an expired lease is reconciled, never blindly retried); the dispatcher
    picks up nothing before `next_attempt_at`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="publications")
    account = models.ForeignKey(
        SocialAccount,
        on_delete=models.PROTECT,
        related_name="publications",
        null=True,
        blank=True,
    )
    network = models.CharField(_("réseau"), max_length=32)
    kind = models.CharField(
        _("nature"), max_length=10, choices=PublicationKind.choices, default=PublicationKind.POST
    )
    # A relay (repost or email) points at the publication it relays.
    source = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="relays"
    )
    state = models.CharField(
        _("état"),
        max_length=20,
        choices=PublicationState.choices,
        default=PublicationState.SCHEDULED,
    )
    scheduled_at = models.DateTimeField(_("prévue le"))
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=200, blank=True)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # When the dispatcher last handed it to the broker (a message older than
    # PUBLISHING_REQUEUE_AFTER_SECONDS is presumed lost and sent again).
    queued_at = models.DateTimeField(null=True, blank=True)
    # What the network gave back.
    remote_id = models.CharField(max_length=500, blank=True)
    remote_url = models.URLField(max_length=1000, blank=True)
    remote_data = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    remote_deleted_at = models.DateTimeField(null=True, blank=True)
    # The last problem, in the network's own words.
    error_kind = models.CharField(max_length=20, blank=True)
    error_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error_message = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publication sur un compte")
        verbose_name_plural = _("publications sur les comptes")
        ordering = ["scheduled_at", "id"]
        indexes = [
            models.Index(fields=["state", "scheduled_at"]),
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["state", "lease_expires_at"]),
            models.Index(fields=["account", "state"]),
            models.Index(fields=["published_at"]),
        ]
        constraints = [
            # Exactly once: one live publication of a post on an account.
            models.UniqueConstraint(
                fields=["post", "account", "kind"],
                condition=~models.Q(state="cancelled") & models.Q(source__isnull=True),
                name="publication_once_per_account",
            ),
            models.UniqueConstraint(
                fields=["source", "account", "kind"],
                condition=~models.Q(state="cancelled") & models.Q(source__isnull=False),
                name="publication_relay_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.account_id} ({self.state})"


class PublishingPause(models.Model):
    """Nothing of `library` (and, with `include_branches`, of its branches) goes out
    while a pause is active (`ended_at` empty): mourning, a crisis, the pre-election
    restraint period. Changed by publishing.services.pause only."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="pauses")
    include_branches = models.BooleanField(_("et toutes ses annexes"), default=True)
    reason = models.CharField(_("raison"), max_length=300)
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("pause des publications")
        verbose_name_plural = _("pauses des publications")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["library"],
                condition=models.Q(ended_at__isnull=True),
                name="publishingpause_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.library} ({self.reason})"
