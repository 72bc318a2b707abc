"""Extension points of the publishing engine for apps above it (imports run
metrics → publishing, so metrics registers here rather than being imported).

Link rewriters: before a publication is sent, its link (inside the final text and
`PublishRequest.link`) and every other http(s) link of its text go through every
registered rewriter, in order:

    from publishing.hooks import register_link_rewriter

    register_link_rewriter(lambda publication, url: tracked_url(publication, url))

A rewriter takes (publication, url) and returns the url to publish; it must be
deterministic for a given publication (a retry must send the same text, or the
reconciliation of an ambiguous attempt would not recognise it). Default: identity.

Email relays: a publication of kind "email" is sent as the EmailMessage the
registered builder returns for it (see `register_email_relay_builder`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LinkRewriter = Callable[[Any, str], str]
EmailRelayBuilder = Callable[[Any], Any]

_LINK_REWRITERS: list[LinkRewriter] = []
_EMAIL_RELAY_BUILDER: list[EmailRelayBuilder] = []


def register_link_rewriter(fn: LinkRewriter) -> None:
    """Add a rewriter (registering the same function again does nothing)."""
    if fn not in _LINK_REWRITERS:
        _LINK_REWRITERS.append(fn)


def unregister_link_rewriter(fn: LinkRewriter) -> None:
    if fn in _LINK_REWRITERS:
        _LINK_REWRITERS.remove(fn)


def rewrite_link(publication: Any, url: str) -> str:
    for fn in _LINK_REWRITERS:
        url = fn(publication, url) or url
    return url


def register_email_relay_builder(fn: EmailRelayBuilder) -> None:
    """fn(publication) -> django.core.mail.EmailMessage (recipients, subject, body) for
    a publication of kind "email"; the engine sends it once. Replaces any earlier one."""
    _EMAIL_RELAY_BUILDER[:] = [fn]


def email_relay_builder() -> EmailRelayBuilder | None:
    return _EMAIL_RELAY_BUILDER[0] if _EMAIL_RELAY_BUILDER else None
