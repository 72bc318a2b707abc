"""The publishing panel of the post page (order 40): one line per account."""


def register() -> None:
    from posts.panels import register_panel
    from publishing.views.panel import panel_context

    register_panel(
        key="publishing", template="publishing/panel.html", context=panel_context, order=40
    )
