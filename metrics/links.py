"""Short links with UTM parameters, and counting the clicks on them.

`tracked_url(publication, url)` is registered as a publishing link rewriter
(metrics.apps): when a publication is rendered for sending, the post's link and every
http(s) link typed in its text become `<SITE_URL>/l/<code>`, deterministic for that
publication (a retry sends the same text). Links inside hashtags and mentions are not
links (publishing.services.render and posts.published_links pick the same ones). The
composer measures the text with `short_link_shape` in place of each link, a string as
long as the short link will be, so its counter matches what is sent on networks that
count a link by its length. METRICS_CLICK_TRACKING=false turns all of it off: links go
out as typed. `/l/<code>` redirects to the link with `utm_source=<network>`,
`utm_medium=social` and `utm_campaign=<editorial line>` added by the composer's own
rules (networks.text.add_utm: utm_… parameters already in the link are kept).

A click is counted (`click_record`) unless the user agent is a known bot or link
preview fetcher (`is_bot`), and at most once per visitor, link and clock hour. The
visitor is an HMAC of the address and user agent keyed with SECRET_KEY and the date
(so yesterday's hashes cannot be linked with today's); the address itself is never
stored, and the hash is cleared once its hour is over (`clicks_forget_visitors`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from metrics.models import Click, ShortLink
from networks.text import add_utm
from posts.composer import utm_campaign
from publishing.models import Publication

logger = logging.getLogger(__name__)

# Substrings (lowercase) of the user agents of crawlers, link-preview fetchers (the
# networks' own, chat apps', Mastodon/fediverse servers fetching cards), monitoring
# and HTTP libraries. A preview fetch is not a person clicking.
BOT_USER_AGENTS: tuple[str, ...] = (
    "bot",  # Googlebot, bingbot, Twitterbot, LinkedInBot, Slackbot, Discordbot, TelegramBot…
    "crawler",
    "spider",
    "slurp",
    "facebookexternalhit",
    "facebookcatalog",
    "meta-externalagent",
    "meta-externalfetcher",
    "whatsapp",
    "skypeuripreview",
    "iframely",
    "embedly",
    "cardyb",  # Bluesky's card fetcher
    "mastodon/",  # "http.rb/… (Mastodon/4.3; +https://instance/)"
    "pleroma",
    "akkoma",
    "misskey",
    "friendica",
    "pixelfed",
    "lemmy",
    "snac/",
    "gotosocial",
    "google-pagerenderer",
    "google-inspectiontool",
    "googleother",
    "apis-google",
    "mediapartners",
    "feedfetcher",
    "preview",
    "headlesschrome",
    "phantomjs",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "httpx",
    "go-http-client",
    "okhttp",
    "java/",
    "curl/",
    "wget",
    "libwww",
    "node-fetch",
    "axios/",
    "scrapy",
    "uptime",
    "pingdom",
    "monitor",
)

CODE_PATTERN = r"[A-Za-z0-9_-]{6,16}"
CODE_BYTES = 6
CODE_LENGTH = 8  # secrets.token_urlsafe(6): 6 random bytes in unpadded base64
_CODE_RE = re.compile(rf"^{CODE_PATTERN}$")


def is_bot(user_agent: str) -> bool:
    """True for an empty user agent or a known bot / link-preview fetcher."""
    agent = (user_agent or "").strip().lower()
    return not agent or any(marker in agent for marker in BOT_USER_AGENTS)


def short_url(code: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/l/{code}"


def _is_own_short_url(url: str) -> bool:
    prefix = settings.SITE_URL.rstrip("/") + "/l/"
    return url.startswith(prefix)


def _belongs_to_post(publication: Publication, url: str) -> bool:
    post = publication.post
    if url == post.link or url in (post.body or ""):
        return True
    return any(url == v.link or url in (v.text or "") for v in post.variants.all())


def short_link_for(*, publication: Publication, url: str) -> ShortLink:
    """The short link of `url` in `publication` (created once; the same one ever after).

    Refuses (ValueError) a URL that is not http(s) or does not appear in the post:
    /l/ can only ever send people where a post of the library already points."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ValueError("only http(s) links are shortened")
    existing = ShortLink.objects.filter(publication=publication, url=url).first()
    if existing is not None:
        return existing
    if not _belongs_to_post(publication, url):
        raise ValueError("the link does not belong to the post")
    # The composer's own UTM rules: existing utm_… parameters win, query kept as written.
    campaign = utm_campaign(editorial_line=publication.post.editorial_line)
    target = add_utm(url, source=publication.network, campaign=campaign)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ShortLink.objects.create(
                    code=secrets.token_urlsafe(CODE_BYTES),
                    publication=publication,
                    url=url,
                    target_url=target,
                )
        except IntegrityError:
            # Another render of the same publication won the race, or (rarely) the
            # random code was taken: read the winner, else draw another code.
            existing = ShortLink.objects.filter(publication=publication, url=url).first()
            if existing is not None:
                return existing
    raise RuntimeError("could not draw a free short-link code")


def _tracked(url: str) -> bool:
    return (
        settings.METRICS_CLICK_TRACKING
        and not _is_own_short_url(url)
        and urlsplit(url).scheme.lower() in ("http", "https")
        and bool(urlsplit(url).netloc)
    )


def tracked_url(publication: Publication, url: str) -> str:
    """The link rewriter (publishing.hooks): a link of the post through /l/<code>."""
    if not _tracked(url) or getattr(publication, "kind", "post") != "post":
        return url
    try:
        return short_url(short_link_for(publication=publication, url=url).code)
    except ValueError:
        # Not found in the post as stored (the text was changed on its way out):
        # sent as typed rather than redirecting anywhere it was not written.
        logger.warning("link of publication %s not shortened: %s", publication.pk, url)
        return url


def short_link_shape(url: str) -> str:
    """What the composer measures in place of `url` (posts.published_links): as long as
    the short link `url` will be published as, or `url` when it stays as typed."""
    return short_url("x" * CODE_LENGTH) if _tracked(url) else url


def link_get(code: str) -> ShortLink | None:
    if not _CODE_RE.match(code or ""):
        return None
    return ShortLink.objects.filter(code=code).first()


def visitor_hash(*, address: str, user_agent: str, now: dt.datetime) -> str:
    day = now.astimezone(dt.UTC).date().isoformat()
    key = hashlib.sha256(f"{settings.SECRET_KEY}|clicks|{day}".encode()).digest()
    message = f"{address}|{user_agent}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def click_record(
    *, link: ShortLink, address: str, user_agent: str, now: dt.datetime | None = None
) -> bool:
    """Count a click on `link`; False when not counted (bot, or already this hour)."""
    if is_bot(user_agent):
        return False
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    visitor = visitor_hash(address=address, user_agent=user_agent, now=now)
    try:
        with transaction.atomic():
            Click.objects.create(
                link=link,
                publication_id=link.publication_id,
                hour=hour,
                clicked_at=now,
                visitor=visitor,
            )
    except IntegrityError:
        return False  # this visitor was already counted on this link this hour
    return True


def clicks_forget_visitors(*, now: dt.datetime | None = None) -> int:
    """Clear the visitor hashes of past hours (they only deduplicate within an hour)."""
    now = now or timezone.now()
    current_hour = now.replace(minute=0, second=0, microsecond=0)
    return Click.objects.filter(hour__lt=current_hour, visitor__isnull=False).update(visitor=None)


def clicks_for_publications(
    publication_ids: Iterable[int], *, until: dt.datetime | None = None
) -> dict[int, int]:
    """Counted clicks per publication id (ids without clicks are absent). One query per
    batch of 5,000 ids; for metrics snapshots and dashboards."""
    ids = list(publication_ids)
    counts: dict[int, int] = {}
    for start in range(0, len(ids), 5000):
        rows = Click.objects.filter(publication_id__in=ids[start : start + 5000])
        if until is not None:
            rows = rows.filter(clicked_at__lt=until)
        counts.update(
            rows.values_list("publication_id")
            .annotate(n=Count("id"))
            .values_list("publication_id", "n")
        )
    return counts
