"""What a post is: its text, its targets, its per-network variants, its media.

State changes never happen here: the review state machine lives in
validation.services, the publishing states in publishing.services. Content
changes go through posts.services, which tells the validation app when the
approved content changed (see posts.signals).
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from libraries.models import Library


class EditorialLine(models.Model):
    """A family of posts (coups de cœur, vie de la bibliothèque, événements…).

    Defined on a library and inherited by its branches; a branch may add its own.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="editorial_lines")
    name = models.CharField(_("nom"), max_length=100)
    colour = models.CharField(
        _("couleur"), max_length=7, default="#1d4e89", help_text=_("Couleur HTML, ex. #1d4e89.")
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ligne éditoriale")
        verbose_name_plural = _("lignes éditoriales")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["library", "name"], name="editorialline_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PostState(models.TextChoices):
    """The life of a post, as a whole. Review states are set by validation.services,
    publishing states by publishing.services (one Publication per target account
    carries the per-network detail)."""

    DRAFT = "draft", _("Brouillon")
    PENDING = "pending", _("En validation")
    CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
    APPROVED = "approved", _("Validée")
    REJECTED = "rejected", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")
    MISSED = "missed", _("Non validée à temps")
    PUBLISHING = "publishing", _("En cours de publication")
    PUBLISHED = "published", _("Publiée")
    FAILED = "failed", _("Échec de publication")
    CANCELLED = "cancelled", _("Annulée")


# States in which the content may still be edited by its author.
EDITABLE_STATES = {
    PostState.DRAFT,
    PostState.CHANGES_REQUESTED,
    PostState.PENDING,
    PostState.APPROVED,
}
# States after which nothing about the post changes any more.
FINAL_STATES = {PostState.PUBLISHED, PostState.REJECTED, PostState.CANCELLED}


class CallToAction(models.TextChoices):
    """The button under a post, on the networks that have one (Google Business Profile's
    `callToAction.actionType`); it opens the post's link, or calls the library."""

    LEARN_MORE = "LEARN_MORE", _("En savoir plus")
    BOOK = "BOOK", _("Réserver")
    SIGN_UP = "SIGN_UP", _("S'inscrire")
    ORDER = "ORDER", _("Commander")
    SHOP = "SHOP", _("Acheter")
    CALL = "CALL", _("Appeler")


class Post(models.Model):
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField(
        _("titre interne"), max_length=200, help_text=_("Pour l'équipe ; n'est pas publié.")
    )
    body = models.TextField(_("texte"), blank=True)
    editorial_line = models.ForeignKey(
        EditorialLine,
        verbose_name=_("ligne éditoriale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    link = models.URLField(_("lien"), max_length=1000, blank=True)
    scheduled_at = models.DateTimeField(
        _("date de publication"), null=True, blank=True, db_index=True
    )
    publish_when_approved = models.BooleanField(
        _("dès que validée"),
        default=False,
        help_text=_("Publier dès la fin de la validation plutôt qu'à une date choisie."),
    )
    notes = models.TextField(_("notes internes"), blank=True)
    # An event the post announces (published as an event where the network has them:
    # Google Business Profile), in UTC like every time; all three or none.
    event_title = models.CharField(_("titre de l'événement"), max_length=200, blank=True)
    event_starts_at = models.DateTimeField(_("début de l'événement"), null=True, blank=True)
    event_ends_at = models.DateTimeField(_("fin de l'événement"), null=True, blank=True)
    # An offer (Google Business Profile OFFER posts): the event above is its title and
    # validity; the code, the online redemption page and the terms are optional.
    is_offer = models.BooleanField(_("c'est une offre"), default=False)
    offer_coupon_code = models.CharField(_("code promo"), max_length=100, blank=True)
    offer_redeem_url = models.URLField(
        _("lien pour profiter de l'offre"), max_length=1000, blank=True
    )
    offer_terms = models.TextField(_("conditions de l'offre"), blank=True)
    call_to_action = models.CharField(
        _("bouton"),
        max_length=16,
        choices=CallToAction.choices,
        blank=True,
        help_text=_("Vide : « En savoir plus » quand la publication a un lien."),
    )
    state = models.CharField(
        _("état"), max_length=20, choices=PostState.choices, default=PostState.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-scheduled_at", "-created_at"]
        indexes = [models.Index(fields=["library", "scheduled_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(publish_when_approved=True, scheduled_at__isnull=False),
                name="post_time_or_asap",
            ),
            models.CheckConstraint(
                condition=Q(event_starts_at__isnull=True)
                | Q(event_ends_at__isnull=True)
                | Q(event_ends_at__gt=F("event_starts_at")),
                name="post_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class PostTarget(models.Model):
    """Where a post goes: a network account (or, before the account is chosen, a network)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="targets")
    network = models.CharField(_("réseau"), max_length=32)
    account = models.ForeignKey(
        "publishing.SocialAccount",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )

    class Meta:
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")
        constraints = [
            models.UniqueConstraint(fields=["post", "account"], name="posttarget_unique_account"),
            models.UniqueConstraint(
                fields=["post", "network"],
                condition=Q(account__isnull=True),
                name="posttarget_unique_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.account or self.network}"


class ImageFit(models.TextChoices):
    """How a photo is brought within a network's aspect ratios (Instagram: 4:5 to 1.91:1)."""

    PAD = "pad", _("Ajouter des marges (toute la photo reste visible)")
    CROP = "crop", _("Recadrer au centre")


class PostVariant(models.Model):
    """A per-network (or per-account) override of the text and/or the media of a post.

    Empty text means "use the master text"; `own_media` False means "use the
    post's media". `content_warning` is for networks that have one (Mastodon's
    `spoiler_text`); it belongs to the approved content like the text.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    network = models.CharField(_("réseau"), max_length=32)
    account = models.ForeignKey(
        "publishing.SocialAccount",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="variants",
    )
    text = models.TextField(_("texte adapté"), blank=True)
    link = models.URLField(
        _("lien adapté"),
        max_length=1000,
        blank=True,
        help_text=_("Vide : le lien de la publication (par exemple avec d'autres paramètres UTM)."),
    )
    content_warning = models.CharField(
        _("avertissement de contenu"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Sur Mastodon : affiché à la place du texte, que l'on ouvre d'un clic ; "
            "les photos sont masquées aussi."
        ),
    )
    own_media = models.BooleanField(_("photos propres à ce réseau"), default=False)
    image_fit = models.CharField(
        _("ajustement des photos"),
        max_length=8,
        choices=ImageFit.choices,
        default=ImageFit.PAD,
        help_text=_("Pour les réseaux aux proportions imposées (Instagram)."),
    )

    class Meta:
        verbose_name = _("variante")
        verbose_name_plural = _("variantes")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "network"],
                condition=Q(account__isnull=True),
                name="postvariant_unique_network",
            ),
            models.UniqueConstraint(fields=["post", "account"], name="postvariant_unique_account"),
        ]

    def __str__(self) -> str:
        return f"{self.post} ({self.account or self.network})"


STORED_EXTENSIONS = {".jpg", ".png", ".gif", ".webp"}


def _extension(filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return suffix if suffix in STORED_EXTENSIONS else ""


def media_upload_to(instance: "Media", filename: str) -> str:
    # Never reuse the uploaded name on disk: it may hold personal data or path tricks.
    # Only the extension of the normalised file (set by posts.services.media) is kept,
    # so that object stores serve the right content type.
    return f"media/{instance.library_id}/{uuid.uuid4().hex}{_extension(filename)}"


def media_thumbnail_to(instance: "Media", filename: str) -> str:
    return f"media/{instance.library_id}/thumbs/{uuid.uuid4().hex}{_extension(filename)}"


def rendition_upload_to(instance: "MediaRendition", filename: str) -> str:
    return (
        f"media/{instance.media.library_id}/renditions/"
        f"{instance.network}-{uuid.uuid4().hex}{_extension(filename)}"
    )


class Media(models.Model):
    """A photo in a library's media library, reusable across posts."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(_("fichier"), upload_to=media_upload_to, max_length=300)
    thumbnail = models.FileField(
        _("vignette"), upload_to=media_thumbnail_to, max_length=300, blank=True
    )
    original_name = models.CharField(_("nom d'origine"), max_length=255, blank=True)
    mime_type = models.CharField(max_length=50, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    bytes = models.PositiveBigIntegerField(default=0)
    animated = models.BooleanField(default=False)
    alt_text = models.TextField(
        _("texte alternatif"),
        blank=True,
        help_text=_("Décrivez l'image pour les personnes qui ne la voient pas."),
    )
    people_recognisable = models.BooleanField(_("personnes reconnaissables"), default=False)
    consent_recorded = models.BooleanField(
        _("autorisation de droit à l'image enregistrée"), default=False
    )
    consent_note = models.CharField(_("note sur l'autorisation"), max_length=300, blank=True)
    credit = models.CharField(_("crédit"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_media",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name or f"#{self.pk}"

    @property
    def thumbnail_url(self) -> str:
        return (self.thumbnail or self.file).url if (self.thumbnail or self.file) else ""


class MediaRendition(models.Model):
    """A copy of a photo made to fit one network's limits (bytes, dimensions, format,
    aspect ratio), made on demand by posts.services.media_rendition_for and kept.

    `spec` is a hash of the limits and settings it was made for: when a network's limits
    change (or an account's instance has other limits), a new rendition is made."""

    media = models.ForeignKey(Media, on_delete=models.CASCADE, related_name="renditions")
    network = models.CharField(max_length=32)
    fit = models.CharField(max_length=8, blank=True)
    spec = models.CharField(max_length=64)
    file = models.FileField(upload_to=rendition_upload_to, max_length=300)
    mime_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("déclinaison de photo")
        verbose_name_plural = _("déclinaisons de photos")
        constraints = [
            models.UniqueConstraint(
                fields=["media", "network", "fit", "spec"], name="mediarendition_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.media_id} → {self.network} {self.width}×{self.height}"


class PostMedia(models.Model):
    """The post's photos, in order."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_media")
    media = models.ForeignKey(Media, on_delete=models.PROTECT, related_name="post_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["post", "media"], name="postmedia_unique")]

    def __str__(self) -> str:
        return f"{self.post_id}#{self.position}: {self.media_id}"


class VariantMedia(models.Model):
    """A variant's own subset and order of photos (when variant.own_media)."""

    variant = models.ForeignKey(PostVariant, on_delete=models.CASCADE, related_name="variant_media")
    media = models.ForeignKey(Media, on_delete=models.PROTECT, related_name="variant_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "media"], name="variantmedia_unique")
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}#{self.position}: {self.media_id}"


class CharterVersion(models.Model):
    """One version of a library's editorial charter. Saving the charter adds a version;
    the latest version of the nearest library up the tree is the one in force
    (a branch inherits its network's charter until it writes its own).

    Texts are Markdown, rendered and sanitised (posts.charter)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="charter_versions")
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(
        _("charte générale"),
        blank=True,
        help_text=_("Ton, ce que l'on publie et ce que l'on ne publie pas, lignes éditoriales…"),
    )
    sections = models.JSONField(_("sections par réseau"), default=dict, blank=True)
    house_hashtags = models.CharField(
        _("hashtags maison"),
        max_length=500,
        blank=True,
        help_text=_("Séparés par des espaces, ex. #MédiathèqueJulesVerne #LireEnOise."),
    )
    signature = models.CharField(
        _("signature"),
        max_length=200,
        blank=True,
        help_text=_("Ex. « — L'équipe de la médiathèque »."),
    )
    signature_networks = models.JSONField(
        _("réseaux qui demandent la signature"), default=list, blank=True
    )
    note = models.CharField(_("ce qui a changé"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version de la charte éditoriale")
        verbose_name_plural = _("versions de la charte éditoriale")
        ordering = ["library", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["library", "number"], name="charterversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.library} v{self.number}"
