"""Publish now, retry, delete from the networks (POST; deletion asks first)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from libraries.selectors import object_get_for_user
from posts.selectors import post_get_for_user
from publishing import services
from publishing.models import Publication


@login_required
@require_POST
def publish_now(request, pk: int):
    post = post_get_for_user(user=request.user, pk=pk)
    try:
        count = services.post_publish_now(post=post, by=request.user)
        messages.success(request, _("Publication lancée sur %(n)s compte(s).") % {"n": count})
    except services.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("posts:detail", pk=post.pk)


@login_required
@require_POST
def retry(request, pk: int):
    publication = object_get_for_user(
        Publication.objects.select_related("post"), user=request.user, pk=pk, field="post__library"
    )
    try:
        services.publication_retry(publication=publication, by=request.user)
        messages.success(request, _("Nouvelle tentative lancée."))
    except services.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("posts:detail", pk=publication.post_id)


@login_required
@require_http_methods(["GET", "POST"])
def delete_from_networks(request, pk: int):
    post = post_get_for_user(user=request.user, pk=pk, min_role="administrator")
    published = Publication.objects.filter(
        post=post, state="published", remote_deleted_at__isnull=True
    ).select_related("account")
    if request.method == "POST":
        count = services.post_delete_from_networks(post=post, by=request.user)
        messages.success(request, _("Suppression demandée sur %(n)s réseau(x).") % {"n": count})
        return redirect("posts:detail", pk=post.pk)
    return render(request, "publishing/delete_confirm.html", {"post": post, "published": published})
