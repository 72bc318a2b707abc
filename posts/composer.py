"""The composer's input beyond the post's own fields, and its live report per network.

Field names of the composer form (besides posts.forms.PostFieldsForm):
    targets                    "account:<id>" or "network:<key>" (checkboxes)
    media                      ids of the post's photos, in order (hidden inputs)
    media_position-<id>        the order people typed (works without JavaScript)
    media_remove               ids to take off the post
    media_add                  ids picked in the media library
    alt_text-<id>              the alt text of one of the post's photos
    upload                     new files, stored when the draft is saved
    variant-<net>-present      the network's tab was in the form
    variant-<net>-text         text for that network ("" = the common text)
    variant-<net>-link         link for that network ("" = the post's link)
    variant-<net>-own_media    the network gets its own choice of photos
    variant-<net>-media        the photos it gets
    variant-<net>-order-<id>   their order
    variant-<net>-fit          "pad" or "crop" (networks with aspect-ratio rules)
    variant-<net>-content_warning  shown before the text (networks that have one: Mastodon)

Every rule comes from networks/ (measure, check) and posts.charter; nothing here counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from networks import ImageInfo, Network, Problem, VariantInput, all_networks
from networks import text as textlib
from networks.google_business import GbpEvent, GbpOffer
from posts.charter import Charter, charter_problems
from posts.hooks import target_accounts
from posts.models import EDITABLE_STATES, ImageFit, Media, Post
from posts.published_links import link_shape, published_links
from posts.selectors import media_usable_in, network_for
from posts.services.posts import Target

# --- targets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetChoice:
    value: str
    network: str
    label: str
    account: Any = None  # a publishing.SocialAccount (see posts.hooks)


@dataclass(frozen=True)
class NetworkGroup:
    network: Network
    choices: list[TargetChoice]


def accounts_for(library: Library) -> list[Any]:
    """Accounts a post of `library` may go to: its own and its parent libraries', not
    disabled (publishing registers the query: posts.hooks)."""
    return target_accounts(library)


def target_groups(library: Library, current: Iterable[Target] = ()) -> list[NetworkGroup]:
    """The destinations offered, grouped by network: the connected accounts, and the
    network itself (no account yet) where it has none or is already chosen that way."""
    accounts = accounts_for(library)
    chosen_networks = {t.network for t in current if t.account_id is None}
    groups = []
    for network in all_networks():
        choices = [
            TargetChoice(
                value=f"account:{account.pk}",
                network=network.key,
                label=f"{account.display_name}{f' ({account.handle})' if account.handle else ''}",
                account=account,
            )
            for account in accounts
            if account.network == network.key
        ]
        if not choices or network.key in chosen_networks:
            label = (
                str(network.name)
                if not choices
                else f"{network.name} — " + str(_("compte à choisir"))
            )
            choices.append(
                TargetChoice(value=f"network:{network.key}", network=network.key, label=label)
            )
        groups.append(NetworkGroup(network=network, choices=choices))
    return groups


def target_value(target: Target) -> str:
    return f"account:{target.account_id}" if target.account_id else f"network:{target.network}"


# --- parsing ------------------------------------------------------------------------------


@dataclass
class VariantDraft:
    network: str
    text: str = ""
    link: str = ""
    own_media: bool = False
    media_ids: list[int] = field(default_factory=list)
    image_fit: str = ImageFit.PAD
    content_warning: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.text.strip() or self.link or self.own_media or self.content_warning) and (
            self.image_fit == ImageFit.PAD
        )


@dataclass
class ComposerInput:
    targets: list[Target]
    media: list[Media]
    alt_texts: dict[int, str]
    variants: dict[str, VariantDraft]
    errors: dict[str, list[str]] = field(default_factory=dict)

    def alt_text(self, media: Media) -> str:
        return self.alt_texts.get(media.pk, media.alt_text)

    @property
    def media_with_alt(self) -> list[tuple[Media, str]]:
        return [(media, self.alt_text(media)) for media in self.media]


def _ids(values: Iterable[str]) -> list[int]:
    ids = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number not in ids:
            ids.append(number)
    return ids


def _position(data, name: str, default: int) -> float:
    try:
        return float(data.get(name, default))
    except (TypeError, ValueError):
        return default


def parse_targets(data, library: Library) -> list[Target]:
    accounts = {f"account:{a.pk}": a for a in accounts_for(library)}
    networks = {f"network:{n.key}": n.key for n in all_networks()}
    targets = []
    for value in dict.fromkeys(data.getlist("targets")):
        if value in accounts:
            targets.append(Target(accounts[value].network, accounts[value].pk))
        elif value in networks:
            targets.append(Target(networks[value]))
    return targets


def parse(data, *, library: Library, extra_media: Iterable[Media] = ()) -> ComposerInput:
    """Read the composer's POST (a QueryDict). Unknown ids and other libraries' photos
    and accounts are ignored, never trusted."""
    usable = media_usable_in(library)
    removed = set(_ids(data.getlist("media_remove")))
    wanted = [
        i for i in _ids(data.getlist("media") + data.getlist("media_add")) if i not in removed
    ]
    by_id = usable.in_bulk(wanted)
    for item in extra_media:
        by_id[item.pk] = item
        wanted.append(item.pk)
    ordered = sorted(
        (i for i in dict.fromkeys(wanted) if i in by_id),
        key=lambda i: (_position(data, f"media_position-{i}", 10_000), wanted.index(i)),
    )
    media = [by_id[i] for i in ordered]
    alt_texts = {
        item.pk: data.get(f"alt_text-{item.pk}", item.alt_text).strip()
        for item in media
        if f"alt_text-{item.pk}" in data
    }
    errors: dict[str, list[str]] = {}
    variants = {}
    media_ids = {item.pk for item in media}
    for network in all_networks():
        prefix = f"variant-{network.key}-"
        if f"{prefix}present" not in data:
            continue
        chosen = [i for i in _ids(data.getlist(f"{prefix}media")) if i in media_ids]
        chosen.sort(key=lambda i: (_position(data, f"{prefix}order-{i}", 10_000), ordered.index(i)))
        link = data.get(f"{prefix}link", "").strip()
        if link:
            try:
                URLValidator(schemes=["http", "https"])(
                    link if "://" in link else f"https://{link}"
                )
                link = link if "://" in link else f"https://{link}"
            except ValidationError:
                errors.setdefault(f"{prefix}link", []).append(
                    str(
                        _("%(network)s : ce lien n'est pas une adresse web valide.")
                        % {"network": network.name}
                    )
                )
        fit = data.get(f"{prefix}fit", ImageFit.PAD)
        warning = ""
        if network.supports_content_warning:
            warning = " ".join(data.get(f"{prefix}content_warning", "").split())
        variants[network.key] = VariantDraft(
            network=network.key,
            text=data.get(f"{prefix}text", "").replace("\r\n", "\n"),
            link=link,
            own_media=bool(data.get(f"{prefix}own_media")),
            media_ids=chosen,
            image_fit=fit if fit in ImageFit.values else ImageFit.PAD,
            content_warning=warning,
        )
    return ComposerInput(
        targets=parse_targets(data, library),
        media=media,
        alt_texts=alt_texts,
        variants=variants,
        errors=errors,
    )


def from_post(post: Post | None) -> ComposerInput:
    """What a saved post holds, as the composer shows it."""
    if post is None:
        return ComposerInput(targets=[], media=[], alt_texts={}, variants={})
    variants = {}
    for variant in post.variants.filter(account__isnull=True).prefetch_related("variant_media"):
        variants[variant.network] = VariantDraft(
            network=variant.network,
            text=variant.text,
            link=variant.link,
            own_media=variant.own_media,
            media_ids=[
                link.media_id
                for link in sorted(variant.variant_media.all(), key=lambda link: link.position)
            ],
            image_fit=variant.image_fit,
            content_warning=variant.content_warning,
        )
    return ComposerInput(
        targets=[Target(t.network, t.account_id) for t in post.targets.all()],
        media=[link.media for link in post.post_media.select_related("media").order_by("position")],
        alt_texts={},
        variants=variants,
    )


# --- the live report ------------------------------------------------------------------------


@dataclass
class NetworkReport:
    """What one network would receive, and what it thinks of it."""

    network: Network
    accounts: list[Any]
    text: str  # the final text (with the link where the network appends it)
    link: str
    images: list[tuple[Media, str]]  # (photo, alt text as typed)
    image_fit: str
    overridden: bool
    count: int
    limit: int
    problems: list[Problem]
    utm_links: dict[str, str] = field(default_factory=dict)  # problem message -> url
    # Counted with its links as the short links they go out as (posts.published_links).
    links_shortened: bool = False
    content_warning: str = ""  # counted in `count` (Mastodon)

    @property
    def image_ratio(self) -> float | None:
        """Width / height the first photo will have on the network (aspect rules)."""
        if not self.images:
            return None
        media = self.images[0][0]
        if not media.width or not media.height:
            return None
        ratio = media.width / media.height
        limits = self.network.image_limits
        if limits.min_aspect and ratio < limits.min_aspect:
            ratio = limits.min_aspect
        if limits.max_aspect and ratio > limits.max_aspect:
            ratio = limits.max_aspect
        return round(ratio, 4)

    @property
    def key(self) -> str:
        return self.network.key

    @property
    def remaining(self) -> int:
        return self.limit - self.count

    @property
    def excess(self) -> int:
        return max(0, -self.remaining)

    @property
    def over(self) -> bool:
        return self.remaining < 0

    @property
    def near(self) -> bool:
        return 0 <= self.remaining <= max(10, self.limit // 10)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def _image_info(media: Media, alt_text: str) -> ImageInfo:
    return ImageInfo(
        width=media.width,
        height=media.height,
        bytes=media.bytes,
        mime_type=media.mime_type or "image/jpeg",
        alt_text=alt_text,
        animated=media.animated,
    )


def _urls_without_utm(network: Network, text: str, link: str) -> list[str]:
    urls = [link] if link and not network.link_in_text else []
    urls += [match.url for match in textlib.extract_urls(text)]
    return [url for url in dict.fromkeys(urls) if not textlib.has_utm(url)]


# Problems about the text's length: judged on the text as sent (links rewritten).
LENGTH_PROBLEMS = frozenset({"text_too_long", "text_too_many_bytes"})


def network_report(
    *,
    network: Network,
    accounts: list[Any],
    body: str,
    link: str,
    inp: ComposerInput,
    charter: Charter | None,
    alt_text_required: bool,
    call_to_action: str = "",
    event: GbpEvent | None = None,
    offer: GbpOffer | None = None,
) -> NetworkReport:
    variant = inp.variants.get(network.key) or VariantDraft(network=network.key)
    text = variant.text if variant.text.strip() else body
    effective_link = variant.link or link
    if variant.own_media:
        by_id = {item.pk: item for item in inp.media}
        photos = [by_id[i] for i in variant.media_ids if i in by_id]
    else:
        photos = list(inp.media)
    images = [(item, inp.alt_text(item)) for item in photos]
    warning = variant.content_warning if network.supports_content_warning else ""
    draft = VariantInput(
        text=text,
        images=[_image_info(item, alt) for item, alt in images],
        link=effective_link or None,
        content_warning=warning,
    )
    final = network.final_text(draft)
    problems = network.check(draft, alt_text_required=alt_text_required)
    # Counted as it will be sent: links rewritten (short links, posts.published_links).
    sent = replace(
        draft,
        text=published_links(text),
        link=link_shape(effective_link) if effective_link else None,
    )
    if sent != draft:
        lengths = network.check(sent, alt_text_required=alt_text_required)
        problems = [p for p in lengths if p.code in LENGTH_PROBLEMS] + [
            p for p in problems if p.code not in LENGTH_PROBLEMS
        ]
    if offer is not None and event is not None and hasattr(network, "check_offer"):
        # An offer (Google Business Profile) is an event with a code, a page and terms,
        # and no button.
        problems += network.check_offer(event, offer, call_to_action=call_to_action)
    else:
        if event is not None and hasattr(network, "check_event"):
            problems += network.check_event(event)
        if call_to_action and hasattr(network, "check_call_to_action"):
            # A button (Google Business Profile) opens the link: without one, it cannot.
            problems += network.check_call_to_action(call_to_action, effective_link)
    problems += charter_problems(charter, network=network, text=final)
    utm = {}
    candidates = _urls_without_utm(network, final, effective_link)
    kept = []
    for problem in problems:
        if problem.code == "link_without_utm":
            message = str(problem.message)
            match = max((url for url in candidates if url in message), key=len, default=None)
            if match and link_shape(match) != match:
                # Sent as Annexe's short link, whose redirect adds the UTM parameters
                # (metrics.links, when click tracking is on): nothing to warn about.
                continue
            if match:
                utm[message] = match
        kept.append(problem)
    problems = kept
    return NetworkReport(
        network=network,
        accounts=accounts,
        text=final,
        link=effective_link,
        images=images,
        image_fit=variant.image_fit,
        overridden=bool(variant.text.strip()),
        count=network.measure_post(network.final_text(sent), content_warning=warning),
        limit=network.text_limits.max_length,
        problems=problems,
        utm_links=utm,
        content_warning=warning,
        links_shortened=sent != draft,
    )


def report(
    *,
    library: Library,
    inp: ComposerInput,
    body: str,
    link: str,
    charter: Charter | None,
    call_to_action: str = "",
    event: GbpEvent | None = None,
    offer: GbpOffer | None = None,
) -> list[NetworkReport]:
    """One report per network targeted (per account when an account has its own limits,
    e.g. a Mastodon instance allowing 1,000 characters), in the registry's order."""
    accounts = {a.pk: a for a in accounts_for(library)}
    per_network: dict[str, list[Any]] = {}
    for target in inp.targets:
        per_network.setdefault(target.network, []).append(accounts.get(target.account_id))
    reports = []
    for network in all_networks():
        if network.key not in per_network:
            continue
        targets = per_network[network.key]
        configured = [a for a in targets if a is not None and _has_own_limits(a)]
        plain = [a for a in targets if a is None or not _has_own_limits(a)]
        groups = [(network, [a for a in plain if a is not None])] if plain else []
        groups += [(network_for(network_key=network.key, account=a), [a]) for a in configured]
        for rules, group_accounts in groups:
            reports.append(
                network_report(
                    network=rules,
                    accounts=group_accounts,
                    body=body,
                    link=link,
                    inp=inp,
                    charter=charter,
                    alt_text_required=library.alt_text_required,
                    call_to_action=call_to_action,
                    event=event,
                    offer=offer,
                )
            )
    return reports


EVENT_FIELDS = (
    "event_title",
    "event_starts_at",
    "event_ends_at",
    "is_offer",
    "offer_coupon_code",
    "offer_redeem_url",
    "offer_terms",
)


def event_and_offer(form) -> tuple[GbpEvent | None, GbpOffer | None]:
    """The event and offer a composer form holds right now, for the live checks: each
    field read on its own (a too-long code or a bad address is kept as typed, so the
    network's rule can say so; a date that does not parse is missing)."""
    values = {}
    for name in EVENT_FIELDS:
        raw = form[name].value()
        try:
            values[name] = form.fields[name].clean(raw)
        except ValidationError:
            values[name] = None if name.startswith("event_") and name != "event_title" else raw
    title = (values["event_title"] or "").strip()
    start, end = values["event_starts_at"], values["event_ends_at"]
    if not (values["is_offer"] or title or start or end):
        return None, None
    event = GbpEvent(
        title=title, start=start, end=end, scheduled_at=_scheduled_at(form), now=timezone.now()
    )
    if not values["is_offer"]:
        return event, None
    return event, GbpOffer(
        coupon_code=values["offer_coupon_code"] or "",
        redeem_url=values["offer_redeem_url"] or "",
        terms=values["offer_terms"] or "",
    )


def _scheduled_at(form):
    """When the form's post is to go out (None: as soon as approved, or not readable)."""
    try:
        if form.fields["publish_when_approved"].clean(form["publish_when_approved"].value()):
            return None
        return form.fields["scheduled_at"].clean(form["scheduled_at"].value())
    except ValidationError:
        return None


def post_event_and_offer(post: Post) -> tuple[GbpEvent | None, GbpOffer | None]:
    """The event and offer a saved post holds (see `event_and_offer`); its end is checked
    against time only while the post may still go out (editable states)."""
    if not (post.is_offer or post.event_title or post.event_starts_at or post.event_ends_at):
        return None, None
    event = GbpEvent(
        title=post.event_title,
        start=post.event_starts_at,
        end=post.event_ends_at,
        scheduled_at=None if post.publish_when_approved else post.scheduled_at,
        now=timezone.now() if post.state in EDITABLE_STATES else None,
    )
    if not post.is_offer:
        return event, None
    offer = GbpOffer(
        coupon_code=post.offer_coupon_code,
        redeem_url=post.offer_redeem_url,
        terms=post.offer_terms,
    )
    return event, offer


def _has_own_limits(account: Any) -> bool:
    settings = account.settings or {}
    return bool(settings.get("instance_configuration") or settings.get("network_config"))


# --- what the page shows -------------------------------------------------------------------


@dataclass
class Panel:
    """One network's tab in the composer."""

    network: Network
    variant: VariantDraft
    targeted: bool
    reports: list[NetworkReport]
    charter_html: str = ""
    link_errors: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.network.key

    @property
    def has_aspect_rule(self) -> bool:
        limits = self.network.image_limits
        return limits.min_aspect is not None or limits.max_aspect is not None

    @property
    def error_count(self) -> int:
        return sum(len(r.errors) for r in self.reports)


def panels(
    composed: ComposerInput, reports: list[NetworkReport], charter: Charter | None = None
) -> list[Panel]:
    targeted = {t.network for t in composed.targets}
    return [
        Panel(
            network=network,
            variant=composed.variants.get(network.key) or VariantDraft(network=network.key),
            targeted=network.key in targeted,
            reports=[r for r in reports if r.key == network.key],
            charter_html=charter.section_html(network.key) if charter else "",
            link_errors=composed.errors.get(f"variant-{network.key}-link", []),
        )
        for network in all_networks()
    ]


def problems_for(
    reports: list[NetworkReport], *fields: str, severity: str | None = None, group: bool = False
) -> list[tuple[NetworkReport, Problem, list[str]]]:
    """(report, problem, other networks) about `fields`. With `group`, the same rule on
    the same photo for several networks is shown once, naming the other networks."""
    found: list[tuple[NetworkReport, Problem, list[str]]] = []
    index: dict[tuple, int] = {}
    for report in reports:
        for problem in report.problems:
            if problem.field not in fields or (severity and problem.severity != severity):
                continue
            key = (problem.code, problem.index, problem.severity) if group else str(problem.message)
            if key in index:
                if group:
                    found[index[key]][2].append(str(report.network.name))
                continue
            index[key] = len(found)
            found.append((report, problem, []))
    return found


# --- UTM ------------------------------------------------------------------------------------


def utm_campaign(*, editorial_line=None) -> str:
    """The editorial line's slug (`coups-de-coeur`), or "annexe" without a line."""
    if editorial_line is not None:
        # slugify() drops the ligatures of French ("cœur" would become "cur").
        name = editorial_line.name.translate(LIGATURES)
        return slugify(name) or "annexe"
    return "annexe"


LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss"})


def add_utm_to_variant(
    inp: ComposerInput, *, network_key: str, url: str, body: str, link: str, campaign: str
) -> VariantDraft:
    """Put UTM parameters on `url` for one network: in that network's link when the
    URL is the post's link, else in that network's text (copied from the common text if
    it had none). The other networks are not touched."""
    variant = inp.variants.get(network_key) or VariantDraft(network=network_key)
    tagged = textlib.add_utm(url, source=network_key, campaign=campaign)
    text = variant.text if variant.text.strip() else body
    effective_link = variant.link or link
    if url == effective_link and url not in text:
        variant.link = tagged
    elif url in text:
        variant.text = text.replace(url, tagged)
    elif url == effective_link:
        variant.link = tagged
    inp.variants[network_key] = variant
    return variant
