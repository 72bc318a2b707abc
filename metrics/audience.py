"""Public vs colleagues (issue 7 § 2).

Where a network lists who liked or shared a post (Mastodon favourited_by and
reblogged_by, Bluesky getLikes and getRepostedBy, X liking_users and retweeted_by,
LinkedIn's Reactions API, the Sandbox), each engager is classified as a *colleague*
or the *public*. LinkedIn lists reactions only: its reshares all count as public.
Colleagues are:
- the accounts of the library's own network of libraries (every SocialAccount of the
  root library and its branches; a LinkedIn page as its organization URN, an X
  account by its user id too);
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
down (someone took their like back) walks the whole list again. When the colleague
list changes, engagement already seen is reclassified (metrics.reclassify): for that
each row also keeps keyed hashes of the engager's handle and domains, so a new entry
can be matched without keeping a handle.
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
        if host.removeprefix("www.").removeprefix("mobile.") in _X_HOSTS:
            return user.split("/", 1)[0]  # an X profile address: the username
        return f"{user}@{host}" if user and "@" not in user and "." not in user else user or host
    return value.lstrip("@").rstrip(".")


_X_HOSTS = ("x.com", "twitter.com")


def engager_hash(key: str) -> str:
    secret = settings.METRICS_ENGAGER_HASH_KEY or f"metrics-engagers:{settings.SECRET_KEY}"
    digest = hmac.new(secret.encode(), normalise_identifier(key).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def domain_hash(domain: str) -> str:
    """A keyed hash of a domain name (16 hex characters: it is only compared with the
    colleague list's domains, within one library's engagement)."""
    secret = settings.METRICS_ENGAGER_HASH_KEY or f"metrics-engagers:{settings.SECRET_KEY}"
    name = "domain:" + normalise_identifier(domain)
    return hmac.new(secret.encode(), name.encode(), hashlib.sha256).hexdigest()[:16]


def domain_suffixes(domain: str) -> list[str]:
    """`a.b.fr` → [`a.b.fr`, `b.fr`, `fr`]: what a domain entry can match
    (`ColleagueRules.is_colleague`: the domain itself or a parent)."""
    labels = normalise_identifier(domain).split(".")
    return [".".join(labels[i:]) for i in range(len(labels)) if labels[i]]


def engager_match_keys(engager: Engager) -> tuple[str, str]:
    """(handle_key, domain_keys) of an `Engagement` (see the model)."""
    handle = normalise_identifier(engager.handle) if engager.handle else ""
    differs = handle and handle != normalise_identifier(engager.key)
    keys = [domain_hash(d) for d in domain_suffixes(engager.domain or "")]
    return (engager_hash(handle) if differs else ""), (f" {' '.join(keys)} " if keys else "")


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


def _own_identifiers(accounts: Iterable[tuple[str, str, str]]) -> set[str]:
    found = set()
    for network, handle, remote_id in accounts:
        if handle and network != "linkedin":  # a LinkedIn handle is the page's name
            found.add(normalise_identifier(handle))
        if remote_id.startswith("did:"):
            found.add(remote_id.lower())
        elif network == "linkedin" and remote_id:
            found.add(normalise_identifier(f"urn:li:organization:{remote_id}"))
        elif network == "x" and remote_id:
            found.add(remote_id)  # X engagers are keyed by user id
    return found


def colleague_rules(library_id: int) -> ColleagueRules:
    """The rules for a publication of `library_id` (see the module docstring)."""
    return colleague_rules_of([library_id])[library_id]


def colleague_rules_of(library_ids: list[int]) -> dict[int, ColleagueRules]:
    """The rules of each library, in three queries whatever their number."""
    tree = access_tree()
    chains = {library_id: tree.ancestors(library_id) for library_id in library_ids}
    roots = {library_id: chain[-1] if chain else library_id for library_id, chain in chains.items()}
    trees = {root: tree.descendants(root) for root in set(roots.values())}
    owner_root = {member: root for root, members in trees.items() for member in members}
    own: dict[int, set[str]] = {root: set() for root in trees}
    for library_id, network, handle, remote_id in SocialAccount.objects.filter(
        library_id__in=list(owner_root)
    ).values_list("library_id", "network", "handle", "remote_id"):
        own[owner_root[library_id]] |= _own_identifiers([(network, handle, remote_id)])
    listed: dict[int, list[tuple[str, str]]] = {}
    ancestors = {a for chain in chains.values() for a in chain}
    for library_id, match, identifier in Colleague.objects.filter(
        library_id__in=ancestors
    ).values_list("library_id", "match", "identifier"):
        listed.setdefault(library_id, []).append((match, normalise_identifier(identifier)))
    rules = {}
    for library_id, chain in chains.items():
        accounts, domains = set(own[roots[library_id]]), set()
        for ancestor in chain:
            for match, identifier in listed.get(ancestor, []):
                (domains if match == ColleagueMatch.DOMAIN else accounts).add(identifier)
        rules[library_id] = ColleagueRules(accounts=frozenset(accounts), domains=frozenset(domains))
    return rules


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
        if kind not in client.engager_kinds:
            continue
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
        seen: dict[str, bool] = {}
        match_keys: dict[str, tuple[str, str]] = {}
        for engager in engagers:
            actor = engager_hash(engager.key)
            if actor not in seen:
                seen[actor] = rules.is_colleague(engager)
                match_keys[actor] = engager_match_keys(engager)
        new = {actor: colleague for actor, colleague in seen.items() if actor not in known}
        with transaction.atomic():
            if full and known:
                gone = [actor for actor in known if actor not in seen]
                Engagement.objects.filter(
                    publication_id=refresh.publication_id, kind=kind, actor__in=gone
                ).delete()
                # A full walk classifies everyone again: rows follow it.
                for flag in (True, False):
                    flipped = [a for a, c in seen.items() if c is flag and known.get(a, c) != c]
                    if flipped:
                        Engagement.objects.filter(
                            publication_id=refresh.publication_id, kind=kind, actor__in=flipped
                        ).update(is_colleague=flag)
            Engagement.objects.bulk_create(
                [
                    Engagement(
                        publication_id=refresh.publication_id,
                        kind=kind,
                        actor=actor,
                        handle_key=match_keys[actor][0],
                        domain_keys=match_keys[actor][1],
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
            # From the rows (not the refresh's previous count): the rows are what a
            # reclassification changes (metrics.reclassify).
            colleagues = sum(known.values()) + sum(new.values())
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
