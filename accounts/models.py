from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member. Roles are per library, in libraries.Membership."""

    class NotificationMode(models.TextChoices):
        DIGEST = "digest", _("Résumé groupé pendant mes heures de travail")
        IMMEDIATE = "immediate", _("Immédiatement")

    display_name = models.CharField(_("nom affiché"), max_length=150, blank=True)
    language = models.CharField(
        _("langue"), max_length=8, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    notification_mode = models.CharField(
        _("notifications par e-mail"),
        max_length=16,
        choices=NotificationMode.choices,
        default=NotificationMode.DIGEST,
    )

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username
