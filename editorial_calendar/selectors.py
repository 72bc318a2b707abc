"""Reads of the calendar, always scoped by the permission layer.

The events of a range are read with a fixed number of queries whatever the
number of posts (values() rows, no per-post query): see bench/calendar.py.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.apps import apps
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.utils.translation import gettext as _

from editorial_calendar.badges import DEFAULT_STATES
from editorial_calendar.models import (
    DEFAULT_DAILY_CAP,
    CalendarFeed,
    DailyCap,
    MixTarget,
    NotableDate,
    PostingSlot,
)
from editorial_calendar.queue import Channel, channel_of
from editorial_calendar.rules import OCCUPYING_STATES
from editorial_calendar.timeutil import BadDate, WallClock
from libraries.models import Library
from libraries.selectors import access_for, library_get_for_user, library_scope_ids
from posts.models import EditorialLine, Post, PostState, PostTarget


@dataclass(frozen=True)
class CalendarScope:
    """The library whose calendar is shown, its timezone, and the libraries it covers."""

    library: Library
    library_ids: tuple[int, ...]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return self.library.tzinfo


def calendar_scope(*, user, library: Library | None) -> CalendarScope:
    """The current library's calendar: the library and the branches the user sees."""
    if library is None:
        raise Http404("No library.")
    library = library_get_for_user(user=user, pk=library.pk)
    return CalendarScope(
        library=library, library_ids=tuple(library_scope_ids(user=user, library=library))
    )


@dataclass(frozen=True)
class CalendarFilters:
    """The filters of the calendar, as they travel in the URL."""

    branch: int | None = None
    channel: Channel | None = None
    line: int | None = None
    state: str | None = None
    author: int | None = None
    query: dict = field(default_factory=dict)

    @property
    def library_ids(self) -> tuple[int, ...] | None:
        return (self.branch,) if self.branch else None

    @property
    def narrows_posts(self) -> bool:
        """True when some posts of the branch are left out (not only by the default states)."""
        return bool(self.channel or self.line or self.state or self.author)


def _int_param(params, name: str, label: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise BadDate(_("Filtre « %(label)s » invalide.") % {"label": label})
    return int(raw)


def parse_filters(params, scope: CalendarScope) -> CalendarFilters:
    """Filters from a query string; a value that cannot be right raises BadDate (HTTP 400)."""
    branch = _int_param(params, "branch", _("bibliothèque"))
    if branch is not None and branch not in scope.library_ids:
        raise BadDate(_("Cette bibliothèque ne fait pas partie de ce calendrier."))
    channel = None
    raw_channel = (params.get("channel") or "").strip()
    if raw_channel:
        kind, _sep, value = raw_channel.partition(":")
        if kind == "account" and value.isdigit() and len(value) < 18:
            channel = Channel(network="", account_id=int(value))
        elif kind == "network" and value.isalnum() and len(value) <= 32:
            channel = Channel(network=value)
        else:
            raise BadDate(_("Filtre « %(label)s » invalide.") % {"label": _("réseau ou compte")})
    state = (params.get("state") or "").strip() or None
    if state is not None and state not in PostState.values:
        raise BadDate(_("Filtre « %(label)s » invalide.") % {"label": _("état")})
    filters = {
        "branch": branch,
        "channel": channel,
        "line": _int_param(params, "line", _("ligne éditoriale")),
        "state": state,
        "author": _int_param(params, "author", _("autrice ou auteur")),
    }
    query = {k: params.get(k) for k in ("branch", "channel", "line", "state", "author")}
    return CalendarFilters(**filters, query={k: v for k, v in query.items() if v})


def filtered_posts(
    *, scope: CalendarScope, start: dt.datetime, end: dt.datetime, filters: CalendarFilters
) -> QuerySet[Post]:
    """Posts of the scope scheduled in [start, end), with the filters applied."""
    posts = Post.objects.filter(
        library_id__in=filters.library_ids or scope.library_ids,
        scheduled_at__gte=start,
        scheduled_at__lt=end,
    )
    if filters.state:
        posts = posts.filter(state=filters.state)
    else:
        posts = posts.filter(state__in=DEFAULT_STATES)
    if filters.line:
        posts = posts.filter(editorial_line_id=filters.line)
    if filters.author:
        posts = posts.filter(author_id=filters.author)
    if filters.channel:
        # A subquery, not a join: a post with two targets must not come twice.
        targets = PostTarget.objects.all()
        if filters.channel.account_id:
            targets = targets.filter(account_id=filters.channel.account_id)
        else:
            targets = targets.filter(network=filters.channel.network)
        posts = posts.filter(id__in=targets.values("post_id"))
    return posts


class _Joined(Aggregate):
    """Texts joined by commas, in no given order: GROUP_CONCAT on SQLite, STRING_AGG on
    PostgreSQL (Django 5.2 has no portable string aggregate)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(distinct)s%(expressions)s, ',')",
            **extra_context,
        )


def _per_post(queryset: QuerySet, *fields: str) -> Subquery:
    """The rows of `queryset` that belong to the outer post, as one text:
    "mastodon 12,bluesky " (fields separated by spaces; NULL as "")."""
    parts = []
    for name in fields:
        parts += [name, Value(" ")]
    return Subquery(
        queryset.filter(post_id=OuterRef("id"))
        .order_by()
        .values("post_id")
        .annotate(joined=_Joined(Concat(*parts[:-1], output_field=CharField())))
        .values("joined")
    )


def _post_fields() -> tuple:
    """What calendar_posts reads of each post, in one query whatever their number: its
    targets and the state of its publications come as texts of correlated subqueries
    (one row per post instead of one per target), and its names (libraries, lines,
    authors, accounts) come from four small queries, cheaper than joins with thousands
    of posts. The date is read as text and converted by WallClock: Django's converters
    (parse_datetime, make_aware and a settings lookup per value) were a fifth of the
    events endpoint's time with 5,000 posts (bench/calendar.py)."""
    publications = apps.get_model("publishing", "Publication").objects.filter(
        kind="post", source__isnull=True
    )
    return (
        "id",
        "title",
        Cast("scheduled_at", output_field=CharField()),
        "state",
        "author_id",
        "library_id",
        "editorial_line_id",
        _per_post(PostTarget.objects.all(), "network", "account_id"),
        _per_post(publications, "network", "account_id", "state"),
    )


class Target(NamedTuple):
    """Where a post goes, and how it went there once publishing took it over."""

    network: str
    account_id: int | None
    account_name: str | None  # None: a network without a chosen account
    publication_state: str = ""  # "" until publishing made a publication of it

    @property
    def label(self) -> str:
        from editorial_calendar.badges import network_name

        return self.account_name or network_name(self.network)

    @property
    def text(self) -> str:
        """ "Bac à sable (Publiée)": the label, and how the post went there if it went."""
        from editorial_calendar.badges import publication_state_label

        if not self.publication_state:
            return self.label
        return f"{self.label} ({publication_state_label(self.publication_state)})"


@dataclass(slots=True)
class PostRow:
    id: int
    title: str
    utc: str | dt.datetime  # as the database gave it: see WallClock
    state: str
    author_id: int
    library_id: int
    line_id: int | None
    start: str  # wall-clock ISO time in the calendar's time zone ("2026-03-29T09:00:00")
    day: dt.date  # local date
    library_name: str
    line_name: str | None
    line_colour: str | None
    author_name: str
    targets: tuple[Target, ...]

    @property
    def scheduled_at(self) -> dt.datetime:
        when = self.utc
        if isinstance(when, str):
            when = dt.datetime.fromisoformat(when)
        return when if when.tzinfo else when.replace(tzinfo=dt.UTC)

    @property
    def state_label(self) -> str:
        return str(PostState(self.state).label)


def calendar_posts(
    *, scope: CalendarScope, start: dt.datetime, end: dt.datetime, filters: CalendarFilters
) -> list[PostRow]:
    """The posts of a range with their targets and the state of each of their
    publications, in five queries for any number of posts (see _post_fields). Posts
    with the same targets in the same states share one `targets` tuple."""
    posts = filtered_posts(scope=scope, start=start, end=end, filters=filters)
    found = list(posts.order_by("scheduled_at", "id").values_list(*_post_fields()))
    if not found:
        return []
    # Thousands of posts, a few dozen distinct texts of targets and publications.
    distinct = {(values[7], values[8]) for values in found}
    parsed = {key: _targets_of(*key) for key in distinct}
    names = _names(found, parsed.values())
    accounts = names["accounts"]
    combinations = {
        key: tuple(
            Target(network, account_id, accounts.get(account_id), state)
            for network, account_id, state in targets
        )
        for key, targets in parsed.items()
    }
    clock = WallClock(scope.tz)
    libraries, lines, authors = names["libraries"], names["lines"], names["authors"]
    no_line = (None, None)
    rows = []
    for post_id, title, utc, state, author_id, library_id, line_id, targets, published in found:
        line_name, line_colour = lines.get(line_id, no_line)
        local, day = clock.local(utc)
        rows.append(
            PostRow(
                post_id,
                title,
                utc,
                state,
                author_id,
                library_id,
                line_id,
                local,
                day,
                libraries.get(library_id, ""),
                line_name,
                line_colour,
                authors.get(author_id, ""),
                combinations[targets, published],
            )
        )
    return rows


# A post's publication on an account may have been cancelled and made again: the live one
# tells its state.
_CANCELLED = "cancelled"


def _targets_of(targets: str | None, publications: str | None) -> list[tuple]:
    """[(network, account id, publication state)] from the texts of _post_fields(),
    sorted by network and account. A target naming only a network takes the state of
    the post's publication on that network (publishing picked the account)."""
    states: dict[int | str, str] = {}
    for item in (publications or "").split(","):
        if item:
            network, account, state = item.split(" ")
            for key in (int(account) if account else None, network):
                if key is not None and (state != _CANCELLED or key not in states):
                    states[key] = state
    found = []
    for item in (targets or "").split(","):
        if item:
            network, account = item.split(" ")
            account_id = int(account) if account else None
            found.append((network, account_id, states.get(account_id or network, "")))
    return sorted(found, key=lambda target: (target[0], target[1] or 0))


def _names(found: list[tuple], targets) -> dict[str, dict]:
    """The names the rows show, read once per library, line, author and account."""
    from accounts.models import User

    library_ids = {values[5] for values in found}
    line_ids = {values[6] for values in found} - {None}
    author_ids = {values[4] for values in found}
    account_ids = {target[1] for combination in targets for target in combination} - {None}
    lines = EditorialLine.objects.filter(id__in=line_ids).values_list("id", "name", "colour")
    authors = User.objects.filter(id__in=author_ids).values_list("id", "display_name", "username")
    accounts = social_accounts().filter(id__in=account_ids).values_list("id", "display_name")
    return {
        "libraries": dict(Library.objects.filter(id__in=library_ids).values_list("id", "name")),
        "lines": {pk: (name, colour) for pk, name, colour in lines},
        "authors": {pk: display or username for pk, display, username in authors},
        "accounts": dict(accounts),
    }


def filter_choices(scope: CalendarScope) -> dict:
    """What the filters offer: the scope's branches, lines and people, and the accounts
    its posts can go to: the scope's own and its parent libraries' (as the composer
    offers them, posts.composer.accounts_for)."""
    from accounts.models import User
    from libraries.selectors import access_tree

    ids = set(access_tree().ancestors(scope.library.id)) | set(scope.library_ids)
    return {
        "branches": list(
            Library.objects.filter(id__in=scope.library_ids).order_by("parent_id", "name")
        ),
        "accounts": list(
            social_accounts()
            .filter(library_id__in=ids)
            .select_related("library")
            .order_by("network", "display_name")
        ),
        "lines": list(lines_of_scope(scope).order_by("position", "name")),
        "authors": list(
            User.objects.filter(is_active=True, memberships__library_id__in=ids)
            .distinct()
            .order_by("display_name", "username")
        ),
    }


# --- notable dates ------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    date: NotableDate
    start: dt.date
    end: dt.date  # inclusive
    library_name: str


def notable_dates_visible(library: Library, scope_ids: tuple[int, ...]) -> QuerySet[NotableDate]:
    """Dates of the library and its shown branches, and those shared by its parents."""
    from libraries.selectors import access_tree

    ancestors = access_tree().ancestors(library.id)[1:]
    return NotableDate.objects.filter(
        Q(library_id__in=scope_ids) | Q(library_id__in=ancestors, shared_with_branches=True)
    ).select_related("library")


def _shift_year(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=year, day=28)


def occurrences(
    dates, first: dt.date, last: dt.date, *, labelled: frozenset[int] = frozenset()
) -> list[Occurrence]:
    """The occurrences of notable dates that touch the days [first, last]; those of the
    `labelled` libraries (branches seen from their network) carry the library's name."""
    found = []
    for item in dates:
        spans = [(item.start_date, item.end_date)]
        if item.yearly:
            length = item.end_date - item.start_date
            spans = []
            for year in range(first.year - 1, last.year + 1):
                begin = _shift_year(item.start_date, year)
                if begin >= item.start_date:
                    spans.append((begin, begin + length))
        name = item.library.name if item.library_id in labelled else ""
        found += [
            Occurrence(date=item, start=s, end=e, library_name=name)
            for s, e in spans
            if s <= last and e >= first
        ]
    return sorted(found, key=lambda o: (o.start, o.date.title))


def notable_occurrences(
    *, scope: CalendarScope, first: dt.date, last: dt.date, branch: int | None = None
) -> list[Occurrence]:
    ids = (branch,) if branch else scope.library_ids
    dates = notable_dates_visible(scope.library, ids).filter(
        Q(yearly=True) | Q(start_date__lte=last, end_date__gte=first)
    )
    branches = frozenset(scope.library_ids) - {scope.library.id}
    return occurrences(dates, first, last, labelled=branches)


# --- channels, caps and gaps --------------------------------------------------


@dataclass(frozen=True)
class ChannelInfo:
    channel: Channel
    label: str
    library_id: int
    cap: int


def channels_of(scope: CalendarScope, library_ids: tuple[int, ...] | None = None):
    """Accounts of the libraries, plus networks that have slots but no account yet."""
    from editorial_calendar.badges import network_name

    ids = library_ids or scope.library_ids
    caps = {
        (cap.library_id, cap.network, cap.account_id): cap.limit
        for cap in DailyCap.objects.filter(library_id__in=ids)
    }
    channels: dict[Channel, ChannelInfo] = {}
    accounts = (
        social_accounts()
        .filter(library_id__in=ids)
        .exclude(status="disabled")
        .values_list("id", "network", "display_name", "library_id")
    )
    for account_id, network, name, library_id in accounts:
        cap = caps.get((library_id, network, account_id)) or caps.get((library_id, network, None))
        channels[Channel(network, account_id)] = ChannelInfo(
            Channel(network, account_id),
            f"{name} ({network_name(network)})",
            library_id,
            cap or DEFAULT_DAILY_CAP,
        )
    slot_networks = (
        PostingSlot.objects.filter(library_id__in=ids, account__isnull=True)
        .values_list("network", "library_id")
        .distinct()
    )
    names = (
        dict(Library.objects.filter(id__in=ids).values_list("id", "name")) if len(ids) > 1 else {}
    )
    for network, library_id in slot_networks:
        channel = Channel(network, None, library_id)
        label = network_name(network)
        if names:
            label = f"{label} ({names.get(library_id, '')})"
        channels.setdefault(
            channel,
            ChannelInfo(
                channel,
                label,
                library_id,
                caps.get((library_id, network, None)) or DEFAULT_DAILY_CAP,
            ),
        )
    return channels


def channel_day_counts(
    *, library_ids, start: dt.datetime, end: dt.datetime, tz: zoneinfo.ZoneInfo
) -> dict[Channel, Counter]:
    """Posts per channel and local day in [start, end): one grouped query.

    Each target gets its local day in SQL by comparing the post's UTC time with the UTC
    bounds of the local days (computed here, daylight saving time included), so no time
    zone function is needed (SQLite has none; Django emulates them with a Python call
    per row) and one row per channel and day comes back, not one per post.
    """
    from editorial_calendar.timeutil import at_local

    first = start.astimezone(tz).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    local_day = Case(
        *(
            When(
                post__scheduled_at__lt=at_local(day + dt.timedelta(days=1), dt.time(), tz),
                then=Value(index),
            )
            for index, day in enumerate(days)
        ),
        default=Value(len(days) - 1),
        output_field=IntegerField(),
    )
    rows = (
        PostTarget.objects.filter(
            post__library_id__in=library_ids,
            post__scheduled_at__gte=start,
            post__scheduled_at__lt=end,
            post__state__in=OCCUPYING_STATES,
        )
        .annotate(local_day=local_day)
        .values_list("network", "account_id", "post__library_id", "local_day")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts: dict[Channel, Counter] = defaultdict(Counter)
    for network, account_id, library_id, index, count in rows:
        counts[channel_of(network, account_id, library_id)][days[index]] += count
    return counts


def day_counts_of(rows: list[PostRow]) -> dict[Channel, Counter]:
    """The same counts as channel_day_counts(), from posts already read."""
    # Counted by combination of targets first: thousands of rows, a few dozen combinations.
    raw: Counter = Counter()
    for row in rows:
        if row.state in OCCUPYING_STATES:
            raw[row.targets, row.library_id, row.day] += 1
    counts: dict[Channel, Counter] = defaultdict(Counter)
    for (targets, library_id, day), count in raw.items():
        for target in targets:
            counts[channel_of(target.network, target.account_id, library_id)][day] += count
    return counts


@dataclass(frozen=True)
class CapWarning:
    day: dt.date
    label: str
    count: int
    cap: int


@dataclass(frozen=True)
class Gap:
    week_start: dt.date
    label: str


def caps_and_gaps(
    *,
    scope: CalendarScope,
    first: dt.date,
    last: dt.date,
    branch: int | None = None,
    rows: list[PostRow] | None = None,
) -> tuple[list[CapWarning], list[Gap]]:
    """Days over a channel's cap, and weeks (Monday to Sunday) without any post on a channel.

    `rows`, when given, are the unfiltered posts of whole weeks covering [first, last]
    (what the events endpoint already read): counted instead of queried again.
    """
    from editorial_calendar.timeutil import at_local

    ids = (branch,) if branch else scope.library_ids
    tz = scope.tz
    channels = channels_of(scope, ids)
    # Whole weeks, so that a week cut by the edge of a month is judged on all its days.
    monday = first - dt.timedelta(days=first.weekday())
    sunday = last + dt.timedelta(days=6 - last.weekday())
    if rows is not None:
        counts = day_counts_of(rows)
    else:
        counts = channel_day_counts(
            library_ids=ids,
            start=at_local(monday, dt.time(), tz),
            end=at_local(sunday + dt.timedelta(days=1), dt.time(), tz),
            tz=tz,
        )
    warnings = []
    for channel, info in channels.items():
        for day, count in sorted(counts.get(channel, Counter()).items()):
            if count > info.cap and first <= day <= last:
                warnings.append(CapWarning(day, info.label, count, info.cap))
    gaps = []
    week = monday
    while week <= last:
        days = {week + dt.timedelta(days=i) for i in range(7)}
        for channel, info in sorted(channels.items(), key=lambda item: item[1].label):
            if not any(counts.get(channel, Counter())[d] for d in days):
                gaps.append(Gap(week, info.label))
        week += dt.timedelta(days=7)
    return sorted(warnings, key=lambda w: (w.day, w.label)), gaps


# --- editorial mix --------------------------------------------------------------


@dataclass(frozen=True)
class MixRow:
    line_id: int | None
    name: str
    colour: str
    target: int | None
    planned: int
    planned_share: int
    published: int
    published_share: int


def lines_of_scope(scope: CalendarScope) -> QuerySet[EditorialLine]:
    from libraries.selectors import access_tree

    tree = access_tree()
    ids = set(tree.ancestors(scope.library.id)) | set(scope.library_ids)
    return EditorialLine.objects.filter(library_id__in=ids, is_active=True)


def mix_targets_for(library: Library, month: dt.date) -> dict[int, int]:
    """Target share per line for a month: the nearest library (itself, then its parents)
    that set targets; a month's own targets replace the "every month" ones."""
    from libraries.selectors import access_tree

    chain = access_tree().ancestors(library.id)
    rows = MixTarget.objects.filter(library_id__in=chain).filter(
        Q(month=month) | Q(month__isnull=True)
    )
    by_library: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows.values_list("library_id", "month", "editorial_line_id", "share"):
        library_id, row_month, line_id, share = row
        by_library[library_id]["month" if row_month else "default"][line_id] = share
    for library_id in chain:
        found = by_library.get(library_id)
        if found:
            return dict(found.get("month") or found.get("default") or {})
    return {}


def mix_summary(*, scope: CalendarScope, month: dt.date, filters: CalendarFilters) -> list[MixRow]:
    """Target vs planned vs published share of each editorial line in a month."""
    from editorial_calendar.badges import DEFAULT_LINE_COLOUR
    from editorial_calendar.timeutil import month_bounds

    start, end = month_bounds(month, scope.tz)
    planned_filters = CalendarFilters(
        branch=filters.branch, channel=filters.channel, author=filters.author
    )
    posts = filtered_posts(scope=scope, start=start, end=end, filters=planned_filters).filter(
        state__in=OCCUPYING_STATES
    )
    planned: Counter = Counter()
    published: Counter = Counter()
    for line_id, state, n in (
        posts.values_list("editorial_line_id", "state").annotate(n=Count("id")).order_by()
    ):
        planned[line_id] += n
        if state == PostState.PUBLISHED:
            published[line_id] += n
    targets = mix_targets_for(scope.library, month)
    total_planned, total_published = sum(planned.values()), sum(published.values())

    def pct(n: int, total: int) -> int:
        return round(100 * n / total) if total else 0

    rows = [
        MixRow(
            line.id,
            line.name,
            line.colour,
            targets.get(line.id),
            planned[line.id],
            pct(planned[line.id], total_planned),
            published[line.id],
            pct(published[line.id], total_published),
        )
        for line in lines_of_scope(scope).order_by("position", "name")
    ]
    if planned[None]:
        rows.append(
            MixRow(
                None,
                _("Sans ligne éditoriale"),
                DEFAULT_LINE_COLOUR,
                None,
                planned[None],
                pct(planned[None], total_planned),
                published[None],
                pct(published[None], total_published),
            )
        )
    return rows


# --- settings and feeds -----------------------------------------------------------


def slots_of(library: Library) -> QuerySet[PostingSlot]:
    return PostingSlot.objects.filter(library=library).select_related("account")


def caps_of(library: Library) -> QuerySet[DailyCap]:
    return DailyCap.objects.filter(library=library).select_related("account")


def social_accounts() -> QuerySet:
    """publishing.SocialAccount, looked up by name: publishing builds on this app, so
    this app does not import it."""
    return apps.get_model("publishing", "SocialAccount").objects.all()


def accounts_of(library: Library) -> QuerySet:
    return social_accounts().filter(library=library).exclude(status="disabled")


def feed_for(*, user, library: Library) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, library=library, revoked_at__isnull=True).first()


def feed_by_token(token: str) -> CalendarFeed:
    """The active feed of this token; 404 when unknown or revoked, or when its owner
    lost access to the library."""
    feed = (
        CalendarFeed.objects.select_related("user", "library")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None or not access_for(feed.user).has_role(feed.library_id):
        raise Http404("No such feed.")
    return feed


def mix_targets_of(library: Library, month: dt.date | None) -> dict[int, int]:
    """The library's own targets for a month (None: every month), for editing."""
    rows = (
        MixTarget.objects.filter(library=library, month=month)
        if month
        else MixTarget.objects.filter(library=library, month__isnull=True)
    )
    return dict(rows.values_list("editorial_line_id", "share"))
