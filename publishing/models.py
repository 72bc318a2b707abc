"""Network accounts, the apps Annexe registers on federated servers, publications
(one post on one account) and relay rules."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from networks.messages import render as messages_render
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
    # Website feed accounts: the unguessable token in the public feed and widget URLs.
    feed_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        ordering = ["library__name", "network", "display_name"]
        indexes = [models.Index(fields=["library", "network"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.network})"

    @property
    def last_error_text(self) -> str:
        """`settings["last_error"]` in the active language (see `networks.messages`)."""
        settings = self.settings or {}
        return messages_render(settings.get("last_error_data"), settings.get("last_error", ""))


class RegisteredApp(models.Model):
    """The app Annexe registered on one server of a federated network (a Mastodon
    instance's `POST /api/v1/apps`): once per server and redirect URI, reused by every
    account connected there. Client id and secret are encrypted like account credentials."""

    network = models.CharField(max_length=32)
    server_url = models.URLField(max_length=300)
    redirect_uri = models.URLField(max_length=500)
    scopes = models.CharField(max_length=500)
    credentials = EncryptedJSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application enregistrée")
        verbose_name_plural = _("applications enregistrées")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "server_url", "redirect_uri", "scopes"],
                name="registeredapp_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.server_url}"


class RelayPartner(models.Model):
    """Someone who receives a ready-to-share summary of a library's posts by email
    (the town's communication service, a partner library)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="relay_partners")
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("adresse électronique"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partenaire relais")
        verbose_name_plural = _("partenaires relais")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["library", "email"], name="relaypartner_unique_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class RelayAction(models.TextChoices):
    REPOST = "repost", _("Partager depuis un autre compte")
    EMAIL = "email", _("Envoyer un résumé par courriel aux partenaires")


class RelayRule(models.Model):
    """When a post is published on `source_account`, relay it after `delay_minutes`:
    repost it from `repost_account`, or email the rule's partners. Each relay is a
    Publication (kind repost or email, `source` = the publication relayed)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="relay_rules")
    source_account = models.ForeignKey(
        SocialAccount,
        verbose_name=_("quand une publication paraît sur"),
        on_delete=models.CASCADE,
        related_name="relay_rules",
    )
    action = models.CharField(_("relais"), max_length=10, choices=RelayAction.choices)
    repost_account = models.ForeignKey(
        SocialAccount,
        verbose_name=_("partager depuis"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    partners = models.ManyToManyField(
        RelayPartner, verbose_name=_("partenaires"), blank=True, related_name="rules"
    )
    delay_minutes = models.PositiveIntegerField(_("après (minutes)"), default=60)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("règle de relais")
        verbose_name_plural = _("règles de relais")
        ordering = ["source_account__display_name", "id"]

    def __str__(self) -> str:
        return f"{self.source_account} → {self.get_action_display()}"


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


# What the engine itself says about a publication, stored as a code (`error_kind`, with
# an empty `error_message`) and translated when shown, so each reader sees it in their own
# language. A network's message is stored as the network gave it.
ENGINE_ERRORS = {
    "lease": _("Le travail de publication s'est interrompu ; vérification sur le réseau."),
}


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
    # The relay rule that created this relay (publishing.relays); one relay per rule
    # and source publication.
    relay_rule = models.ForeignKey(
        RelayRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="publications"
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
    # The message's msgid and parameters (networks.messages) when it has them, so that
    # `error_text` shows it in the reader's language; error_message stays in French.
    error_data = models.JSONField(default=dict, blank=True)
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
            # An email relay has no account: one per rule and source publication.
            models.UniqueConstraint(
                fields=["source", "relay_rule"],
                condition=~models.Q(state="cancelled") & models.Q(relay_rule__isnull=False),
                name="publication_relay_once_per_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.account_id} ({self.state})"

    @property
    def error_text(self) -> str:
        """The last problem in the reader's language: the engine's own messages by their
        code (rows written before they were stored as codes held the French text: the
        code wins, so they read translated too), a network client's by its msgid and
        parameters (`networks.messages`), else the network's words as they came.
        Rows written before `error_data` held the engine's plain messages in French,
        which is their msgid: translated too (a network's words match no msgid)."""
        engine = ENGINE_ERRORS.get(self.error_kind)
        if engine is not None:
            return str(engine)
        if not self.error_data and self.error_message:
            return gettext(self.error_message)
        return messages_render(self.error_data, fallback=self.error_message)


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
