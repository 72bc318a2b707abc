"""A network's own link and its photo fit now belong to the approved content
(posts.content): changing them after an approval resets it, and the publishing engine
sends nothing whose content is not the approved one.

Posts approved before with such a link or fit would then stop publishing ("content not
approved"), their stored fingerprint lacking the two fields. For those whose stored
fingerprint is exactly the old computation of their present content, the fingerprint is
recomputed with the two fields: the approval stands for the content as it is. Any other
stored fingerprint (content changed since, or not approved) is left alone.

The trail events (approvals) that hold the same old fingerprint get the new fingerprint
and snapshot too, or the review page would list the link and the fit as "changed since
your approval" on a post nobody changed. This is a one-time change of how the trail
describes that same content; application code still never updates the trail.

What we cannot know: a link changed after the approval but before this migration (the
gap this closes) cannot be told apart from one approved as it is, and is kept approved.

The snapshot code below is a frozen copy of posts.content at the time of this migration
(a migration must not follow later changes of the application code).
"""

import datetime as dt
import hashlib
import json

from django.db import migrations
from django.db.models import Q

PAD = "pad"


def _media_list(links) -> list[dict]:
    return [
        {"id": link.media_id, "alt_text": link.media.alt_text, "position": link.position}
        for link in sorted(links, key=lambda link: (link.position, link.media_id))
    ]


def _variant(variant, *, with_link_and_fit: bool) -> dict:
    item = {
        "network": variant.network,
        "account": variant.account_id,
        "text": variant.text,
        "own_media": variant.own_media,
        "media": _media_list(variant.variant_media.select_related("media"))
        if variant.own_media
        else [],
    }
    if variant.content_warning:
        item["content_warning"] = variant.content_warning
    if with_link_and_fit:
        if variant.link:
            item["link"] = variant.link
        if variant.image_fit and variant.image_fit != PAD:
            item["image_fit"] = variant.image_fit
    return item


def _utc(value):
    return value.astimezone(dt.UTC).isoformat() if value else None


def snapshot(post, *, with_link_and_fit: bool) -> dict:
    targets = sorted(
        ({"network": t.network, "account": t.account_id} for t in post.targets.all()),
        key=lambda t: (t["network"], t["account"] or 0),
    )
    variants = sorted(
        (_variant(v, with_link_and_fit=with_link_and_fit) for v in post.variants.all()),
        key=lambda v: (v["network"], v["account"] or 0),
    )
    result = {
        "body": post.body,
        "link": post.link,
        "targets": targets,
        "media": _media_list(post.post_media.select_related("media")),
        "variants": variants,
    }
    if post.event_title or post.event_starts_at or post.event_ends_at:
        result["event"] = [post.event_title, _utc(post.event_starts_at), _utc(post.event_ends_at)]
    if post.is_offer or post.offer_coupon_code or post.offer_redeem_url or post.offer_terms:
        result["offer"] = [
            post.is_offer,
            post.offer_coupon_code,
            post.offer_redeem_url,
            post.offer_terms,
        ]
    if post.call_to_action:
        result["call_to_action"] = post.call_to_action
    return result


def fingerprint_of(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _carry(apps, *, forwards: bool) -> int:
    Post = apps.get_model("posts", "Post")
    PostVariant = apps.get_model("posts", "PostVariant")
    Review = apps.get_model("validation", "Review")
    ReviewEvent = apps.get_model("validation", "ReviewEvent")
    holding = PostVariant.objects.filter(Q(link__gt="") | ~Q(image_fit=PAD)).values("post_id")
    carried = 0
    for post in Post.objects.filter(pk__in=holding, review__isnull=False).iterator():
        before = snapshot(post, with_link_and_fit=not forwards)
        after = snapshot(post, with_link_and_fit=forwards)
        old, new = fingerprint_of(before), fingerprint_of(after)
        if old == new:
            continue
        carried += Review.objects.filter(post=post, approved_fingerprint=old).update(
            approved_fingerprint=new
        )
        Review.objects.filter(post=post, fingerprint=old).update(fingerprint=new)
        # A queryset update: ReviewEvent.save() refuses any change (see the docstring).
        ReviewEvent.objects.filter(post=post, fingerprint=old).update(
            fingerprint=new, snapshot=after
        )
    return carried


def recompute_fingerprints(apps, schema_editor) -> int:
    """Returns how many approvals were carried over (for the tests)."""
    return _carry(apps, forwards=True)


def restore_fingerprints(apps, schema_editor) -> int:
    """Back to the old computation, so that a rollback keeps the approvals too."""
    return _carry(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0006_post_offer"),
        ("validation", "0001_initial"),
    ]

    operations = [migrations.RunPython(recompute_fingerprints, restore_fingerprints)]
