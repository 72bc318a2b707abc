"""The dashboard's filters (`/metrics/?library=…&network=…&account=…`): what can be
chosen (the header's library and its branches the person sees, their networks and
accounts) and what was chosen (`Filters`, applied to every panel, the CSV and the
charts by metrics.dashboard). Two queries, whatever the number of posts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from libraries.models import Library
from networks import NETWORK_CHOICES
from publishing.models import SocialAccount


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to, besides the period: libraries (the header's
    library and its branches the person sees, or one branch and its own branches), and
    optionally one network and one account."""

    library_ids: list[int]
    network: str = ""
    account_id: int | None = None
    labels: tuple[tuple[str, str], ...] = ()  # (what, which) as shown, for the CSV

    def publications(self, prefix: str = "") -> Q:
        """Publications matching the filters (`prefix` to reach them from a relation)."""
        q = Q(**{f"{prefix}post__library_id__in": self.library_ids})
        if self.network:
            q &= Q(**{f"{prefix}network": self.network})
        if self.account_id is not None:
            q &= Q(**{f"{prefix}account_id": self.account_id})
        return q

    @property
    def narrowed(self) -> bool:
        """Narrowed to a network or an account (not only to libraries)."""
        return bool(self.network or self.account_id is not None)


@dataclass
class FilterOptions:
    libraries: list[tuple[int, str]] = field(default_factory=list)
    networks: list[tuple[str, str]] = field(default_factory=list)
    accounts: list[tuple[int, str]] = field(default_factory=list)
    parent_of: dict[int, int | None] = field(default_factory=dict)


def filter_options(*, library_ids: list[int]) -> FilterOptions:
    """The choices offered: `library_ids` in their order (the header's library first,
    then its branches), the networks they have accounts on and those accounts."""
    rows = {
        pk: (name, parent_id)
        for pk, name, parent_id in Library.objects.filter(id__in=library_ids).values_list(
            "id", "name", "parent_id"
        )
    }
    accounts = list(
        SocialAccount.objects.filter(library_id__in=library_ids)
        .order_by("display_name", "pk")
        .values_list("pk", "display_name", "handle", "network", "library__name")
    )
    names = {key: str(name) for key, name in NETWORK_CHOICES}
    used = {network for _pk, _name, _handle, network, _library in accounts}
    return FilterOptions(
        libraries=[(pk, rows[pk][0]) for pk in library_ids if pk in rows],
        networks=[(key, names[key]) for key, _name in NETWORK_CHOICES if key in used],
        accounts=[
            (pk, f"{name or handle} — {names.get(network, network)} ({library})")
            for pk, name, handle, network, library in accounts
        ],
        parent_of={pk: parent for pk, (_name, parent) in rows.items()},
    )


def filters_of(
    *,
    options: FilterOptions,
    library_id: int | None = None,
    network: str = "",
    account_id: int | None = None,
) -> Filters:
    """The chosen filters (values already checked against `options` by the form)."""
    in_scope = [pk for pk, _name in options.libraries]
    labels = []
    if library_id is not None and library_id in in_scope:
        chosen = {library_id}
        for pk in in_scope:  # the branch and its own branches (scope order: parents first)
            if options.parent_of.get(pk) in chosen:
                chosen.add(pk)
        in_scope = [pk for pk in in_scope if pk in chosen]
        labels.append((_("Bibliothèque"), dict(options.libraries)[library_id]))
    if network:
        labels.append((_("Réseau"), dict(options.networks).get(network, network)))
    if account_id is not None:
        labels.append((_("Compte"), dict(options.accounts).get(account_id, "")))
    return Filters(
        library_ids=in_scope, network=network, account_id=account_id, labels=tuple(labels)
    )
