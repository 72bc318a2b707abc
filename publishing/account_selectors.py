"""Reads about network accounts, permission-scoped."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from libraries.models import Library, Role
from libraries.selectors import access_tree, object_get_for_user
from publishing.models import AccountStatus, SocialAccount


def accounts_of(library: Library) -> QuerySet[SocialAccount]:
    """The library's own accounts (a branch sees its own; its parents' are inherited)."""
    return SocialAccount.objects.filter(library=library).order_by("network", "display_name")


def inherited_accounts(library: Library) -> QuerySet[SocialAccount]:
    """Accounts of the parent libraries, which the library's posts may also use."""
    parents = access_tree().ancestors(library.id)[1:]
    return (
        SocialAccount.objects.filter(library_id__in=parents)
        .exclude(status=AccountStatus.DISABLED)
        .select_related("library")
        .order_by("network", "display_name")
    )


def target_accounts_for(library: Library) -> list[SocialAccount]:
    """Accounts a post of `library` may go to: its own and its parent libraries', not
    disabled (registered as posts' `target_accounts`: posts does not import publishing)."""
    return list(
        SocialAccount.objects.filter(library_id__in=access_tree().ancestors(library.id))
        .exclude(status=AccountStatus.DISABLED)
        .select_related("library")
        .order_by("network", "display_name")
    )


def account_get_for_admin(*, user, pk: int) -> SocialAccount:
    """An account the user administers: 404 when not visible, 403 when not administrator."""
    return object_get_for_user(
        SocialAccount.objects.select_related("library"),
        user=user,
        pk=pk,
        min_role=Role.ADMINISTRATOR,
    )


def account_get_for_member(*, user, pk: int) -> SocialAccount:
    return object_get_for_user(SocialAccount.objects.select_related("library"), user=user, pk=pk)


def website_account_by_token(token: str) -> SocialAccount:
    """The Website feed account behind a public feed address (404 otherwise)."""
    account = (
        SocialAccount.objects.select_related("library")
        .filter(network="website", feed_token=token)
        .exclude(status=AccountStatus.DISABLED)
        .first()
        if token
        else None
    )
    if account is None:
        raise Http404("No such feed.")
    return account
