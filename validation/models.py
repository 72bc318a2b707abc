"""Validation chains, the review of each post, its append-only trail, absences.

Post.state itself lives on posts.Post and is written only by validation.services.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from networks.messages import render as messages_render
from posts.models import EditorialLine, Post


class Chain(models.Model):
    """How the posts of a library are approved: its default chain (no editorial
    line) or the chain of one editorial line. `requires_validation` False means
    "no validation": posts are approved as soon as they are submitted.
    Branches without a chain of their own inherit their parent's
    (validation.selectors.chain_for)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="validation_chains")
    editorial_line = models.ForeignKey(
        EditorialLine,
        verbose_name=_("ligne éditoriale"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="validation_chains",
    )
    requires_validation = models.BooleanField(_("validation requise"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("circuit de validation")
        verbose_name_plural = _("circuits de validation")
        constraints = [
            models.UniqueConstraint(
                fields=["library"],
                condition=Q(editorial_line__isnull=True),
                name="chain_unique_default",
            ),
            models.UniqueConstraint(fields=["library", "editorial_line"], name="chain_unique_line"),
        ]

    def __str__(self) -> str:
        return f"{self.library} — {self.editorial_line or _('par défaut')}"


class ChainLevel(models.Model):
    """One level of a chain. Satisfied by one approval from any member holding
    `validation_level` (Membership.validation_level) or from one of `people`;
    with `require_all`, by an approval from every one of `people`."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("nom de l'étape"), max_length=100)
    validation_level = models.CharField(
        _("niveau de validation"),
        max_length=100,
        blank=True,
        help_text=_("Toute personne ayant ce niveau peut valider (ex. « Direction »)."),
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("personnes nommées"), blank=True, related_name="+"
    )
    require_all = models.BooleanField(_("toutes ces personnes"), default=False)

    class Meta:
        verbose_name = _("étape de validation")
        verbose_name_plural = _("étapes de validation")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    """Where a post stands in its chain. The chain's levels are copied into
    ReviewLevel rows when the post is submitted (or reset), so editing a chain
    does not change the rules under a post already in review. `round` grows at
    each submission and each reset: approvals count only in the current round."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="review")
    chain = models.ForeignKey(
        Chain, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    round = models.PositiveIntegerField(default=0)
    current_level = models.ForeignKey(
        "ReviewLevel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The content's fingerprint, kept current on every content change (for the
    # queue's stale-page check without recomputing each post's snapshot).
    fingerprint = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    level_since = models.DateTimeField(null=True, blank=True)
    approved_fingerprint = models.CharField(max_length=64, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("validation d'une publication")
        verbose_name_plural = _("validations des publications")

    def __str__(self) -> str:
        return f"{self.post} (round {self.round})"


class ReviewLevel(models.Model):
    """A chain level as it was when the post was submitted."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    validation_level = models.CharField(max_length=100, blank=True)
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    require_all = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "position"], name="reviewlevel_unique")
        ]
        indexes = [models.Index(fields=["validation_level"])]

    def __str__(self) -> str:
        return self.name


class Action(models.TextChoices):
    SUBMIT = "submit", _("Soumise à validation")
    APPROVE = "approve", _("Validée")
    REQUEST_CHANGES = "request_changes", _("Modifications demandées")
    REJECT = "reject", _("Refusée")
    WITHDRAW = "withdraw", _("Retirée")
    REOPEN = "reopen", _("Remise en brouillon")
    FORCE_APPROVE = "force_approve", _("Validation forcée")
    FORCE_REJECT = "force_reject", _("Refus forcé")
    RESET = "reset", _("Modifiée : validations remises à zéro")
    COMMENT = "comment", _("Commentaire")
    MISSED = "missed", _("Non validée à temps")
    PUBLISHING = "publishing", _("Publication en cours")
    PUBLISHED = "published", _("Publiée")
    FAILED = "failed", _("Échec de publication")
    REQUEUE = "requeue", _("Remise en attente de publication")
    CANCEL = "cancel", _("Annulée")


# The actions whose comment is Annexe's (a publication's failure, a missed deadline…),
# never a person's words.
SYSTEM_COMMENT_ACTIONS = {
    Action.FAILED,
    Action.MISSED,
    Action.RESET,
    Action.REQUEUE,
    Action.CANCEL,
    Action.PUBLISHING,
    Action.PUBLISHED,
}


class ReviewEvent(models.Model):
    """The append-only trail of a post: every transition and decision, with who,
    when, from, to, the comment and the content (fingerprint and snapshot) it
    concerned. Never updated, never deleted (save() and delete() refuse)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="review_events")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("en remplacement de"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    round = models.PositiveIntegerField(default=0)
    level_position = models.PositiveSmallIntegerField(null=True, blank=True)
    level_name = models.CharField(max_length=100, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    # When Annexe wrote the comment (a publication's failure, in a worker): its msgid and
    # parameters (networks.messages), so that `comment_text` shows it in the reader's
    # language; `comment` keeps the French text.
    comment_data = models.JSONField(default=dict, blank=True)
    forced = models.BooleanField(default=False)
    fingerprint = models.CharField(max_length=64, blank=True)
    snapshot = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("événement de validation")
        verbose_name_plural = _("journal de validation")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "round", "action"]),
            models.Index(fields=["library", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.action} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The validation trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The validation trail is append-only.")

    @property
    def comment_text(self) -> str:
        """The comment in the reader's language when Annexe wrote it; people's comments
        as they typed them. Annexe's comments stored before `comment_data` hold the
        French text, which is the msgid of the plain ones: translated too."""
        if self.comment_data:
            return messages_render(self.comment_data, fallback=self.comment)
        if self.comment and self.action in SYSTEM_COMMENT_ACTIONS:
            return gettext(self.comment)
        return self.comment


class Absence(models.Model):
    """A validator away from `starts_at` to `ends_at`: meanwhile `substitute` acts
    at their levels in `library` (and its branches) and gets their notifications."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="absences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne absente"),
        on_delete=models.CASCADE,
        related_name="absences",
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("remplaçant·e"),
        on_delete=models.CASCADE,
        related_name="substitutions",
    )
    starts_at = models.DateTimeField(_("du"))
    ends_at = models.DateTimeField(_("au"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="absence_ends"),
            models.CheckConstraint(
                condition=~Q(substitute=F("user")), name="absence_other_substitute"
            ),
        ]
        indexes = [models.Index(fields=["substitute", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.substitute}"
