"""Public vs colleagues (issue 7 § 2).

Where a network lists who liked or shared a post (Mastodon favourited_by and
reblogged_by, Bluesky getLikes and getRepostedBy, the Sandbox), each engager is
classified as a *colleague* or the *public*. Colleagues are:
- the accounts of the library's own network of libraries (every SocialAccount of the
  root library and its branches);
- the accounts and domains listed by administrators (`Colleague`) on the library or
  any of its parents: staff, other libraries, professional bodies, an instance run by
  libraries (a domain matches itself and its subdomains: `bibliotheques.social`
  matches `@x@bibliotheques.social`, `paris.bibliotheques.fr` matches a Bluesky
  handle `mediatheque.paris.bibliotheques.fr`).

GDPR: engagers are personal data. Annexe keeps, per publication, only a keyed hash
(HMAC-SHA256 with METRICS_ENGAGER_HASH_KEY, 32 hex characters) of the engager's
stable identifier and whether they were a colleague when seen: no handle, no name, no
avatar. The hash lets the next walk stop at the first engager already seen, so a
list is read once, not on every refresh. Rows are deleted
METRICS_ENGAGER_RETENTION_DAYS after publication (`engagers_purge`, daily); the
counts already measured stay. Handles exist only in memory while classifying.
The colleague list itself holds the handles administrators typed (institutional
and staff accounts, listed on purpose).

Lists are walked only when a total changed since the last walk; a total that went
down (someone took their like back) walks the whole list again. A colleague added
to the list later does not reclassify engagement already seen.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from libraries.selectors import access_tree
from metrics.models import Colleague, ColleagueMatch, Engagement, MetricRefresh
from networks.client import Account, Engager, Metrics, NetworkClient, RemotePost
from publishing.models import SocialAccount


def normalise_identifier(value: str) -> str:
    """`@User@Instance.social ` → `user@instance.social`; `https://host/@user` →
    `user@host`; a Bluesky handle or DID → lowercase."""
    value = value.strip().lower()
    if value.startswith(("https://", "http://")):
        host, _, path = value.split("://", 1)[1].partition("/")
        user = path.strip("/").removeprefix("@").removeprefix("profile/")
        return f"{user}@{host}" if user and "@" not in user and "." not in user else user or host
    return value.lstrip("@").rstrip(".")


def engager_hash(key: str) -> str:
    secret = settings.METRICS_ENGAGER_HASH_KEY or f"metrics-engagers:{settings.SECRET_KEY}"
    digest = hmac.new(secret.encode(), normalise_identifier(key).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class ColleagueRules:
    accounts: frozenset[str]
    domains: frozenset[str]

    def is_colleague(self, engager: Engager) -> bool:
        if {
            normalise_identifier(engager.key),
            normalise_identifier(engager.handle),
        } & self.accounts:
            return True
        domain = engager.domain.lower()
        return any(domain == d or domain.endswith("." + d) for d in self.domains)


def _own_identifiers(accounts: Iterable[tuple[str, str]]) -> set[str]:
    found = set()
    for handle, remote_id in accounts:
        if handle:
            found.add(normalise_identifier(handle))
        if remote_id.startswith("did:"):
            found.add(remote_id.lower())
    return found


def colleague_rules(library_id: int) -> ColleagueRules:
    """The rules for a publication of `library_id` (see the module docstring)."""
    tree = access_tree()
    ancestors = tree.ancestors(library_id)
    root = ancestors[-1] if ancestors else library_id
    accounts = _own_identifiers(
        SocialAccount.objects.filter(library_id__in=tree.descendants(root)).values_list(
            "handle", "remote_id"
        )
    )
    domains = set()
    for match, identifier in Colleague.objects.filter(library_id__in=ancestors).values_list(
        "match", "identifier"
    ):
        (domains if match == ColleagueMatch.DOMAIN else accounts).add(
            normalise_identifier(identifier)
        )
    return ColleagueRules(accounts=frozenset(accounts), domains=frozenset(domains))


KINDS = (
    ("like", "likes", "audience_likes", "colleague_likes"),
    ("share", "shares", "audience_shares", "colleague_shares"),
)


def audience_update(
    *,
    client: NetworkClient,
    account: Account,
    post: RemotePost,
    refresh: MetricRefresh,
    metrics: Metrics,
    rules: ColleagueRules,
    now,
) -> None:
    """Walk the engager lists whose total moved since the last walk and update
    `refresh`'s colleague counts (saved by the caller). Network errors propagate
    (the caller keeps the counts and stops walking for this batch)."""
    if not client.supports_engagers or refresh.engagers_purged_at is not None:
        return
    for kind, total_name, seen_field, colleague_field in KINDS:
        total = getattr(metrics, total_name) or 0
        previous = getattr(refresh, seen_field)
        if total == previous:
            continue
        known = dict(
            Engagement.objects.filter(publication_id=refresh.publication_id, kind=kind).values_list(
                "actor", "is_colleague"
            )
        )
        full = total < previous or not known
        engagers = client.fetch_engagers(
            account,
            post,
            kind=kind,
            known=None if full else (lambda key, known=known: engager_hash(key) in known),
            total=total,
        )
        seen = {}
        for engager in engagers:
            seen.setdefault(engager_hash(engager.key), rules.is_colleague(engager))
        new = {actor: colleague for actor, colleague in seen.items() if actor not in known}
        with transaction.atomic():
            if full and known:
                gone = [actor for actor in known if actor not in seen]
                Engagement.objects.filter(
                    publication_id=refresh.publication_id, kind=kind, actor__in=gone
                ).delete()
            Engagement.objects.bulk_create(
                [
                    Engagement(
                        publication_id=refresh.publication_id,
                        kind=kind,
                        actor=actor,
                        is_colleague=colleague,
                        seen_at=now,
                    )
                    for actor, colleague in new.items()
                ],
                ignore_conflicts=True,
            )
        if full:
            colleagues = sum(1 for colleague in seen.values() if colleague)
        else:
            colleagues = getattr(refresh, colleague_field) + sum(new.values())
        setattr(refresh, seen_field, total)
        setattr(refresh, colleague_field, colleagues)


def engagers_purge(*, now) -> int:
    """Delete engager identifiers of publications published more than
    METRICS_ENGAGER_RETENTION_DAYS ago; their colleague counts are frozen."""
    import datetime as dt

    cutoff = now - dt.timedelta(days=settings.METRICS_ENGAGER_RETENTION_DAYS)
    MetricRefresh.objects.filter(published_at__lt=cutoff, engagers_purged_at__isnull=True).update(
        engagers_purged_at=now
    )
    deleted, _ = Engagement.objects.filter(publication__published_at__lt=cutoff).delete()
    return deleted
