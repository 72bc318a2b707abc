"""Demo data of the metrics pages (`python manage.py seed_demo`), idempotent.

Two months of history so the dashboard is alive in `make run`: published posts of both
branches on their Sandbox accounts (and some on the Website feed), with snapshots drawn
from the Sandbox's own simulation (networks.sandbox: the same likes, shares, replies
and colleagues it would report), clicks through the short links, and events with
attendance and survey answers; daily figures of an example Google location
(metrics/demo_locations.py). History is written directly (it happened before the
demo started: there is nothing to send or refresh); refreshes of these publications
are marked finished so the sweep leaves them alone. Run twice, it adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from metrics import demo_locations
from metrics.events import event_create, event_record_attendance
from metrics.links import short_link_for
from metrics.models import (
    Click,
    Colleague,
    ColleagueKind,
    ColleagueMatch,
    Event,
    MetricRefresh,
    MetricSnapshot,
    SurveyAnswer,
)
from networks.sandbox import COLLEAGUE_DOMAIN, simulated_interactions
from posts.models import EditorialLine, Post, PostState, PostTarget
from publishing.models import Publication, PublicationState, SocialAccount

MARK = "[démo statistiques]"
HISTORY_DAYS = 62
SNAPSHOT_AGES = (dt.timedelta(hours=1), dt.timedelta(hours=6), dt.timedelta(days=2))
SNAPSHOT_AGES += (dt.timedelta(days=7), dt.timedelta(days=30))

TITLES = {
    "Coups de cœur": ["Le roman de l'automne", "Une BD qui fait du bien", "Le film du mois"],
    "Vie de la bibliothèque": ["Nouveautés en rayon", "Horaires des vacances", "Les coulisses"],
    "Événements": ["Heure du conte", "Atelier numérique", "Rencontre d'autrice"],
    "Chatons": ["Le chat du quartier est revenu"],
}
SURVEY_WEIGHTS = [
    ("portal", 5),
    ("posters", 7),
    ("word_of_mouth", 9),
    ("other", 2),
    ("network", 8),  # the branches post on the Sandbox only: "the social networks"
]


def _sandbox(library) -> SocialAccount:
    account, _created = SocialAccount.objects.get_or_create(
        library=library,
        network="sandbox",
        defaults={
            "display_name": f"Bac à sable {library.name.removeprefix('Médiathèque ')}",
            "handle": f"@{library.slug}",
            "server_url": settings.SITE_URL.rstrip("/")
            + reverse("publishing:sandbox", kwargs={"library": library.slug}),
            "remote_id": f"sandbox:{library.slug}",
        },
    )
    return account


def seed(ctx) -> None:
    # The Sandbox's simulated colleagues live on this domain: listed, so new Sandbox
    # posts are refreshed with their colleagues apart (metrics.audience).
    Colleague.objects.get_or_create(
        library=ctx.network,
        match=ColleagueMatch.DOMAIN,
        identifier=COLLEAGUE_DOMAIN,
        defaults={"kind": ColleagueKind.STAFF, "label": "Collègues du bac à sable"},
    )
    rng = random.Random(20261206)  # noqa: S311 - demo data
    lines = list(EditorialLine.objects.filter(library=ctx.network).order_by("position"))
    author = ctx.users["agent"]
    for branch in ctx.branches:
        if Post.objects.filter(library=branch, notes__startswith=MARK).exists():
            continue
        sandbox = _sandbox(branch)
        website = SocialAccount.objects.filter(library=branch, network="website").first()
        _history(branch, author, lines, [sandbox, website], rng)
    _events(ctx, rng)
    demo_locations.seed(ctx)


def _history(branch, author, lines, accounts, rng) -> None:
    tz = branch.tzinfo
    now = timezone.now()
    today = now.astimezone(tz).date()
    for days_back in range(HISTORY_DAYS, 0, -1):
        if rng.random() < 0.45:
            continue
        day = today - dt.timedelta(days=days_back)
        when = dt.datetime.combine(day, dt.time(rng.choice([9, 10, 12, 14, 17, 18, 20]), 0))
        when = when.replace(tzinfo=tz).astimezone(dt.UTC)
        line = rng.choice(lines) if lines else None
        title = rng.choice(TITLES.get(line.name, ["Nouvelles"]) if line else ["Nouvelles"])
        link = f"https://{branch.slug}.demo-sur-oise.invalid/agenda/{days_back}"
        post = Post.objects.create(
            library=branch,
            author=author,
            title=title,
            body=f"{title} — tous les détails sur {link}",
            editorial_line=line,
            link=link,
            scheduled_at=when,
            state=PostState.PUBLISHED,
            notes=f"{MARK} Historique de démonstration.",
        )
        targets = [
            a for a in accounts if a is not None and (a.network == "sandbox" or rng.random() < 0.4)
        ]
        for account in targets:
            PostTarget.objects.create(post=post, network=account.network, account=account)
            publication = Publication.objects.create(
                post=post,
                account=account,
                network=account.network,
                state=PublicationState.PUBLISHED,
                scheduled_at=when,
                published_at=when,
                key=f"demo-{post.pk}-{account.pk}",
                remote_id=f"{account.network}:demo-{post.pk}-{account.pk}",
            )
            if account.network == "sandbox":
                _snapshots(publication, now)
            _clicks(publication, now, rng)


def _snapshots(publication: Publication, now: dt.datetime) -> None:
    interactions = simulated_interactions(publication.remote_id, publication.published_at)
    snapshots = []
    for age in SNAPSHOT_AGES:
        at = publication.published_at + age
        if at > now:
            break
        seen = [i for i in interactions if i.at <= at]

        def count(kind: str, who: str = "", seen=seen) -> int:
            return sum(1 for i in seen if i.kind == kind and i.actor.startswith(f"sandbox:{who}"))

        snapshots.append(
            MetricSnapshot(
                publication=publication,
                taken_at=at,
                likes=count("like"),
                shares=count("share"),
                replies=count("reply"),
                public_likes=count("like", "public"),
                public_shares=count("share", "public"),
                colleague_likes=count("like", "colleague"),
                colleague_shares=count("share", "colleague"),
                audience_known=True,
            )
        )
    if not snapshots:
        return
    MetricSnapshot.objects.bulk_create(snapshots)
    latest = MetricSnapshot.objects.filter(publication=publication).order_by("-taken_at").first()
    MetricRefresh.objects.update_or_create(
        publication=publication,
        defaults={
            "account": publication.account,
            "published_at": publication.published_at,
            "next_refresh_at": None,  # history: nothing more to ask
            "last_refreshed_at": latest.taken_at,
            "refreshes": len(snapshots),
            "latest": latest,
        },
    )


def _clicks(publication: Publication, now: dt.datetime, rng) -> None:
    link = short_link_for(publication=publication, url=publication.post.link)
    clicks = []
    for _index in range(rng.randint(0, 25)):
        at = publication.published_at + dt.timedelta(hours=rng.expovariate(1 / 8))
        if at > now:
            continue
        clicks.append(
            Click(
                link=link,
                publication=publication,
                hour=at.replace(minute=0, second=0, microsecond=0),
                clicked_at=at,
                visitor=None,  # forgotten, as after the hour
            )
        )
    Click.objects.bulk_create(clicks)


def _events(ctx, rng) -> None:
    branch = next(b for b in ctx.branches if b.slug == "mediatheque-jules-verne")
    tz = branch.tzinfo
    today = timezone.now().astimezone(tz).date()
    plans = [
        ("Nuit de la lecture", -40, "Salle du conte", 60, 52, 31),
        ("Atelier numérique : retoucher ses photos", -12, "Espace multimédia", 12, 11, 9),
        ("Rencontre d'autrice", 9, "Auditorium", 80, None, 0),
    ]
    staff = ctx.users["responsable"]
    for title, offset, place, capacity, attendance, answers in plans:
        if Event.objects.filter(library=branch, title=title).exists():
            continue
        starts = dt.datetime.combine(today + dt.timedelta(days=offset), dt.time(18, 30))
        announced = Post.objects.filter(library=branch, notes__startswith=MARK).filter(
            scheduled_at__lt=starts.replace(tzinfo=tz),
            scheduled_at__gte=starts.replace(tzinfo=tz) - dt.timedelta(days=10),
        )[:2]
        event = event_create(
            library=branch,
            by=staff,
            title=title,
            starts_at=starts.replace(tzinfo=tz),
            place=place,
            capacity=capacity,
            posts=list(announced),
        )
        if attendance is not None:
            event_record_attendance(event=event, by=staff, attendance=attendance)
        channels = [c for c, w in SURVEY_WEIGHTS for _ in range(w)]
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(
                event=event,
                channel=rng.choice(channels),
                answered_at=event.starts_at + dt.timedelta(minutes=rng.randint(5, 120)),
            )
            for _index in range(answers)
        )
