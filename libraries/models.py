import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from libraries.hours import DEFAULT_WORKING_HOURS, parse_working_hours


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("« %(value)s » n'est pas un fuseau horaire connu."), params={"value": value}
        )


def validate_working_hours(value: dict) -> None:
    try:
        parse_working_hours(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def default_working_hours() -> dict:
    return {day: [list(span) for span in spans] for day, spans in DEFAULT_WORKING_HOURS.items()}


class Library(models.Model):
    """A library, or a network of libraries when it has branches.

    Settings such as validation chains, editorial lines and the charter are
    inherited by branches unless a branch defines its own (see each app).
    """

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("réseau parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
    )
    timezone = models.CharField(
        _("fuseau horaire"), max_length=64, default="Europe/Paris", validators=[validate_timezone]
    )
    working_hours = models.JSONField(
        _("heures de travail"),
        default=default_working_hours,
        validators=[validate_working_hours],
        help_text=_("Par jour de la semaine, les plages où l'équipe reçoit ses notifications."),
    )
    alt_text_required = models.BooleanField(
        _("texte alternatif obligatoire"),
        default=True,
        help_text=_(
            "Chaque image doit avoir une description pour les personnes aveugles ou malvoyantes."
        ),
    )
    validation_deadline_hours = models.PositiveIntegerField(
        _("délai de validation (heures)"),
        default=24,
        help_text=_(
            "Combien de temps avant sa publication une publication doit être entièrement validée."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bibliothèque")
        verbose_name_plural = _("bibliothèques")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Role(models.TextChoices):
    CONTRIBUTOR = "contributor", _("Contributeur·rice")
    VALIDATOR = "validator", _("Validateur·rice")
    ADMINISTRATOR = "administrator", _("Administrateur·rice")


ROLE_RANK = {Role.CONTRIBUTOR: 1, Role.VALIDATOR: 2, Role.ADMINISTRATOR: 3}


class Membership(models.Model):
    """A user's role in a library; it also applies to the library's branches."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("rôle"), max_length=16, choices=Role.choices, default=Role.CONTRIBUTOR
    )
    validation_level = models.CharField(
        _("niveau de validation"),
        max_length=100,
        blank=True,
        help_text=_("Pour les validateur·rices : « Responsable de secteur », « Direction »…"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "library"], name="membership_unique_user_library"
            )
        ]
        ordering = ["library__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} — {self.library} ({self.get_role_display()})"

    @property
    def rank(self) -> int:
        return ROLE_RANK[self.role]
