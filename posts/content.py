"""The content validators approve: everything that will be published, except the date.

Content is whatever reaches the public: the text, the link, the destinations, the
photos (their order and alt text), each network's variant (its text, link, content
warning, photos and photo fit), the event, the offer and the button.
`post_snapshot()` is stored with each approval so approvers can see a diff of
what changed since (validation.diff); `post_fingerprint()` (a hash of the snapshot)
detects any change, and the publishing engine sends nothing whose fingerprint is not
the approved one. The internal title, notes, editorial line and date are not content:
changing them keeps approvals.

A field added to the content enters the snapshot only when set, so that the posts
approved before keep their fingerprint; when posts approved before can hold it
already, a data migration recomputes their approved fingerprint (see
validation/migrations/0002_fingerprint_variant_link_and_fit.py).
"""

import datetime as dt
import hashlib
import json

from posts.models import ImageFit, Post


def _media_list(links) -> list[dict]:
    return [
        {"id": link.media_id, "alt_text": link.media.alt_text, "position": link.position}
        for link in sorted(links, key=lambda link: (link.position, link.media_id))
    ]


def _variant(variant) -> dict:
    item = {
        "network": variant.network,
        "account": variant.account_id,
        "text": variant.text,
        "own_media": variant.own_media,
        "media": _media_list(variant.variant_media.select_related("media"))
        if variant.own_media
        else [],
    }
    # Only when set (or, for the fit, not the default), so that the fingerprints of posts
    # approved before these fields were counted hold.
    if variant.content_warning:
        item["content_warning"] = variant.content_warning
    if variant.link:
        item["link"] = variant.link
    if variant.image_fit and variant.image_fit != ImageFit.PAD:
        item["image_fit"] = variant.image_fit
    return item


def post_snapshot(post: Post) -> dict:
    targets = sorted(
        ({"network": t.network, "account": t.account_id} for t in post.targets.all()),
        key=lambda t: (t["network"], t["account"] or 0),
    )
    variants = sorted(
        (_variant(v) for v in post.variants.all()),
        key=lambda v: (v["network"], v["account"] or 0),
    )
    snapshot = {
        "body": post.body,
        "link": post.link,
        "targets": targets,
        "media": _media_list(post.post_media.select_related("media")),
        "variants": variants,
    }
    # Only when set, so that the fingerprints approved before these fields existed hold.
    if post.event_title or post.event_starts_at or post.event_ends_at:
        snapshot["event"] = [
            post.event_title,
            _utc(post.event_starts_at),
            _utc(post.event_ends_at),
        ]
    if post.is_offer or post.offer_coupon_code or post.offer_redeem_url or post.offer_terms:
        snapshot["offer"] = [
            post.is_offer,
            post.offer_coupon_code,
            post.offer_redeem_url,
            post.offer_terms,
        ]
    if post.call_to_action:
        snapshot["call_to_action"] = post.call_to_action
    return snapshot


def _utc(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def fingerprint_of(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def post_fingerprint(post: Post) -> str:
    return fingerprint_of(post_snapshot(post))
