"""The contract every network module fulfils: limits, measuring, checking a variant.

Plain dataclasses in and out; nothing here touches the ORM or the network. A network is
an immutable object: `with_config()` returns a configured copy (a Mastodon instance's
own limits, an X account with long posts) and never changes the shared registry entry.

Problems carry a stable `code` (what tests and the composer's logic look at) and a
translatable `message` naming the network and the rule (what people read). Messages are
lazy: they are rendered in the user's language when displayed.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Literal, Self

from django.utils.formats import number_format
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from networks import text as textlib
from networks.client import NetworkClient

Severity = Literal["error", "warning"]
ProblemField = Literal["text", "media", "alt_text", "link", "event"]
AnimatedGif = Literal["never", "alone", "always"]


@dataclass(frozen=True)
class TextLimits:
    """What a network accepts as text. `None` means no limit that we know of.

    `max_length` is in the network's own unit, the one `Network.measure` returns."""

    max_length: int
    max_bytes: int | None = None  # UTF-8 bytes (Bluesky's second limit)
    max_hashtags: int | None = None
    max_mentions: int | None = None
    max_links: int | None = None


@dataclass(frozen=True)
class ImageLimits:
    """What a network accepts as images, per post and per image.

    `formats` are MIME types, the first being what renditions convert to. Aspect ratios
    are width / height (Instagram: 0.8 for 4:5 portrait, 1.91 for 1.91:1 landscape).
    `aspect_fixable`: renditions may pad or crop to bring the ratio within bounds
    (Instagram); elsewhere an image outside the bounds is an error. `animated_gif`:
    "never" (refused), "alone" (only as the post's single image) or "always"."""

    max_count: int
    min_count: int = 0
    max_bytes: int | None = None
    formats: tuple[str, ...] = ("image/jpeg", "image/png")
    min_aspect: float | None = None
    max_aspect: float | None = None
    aspect_fixable: bool = False
    min_width: int | None = None
    max_width: int | None = None
    max_height: int | None = None
    max_pixels: int | None = None
    alt_text_max: int | None = None
    alt_text_supported: bool = True
    animated_gif: AnimatedGif = "never"


@dataclass(frozen=True)
class NetworkLimits:
    text: TextLimits
    image: ImageLimits


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a variant for one network.

    `code` is a stable slug ("text_too_long"); `severity` "error" blocks publishing,
    "warning" informs (including "this image will be converted"); `field` says where to
    show it; `index` is the image's position (0-based) for media and alt-text problems."""

    code: str
    severity: Severity
    message: str | Promise
    field: ProblemField
    index: int | None = None


@dataclass(frozen=True)
class ImageInfo:
    """An image as the rules need to know it (the posts app builds it from a Media)."""

    width: int
    height: int
    bytes: int
    mime_type: str
    alt_text: str = ""
    animated: bool = False


@dataclass(frozen=True)
class VariantInput:
    """What one post would send to one network: its text, its images in order, the
    post's optional link (see `Network.link_in_text`) and its content warning."""

    text: str
    images: list[ImageInfo] = field(default_factory=list)
    link: str | None = None
    # Shown before the text, which stays hidden until the reader opens it (Mastodon's
    # `spoiler_text`); ignored by networks without `supports_content_warning`.
    content_warning: str = ""


def _number(value: float, decimals: int = 0) -> Promise:
    """A number formatted for the reader's locale when the message is rendered."""
    return lazy(number_format, str)(value, decimals, force_grouping=True)


def _megabytes(size: int) -> Promise:
    megabytes = size / 1_000_000
    decimals = 0 if megabytes == int(megabytes) else 1
    return format_lazy(_("{size} Mo"), size=_number(megabytes, decimals))


_TEXT_TEMPLATES = {
    "text_too_long": _("{network} : le texte dépasse {limit} caractères ({count})."),
    "text_too_many_bytes": _("{network} : le texte dépasse {limit} octets ({count})."),
    "too_many_hashtags": _("{network} : pas plus de {limit} hashtags ({count})."),
    "too_many_mentions": _("{network} : pas plus de {limit} mentions ({count})."),
    "too_many_links": _("{network} : pas plus de {limit} liens ({count})."),
}
# "text_too_long" when a content warning counts with the text (Mastodon).
_WITH_WARNING = _(
    "{network} : l'avertissement de contenu et le texte dépassent ensemble "
    "{limit} caractères ({count})."
)


class Network:
    """One social network's rules. Subclasses set the class attributes and `measure`.

    Contract:
    - `measure(text)` returns the length of `text` in the network's unit, counted the
      way the network counts (after `text.prepare_text`, which publishers apply too);
      `remaining(text)` is what is left before `text_limits.max_length` (negative past it).
    - `measure_post(text, content_warning=…)` is the length the limit applies to: the
      text's, plus the content warning's where the network counts it with the text
      (`supports_content_warning`: Mastodon).
    - `final_text(variant)` is the text that will be sent: the variant's text, plus its
      link on a new paragraph when `link_in_text` and the text does not already hold it.
    - `check(variant)` returns every problem, errors and warnings, in a stable order:
      text, images, links. It never raises for bad input; it reports it.
    - `with_config(**overrides)` returns a copy with other limits; keys are the field
      names of TextLimits and ImageLimits (prefixed `text_` / `image_` when both have
      it, e.g. `image_max_bytes`), the class's `config_attributes`, or its
      `config_aliases` (a Mastodon instance's `max_characters`…). Unknown keys raise
      TypeError.
    """

    key: ClassVar[str]
    name: ClassVar[str | Promise]
    text_limits: TextLimits
    image_limits: ImageLimits
    link_in_text: ClassVar[bool] = True
    supports_content_warning: ClassVar[bool] = False
    config_attributes: ClassVar[tuple[str, ...]] = ()
    config_aliases: ClassVar[Mapping[str, str]] = {}

    # --- measuring ----------------------------------------------------------------------
    def measure(self, text: str) -> int:
        raise NotImplementedError

    def remaining(self, text: str, *, content_warning: str = "") -> int:
        return self.text_limits.max_length - self.measure_post(
            text, content_warning=content_warning
        )

    def measure_post(self, text: str, *, content_warning: str = "") -> int:
        """The length the network's limit applies to (see the class's contract)."""
        return self.measure(text)

    def measure_alt_text(self, alt_text: str) -> int:
        """Alt-text length; code points unless the network counts otherwise."""
        return len(textlib.prepare_text(alt_text))

    @property
    def limits(self) -> NetworkLimits:
        return NetworkLimits(self.text_limits, self.image_limits)

    def final_text(self, variant: VariantInput) -> str:
        text = textlib.prepare_text(variant.text)
        link = (variant.link or "").strip()
        if self.link_in_text and link and link not in text:
            text = f"{text.rstrip()}\n\n{link}" if text.strip() else link
        return text

    # --- checking -----------------------------------------------------------------------
    def check(self, variant: VariantInput, *, alt_text_required: bool = False) -> list[Problem]:
        """Every problem of `variant` on this network. `alt_text_required` (a library
        setting) turns a missing alt text from a warning into an error."""
        text = self.final_text(variant)
        problems = list(self._check_text(text, variant))
        problems += self._check_images(variant.images, alt_text_required=alt_text_required)
        problems += self._check_links(text, variant)
        problems += self.extra_checks(variant, text)
        return problems

    def extra_checks(self, variant: VariantInput, text: str) -> list[Problem]:
        """Rules only one network has; `text` is `final_text(variant)`."""
        return []

    def problem(
        self,
        code: str,
        severity: Severity,
        field: ProblemField,
        template: str | Promise,
        index: int | None = None,
        **params: object,
    ) -> Problem:
        message = format_lazy(template, network=self.name, **params)
        return Problem(code=code, severity=severity, message=message, field=field, index=index)

    def _over(
        self, code: str, limit: int | None, count: int, template: str | Promise | None = None
    ) -> Iterator[Problem]:
        if limit is not None and count > limit:
            yield self.problem(
                code,
                "error",
                "text",
                template or _TEXT_TEMPLATES[code],
                limit=_number(limit),
                count=_number(count),
            )

    def _check_text(self, text: str, variant: VariantInput) -> Iterator[Problem]:
        limits = self.text_limits
        if not text.strip() and not variant.images:
            yield self.problem(
                "post_empty",
                "error",
                "text",
                _("{network} : la publication est vide (ni texte ni image)."),
            )
            return
        warning = variant.content_warning.strip() if self.supports_content_warning else ""
        yield from self._over(
            "text_too_long",
            limits.max_length,
            self.measure_post(text, content_warning=warning),
            _WITH_WARNING if warning else None,
        )
        if limits.max_bytes is not None:
            yield from self._over(
                "text_too_many_bytes", limits.max_bytes, textlib.utf8_length(text)
            )
        hashtags = textlib.extract_hashtags(text)
        yield from self._over("too_many_hashtags", limits.max_hashtags, len(hashtags))
        if limits.max_mentions is not None:
            yield from self._over(
                "too_many_mentions", limits.max_mentions, len(textlib.extract_mentions(text))
            )
        if limits.max_links is not None:
            distinct = {url.url for url in textlib.extract_urls(text)}
            yield from self._over("too_many_links", limits.max_links, len(distinct))
        for tag in dict.fromkeys(h.tag for h in hashtags):
            if textlib.hashtag_needs_camel_case(tag):
                yield self.problem(
                    "hashtag_not_camel_case",
                    "warning",
                    "text",
                    _(
                        "{network} : écrivez #{tag} avec une majuscule à chaque mot "
                        "(#CommeCeci) pour que les lecteurs d'écran le lisent bien."
                    ),
                    tag=tag,
                )

    def _check_images(
        self, images: list[ImageInfo], *, alt_text_required: bool
    ) -> Iterator[Problem]:
        limits = self.image_limits
        if len(images) < limits.min_count:
            yield self.problem(
                "image_required",
                "error",
                "media",
                _(
                    "{network} : ajoutez au moins {limit} image ; "
                    "ce réseau ne publie pas de texte seul."
                ),
                limit=limits.min_count,
            )
        if len(images) > limits.max_count:
            yield self.problem(
                "too_many_images",
                "error",
                "media",
                _("{network} : pas plus de {limit} images ({count})."),
                limit=limits.max_count,
                count=len(images),
            )
        for index, image in enumerate(images):
            yield from self._check_image(index, image, alone=len(images) == 1)
            yield from self._check_alt_text(index, image, required=alt_text_required)

    def _check_image(self, index: int, image: ImageInfo, *, alone: bool) -> Iterator[Problem]:
        limits = self.image_limits
        number = index + 1
        gif_policy = limits.animated_gif
        if image.animated and (gif_policy == "never" or (gif_policy == "alone" and not alone)):
            if gif_policy == "never":
                template = _(
                    "{network} : l'image {number} est un GIF animé, que ce réseau n'accepte pas."
                )
                code = "animated_gif_unsupported"
            else:
                template = _(
                    "{network} : un GIF animé doit être la seule image "
                    "de la publication (image {number})."
                )
                code = "animated_gif_not_alone"
            yield self.problem(code, "error", "media", template, index=index, number=number)
            return  # converting it would silently drop the animation
        if image.mime_type not in limits.formats:
            yield self.problem(
                "image_format_will_be_converted",
                "warning",
                "media",
                _("{network} : l'image {number} ({format}) sera convertie en {target}."),
                index=index,
                number=number,
                format=_format_label(image.mime_type),
                target=_format_label(limits.formats[0]),
            )
        if limits.max_bytes is not None and image.bytes > limits.max_bytes:
            yield self.problem(
                "image_will_be_compressed",
                "warning",
                "media",
                _("{network} : l'image {number} pèse {size} ; elle sera allégée sous {limit}."),
                index=index,
                number=number,
                size=_megabytes(image.bytes),
                limit=_megabytes(limits.max_bytes),
            )
        if _needs_resize(limits, image):
            yield self.problem(
                "image_will_be_resized",
                "warning",
                "media",
                _("{network} : l'image {number} ({width} × {height} pixels) sera redimensionnée."),
                index=index,
                number=number,
                width=_number(image.width),
                height=_number(image.height),
            )
        yield from self._check_aspect(index, image)

    def _check_aspect(self, index: int, image: ImageInfo) -> Iterator[Problem]:
        limits = self.image_limits
        if image.width <= 0 or image.height <= 0:
            return
        ratio = image.width / image.height
        too_narrow = limits.min_aspect is not None and ratio < limits.min_aspect
        too_wide = limits.max_aspect is not None and ratio > limits.max_aspect
        if not (too_narrow or too_wide):
            return
        params = {
            "number": index + 1,
            "ratio": _number(ratio, 2),
            "min": _number(limits.min_aspect or 0, 2),
            "max": _number(limits.max_aspect or 0, 2),
        }
        if limits.aspect_fixable:
            yield self.problem(
                "image_aspect_will_be_adjusted",
                "warning",
                "media",
                _(
                    "{network} : les proportions de l'image {number} ({ratio}) seront ajustées "
                    "(marges ou recadrage) entre {min} et {max} (largeur / hauteur)."
                ),
                index=index,
                **params,
            )
        else:
            yield self.problem(
                "image_aspect_unsupported",
                "error",
                "media",
                _(
                    "{network} : les proportions de l'image {number} ({ratio}) sortent des "
                    "limites du réseau, entre {min} et {max} (largeur / hauteur)."
                ),
                index=index,
                **params,
            )

    def _check_alt_text(self, index: int, image: ImageInfo, *, required: bool) -> Iterator[Problem]:
        limits = self.image_limits
        if not limits.alt_text_supported:
            return
        alt_text = image.alt_text.strip()
        if not alt_text:
            yield self.problem(
                "alt_text_missing",
                "error" if required else "warning",
                "alt_text",
                _("{network} : l'image {number} n'a pas de texte alternatif."),
                index=index,
                number=index + 1,
            )
            return
        length = self.measure_alt_text(alt_text)
        if limits.alt_text_max is not None and length > limits.alt_text_max:
            yield self.problem(
                "alt_text_too_long",
                "error",
                "alt_text",
                _(
                    "{network} : le texte alternatif de l'image {number} "
                    "dépasse {limit} caractères ({count})."
                ),
                index=index,
                number=index + 1,
                limit=_number(limits.alt_text_max),
                count=_number(length),
            )

    def _check_links(self, text: str, variant: VariantInput) -> Iterator[Problem]:
        template = _(
            "{network} : le lien {url} n'a pas de paramètres UTM ; ajoutez-les pour savoir "
            "combien de visites viennent de ce réseau."
        )
        seen = set()
        link = (variant.link or "").strip()
        if link and not self.link_in_text:
            seen.add(link)
            if not textlib.has_utm(link):
                yield self.problem("link_without_utm", "warning", "link", template, url=link)
        for url in textlib.extract_urls(text):
            if url.url in seen:
                continue
            seen.add(url.url)
            if not textlib.has_utm(url.url):
                field: ProblemField = "link" if url.url == link else "text"
                yield self.problem("link_without_utm", "warning", field, template, url=url.url)

    # --- configuration ------------------------------------------------------------------
    def with_config(self, **overrides: object) -> Self:
        text_fields = {f.name for f in dataclasses.fields(TextLimits)}
        image_fields = {f.name for f in dataclasses.fields(ImageLimits)}
        text_changes: dict[str, object] = {}
        image_changes: dict[str, object] = {}
        clone = copy.copy(self)
        for raw_key, value in overrides.items():
            key = self.config_aliases.get(raw_key, raw_key)
            if key in self.config_attributes:
                setattr(clone, key, value)
            elif key.startswith("text_") and key[5:] in text_fields:
                text_changes[key[5:]] = value
            elif key.startswith("image_") and key[6:] in image_fields:
                image_changes[key[6:]] = value
            elif key in text_fields and key in image_fields:
                raise TypeError(f"{self.key}: say text_{key} or image_{key}")
            elif key in text_fields:
                text_changes[key] = value
            elif key in image_fields:
                image_changes[key] = value
            else:
                raise TypeError(f"{self.key}: unknown configuration {raw_key!r}")
        if "formats" in image_changes:
            image_changes["formats"] = tuple(image_changes["formats"])  # type: ignore[arg-type]
        clone.text_limits = dataclasses.replace(self.text_limits, **text_changes)  # type: ignore[arg-type]
        clone.image_limits = dataclasses.replace(self.image_limits, **image_changes)  # type: ignore[arg-type]
        return clone

    # --- client -------------------------------------------------------------------------
    def client(self) -> NetworkClient:
        """The network's client (publish, find, delete, connect: `networks.client`)."""
        raise NotImplementedError(f"{self.key}: Annexe cannot publish on this network yet")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key}>"


def _needs_resize(limits: ImageLimits, image: ImageInfo) -> bool:
    """Whether the image is outside the network's dimensions (renditions scale it)."""
    return (
        (limits.min_width is not None and image.width < limits.min_width)
        or (limits.max_width is not None and image.width > limits.max_width)
        or (limits.max_height is not None and image.height > limits.max_height)
        or (limits.max_pixels is not None and image.width * image.height > limits.max_pixels)
    )


def _format_label(mime_type: str) -> str:
    """`image/jpeg` → `JPEG`, for people."""
    return mime_type.rpartition("/")[2].upper() or mime_type
