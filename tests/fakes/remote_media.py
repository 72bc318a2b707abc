"""Media that a network fetches from a URL, as Meta and Google do.

Instagram and Threads containers, Facebook ``/photos?url=`` and Google
Business Profile ``media[].sourceUrl`` take a public URL that the network
downloads itself. The fakes really download it (so a publisher's signed,
expiring media URLs are exercised), but from loopback addresses only: a fake
never reaches outside the machine.

- ``fetch_media(url)``: GET the URL (loopback hosts only, no redirects),
  returning a ``FetchedMedia`` or raising ``MediaFetchError``.
- ``inspect_image(data)``: format, size in pixels and frames, read by Pillow.
- ``make_image(width, height, fmt)``: image bytes for tests.
- ``FakeMediaHost``: a tiny fake server that serves registered bytes (with a
  journal, latency and failure injection like any fake), to stand for
  Annexe's public media URLs in tests that have no Django live server.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests
from PIL import Image, UnidentifiedImageError

from tests.fakes.base import FakeServer
from tests.fakes.web import FakeRequest, FakeResponse

FETCH_TIMEOUT = 5.0
USER_AGENT = "facebookexternalhit/1.1 (fake network; tests only)"


class MediaFetchError(Exception):
    """The media could not be downloaded; ``reason`` is a short slug."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class FetchedMedia:
    url: str
    status: int
    content_type: str
    data: bytes


@dataclass
class ImageFacts:
    format: str  # Pillow's name: JPEG, PNG, GIF, WEBP, TIFF, HEIF…
    mime_type: str
    width: int
    height: int
    frames: int
    size: int

    @property
    def aspect_ratio(self) -> float:
        return self.width / self.height if self.height else 0.0


@contextmanager
def lock_released(lock: threading.RLock) -> Iterator[None]:
    """Let other requests run while a handler downloads media.

    Handlers run holding the fake's lock once (``FakeServer._dispatch``); a
    download from the same fake (or a slow one) must not hold it."""
    lock.release()
    try:
        yield
    finally:
        lock.acquire()


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(
                ipaddress.ip_address(info[4][0]).is_loopback
                for info in socket.getaddrinfo(host, None)
            )
        except OSError:
            return False


def fetch_media(url: str, *, max_bytes: int = 50_000_000) -> FetchedMedia:
    """Download ``url`` the way a network's crawler would (loopback only)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise MediaFetchError("bad_url", url)
    if not is_loopback_url(url):
        raise MediaFetchError("not_loopback", f"fakes only fetch loopback URLs, not {url}")
    try:
        with requests.get(
            url,
            timeout=FETCH_TIMEOUT,
            allow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            stream=True,
        ) as response:
            data = response.raw.read(max_bytes + 1, decode_content=True)
    except requests.Timeout as exc:
        raise MediaFetchError("timeout", str(exc)) from exc
    except requests.RequestException as exc:
        raise MediaFetchError("unreachable", str(exc)) from exc
    if response.status_code != 200:
        raise MediaFetchError("http_status", str(response.status_code))
    return FetchedMedia(
        url=url,
        status=response.status_code,
        content_type=response.headers.get("Content-Type", "").split(";")[0].strip().lower(),
        data=data,
    )


def inspect_image(data: bytes) -> ImageFacts | None:
    """What Pillow reads in ``data``; None when it is no image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = (image.format or "").upper()
            return ImageFacts(
                format=fmt,
                mime_type=Image.MIME.get(fmt, "application/octet-stream"),
                width=image.width,
                height=image.height,
                frames=getattr(image, "n_frames", 1),
                size=len(data),
            )
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def make_image(width: int, height: int, fmt: str = "JPEG", *, padding: int = 0) -> bytes:
    """A test image of ``width`` × ``height`` in ``fmt``; ``padding`` bytes are
    appended (after the image's end marker) to reach a file size cheaply."""
    image = Image.new("RGB", (width, height), (200, 120, 40))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue() + b"\0" * padding


class FakeMediaHost(FakeServer):
    """Serves bytes at paths: ``host.add("/media/a.jpg", data)`` → ``host.url + path``.

    Stands for Annexe's public, signed media URLs; ``inject`` makes them fail
    (a 404 after the signature expired, a timeout…).
    """

    name = "media-host"
    control_methods: ClassVar[tuple[str, ...]] = ("add_image",)

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0) -> None:
        super().__init__(host=host, port=port, latency=latency)
        self.files: dict[str, tuple[bytes, str]] = {}

    def reset_state(self) -> None:
        self.files = {}

    def add(self, path: str, data: bytes, content_type: str = "image/jpeg") -> str:
        """Serve ``data`` at ``path``; returns the full URL."""
        with self.lock:
            self.files[path] = (data, content_type)
        return self.url + path

    def add_image(
        self, path: str, width: int, height: int, fmt: str = "JPEG", padding: int = 0
    ) -> str:
        mime = Image.MIME.get(fmt.upper(), "application/octet-stream")
        return self.add(path, make_image(width, height, fmt, padding=padding), mime)

    def state(self) -> dict[str, Any]:
        return {path: len(data) for path, (data, _) in self.files.items()}

    def setup_routes(self) -> None:
        self.router.add("GET", r"/.*", self._serve, name="file")

    def _serve(self, request: FakeRequest) -> FakeResponse:
        found = self.files.get(request.path)
        if found is None:
            return FakeResponse(404, b"Not Found", content_type="text/plain")
        data, content_type = found
        return FakeResponse(200, data, content_type=content_type)

    def not_found_response(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(404, b"Not Found", content_type="text/plain")


if __name__ == "__main__":
    FakeMediaHost.main()
