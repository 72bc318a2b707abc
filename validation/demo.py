"""Demo chains and posts of the validation app (`python manage.py seed_demo`), idempotent.

The network's chains fit the issue's story: by default a post needs the head of
section then the director; *Événements* needs the head of section, the director
and the town's communication service; *Coups de cœur* needs no validation.
Then a few posts of the Jules-Verne agent, brought through the services to each
place a validator meets: waiting at each level of *Événements*, changes
requested, rejected, missed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from posts.models import EditorialLine, Post
from posts.services import Target, post_create
from validation import services
from validation.models import Chain
from validation.services.chains import LevelInput

RESPONSABLE = "Responsable de secteur"
DIRECTION = "Direction"
COMMUNICATION = "Service communication"

# title, line, days from now, hour, text, what happens to it
POSTS = [
    (
        "Lecture musicale : contes d'hiver",
        "Événements",
        5,
        15,
        "Samedi à 15 h, contes d'hiver lus à deux voix avec un violoncelle. "
        "Pour toute la famille, entrée libre. #HeureDuConte",
        "level1",
    ),
    (
        "Concert de la chorale du conservatoire",
        "Événements",
        8,
        18,
        "Vendredi à 18 h, la chorale du conservatoire chante dans la salle d'exposition. "
        "Entrée libre dans la limite des places.",
        "level2",
    ),
    (
        "Exposition de photographies : la ville en hiver",
        "Événements",
        10,
        11,
        "Du 1er au 28, les photographes du club local exposent « La ville en hiver ». "
        "Vernissage samedi à 11 h.",
        "level3",
    ),
    (
        "Fermeture exceptionnelle pour inventaire",
        "Vie de la bibliothèque",
        6,
        9,
        "La médiathèque sera fermée lundi pour l'inventaire annuel. Les retours restent "
        "possibles dans la boîte extérieure.",
        "changes_requested",
    ),
    (
        "Sondage : vos idées pour la rentrée",
        "Vie de la bibliothèque",
        7,
        10,
        "Donnez-nous votre avis sur les prochaines animations en répondant à notre "
        "sondage en ligne !",
        "rejected",
    ),
    (
        "Atelier tricot du jeudi",
        "Événements",
        -1,
        14,
        "Jeudi à 14 h, l'atelier tricot reprend au coin lecture. Laine et aiguilles fournies.",
        "missed",
    ),
]


def _chains(ctx, lines: dict[str, EditorialLine]) -> None:
    network, admin = ctx.network, ctx.users["admin"]
    if Chain.objects.filter(library=network).exists():
        return
    services.chain_save(
        library=network,
        by=admin,
        levels=[LevelInput(RESPONSABLE, RESPONSABLE), LevelInput(DIRECTION, DIRECTION)],
    )
    if "Événements" in lines:
        services.chain_save(
            library=network,
            by=admin,
            editorial_line=lines["Événements"],
            levels=[
                LevelInput(RESPONSABLE, RESPONSABLE),
                LevelInput(DIRECTION, DIRECTION),
                LevelInput(COMMUNICATION, COMMUNICATION),
            ],
        )
    if "Coups de cœur" in lines:
        services.chain_save(
            library=network,
            by=admin,
            editorial_line=lines["Coups de cœur"],
            requires_validation=False,
        )


def _post(ctx, branch, line, title, days, hour, text) -> Post:
    day = timezone.localdate(timezone.now(), branch.tzinfo) + dt.timedelta(days=days)
    return post_create(
        library=branch,
        author=ctx.users["agent"],
        title=title,
        body=text,
        editorial_line=line,
        scheduled_at=dt.datetime.combine(day, dt.time(hour), tzinfo=branch.tzinfo),
        targets=[Target("mastodon"), Target("sandbox"), Target("website")],
    )


def _bring(ctx, post: Post, where: str) -> None:
    users = ctx.users
    if where == "missed":
        # Submitted in time, then its day came before anyone approved it: the
        # date is moved back here (not a state change) so the sweep can miss it.
        when = post.scheduled_at
        Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() + dt.timedelta(days=2))
        post.refresh_from_db()
        services.post_submit(post=post, by=users["agent"])
        Post.objects.filter(pk=post.pk).update(scheduled_at=when)
        post.refresh_from_db()
        services.post_mark_missed(post=post)
        return
    services.post_submit(post=post, by=users["agent"])
    if where == "rejected":
        services.post_reject(
            post=post,
            by=users["responsable"],
            comment=(
                "Nous n'avons pas d'outil de sondage validé par la mairie : "
                "pas de sondage en ligne."
            ),
        )
        return
    if where == "level1":
        return
    services.post_approve(post=post, by=users["responsable"], comment="Très bien.")
    if where == "changes_requested":
        services.post_request_changes(
            post=post,
            by=users["direction"],
            comment="Précisez la date (lundi combien ?) et l'heure de réouverture.",
        )
        return
    if where == "level2":
        return
    services.post_approve(post=post, by=users["direction"])


def seed(ctx) -> None:
    network = ctx.network
    lines = {line.name: line for line in EditorialLine.objects.filter(library=network)}
    _chains(ctx, lines)
    branch = next(b for b in ctx.branches if b.slug == "mediatheque-jules-verne")
    for title, line_name, days, hour, text, where in POSTS:
        if Post.objects.filter(library=branch, title=title).exists():
            continue
        post = _post(ctx, branch, lines.get(line_name), title, days, hour, text)
        _bring(ctx, post, where)
