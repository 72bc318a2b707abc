"""Network accounts. (Publications, the dispatcher and the connect flows are
built on top of this by the publishing engine.)"""

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
