"""Demo data of the calendar: a full current month and next month of posts,
editorial lines, posting slots, caps, notable dates and mix targets.

The posts, slots and cap go to the branches' demo accounts (the Sandbox and the
Website feed, made by publishing/demo.py and metrics/demo.py), so they are seeded
late (`seed_late`, once every app has seeded). Idempotent: everything is found by a
natural key before being created, so `seed_demo` run twice leaves one copy, and
anything people changed stays.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from editorial_calendar.models import DailyCap, MixTarget, NotableDate, NotableKind, PostingSlot
from editorial_calendar.selectors import accounts_of
from editorial_calendar.timeutil import at_local, next_month
from posts.models import EditorialLine, Post
from posts.services import Target, post_create

LINES = [
    # name, colour, mix target (%)
    ("Événements", "#b03a2e", 40),
    ("Coups de cœur", "#1d4e89", 30),
    ("Vie de la bibliothèque", "#2e7d32", 20),
    ("Chatons", "#7b3fa0", 10),
]

# network of an account -> its weekly slots (weekday, "HH:MM"): the Sandbox on Tuesday
# and Thursday 10:00 and Saturday 11:30, the website's feed on Wednesday evening and
# Saturday morning.
SLOTS = {
    "sandbox": [(1, "10:00"), (3, "10:00"), (5, "11:30")],
    "website": [(2, "18:00"), (5, "11:30")],
}
# A branch without any account plans on the Sandbox network (the composer allows it).
NO_ACCOUNT = "sandbox"
CAP = 2  # on the first branch's Sandbox, exceeded on one busy Saturday a month

# title, kind, (month, day) start, (month, day) end, yearly
NATIONAL_DATES = [
    ("Nuit de la lecture", NotableKind.CULTURAL, (1, 22), (1, 25), True),
    ("Printemps des poètes", NotableKind.CULTURAL, (3, 13), (3, 29), True),
    ("Partir en livre", NotableKind.CULTURAL, (6, 17), (7, 19), True),
    ("Fête de la musique", NotableKind.CULTURAL, (6, 21), (6, 21), True),
    ("Journées européennes du patrimoine", NotableKind.CULTURAL, (9, 19), (9, 20), True),
    ("Mois du film documentaire", NotableKind.CULTURAL, (11, 1), (11, 30), True),
    ("Fête du livre jeunesse", NotableKind.CULTURAL, (4, 2), (4, 2), True),
]

TITLES = {
    "Événements": [
        "Heure du conte du mercredi",
        "Atelier numérique : débuter avec sa tablette",
        "Club lecture ados",
        "Rencontre avec une autrice jeunesse",
        "Projection du mois",
        "Concert dans les rayonnages",
    ],
    "Coups de cœur": [
        "Le coup de cœur BD de la semaine",
        "Trois romans pour l'hiver",
        "Album jeunesse : notre sélection",
        "Le polar que l'équipe s'arrache",
        "Un documentaire à emprunter",
    ],
    "Vie de la bibliothèque": [
        "Nouveaux horaires d'ouverture",
        "Les nouveautés sont en rayon",
        "Portrait d'une bibliothécaire",
        "Le portage à domicile, comment ça marche ?",
    ],
    "Chatons": ["Le chat de la médiathèque fait la sieste", "Ronron au rayon BD"],
}

MARK = "[démo calendrier]"


def seed(ctx) -> None:
    network, branches = ctx.network, ctx.branches
    lines = _lines(network)
    _mix_targets(network, lines)
    _notable_dates(network, branches)


def seed_late(ctx) -> None:
    """What needs the branches' accounts: slots, a cap and two months of posts."""
    lines = _lines(ctx.network)
    accounts = {branch.pk: list(accounts_of(branch).order_by("network")) for branch in ctx.branches}
    for branch in ctx.branches:
        _slots(branch, accounts[branch.pk])
    first = ctx.branches[0]
    sandbox = next((a for a in accounts[first.pk] if a.network == "sandbox"), None)
    if sandbox is not None:
        DailyCap.objects.get_or_create(
            library=first, network="sandbox", account=sandbox, defaults={"limit": CAP}
        )
    _posts(ctx, accounts, lines)


def _lines(network) -> dict[str, EditorialLine]:
    found = {}
    for position, (name, colour, _share) in enumerate(LINES):
        line, _created = EditorialLine.objects.get_or_create(
            library=network, name=name, defaults={"colour": colour, "position": position}
        )
        found[name] = line
    return found


def _mix_targets(network, lines) -> None:
    for name, _colour, share in LINES:
        MixTarget.objects.get_or_create(
            library=network, editorial_line=lines[name], month=None, defaults={"share": share}
        )


def _notable_dates(network, branches) -> None:
    year = timezone.localdate().year
    for title, kind, start, end, yearly in NATIONAL_DATES:
        NotableDate.objects.get_or_create(
            library=network,
            title=title,
            defaults={
                "kind": kind,
                "start_date": dt.date(year, *start),
                "end_date": dt.date(year, *end),
                "yearly": yearly,
                "uid": f"demo-{title}",
            },
        )
    today = timezone.localdate()
    NotableDate.objects.get_or_create(
        library=network,
        title="Fermeture annuelle : inventaire",
        defaults={
            "kind": NotableKind.CLOSURE,
            "start_date": today.replace(day=1) + dt.timedelta(days=24),
            "end_date": today.replace(day=1) + dt.timedelta(days=26),
            "description": "Toutes les médiathèques du réseau sont fermées.",
        },
    )
    NotableDate.objects.get_or_create(
        library=branches[0],
        title="Exposition « Jules Verne, voyages extraordinaires »",
        defaults={
            "kind": NotableKind.EXHIBITION,
            "start_date": today.replace(day=1) + dt.timedelta(days=9),
            "end_date": next_month(today.replace(day=1)) + dt.timedelta(days=19),
            "shared_with_branches": False,
        },
    )
    NotableDate.objects.get_or_create(
        library=branches[1],
        title="Fermeture exceptionnelle (travaux)",
        defaults={
            "kind": NotableKind.CLOSURE,
            "start_date": next_month(today.replace(day=1)) + dt.timedelta(days=5),
            "end_date": next_month(today.replace(day=1)) + dt.timedelta(days=6),
        },
    )


def _slots(library, accounts) -> None:
    channels = [(a.network, a) for a in accounts if a.network in SLOTS] or [(NO_ACCOUNT, None)]
    for network, account in channels:
        for weekday, time in SLOTS[network]:
            PostingSlot.objects.get_or_create(
                library=library,
                network=network,
                account=account,
                weekday=weekday,
                time=dt.time.fromisoformat(time),
            )


def _posts(ctx, accounts, lines) -> None:
    """Two months of posts on the branches' slots, from the first of this month."""
    branches, users = ctx.branches, ctx.users
    # The Jules-Verne team writes its own posts; the network's people write for du Parc.
    authors = {
        branches[0].pk: [users["agent"], users["responsable"]],
        branches[-1].pk: [users["communication"], users["admin"]],
    }
    first = timezone.localdate().replace(day=1)
    last = next_month(next_month(first)) - dt.timedelta(days=1)
    line_names = [name for name, _c, _s in LINES]
    # Weighted to make the month's mix differ a little from the targets.
    cycle = ["Événements", "Coups de cœur", "Événements", "Vie de la bibliothèque",
             "Coups de cœur", "Chatons", "Événements", "Coups de cœur"]  # fmt: skip
    counters = dict.fromkeys(line_names, 0)
    day, index = first, 0
    while day <= last:
        for branch_index, branch in enumerate(branches):
            channels = [(a.network, a) for a in accounts[branch.pk] if a.network in SLOTS]
            website = next((a for network, a in channels if network == "website"), None)
            for network, account in channels or [(NO_ACCOUNT, None)]:
                for weekday, time in SLOTS[network]:
                    if weekday != day.weekday() or (day.day + branch_index) % 3 == 0:
                        continue  # leave room (and a few gaps) in the plan
                    line_name = cycle[index % len(cycle)]
                    index += 1
                    titles = TITLES[line_name]
                    title = f"{titles[counters[line_name] % len(titles)]} — {day:%d/%m}"
                    counters[line_name] += 1
                    targets = [Target(network=network, account_id=account and account.pk)]
                    # Events are announced on the website's feed too.
                    if line_name == "Événements" and website and account != website:
                        targets.append(Target(network="website", account_id=website.pk))
                    _post(
                        branch,
                        authors[branch.pk][index % 2],
                        title,
                        lines[line_name],
                        at_local(day, dt.time.fromisoformat(time), branch.tzinfo),
                        targets,
                    )
        day += dt.timedelta(days=1)
    _busy_saturday(ctx, accounts, lines, first)


def _busy_saturday(ctx, accounts, lines, first: dt.date) -> None:
    """The first branch's party: three more posts on one Saturday, over its Sandbox cap."""
    branch = ctx.branches[0]
    sandbox = next((a for a in accounts[branch.pk] if a.network == "sandbox"), None)
    if sandbox is None:
        return
    saturday = first + dt.timedelta(days=14 + (5 - (first + dt.timedelta(days=14)).weekday()) % 7)
    for time, title in (
        ("14:00", "Fête de la médiathèque : le programme de l'après-midi"),
        ("15:30", "Fête de la médiathèque : la dictée géante commence"),
        ("17:00", "Fête de la médiathèque : merci d'être venus !"),
    ):
        _post(
            branch,
            ctx.users["agent"],
            f"{title} — {saturday:%d/%m}",
            lines["Événements"],
            at_local(saturday, dt.time.fromisoformat(time), branch.tzinfo),
            [Target(network="sandbox", account_id=sandbox.pk)],
        )


def _post(library, author, title, line, when, targets) -> None:
    if Post.objects.filter(library=library, title=title, notes__startswith=MARK).exists():
        return
    post_create(
        library=library,
        author=author,
        title=title,
        body=f"{title.split(' — ')[0]} à la {library.name}. Toutes les infos sur notre site !",
        editorial_line=line,
        scheduled_at=when,
        notes=f"{MARK} Publication d'exemple du calendrier.",
        targets=targets,
    )
