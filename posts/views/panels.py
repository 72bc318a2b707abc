"""The posts app's own panel on the post page: is it ready for each network?"""

from posts import composer
from posts.charter import charter_for


def checks_panel(request, post) -> dict:
    """Counters and problems per target network, as the composer shows them."""
    composed = composer.from_post(post)
    event, offer = composer.post_event_and_offer(post)
    reports = composer.report(
        library=post.library,
        inp=composed,
        body=post.body,
        link=post.link,
        charter=charter_for(post.library),
        call_to_action=post.call_to_action,
        event=event,
        offer=offer,
    )
    return {"reports": reports, "error_count": sum(len(r.errors) for r in reports)}
