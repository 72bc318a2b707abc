"""Demo network of libraries and its team (`python manage.py seed_demo`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import User
from libraries.models import Library, Membership, Role

DEMO_PASSWORD = "annexe-demo"  # noqa: S105 - printed by `make run`, for the demo only


@dataclass
class DemoContext:
    network: Library
    branches: list[Library]
    users: dict[str, User]
    password: str = DEMO_PASSWORD
    extra: dict = field(default_factory=dict)


# username, display name, role, validation level, library key ("network" or a branch slug)
DEMO_PEOPLE = [
    ("agent", "Camille Agent", Role.CONTRIBUTOR, "", "mediatheque-jules-verne"),
    (
        "responsable",
        "Dominique Responsable",
        Role.VALIDATOR,
        "Responsable de secteur",
        "mediatheque-jules-verne",
    ),
    ("direction", "Claude Direction", Role.VALIDATOR, "Direction", "network"),
    ("communication", "Alex Communication", Role.VALIDATOR, "Service communication", "network"),
    ("admin", "Sacha Admin", Role.ADMINISTRATOR, "", "network"),
]


def _library(slug: str, name: str, parent: Library | None) -> Library:
    library, _ = Library.objects.get_or_create(slug=slug, defaults={"name": name, "parent": parent})
    return library


def seed(ctx: DemoContext | None = None) -> DemoContext:
    network = _library("demo-sur-oise", "Réseau des médiathèques de Démo-sur-Oise", None)
    branches = [
        _library("mediatheque-jules-verne", "Médiathèque Jules-Verne", network),
        _library("mediatheque-du-parc", "Médiathèque du Parc", network),
    ]
    by_key = {"network": network, **{b.slug: b for b in branches}}
    users = {}
    for username, display_name, role, level, library_key in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display_name, "email": f"{username}@demo-sur-oise.invalid"},
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user,
            library=by_key[library_key],
            defaults={"role": role, "validation_level": level},
        )
        users[username] = user
    return DemoContext(network=network, branches=branches, users=users)
