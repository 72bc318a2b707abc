"""The review page of a post and the actions it posts to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posts.selectors import post_get_for_user
from validation import pages, services
from validation.errors import ValidationFlowError
from validation.forms import CommentForm, DecisionForm, ForceForm, StateForm

DECIDE = {
    "approve": services.post_approve,
    "request_changes": services.post_request_changes,
    "reject": services.post_reject,
}
DONE = {
    "approve": _("Votre validation est enregistrée."),
    "request_changes": _("Votre demande de modifications est envoyée à l'auteur·rice."),
    "reject": _("La publication est refusée."),
    "submit": _("La publication est soumise à validation."),
    "withdraw": _("La publication est retirée."),
    "reopen": _("La publication est redevenue un brouillon."),
    "force": _("La décision forcée est enregistrée."),
    "comment": _("Votre commentaire est publié."),
}


def _page(request, post, status: int = 200, **forms):
    context = pages.review_context(user=request.user, post=post) | forms
    if context["capacity"] is None:
        # Nothing (more) to decide here: offer the next post waiting for this person.
        context["next_in_queue"] = pages.next_in_queue(user=request.user, after=post)
    return render(request, "validation/review.html", context, status=status)


def _back(request, post):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("validation:review", pk=post.pk)


def _run(request, post, form, form_name: str, done: str, call):
    """Call one service; a stale page or an illegal move becomes a message with the
    current state; a missing comment, a form error (400). NotAllowed gives 403."""
    if not form.is_valid():
        return _page(request, post, status=400, **{form_name: form})
    try:
        call(form)
    except ValidationFlowError as exc:
        messages.warning(request, exc.message)
        return redirect("validation:review", pk=post.pk)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for field, texts in errors.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        return _page(request, post, status=400, **{form_name: form})
    messages.success(request, DONE[done])
    return _back(request, post)


@login_required
def review(request, pk: int):
    return _page(request, post_get_for_user(user=request.user, pk=pk))


@login_required
@require_POST
def decide(request, pk: int):
    post = post_get_for_user(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    decision = request.POST.get("decision", "")
    return _run(
        request,
        post,
        form,
        "decision_form",
        decision if decision in DECIDE else "approve",
        lambda f: DECIDE[f.cleaned_data["decision"]](
            post=post, by=request.user, comment=f.cleaned_data["comment"], **f.expected()
        ),
    )


@login_required
@require_POST
def submit(request, pk: int):
    post = post_get_for_user(user=request.user, pk=pk)
    return _run(
        request,
        post,
        StateForm(request.POST),
        "state_form",
        "submit",
        lambda f: services.post_submit(
            post=post,
            by=request.user,
            comment=f.cleaned_data["comment"],
            **_without_step(f.expected()),
        ),
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    post = post_get_for_user(user=request.user, pk=pk)
    return _run(
        request,
        post,
        StateForm(request.POST),
        "state_form",
        "withdraw",
        lambda f: services.post_withdraw(
            post=post,
            by=request.user,
            comment=f.cleaned_data["comment"],
            expected_state=f.cleaned_data["state"],
        ),
    )


@login_required
@require_POST
def reopen(request, pk: int):
    post = post_get_for_user(user=request.user, pk=pk)
    return _run(
        request,
        post,
        StateForm(request.POST),
        "state_form",
        "reopen",
        lambda f: services.post_reopen(
            post=post, by=request.user, expected_state=f.cleaned_data["state"]
        ),
    )


@login_required
@require_POST
def force(request, pk: int):
    post = post_get_for_user(user=request.user, pk=pk)
    return _run(
        request,
        post,
        ForceForm(request.POST),
        "force_form",
        "force",
        lambda f: services.post_force_decision(
            post=post,
            by=request.user,
            decision=f.cleaned_data["decision"],
            reason=f.cleaned_data["reason"],
            **_without_step(f.expected()),
        ),
    )


@login_required
@require_POST
def comment(request, pk: int):
    post = post_get_for_user(user=request.user, pk=pk)
    return _run(
        request,
        post,
        CommentForm(request.POST),
        "comment_form",
        "comment",
        lambda f: services.post_comment(post=post, by=request.user, body=f.cleaned_data["body"]),
    )


def _without_step(expected: dict) -> dict:
    expected.pop("expected_step", None)
    return expected
