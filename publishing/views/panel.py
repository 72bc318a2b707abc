"""The publishing panel of the post page: each account, its state, the network's
message, the link to the published post, and the buttons."""

from libraries.models import Role
from libraries.selectors import access_for
from publishing.models import Publication, PublicationState
from publishing.services import paused_library_ids


def panel_context(request, post) -> dict | None:
    publications = list(
        Publication.objects.filter(post=post).select_related("account").order_by("kind", "pk")
    )
    if not publications:
        return None
    access = access_for(request.user)
    may_act = access.has_role(post.library_id, Role.VALIDATOR) or post.author_id == request.user.pk
    return {
        "publications": publications,
        "may_act": may_act,
        "may_delete": access.has_role(post.library_id, Role.ADMINISTRATOR)
        and any(
            p.state == PublicationState.PUBLISHED and not p.remote_deleted_at for p in publications
        ),
        "can_publish_now": may_act
        and any(p.state == PublicationState.SCHEDULED for p in publications)
        and post.library_id not in paused_library_ids(),
        "states": PublicationState,
    }
