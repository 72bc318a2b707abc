"""The validation panel of the post page (posts.panels), when the posts app provides it."""


def register() -> None:
    try:
        from posts.panels import register_panel
    except ImportError:  # the post page is not there yet
        return
    from validation.views.panel import panel_context

    register_panel(
        key="validation", template="validation/panel.html", context=panel_context, order=20
    )
