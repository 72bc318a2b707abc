"""What the review page, the post page's panel and the queue show (read-only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from libraries.selectors import access_for
from networks import UnknownNetwork, VariantInput, get_network
from posts.content import fingerprint_of, post_snapshot
from posts.models import Media, Post, PostState, PostTarget
from posts.rules import can_edit_post
from validation import rules, selectors
from validation.diff import snapshot_diff
from validation.models import Action, Review, ReviewEvent, ReviewLevel
from validation.rules import LevelSpec
from validation.services.notices import deadline_of
from validation.services.review import step_of
from validation.states import FORCEABLE, REOPENABLE, SUBMITTABLE, WITHDRAWABLE
from validation.summary import describe_chain

# The account model belongs to the publishing app, which imports validation (not the
# reverse): reach it through the posts' foreign key.
SocialAccount = PostTarget._meta.get_field("account").related_model

DECISIONS = {
    Action.SUBMIT,
    Action.APPROVE,
    Action.REQUEST_CHANGES,
    Action.REJECT,
    Action.FORCE_APPROVE,
    Action.FORCE_REJECT,
    Action.WITHDRAW,
    Action.COMMENT,
}


def network_name(key: str) -> str:
    try:
        return str(get_network(key).name)
    except UnknownNetwork:
        return key


@dataclass
class LevelRow:
    spec: LevelSpec
    status: str  # "done", "current", "upcoming", "planned"
    approvers: list[str] = field(default_factory=list)
    deciders: list[User] = field(default_factory=list)


@dataclass
class Preview:
    network: str
    account: str
    text: str
    remaining: int | None
    media: list[Media]
    link: str
    content_warning: str = ""


def _people(specs: list[LevelSpec]) -> dict[int, User]:
    ids = {pk for spec in specs for pk in spec.people}
    return User.objects.in_bulk(ids) if ids else {}


def _level_rows(post: Post, review: Review | None, now) -> tuple[list[LevelRow], str]:
    """The chain as it applies to this post, each level with its status, and the
    sentence describing it."""
    if review is not None and post.state not in (PostState.DRAFT,):
        specs = selectors.review_level_specs(review)
    else:
        specs = selectors.chain_for(library=post.library, editorial_line=post.editorial_line).levels
    people = _people(specs)
    approvals: dict[int, list[str]] = {}
    if review is not None:
        events = ReviewEvent.objects.filter(
            post=post, round=review.round, action__in=[Action.APPROVE, Action.FORCE_APPROVE]
        ).select_related("actor", "on_behalf_of")
        for event in events:
            name = str(event.actor) if event.actor else "Annexe"
            if event.on_behalf_of:
                name = f"{name} ({event.on_behalf_of})"
            approvals.setdefault(event.level_position, []).append(name)
    current = review.current_level.position if review and review.current_level_id else None
    rows = []
    for spec in specs:
        if post.state in (PostState.DRAFT, PostState.WITHDRAWN, PostState.MISSED) or review is None:
            status = "planned"
        elif current is None:
            status = "done" if spec.position in approvals else "upcoming"
        elif spec.position < current:
            status = "done"
        elif spec.position == current:
            status = "current"
        else:
            status = "upcoming"
        row = LevelRow(spec=spec, status=status, approvers=approvals.get(spec.position, []))
        if status == "current" and post.state == PostState.PENDING:
            approved_by = selectors.approvals_at(
                post=post, round=review.round, position=spec.position
            )
            row.deciders = selectors.deciders_for_level(
                post=post, level=spec, approved_by=approved_by, now=now
            )
        rows.append(row)
    line = post.editorial_line.name if post.editorial_line else None
    return rows, describe_chain(specs, people, line=line)


def previews(post: Post, snapshot: dict) -> list[Preview]:
    """The post as each destination will receive it (variant text, photos, link)."""
    media = Media.objects.in_bulk(
        {m["id"] for m in snapshot["media"]}
        | {m["id"] for v in snapshot["variants"] for m in v["media"]}
    )
    accounts = SocialAccount.objects.in_bulk(
        {t["account"] for t in snapshot["targets"] if t["account"]}
    )
    variants = {(v["network"], v["account"]): v for v in snapshot["variants"]}
    result = []
    for target in snapshot["targets"]:
        key = (target["network"], target["account"])
        variant = variants.get(key) or variants.get((target["network"], None)) or {}
        text = variant.get("text") or snapshot["body"]
        items = variant["media"] if variant.get("own_media") else snapshot["media"]
        warning = variant.get("content_warning", "")
        link = variant.get("link") or snapshot["link"]
        try:
            network = get_network(target["network"])
            final = network.final_text(VariantInput(text=text, link=link or None))
            warning = warning if network.supports_content_warning else ""
            remaining = network.remaining(final, content_warning=warning)
        except UnknownNetwork:
            final, remaining = text, None
        account = accounts.get(target["account"])
        result.append(
            Preview(
                network=network_name(target["network"]),
                account=str(account.display_name) if account else "",
                text=final,
                remaining=remaining,
                media=[media[m["id"]] for m in items if m["id"] in media],
                link=link,
                content_warning=warning,
            )
        )
    return result


def _diff(post: Post, user: User, snapshot: dict, fingerprint: str):
    """What changed since the user approved (else since the last approval), if anything."""
    mine = selectors.last_approval_of(post=post, user=user)
    base = mine or selectors.last_approval(post=post)
    if base is None or not base.snapshot or base.fingerprint == fingerprint:
        return None, None
    ids = {m["id"] for s in (base.snapshot, snapshot) for m in s.get("media", [])}
    ids |= {
        m["id"]
        for s in (base.snapshot, snapshot)
        for v in s.get("variants", [])
        for m in v.get("media", [])
    }
    media_names = {m.pk: (m.original_name or f"#{m.pk}") for m in Media.objects.filter(pk__in=ids)}
    account_ids = {
        t.get("account")
        for s in (base.snapshot, snapshot)
        for t in s.get("targets", []) + s.get("variants", [])
        if t.get("account")
    }
    accounts = {a.pk: a.display_name for a in SocialAccount.objects.filter(pk__in=account_ids)}
    networks = {
        t["network"]: network_name(t["network"])
        for s in (base.snapshot, snapshot)
        for t in s.get("targets", []) + s.get("variants", [])
    }
    changes = snapshot_diff(
        base.snapshot,
        snapshot,
        media_names=media_names,
        account_names=accounts,
        network_names=networks,
        zone=post.library.tzinfo,
    )
    return (base if changes else None), changes


def review_context(*, user: User, post: Post) -> dict:
    """Everything the review page and the post page's panel show about `post` to `user`."""
    now = timezone.now()
    review = Review.objects.select_related("current_level").filter(post=post).first()
    snapshot = post_snapshot(post)
    fingerprint = fingerprint_of(snapshot)
    levels, summary = _level_rows(post, review, now)
    current = next((row for row in levels if row.status == "current"), None)
    actor = selectors.actor_for(user, now=now)
    capacity = None
    if current is not None and post.state == PostState.PENDING:
        capacity = rules.acting_capacity(
            actor,
            author_id=post.author_id,
            library_id=post.library_id,
            level=current.spec,
            approved_by=selectors.approvals_at(
                post=post, round=review.round, position=current.spec.position
            ),
        )
    ids = {"author_id": post.author_id, "library_id": post.library_id}
    trail = list(selectors.post_trail(post))
    since, changes = _diff(post, user, snapshot, fingerprint)
    deadline = deadline_of(post)
    return {
        "post": post,
        "review": review,
        "levels": levels,
        "level_total": len(levels),
        "current": current,
        "summary": summary,
        "capacity": capacity,
        "on_behalf_of": User.objects.filter(pk=capacity.on_behalf_of).first()
        if capacity and capacity.on_behalf_of
        else None,
        "can_submit": post.state in SUBMITTABLE and rules.can_submit(actor, **ids),
        "can_withdraw": post.state in WITHDRAWABLE and rules.can_withdraw(actor, **ids),
        "can_reopen": post.state in REOPENABLE and rules.can_reopen(actor, **ids),
        "can_force": post.state in FORCEABLE and rules.can_force(actor, **ids),
        "can_comment": rules.can_comment(actor, library_id=post.library_id),
        "can_edit": can_edit_post(access_for(user), user, post),
        "is_author": post.author_id == user.pk,
        "trail": trail,
        "thread": [event for event in trail if event.action in DECISIONS and event.comment],
        "changes": changes,
        "changes_since": since,
        "previews": previews(post, snapshot),
        "fingerprint": fingerprint,
        "step": step_of(review),
        "deadline": deadline,
        "overdue": deadline is not None and deadline < now and post.state == PostState.PENDING,
    }


def next_in_queue(*, user: User, after: Post) -> Post | None:
    """The most urgent other post waiting for `user`, for "next" after a decision."""
    return selectors.queue_for(user).exclude(pk=after.pk).only("pk", "title").first()


def queue_rows(queryset):
    """The queue's rows with their level number and count, in constant queries."""
    total = (
        ReviewLevel.objects.filter(review=OuterRef("review"))
        .values("review")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return selectors.queue_page_rows(queryset).annotate(level_total=Subquery(total))


# --- settings ----------------------------------------------------------------


@dataclass
class ChainSummary:
    line: object
    summary: str
    source: object  # the Library that defines it, or None when nothing is defined
    own: bool
    requires_validation: bool


def chain_row(library, line) -> ChainSummary:
    effective = selectors.chain_for(library=library, editorial_line=line)
    return _summary(library, line, effective)


def _summary(library, line, effective) -> ChainSummary:
    chain = effective.chain
    return ChainSummary(
        line=line,
        summary=describe_chain(
            effective.levels, _people(effective.levels), line=line.name if line else None
        ),
        source=chain.library if chain else None,
        own=bool(
            chain
            and chain.library_id == library.id
            and chain.editorial_line_id == (line.id if line else None)
        ),
        requires_validation=effective.requires_validation,
    )


def chain_rows(library) -> list[ChainSummary]:
    return [
        _summary(library, row.line, row.effective) for row in selectors.chains_overview(library)
    ]


def chain_form_initial(library, line) -> tuple[str, list[dict]]:
    """The edit form starts from the library's own chain, else from the inherited one."""
    effective = selectors.chain_for(library=library, editorial_line=line)
    own = (
        effective.chain is not None
        and effective.chain.library_id == library.id
        and (effective.chain.editorial_line_id == (line.id if line else None))
    )
    mode = "inherit"
    if own:
        mode = "levels" if effective.requires_validation else "none"
    levels = [
        {
            "name": spec.name,
            "validation_level": spec.validation_level,
            "people": sorted(spec.people),
            "require_all": spec.require_all,
            "ORDER": index + 1,
        }
        for index, spec in enumerate(effective.levels)
    ]
    return mode, levels


def journal_csv_rows(events, library):
    """Header, then one row per event, times in the library's time zone."""
    from django.utils.translation import gettext as _

    from validation.services.transitions import state_label

    yield [
        _("Date"),
        _("Bibliothèque"),
        _("Publication"),
        _("N°"),
        _("Action"),
        _("De"),
        _("Vers"),
        _("Étape"),
        _("Par"),
        _("En remplacement de"),
        _("Forcée"),
        _("Commentaire"),
        _("Empreinte du contenu"),
    ]
    tz = library.tzinfo
    for event in events.iterator(chunk_size=500):
        yield [
            timezone.localtime(event.created_at, tz).isoformat(timespec="seconds"),
            event.library.name,
            event.post.title,
            event.post_id,
            event.get_action_display(),
            state_label(event.from_state),
            state_label(event.to_state),
            event.level_name,
            str(event.actor) if event.actor else "Annexe",
            str(event.on_behalf_of) if event.on_behalf_of else "",
            _("oui") if event.forced else "",
            event.comment_text,
            event.fingerprint,
        ]
