"""The photo pipeline (posts.images) on images generated here: normalising uploads and
making renditions that meet every network's limits, without metadata."""

import io
import zlib

import pytest
from PIL import ExifTags, Image, ImageDraw

from networks import all_networks, get_network
from posts import images

MAX_PIXELS = 50_000_000


# --- images made for the tests ------------------------------------------------------------


def _photo(width: int, height: int, *, noise: bool = False) -> Image.Image:
    """Left half red, right half blue (to see rotations), with detail when `noise`."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    ImageDraw.Draw(image).rectangle((width // 2, 0, width, height), fill=(30, 30, 200))
    if noise:
        grain = Image.effect_noise((width, height), 60).convert("RGB")
        image = Image.blend(image, grain, 0.35)
    return image


def _jpeg(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, **options)
    return buffer.getvalue()


def big_photo_with_gps() -> bytes:
    """6000×4000 JPEG from a phone held upright: EXIF orientation 6 and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 3.0)
    return _jpeg(_photo(6000, 4000, noise=True), exif=exif.tobytes())


def transparent_png() -> bytes:
    image = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((100, 100, 700, 500), fill=(20, 120, 60, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def animated_gif(frames: int = 4, size=(320, 240)) -> bytes:
    pictures = [
        Image.new("RGB", size, (40 * index, 100, 255 - 40 * index)) for index in range(frames)
    ]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=True, append_images=pictures[1:], duration=120, loop=0)
    return buffer.getvalue()


def heic_photo() -> bytes:
    buffer = io.BytesIO()
    _photo(1200, 900).save(buffer, "HEIF", quality=85)
    return buffer.getvalue()


def decompression_bomb() -> bytes:
    """A PNG of 20000×20000 pixels that weighs a few kilobytes."""
    raw = zlib.compress(b"\x00" * (1 + 20000 // 8) * 20000, 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    header = (20000).to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def assert_no_metadata(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), "EXIF left in the file"
    assert "exif" not in image.info and "xmp" not in image.info and "comment" not in image.info
    assert b"Exif\x00\x00" not in data
    assert b"GPS" not in data


# --- normalising uploads ------------------------------------------------------------------


def test_phone_photo_is_oriented_reduced_and_stripped_of_gps():
    normalised = images.normalise(big_photo_with_gps(), max_pixels=MAX_PIXELS, max_side=4096)

    master = normalised.master
    assert (master.mime_type, master.width, master.height) == ("image/jpeg", 2731, 4096)
    assert_no_metadata(master.content)
    assert_no_metadata(normalised.thumbnail.content)
    picture = Image.open(io.BytesIO(master.content)).convert("RGB")
    # Orientation 6: the stored left half (red) is displayed at the top.
    top, bottom = picture.getpixel((1365, 200)), picture.getpixel((1365, 3900))
    assert top[0] > top[2] and bottom[2] > bottom[0]
    assert max(Image.open(io.BytesIO(normalised.thumbnail.content)).size) == 480


def test_a_big_jpeg_is_decoded_at_reduced_scale_when_enough_pixels_remain():
    # 6000 × 4000: half scale keeps 3000 px ≥ min_side; no resampling, same safety.
    normalised = images.normalise(
        big_photo_with_gps(), max_pixels=MAX_PIXELS, max_side=4096, min_side=2560
    )

    master = normalised.master
    assert (master.width, master.height) == (2000, 3000)
    assert_no_metadata(master.content)
    picture = Image.open(io.BytesIO(master.content)).convert("RGB")
    top, bottom = picture.getpixel((1000, 150)), picture.getpixel((1000, 2850))
    assert top[0] > top[2] and bottom[2] > bottom[0]  # still upright


def test_a_jpeg_not_twice_the_minimum_is_decoded_in_full():
    data = _jpeg(_photo(4000, 3000))

    normalised = images.normalise(data, max_pixels=MAX_PIXELS, max_side=4096, min_side=2560)

    assert (normalised.master.width, normalised.master.height) == (4000, 3000)


def test_transparent_png_stays_transparent():
    normalised = images.normalise(transparent_png(), max_pixels=MAX_PIXELS, max_side=4096)

    assert normalised.master.mime_type == "image/png"
    picture = Image.open(io.BytesIO(normalised.master.content))
    assert picture.mode == "RGBA" and picture.getpixel((5, 5))[3] == 0


def test_animated_gif_keeps_its_frames():
    normalised = images.normalise(animated_gif(), max_pixels=MAX_PIXELS, max_side=4096)

    assert normalised.master.animated
    assert Image.open(io.BytesIO(normalised.master.content)).n_frames == 4
    assert normalised.thumbnail.mime_type == "image/jpeg"


def test_heic_from_a_phone_becomes_a_jpeg():
    normalised = images.normalise(heic_photo(), max_pixels=MAX_PIXELS, max_side=4096)

    assert normalised.source_format == "image/heif"
    assert (normalised.master.mime_type, normalised.master.width) == ("image/jpeg", 1200)
    assert_no_metadata(normalised.master.content)


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (big_photo_with_gps()[:150_000], "corrupt", "abîmée ou incomplète"),
        (decompression_bomb(), "too_many_pixels", "bombe de décompression"),
        (b"Ceci est un texte, pas une photo.\n" * 50, "not_an_image", "pas une image"),
        (_jpeg(_photo(400, 300, noise=True))[:2000], "corrupt", "abîmée"),
    ],
    ids=["truncated-jpeg", "20000x20000-bomb", "text-named-jpg", "header-only"],
)
def test_bad_files_are_rejected_with_a_clear_message(data, code, words):
    with pytest.raises(images.ImageRejected) as caught:
        images.normalise(data, max_pixels=MAX_PIXELS, max_side=4096)

    assert caught.value.code == code
    assert words in caught.value.message


def test_too_many_pixels_for_the_configured_limit_names_the_size():
    data = _jpeg(_photo(3000, 2000))

    with pytest.raises(images.ImageRejected) as caught:
        images.normalise(data, max_pixels=1_000_000, max_side=4096)

    assert "3000 × 2000" in caught.value.message


def test_unsupported_format_is_named():
    buffer = io.BytesIO()
    _photo(50, 50).save(buffer, "BMP")

    with pytest.raises(images.ImageRejected) as caught:
        images.normalise(buffer.getvalue(), max_pixels=MAX_PIXELS, max_side=4096)

    assert caught.value.code == "unsupported_format" and "BMP" in caught.value.message


# --- renditions per network -------------------------------------------------------------


def _spec(network) -> images.RenditionSpec:
    limits = network.image_limits
    return images.RenditionSpec(
        formats=tuple(limits.formats),
        max_bytes=limits.max_bytes,
        max_width=limits.max_width,
        max_height=limits.max_height,
        max_pixels=limits.max_pixels,
        min_width=limits.min_width,
        min_aspect=limits.min_aspect,
        max_aspect=limits.max_aspect,
        aspect_fixable=limits.aspect_fixable,
        animated_allowed=limits.animated_gif != "never",
        max_side=2048,
    )


def assert_meets_limits(encoded: images.Encoded, network) -> None:
    limits = network.image_limits
    picture = Image.open(io.BytesIO(encoded.content))
    assert picture.size == (encoded.width, encoded.height)
    assert images.ACCEPTED_FORMATS[picture.format] == encoded.mime_type
    assert encoded.mime_type in limits.formats, network.key
    if limits.max_bytes:
        assert len(encoded.content) <= limits.max_bytes, network.key
    if limits.max_width:
        assert encoded.width <= limits.max_width, network.key
    if limits.min_width:
        assert encoded.width >= limits.min_width, network.key
    if limits.max_height:
        assert encoded.height <= limits.max_height, network.key
    if limits.max_pixels:
        assert encoded.width * encoded.height <= limits.max_pixels, network.key
    ratio = encoded.width / encoded.height
    if limits.min_aspect:
        assert ratio >= limits.min_aspect - 0.01, network.key
    if limits.max_aspect:
        assert ratio <= limits.max_aspect + 0.01, network.key
    assert_no_metadata(encoded.content)


@pytest.fixture(scope="module")
def phone_master() -> bytes:
    return images.normalise(
        big_photo_with_gps(), max_pixels=MAX_PIXELS, max_side=4096
    ).master.content


@pytest.mark.parametrize("network", all_networks(), ids=lambda n: n.key)
@pytest.mark.parametrize("fit", ["pad", "crop"])
def test_renditions_of_a_phone_photo_meet_each_networks_limits(phone_master, network, fit):
    encoded = images.render(phone_master, _spec(network), fit=fit, max_pixels=MAX_PIXELS)

    assert_meets_limits(encoded, network)


@pytest.mark.parametrize("network", all_networks(), ids=lambda n: n.key)
def test_renditions_of_a_transparent_png_meet_each_networks_limits(network):
    master = images.normalise(transparent_png(), max_pixels=MAX_PIXELS, max_side=4096).master

    encoded = images.render(master.content, _spec(network), max_pixels=MAX_PIXELS)

    assert_meets_limits(encoded, network)
    picture = Image.open(io.BytesIO(encoded.content))
    if encoded.mime_type == "image/jpeg":  # flattened on white, not on black
        assert picture.convert("RGB").getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize("network", all_networks(), ids=lambda n: n.key)
def test_animated_gif_renditions_keep_the_animation_or_are_refused(network):
    master = images.normalise(animated_gif(), max_pixels=MAX_PIXELS, max_side=4096).master

    if network.image_limits.animated_gif == "never":
        with pytest.raises(images.RenditionImpossible) as caught:
            images.render(master.content, _spec(network), max_pixels=MAX_PIXELS)
        assert "GIF animés" in caught.value.message
        return
    encoded = images.render(master.content, _spec(network), max_pixels=MAX_PIXELS)
    assert_meets_limits(encoded, network)
    assert Image.open(io.BytesIO(encoded.content)).n_frames == 4


def test_all_renditions_at_once_are_the_renditions_one_by_one(phone_master):
    jobs = {
        (network.key, fit): (_spec(network), fit)
        for network in all_networks()
        for fit in ("pad", "crop")
    }

    together = images.render_many(phone_master, jobs, max_pixels=MAX_PIXELS)

    for (key, fit), (spec, _fit) in jobs.items():
        alone = images.render(phone_master, spec, fit=fit, max_pixels=MAX_PIXELS)
        assert together[(key, fit)] == alone, (key, fit)
        assert_meets_limits(together[(key, fit)], get_network(key))


def test_all_renditions_at_once_report_what_a_network_cannot_take():
    master = images.normalise(
        _jpeg(_photo(100, 1500)), max_pixels=MAX_PIXELS, max_side=4096
    ).master.content
    networks = [get_network("threads"), get_network("mastodon")]

    made = images.render_many(
        master, {n.key: (_spec(n), "pad") for n in networks}, max_pixels=MAX_PIXELS
    )

    assert isinstance(made["threads"], images.RenditionImpossible)
    assert made["threads"].code == "aspect"
    assert made["mastodon"].height == 1500


def test_instagram_pads_by_default_and_crops_on_request():
    wide = images.normalise(_jpeg(_photo(3000, 1000)), max_pixels=MAX_PIXELS, max_side=4096)
    spec = _spec(get_network("instagram"))

    padded = images.render(wide.master.content, spec, fit="pad", max_pixels=MAX_PIXELS)
    cropped = images.render(wide.master.content, spec, fit="crop", max_pixels=MAX_PIXELS)

    assert padded.width / padded.height == pytest.approx(1.91, abs=0.01)
    assert cropped.width / cropped.height == pytest.approx(1.91, abs=0.01)
    top_of_padded = Image.open(io.BytesIO(padded.content)).convert("RGB").getpixel((720, 2))
    assert top_of_padded == (255, 255, 255)  # a margin, not the photo
    assert Image.open(io.BytesIO(cropped.content)).convert("RGB").getpixel((720, 2)) != (
        255,
        255,
        255,
    )


def test_quality_is_as_high_as_the_byte_limit_allows():
    master = images.normalise(
        _jpeg(_photo(2048, 1536, noise=True)), max_pixels=MAX_PIXELS, max_side=4096
    ).master
    at_top_quality = images.render(
        master.content, images.RenditionSpec(formats=("image/jpeg",)), max_pixels=MAX_PIXELS
    )
    limit = len(at_top_quality.content) * 6 // 10
    spec = images.RenditionSpec(formats=("image/jpeg",), max_bytes=limit, max_side=2048)

    encoded = images.render(master.content, spec, max_pixels=MAX_PIXELS)

    assert len(encoded.content) <= limit
    assert (encoded.width, encoded.height) == (2048, 1536)  # quality went down, not size
    # One quality step up would not fit: the search found the best one.
    better = images.render(
        master.content,
        images.RenditionSpec(
            formats=("image/jpeg",), max_bytes=len(encoded.content) - 1, max_side=2048
        ),
        max_pixels=MAX_PIXELS,
    )
    assert len(better.content) < len(encoded.content)


def test_an_image_that_already_fits_is_sent_as_it_is():
    master = images.normalise(_jpeg(_photo(1000, 800)), max_pixels=MAX_PIXELS, max_side=4096)

    encoded = images.render(
        master.master.content, _spec(get_network("mastodon")), max_pixels=MAX_PIXELS
    )

    assert encoded.content == master.master.content


def test_aspect_outside_bounds_is_impossible_where_it_cannot_be_fixed():
    very_tall = images.normalise(_jpeg(_photo(100, 1500)), max_pixels=MAX_PIXELS, max_side=4096)

    with pytest.raises(images.RenditionImpossible) as caught:
        images.render(
            very_tall.master.content, _spec(get_network("threads")), max_pixels=MAX_PIXELS
        )

    assert caught.value.code == "aspect"
