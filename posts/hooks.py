"""Extension points of posts for the apps above it.

Imports run one way (DESIGN.md: metrics → publishing → validation / editorial_calendar
→ posts → networks, libraries): posts never imports publishing, so what posts needs
from it is registered here by publishing, from `PublishingConfig.ready()`.

Target accounts: the composer offers a library's network accounts as destinations,
and accounts (`publishing.SocialAccount`) belong to publishing:

    from posts.hooks import register_target_accounts

    register_target_accounts(lambda library: [...])  # the accounts, ordered

The function takes a Library and returns the accounts its posts may go to (its own and
its parent libraries', not disabled), ordered by network then name; each has at least
`pk`, `network`, `display_name`, `handle`, `settings` and `library`. Registering again
replaces it (harmless when Django's autoreloader runs ready() twice). Without one,
there is no account to offer (networks only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TargetAccounts = Callable[[Any], list[Any]]

_TARGET_ACCOUNTS: list[TargetAccounts] = []


def register_target_accounts(fn: TargetAccounts) -> None:
    _TARGET_ACCOUNTS[:] = [fn]


def target_accounts(library: Any) -> list[Any]:
    """The accounts a post of `library` may go to (see the module's docstring)."""
    return list(_TARGET_ACCOUNTS[0](library)) if _TARGET_ACCOUNTS else []
