"""Panels of the post page (`/posts/<id>/`): other apps add theirs from AppConfig.ready().

    from posts.panels import register_panel

    register_panel(
        key="validation",
        template="validation/panel.html",
        context=lambda request, post: {"chain": ...},
        order=20,
    )

The post page renders every registered panel in `order` (then `key`), each with its
own template and the dict its `context(request, post)` returns, plus `post` and
`panel_key`. A context callable that returns None hides its panel for that request
(e.g. no metrics before publication). Registering the same key again replaces the
panel (harmless when Django's autoreloader runs ready() twice). Each panel is an
`<section>` the app's template fills; give it a heading (`<h2>`).

Orders in use: posts 10 (checks per network), validation 20, calendar 30,
publishing 40, metrics 50.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

PanelContext = Callable[[Any, Any], dict | None]


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: PanelContext
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    order: int
    html: SafeString


_PANELS: dict[str, Panel] = {}


def register_panel(*, key: str, template: str, context: PanelContext, order: int = 100) -> None:
    """Add (or replace) the panel `key` on the post page."""
    if not key or not template or not callable(context):
        raise ValueError("register_panel needs a key, a template and a context callable")
    _PANELS[key] = Panel(key=key, template=template, context=context, order=order)


def unregister_panel(key: str) -> None:
    """Remove a panel (tests)."""
    _PANELS.pop(key, None)


def registered_panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key))


def render_panels(request, post) -> list[RenderedPanel]:
    """Every visible panel of `post`, rendered, in order."""
    rendered = []
    for panel in registered_panels():
        extra = panel.context(request, post)
        if extra is None:
            continue
        context = {**extra, "post": post, "panel_key": panel.key}
        html = render_to_string(panel.template, context, request=request)
        rendered.append(RenderedPanel(key=panel.key, order=panel.order, html=html))
    return rendered
