"""Link previews (title, description, image) from a page's Open Graph tags, for
networks whose client must build the card itself (Bluesky's `embed.external`).

Fetching is best effort: any failure gives no card, never a failed post. Only
public addresses are fetched (`networks.http.check_public_url`); the HTTP setting
`link_previews` ("public", "loopback", "off") can restrict fetching to loopback
servers (tests, which must never reach outside hosts) or turn it off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from networks.client import NetworkError
from networks.http import SETTINGS, HttpClient, check_public_url

logger = logging.getLogger("networks.linkcard")

MAX_PAGE_BYTES = 512 * 1024
MAX_IMAGE_BYTES = 5 * 1024 * 1024
_http = HttpClient("link preview")


@dataclass(frozen=True)
class LinkCard:
    url: str
    title: str
    description: str = ""
    image: bytes | None = None
    image_mime_type: str = ""


class _OpenGraph(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (values.get("property") or values.get("name") or "").lower()
            if name and "content" in values:
                self.meta.setdefault(name, values["content"].strip())
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _allowed(url: str) -> bool:
    policy = SETTINGS.link_previews
    if policy == "off":
        return False
    host = urlsplit(url).hostname or ""
    if policy == "loopback" and host not in ("127.0.0.1", "::1", "localhost"):
        return False
    try:
        check_public_url(url)
    except NetworkError:
        return False
    return True


def _get(url: str, limit: int):
    if not _allowed(url):
        return None
    response = _http.request("GET", url, stream=True, timeout=(3, 10))
    body = response.raw.read(limit + 1, decode_content=True)
    response.close()
    if len(body) > limit:
        return None
    return response, body


def fetch_link_card(url: str) -> LinkCard | None:
    """The page's card, or None (not allowed, unreachable, no title)."""
    try:
        fetched = _get(url, MAX_PAGE_BYTES)
        if fetched is None:
            return None
        response, body = fetched
        if "html" not in response.headers.get("Content-Type", "html"):
            return None
        parser = _OpenGraph()
        parser.feed(body.decode(response.encoding or "utf-8", "replace"))
        title = parser.meta.get("og:title") or parser.title.strip()
        if not title:
            return None
        description = parser.meta.get("og:description") or parser.meta.get("description", "")
        image, mime = None, ""
        if parser.meta.get("og:image"):
            image_fetch = _get(urljoin(url, parser.meta["og:image"]), MAX_IMAGE_BYTES)
            if image_fetch is not None:
                image_response, image = image_fetch
                mime = image_response.headers.get("Content-Type", "").split(";")[0]
                if not mime.startswith("image/"):
                    image, mime = None, ""
        return LinkCard(
            url=url,
            title=title[:300],
            description=description[:1000],
            image=image,
            image_mime_type=mime,
        )
    except (NetworkError, OSError, ValueError) as exc:
        logger.info("no link card for %s: %s", urlsplit(url).netloc, exc)
        return None
