"""The validation panel on the post page (registered in validation.panel)."""

from validation import pages


def panel_context(request, post) -> dict:
    return pages.review_context(user=request.user, post=post)
