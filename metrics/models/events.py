"""Events announced by posts: attendance entered by staff after the event, and a public
anonymous one-question survey ("Comment avez-vous connu cet événement ?") reached by a
printed QR code. Answers store the channel and the time only, nothing about the person.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from libraries.models import Library


class Channel(models.TextChoices):
    """How people heard of an event. Each social network is its own channel too
    ("network:<key>", see metrics.events.survey_choices)."""

    PORTAL = "portal", _("Le site de la bibliothèque")
    POSTERS = "posters", _("Une affiche ou un dépliant")
    WORD_OF_MOUTH = "word_of_mouth", _("Le bouche-à-oreille")
    OTHER = "other", _("Autrement")


class Event(models.Model):
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("titre"), max_length=200)
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("jauge"), null=True, blank=True)
    attendance = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    posts = models.ManyToManyField(
        "posts.Post", verbose_name=_("publications"), blank=True, related_name="events"
    )
    # Unguessable: the public survey page and its QR code live at /metrics/s/<token>/.
    survey_token = models.CharField(max_length=32, unique=True)
    survey_open = models.BooleanField(_("questionnaire ouvert"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["library", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class SurveyAnswer(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="answers")
    channel = models.CharField(_("canal"), max_length=40)
    answered_at = models.DateTimeField(_("répondu le"))

    class Meta:
        verbose_name = _("réponse au questionnaire")
        verbose_name_plural = _("réponses au questionnaire")
        indexes = [models.Index(fields=["event", "channel"])]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.channel}"
