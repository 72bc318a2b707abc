"""Demo data: the Jules-Verne branch has a Sandbox and a Website-feed account, and two
approved posts for them go out a few minutes after `make run` starts (then the
dispatcher and the worker publish them; see the sandbox timeline and the feed).

It also has an example Google Business Profile location (`demo_google_location`),
not connected to Google (disabled: offered to no post, asked nothing by the daily
metrics run; "Reconnecter" connects a real one), whose daily figures metrics/demo.py
fills so the dashboard's "Fiches Google" section shows something."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from posts.models import Post
from posts.services import Target, post_create
from publishing.account_services import new_feed_token
from publishing.models import AccountStatus, SocialAccount

MARK = "[démo publication]"


def _account(library, network: str, name: str, path: str) -> SocialAccount:
    # As the one-click connect flows make them (publishing/connect/local.py).
    account, _created = SocialAccount.objects.get_or_create(
        library=library,
        network=network,
        defaults={
            "display_name": name,
            "handle": f"@{library.slug}",
            "server_url": f"{settings.SITE_URL.rstrip('/')}{path}",
            "remote_id": f"{network}:{library.slug}",
            "feed_token": new_feed_token() if network == "website" else None,
        },
    )
    return account


def demo_google_location(library) -> SocialAccount:
    """The example Google location of `library` (created once)."""
    account, _created = SocialAccount.objects.get_or_create(
        library=library,
        network="google_business",
        remote_id=f"accounts/demo/locations/{library.slug}",
        defaults={
            "display_name": f"{library.name} (fiche Google d'exemple)",
            "status": AccountStatus.DISABLED,
        },
    )
    return account


def seed(ctx) -> None:
    from validation.services import post_force_decision, post_submit

    branch = next(b for b in ctx.branches if b.slug == "mediatheque-jules-verne")
    sandbox = _account(
        branch,
        "sandbox",
        "Bac à sable Jules-Verne",
        reverse("publishing:sandbox", kwargs={"library": branch.slug}),
    )
    website = _account(
        branch, "website", "Site de la médiathèque", reverse("publishing:feed_items")
    )
    demo_google_location(branch)
    if Post.objects.filter(library=branch, notes__startswith=MARK).exists():
        return
    author, admin = ctx.users["agent"], ctx.users["admin"]
    for minutes, title, body in (
        (3, "Bienvenue dans le bac à sable", "Premier essai de publication depuis Annexe !"),
        (10, "L'heure du conte", "Mercredi à 15 h, l'heure du conte pour les 4-7 ans."),
    ):
        post = post_create(
            library=branch,
            author=author,
            title=title,
            body=body,
            scheduled_at=timezone.now() + dt.timedelta(minutes=minutes),
            notes=f"{MARK} Publiée par le bac à sable et le flux du site.",
            targets=[Target("sandbox", sandbox.pk), Target("website", website.pk)],
        )
        post_submit(post=post, by=author)
        post.refresh_from_db()
        if post.state == "pending":
            post_force_decision(
                post=post, by=admin, decision="approve", reason="Démonstration du bac à sable."
            )
