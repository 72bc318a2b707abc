"""Every change of a Publication (the only module that writes its state).

lifecycle   publications follow their post (approved, withdrawn, moved, missed)
            and the post follows its publications (publishing, published, failed)
dispatch    the beat sweep: claim due publications, reconcile, requeue lost ones
publish     one attempt at sending one publication, and the error mapping
actions     publish now, retry, delete from the networks
pause       pausing and resuming a library's publishing
"""

from publishing.services.actions import (
    ActionRefused,
    post_delete_from_networks,
    post_publish_now,
    publication_delete_remote,
    publication_retry,
)
from publishing.services.dispatch import dispatch_due
from publishing.services.lifecycle import (
    post_follow_publications,
    publications_reschedule,
    publications_sync,
    target_accounts,
)
from publishing.services.pause import (
    PauseError,
    overdue_posts,
    paused_library_ids,
    pauses_covering,
    publishing_pause,
    publishing_resume,
)
from publishing.services.publish import publication_publish

__all__ = [
    "ActionRefused",
    "PauseError",
    "dispatch_due",
    "overdue_posts",
    "paused_library_ids",
    "pauses_covering",
    "post_delete_from_networks",
    "post_follow_publications",
    "post_publish_now",
    "publication_delete_remote",
    "publication_publish",
    "publication_retry",
    "publications_reschedule",
    "publications_sync",
    "publishing_pause",
    "publishing_resume",
    "target_accounts",
]
