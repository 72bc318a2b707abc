"""The photo pipeline, in plain Pillow: decode uploads safely, normalise them, make
renditions that fit a network's limits. No ORM and no storage here (posts.services.media
does that), so it is easy to test and to benchmark.

Safety. An upload is opened from its bytes, never trusted by its name or its declared
type. Before anything is decoded, its declared size is checked (a "decompression bomb"
is a small file that claims billions of pixels); JPEGs are decoded at a reduced scale
when they are bigger than needed (libjpeg's DCT scaling), which bounds memory; every
decoding error (truncated file, corrupt data, unknown format) becomes an `ImageRejected`
with a message for people, never a crash.

Privacy. Everything this module writes is re-encoded from pixels: no EXIF (GPS position,
camera serial number, date), no XMP, no comments. Only the colour profile (ICC) is kept,
so colours stay right. The EXIF orientation is applied to the pixels first.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageSequence, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

# Pillow's format name -> the MIME type we accept.
ACCEPTED_FORMATS = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",  # some cameras' JPEGs (several pictures); the first is used
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "HEIF": "image/heif",
}
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}
PILLOW_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}

MASTER_QUALITY = 90
THUMBNAIL_SIDE = 480
THUMBNAIL_QUALITY = 80
TOP_QUALITY = 92
LOWEST_QUALITY = 40
MAX_FRAMES = 300


class ImageRejected(Exception):
    """An upload that cannot become a photo; `message` says why, for people."""

    def __init__(self, code: str, message, **params):
        super().__init__(code)
        self.code = code
        self.params = params
        self._message = message

    @property
    def message(self) -> str:
        return str(self._message) % self.params if self.params else str(self._message)

    def __str__(self) -> str:
        return self.message


class RenditionImpossible(Exception):
    """A photo that cannot be made to fit a network even after conversion."""

    def __init__(self, code: str, message, **params):
        super().__init__(code)
        self.code = code
        self.params = params
        self._message = message

    @property
    def message(self) -> str:
        return str(self._message) % self.params if self.params else str(self._message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Encoded:
    content: bytes
    mime_type: str
    width: int
    height: int
    animated: bool = False

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mime_type]


@dataclass(frozen=True)
class Normalised:
    """An upload made safe to store: the master copy and its thumbnail."""

    master: Encoded
    thumbnail: Encoded
    source_format: str


# --- opening ----------------------------------------------------------------------------


def _mp(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f}"


def open_image(data: bytes, *, max_pixels: int, target_side: int | None = None) -> Image.Image:
    """Open `data` as an image without decoding it yet, or raise ImageRejected.

    `max_pixels` bounds what will be decoded. A JPEG whose long side is much larger than
    `target_side` is decoded at 1/2, 1/4 or 1/8 scale (draft mode), so its own size may
    exceed the bound; Pillow's decompression-bomb limit (about 179 megapixels) still
    applies to every file."""
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 megapixels; our own limit below decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ImageRejected(
            "too_many_pixels",
            _(
                "Cette image annonce un nombre de pixels démesuré (une « bombe de "
                "décompression ») : elle est refusée par sécurité."
            ),
        ) from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected(
            "not_an_image",
            _(
                "Ce fichier n'est pas une image reconnue (même si son nom le laisse croire). "
                "Formats acceptés : JPEG, PNG, WebP, GIF, HEIC."
            ),
        ) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise _corrupt() from exc
    if image.format not in ACCEPTED_FORMATS:
        raise ImageRejected(
            "unsupported_format",
            _(
                "Le format %(format)s n'est pas accepté. "
                "Formats acceptés : JPEG, PNG, WebP, GIF, HEIC."
            ),
            format=image.format or "?",
        )
    width, height = image.size
    if width < 1 or height < 1:
        raise _corrupt()
    decoded = width * height
    if image.format in ("JPEG", "MPO") and target_side:
        scale = _draft_scale(image.size, target_side)
        decoded = math.ceil(width / scale) * math.ceil(height / scale)
    if decoded > max_pixels:
        raise ImageRejected(
            "too_many_pixels",
            _(
                "Cette image est trop grande : %(width)s × %(height)s pixels (%(mp)s mégapixels). "
                "Réduisez-la sous %(limit)s mégapixels et réessayez."
            ),
            width=width,
            height=height,
            mp=_mp(width * height),
            limit=_mp(max_pixels),
        )
    return image


def _corrupt() -> ImageRejected:
    return ImageRejected(
        "corrupt",
        _(
            "Cette image est abîmée ou incomplète (le fichier a pu être coupé). "
            "Essayez de l'exporter à nouveau."
        ),
    )


def _draft_scale(size: tuple[int, int], target_side: int) -> int:
    """The largest JPEG DCT scale (1, 2, 4, 8) that keeps the long side ≥ target_side."""
    long_side = max(size)
    for scale in (8, 4, 2):
        if long_side // scale >= target_side:
            return scale
    return 1


def _is_animated(image: Image.Image) -> bool:
    return getattr(image, "n_frames", 1) > 1 and image.format in ("GIF", "WEBP")


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        alpha = image.getchannel("A")
        return alpha.getextrema()[0] < 255
    return image.mode == "P" and "transparency" in image.info


# EXIF orientation -> the transposition that shows the picture upright.
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _decode_still(
    image: Image.Image, *, target_side: int | None, fit_side: int | None = None
) -> Image.Image:
    """Decode a still image in RGB (or RGBA when it has transparency), upright.

    Memory stays low: a JPEG is decoded at reduced scale when `target_side` allows it,
    and the picture is shrunk to `fit_side` before it is rotated (fewer pixels to turn,
    no full-size copy)."""
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        if target_side and image.format in ("JPEG", "MPO"):
            scale = _draft_scale(image.size, target_side)
            if scale > 1:
                image.draft("RGB", (image.width // scale, image.height // scale))
        image.load()
        icc = image.info.get("icc_profile")
        mode = "RGBA" if _has_alpha(image) else "RGB"
        picture = image if image.mode == mode else image.convert(mode)
        if fit_side:
            # The kept copy is never sent as it is; bicubic is sharp enough for it and
            # much faster than Lanczos on 24 megapixels (renditions use Lanczos).
            picture = _fit_within(picture, fit_side, Image.Resampling.BICUBIC)
        if orientation in _ORIENTATION:
            picture = picture.transpose(_ORIENTATION[orientation])
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _corrupt() from exc
    picture.info = {"icc_profile": icc} if icc else {}
    return picture


def _fit_within(
    image: Image.Image, side: int, resample: Image.Resampling = Image.Resampling.LANCZOS
) -> Image.Image:
    if max(image.size) <= side:
        return image
    ratio = side / max(image.size)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    resized = image.resize(size, resample, reducing_gap=3.0)
    resized.info = dict(image.info)
    return resized


# --- encoding ---------------------------------------------------------------------------


def _save(image: Image.Image, mime_type: str, *, quality: int | None = None) -> bytes:
    """Encode pixels only: no EXIF, no XMP, no comment; the ICC profile is kept."""
    buffer = io.BytesIO()
    options: dict = {}
    icc = image.info.get("icc_profile")
    if icc and mime_type != "image/gif":
        options["icc_profile"] = icc
    if mime_type == "image/jpeg":
        if image.mode != "RGB":
            image = _flatten(image)
        options.update(quality=quality or TOP_QUALITY, optimize=False, progressive=False)
    elif mime_type == "image/webp":
        options.update(quality=quality or TOP_QUALITY, method=4)
    elif mime_type == "image/png":
        options.update(compress_level=6)
    image.save(buffer, PILLOW_FORMAT[mime_type], **options)
    return buffer.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGBA → RGB on white (what networks show behind transparent pixels)."""
    if image.mode == "RGB":
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    background.info = dict(image.info)
    return background


def _encoded(image: Image.Image, mime_type: str, quality: int | None = None) -> Encoded:
    return Encoded(_save(image, mime_type, quality=quality), mime_type, image.width, image.height)


def _animation_frames(image: Image.Image, *, side: int | None, max_pixels: int):
    """The frames of an animated GIF/WebP, decoded one by one and resized, with their
    durations; raises ImageRejected when the animation is too big to handle."""
    frames_count = getattr(image, "n_frames", 1)
    if frames_count > MAX_FRAMES or frames_count * image.width * image.height > max_pixels * 4:
        raise ImageRejected(
            "animation_too_large",
            _(
                "Cette animation est trop lourde "
                "(%(frames)s images de %(width)s × %(height)s pixels)."
            ),
            frames=frames_count,
            width=image.width,
            height=image.height,
        )
    frames, durations = [], []
    try:
        for frame in ImageSequence.Iterator(image):
            durations.append(frame.info.get("duration", image.info.get("duration", 100)))
            rgba = frame.convert("RGBA")
            if side:
                rgba = _fit_within(rgba, side)
            frames.append(rgba)
    except (OSError, ValueError, SyntaxError) as exc:
        raise _corrupt() from exc
    return frames, durations, image.info.get("loop", 0)


def _save_gif(frames, durations, loop) -> Encoded:
    buffer = io.BytesIO()
    first, rest = frames[0], frames[1:]
    first.save(
        buffer,
        "GIF",
        save_all=True,
        append_images=rest,
        duration=durations,
        loop=loop,
        disposal=2,
        optimize=False,
    )
    return Encoded(buffer.getvalue(), "image/gif", first.width, first.height, animated=True)


# --- normalising uploads ------------------------------------------------------------------


def normalise(
    data: bytes, *, max_pixels: int, max_side: int, min_side: int | None = None
) -> Normalised:
    """Turn uploaded bytes into the copy Annexe keeps (at most `max_side` pixels on its
    long side, oriented, without metadata) and a thumbnail. Raises ImageRejected.

    With `min_side`, a large JPEG is decoded at 1/2, 1/4 or 1/8 scale (libjpeg's DCT
    scaling) when its long side stays at least `min_side`: a 24-megapixel photo is then
    kept at 3000 × 2000 in a tenth of the time and memory of a full decode and resize
    (renditions are at most MEDIA_RENDITION_MAX_SIDE, 2048 px, so none loses detail)."""
    target_side = min(max_side, min_side) if min_side else max_side
    image = open_image(data, max_pixels=max_pixels, target_side=target_side)
    source_format = ACCEPTED_FORMATS[image.format]
    if _is_animated(image):
        frames, durations, loop = _animation_frames(image, side=max_side, max_pixels=max_pixels)
        master = _save_gif(frames, durations, loop)
        thumbnail = _thumbnail(frames[0])
        return Normalised(master=master, thumbnail=thumbnail, source_format=source_format)
    still = _decode_still(image, target_side=target_side, fit_side=max_side)
    if still.mode == "RGBA":
        master = _encoded(still, "image/png")
    else:
        master = _encoded(still, "image/jpeg", MASTER_QUALITY)
    return Normalised(master=master, thumbnail=_thumbnail(still), source_format=source_format)


def _thumbnail(image: Image.Image) -> Encoded:
    small = _fit_within(image, THUMBNAIL_SIDE)
    if small.mode == "RGBA" and _has_alpha(small):
        return _encoded(small, "image/png")
    return _encoded(_flatten(small), "image/jpeg", THUMBNAIL_QUALITY)


# --- renditions -------------------------------------------------------------------------


@dataclass(frozen=True)
class RenditionSpec:
    """What one network accepts, as far as one image is concerned (built from
    networks' ImageLimits by posts.services.media), plus Annexe's own cap on size."""

    formats: tuple[str, ...] = ("image/jpeg", "image/png")
    max_bytes: int | None = None
    max_width: int | None = None
    max_height: int | None = None
    max_pixels: int | None = None
    min_width: int | None = None
    min_aspect: float | None = None
    max_aspect: float | None = None
    aspect_fixable: bool = False
    animated_allowed: bool = False
    max_side: int | None = 2048
    extra: dict = field(default_factory=dict, compare=False)


def _target_box(width: int, height: int, spec: RenditionSpec, fit: str):
    """(crop box in source pixels, canvas ratio) bringing the image within the aspect
    bounds: crop cuts the centre, pad keeps everything and adds margins later."""
    ratio = width / height
    low = spec.min_aspect or 0
    high = spec.max_aspect or math.inf
    if low <= ratio <= high:
        return (0, 0, width, height), ratio
    if not spec.aspect_fixable:
        raise RenditionImpossible(
            "aspect",
            _(
                "Les proportions de cette photo (%(ratio).2f) sortent des limites du réseau "
                "(entre %(low).2f et %(high).2f, largeur / hauteur)."
            ),
            ratio=ratio,
            low=low,
            high=high if high != math.inf else 0,
        )
    wanted = min(max(ratio, low), high)
    if fit == "pad":
        return (0, 0, width, height), wanted
    if ratio > wanted:  # too wide: keep the full height
        new_width = round(height * wanted)
        left = (width - new_width) // 2
        return (left, 0, left + new_width, height), wanted
    new_height = round(width / wanted)
    top = (height - new_height) // 2
    return (0, top, width, top + new_height), wanted


def _scale_for(width: int, height: int, spec: RenditionSpec) -> float:
    scale = 1.0
    if spec.max_side:
        scale = min(scale, spec.max_side / max(width, height))
    if spec.max_width:
        scale = min(scale, spec.max_width / width)
    if spec.max_height:
        scale = min(scale, spec.max_height / height)
    if spec.max_pixels:
        scale = min(scale, math.sqrt(spec.max_pixels / (width * height)))
    if spec.min_width and width * scale < spec.min_width:
        scale = spec.min_width / width  # Instagram refuses narrow images: enlarge
    return scale


def _output_format(source_mime: str, alpha: bool, spec: RenditionSpec) -> str:
    if alpha:
        for mime in ("image/png", "image/webp"):
            if mime in spec.formats:
                return mime
    if source_mime in spec.formats and source_mime != "image/gif":
        return source_mime
    return "image/jpeg" if "image/jpeg" in spec.formats else spec.formats[0]


def render(data: bytes, spec: RenditionSpec, *, fit: str = "pad", max_pixels: int) -> Encoded:
    """A copy of the image in `data` (a normalised master) that meets `spec`, with the
    highest quality that fits its byte limit. Raises RenditionImpossible."""
    result = render_many(data, {"only": (spec, fit)}, max_pixels=max_pixels)["only"]
    if isinstance(result, RenditionImpossible):
        raise result
    return result


def render_many(
    data: bytes, jobs: dict[Hashable, tuple[RenditionSpec, str]], *, max_pixels: int
) -> dict[Hashable, Encoded | RenditionImpossible]:
    """What `render` gives for each (spec, fit) of `jobs`, for one image: decoded once,
    resized once per output size and encoded once per size and format (most networks
    want the same picture: a photo's renditions for every network cost little more than
    one). A network that cannot take the image gets its RenditionImpossible."""
    image = open_image(data, max_pixels=max_pixels)
    results: dict[Hashable, Encoded | RenditionImpossible] = {}
    if _is_animated(image):
        for key, (spec, _fit) in jobs.items():
            try:
                image.seek(0)
                results[key] = _render_animation(image, data, spec, max_pixels=max_pixels)
            except RenditionImpossible as exc:
                results[key] = exc
        return results
    source_mime = ACCEPTED_FORMATS[image.format]
    plans = {}
    for key, (spec, fit) in jobs.items():
        try:
            box, ratio = _target_box(image.width, image.height, spec, fit)
        except RenditionImpossible as exc:
            results[key] = exc
            continue
        canvas_w, canvas_h = _canvas_size(box, ratio, fit)
        scale = _scale_for(canvas_w, canvas_h, spec)
        unchanged = box == (0, 0, image.width, image.height) and (canvas_w, canvas_h) == image.size
        fits_bytes = spec.max_bytes is None or len(data) <= spec.max_bytes
        if unchanged and scale >= 1 and source_mime in spec.formats and fits_bytes:
            results[key] = Encoded(data, source_mime, image.width, image.height)  # fits
        else:
            plans[key] = (spec, box, ratio, fit, scale)
    if not plans:
        return results
    # Decode no more pixels than each output needs (JPEG draft mode): once per scale.
    source_width, source_size = image.width, image.size  # draft() changes image.size
    by_scale: dict[int, dict] = {}
    for key, plan in plans.items():
        needed = math.ceil(max(source_size) * min(plan[4], 1.0))
        draft = _draft_scale(source_size, needed) if image.format in ("JPEG", "MPO") else 1
        by_scale.setdefault(draft, {})[key] = (plan, needed)
    for group in by_scale.values():
        if image is None:
            image = open_image(data, max_pixels=max_pixels)
        needed = max(need for _plan, need in group.values())
        decoded = _decode_still(image, target_side=needed)
        image = None
        results.update(_render_decoded(decoded, source_width, source_mime, group))
    return results


def _render_decoded(
    decoded: Image.Image, source_width: int, source_mime: str, plans: dict
) -> dict[Hashable, Encoded | RenditionImpossible]:
    """The renditions of `plans` from one decoded picture, sharing resizes and encodes."""
    factor = decoded.width / source_width
    composed: dict[tuple, Image.Image] = {}
    top: dict[tuple, Encoded] = {}
    results: dict[Hashable, Encoded | RenditionImpossible] = {}
    for key, ((spec, box, ratio, fit, scale), _needed) in plans.items():
        if factor != 1:  # decoded at reduced scale: scale the box too
            box = tuple(round(v * factor) for v in box)
        picture_key = (box, round(ratio, 6), round(scale / factor, 6))
        if picture_key not in composed:
            composed[picture_key] = _compose(decoded, box, ratio, fit, scale / factor)
        picture = composed[picture_key]
        mime = _output_format(source_mime, picture.mode == "RGBA", spec)
        if (picture_key, mime) not in top:
            top[(picture_key, mime)] = _encoded(picture, mime, TOP_QUALITY)
        best = top[(picture_key, mime)]
        if spec.max_bytes is None or len(best.content) <= spec.max_bytes:
            results[key] = best
            continue
        try:
            results[key] = _fit_bytes(picture, mime, spec)
        except RenditionImpossible as exc:
            results[key] = exc
    return results


def _canvas_size(box, ratio: float, fit: str) -> tuple[int, int]:
    width, height = box[2] - box[0], box[3] - box[1]
    if fit != "pad" or abs(width / height - ratio) < 1e-3:
        return width, height
    if width / height > ratio:
        return width, round(width / ratio)
    return round(height * ratio), height


def _compose(image: Image.Image, box, ratio: float, fit: str, scale: float) -> Image.Image:
    info = dict(image.info)
    if box != (0, 0, image.width, image.height):
        image = image.crop(box)
    width, height = image.size
    if abs(width / height - ratio) >= 1e-3:  # pad to the wanted ratio
        canvas_w, canvas_h = _canvas_size((0, 0, width, height), ratio, "pad")
        colour = (255, 255, 255, 0) if image.mode == "RGBA" else (255, 255, 255)
        canvas = Image.new(image.mode, (canvas_w, canvas_h), colour)
        canvas.paste(image, ((canvas_w - width) // 2, (canvas_h - height) // 2))
        image = canvas
    if abs(scale - 1.0) > 1e-3:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    image.info = info
    return image


def _fit_bytes(image: Image.Image, mime: str, spec: RenditionSpec) -> Encoded:
    """Encode at the best quality under spec.max_bytes (binary search on quality for
    JPEG and WebP; lossless PNG falls back to JPEG, then smaller sizes)."""
    limit = spec.max_bytes
    for _attempt in range(6):
        if mime in ("image/jpeg", "image/webp"):
            found = _best_quality(image, mime, limit)
            if found is not None:
                return found
        else:
            encoded = _encoded(image, mime)
            if limit is None or len(encoded.content) <= limit:
                return encoded
            if image.mode != "RGBA" and "image/jpeg" in spec.formats:
                mime = "image/jpeg"
                continue
        image = _shrink(image, 0.8)
    raise RenditionImpossible(
        "too_heavy",
        _("Même réduite, cette photo reste trop lourde pour ce réseau (%(limit)s octets au plus)."),
        limit=limit,
    )


def _best_quality(image: Image.Image, mime: str, limit: int | None) -> Encoded | None:
    top = _encoded(image, mime, TOP_QUALITY)
    if limit is None or len(top.content) <= limit:
        return top
    low, high, best = LOWEST_QUALITY, TOP_QUALITY - 1, None
    while low <= high:
        quality = (low + high) // 2
        candidate = _encoded(image, mime, quality)
        if len(candidate.content) <= limit:
            best, low = candidate, quality + 1
        else:
            high = quality - 1
    return best


def _shrink(image: Image.Image, factor: float) -> Image.Image:
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    smaller = image.resize(size, Image.Resampling.LANCZOS)
    smaller.info = dict(image.info)
    return smaller


def _render_animation(image: Image.Image, data: bytes, spec: RenditionSpec, *, max_pixels: int):
    if not spec.animated_allowed or "image/gif" not in spec.formats:
        raise RenditionImpossible(
            "animated_gif_unsupported",
            _("Ce réseau n'accepte pas les GIF animés ; choisissez une image fixe."),
        )
    scale = _scale_for(image.width, image.height, spec)
    if scale >= 1 and (spec.max_bytes is None or len(data) <= spec.max_bytes):
        return Encoded(data, "image/gif", image.width, image.height, animated=True)
    side = max(image.size)
    for _attempt in range(5):
        side = int(side * min(scale, 1.0)) if scale < 1 else int(side * 0.75)
        scale = 1.0
        image.seek(0)
        frames, durations, loop = _animation_frames(image, side=side, max_pixels=max_pixels)
        encoded = _save_gif(frames, durations, loop)
        if spec.max_bytes is None or len(encoded.content) <= spec.max_bytes:
            return encoded
    raise RenditionImpossible(
        "too_heavy",
        _(
            "Même réduite, cette animation reste trop lourde pour ce réseau "
            "(%(limit)s octets au plus)."
        ),
        limit=spec.max_bytes,
    )
