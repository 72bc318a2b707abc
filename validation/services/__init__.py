"""Every change of a post's review and state. The only writer of Post.state.

Import from here: `from validation.services import post_submit, post_approve`.
See each function's docstring; errors are in validation.errors.
"""

from validation.errors import (
    ContentNotApproved,
    IllegalTransition,
    NotAllowed,
    StaleAction,
    ValidationFlowError,
)
from validation.services.absences import absence_cancel, absence_create
from validation.services.chains import chain_clear, chain_save
from validation.services.deadlines import deadlines_check, post_mark_missed
from validation.services.decisions import (
    BulkItem,
    BulkResult,
    post_approve,
    post_reject,
    post_request_changes,
    posts_bulk_approve,
)
from validation.services.publishing import (
    post_cancel,
    post_check_publishable,
    post_mark_failed,
    post_mark_published,
    post_mark_publishing,
    post_requeue,
)
from validation.services.reset import review_reset_for_content_change
from validation.services.review import (
    post_comment,
    post_force_decision,
    post_reopen,
    post_submit,
    post_withdraw,
)
from validation.services.transitions import post_transition

__all__ = [
    "BulkItem",
    "BulkResult",
    "ContentNotApproved",
    "IllegalTransition",
    "NotAllowed",
    "StaleAction",
    "ValidationFlowError",
    "absence_cancel",
    "absence_create",
    "chain_clear",
    "chain_save",
    "deadlines_check",
    "post_approve",
    "post_cancel",
    "post_check_publishable",
    "post_comment",
    "post_force_decision",
    "post_mark_failed",
    "post_mark_missed",
    "post_mark_published",
    "post_mark_publishing",
    "post_reject",
    "post_reopen",
    "post_request_changes",
    "post_requeue",
    "post_submit",
    "post_transition",
    "post_withdraw",
    "posts_bulk_approve",
    "review_reset_for_content_change",
]
