"""The composer: write a post, adapt it per network, save it as a draft at any time."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from libraries.selectors import access_for
from posts import selectors, services
from posts.forms import PostFieldsForm
from posts.rules import can_edit_post
from posts.views.common import current_library
from posts.views.recovery import keep_text_when_logged_out


@keep_text_when_logged_out
def post_new(request):
    library = current_library(request)
    form = PostFieldsForm(request.POST or None, library=library)
    if request.method == "POST" and form.is_valid():
        post = services.post_create(library=library, author=request.user, **form.cleaned_data)
        messages.success(request, _("Brouillon enregistré."))
        return redirect(reverse("posts:edit", args=[post.pk]) + "?created=1")
    return render(request, "posts/composer.html", {"form": form, "library": library, "post": None})


@keep_text_when_logged_out
def post_edit(request, pk: int):
    post = selectors.post_get_for_user(user=request.user, pk=pk)
    if not can_edit_post(access_for(request.user), request.user, post):
        raise PermissionDenied
    form = PostFieldsForm(
        request.POST or None,
        library=post.library,
        initial={name: getattr(post, name) for name in PostFieldsForm.base_fields},
    )
    if request.method == "POST" and form.is_valid():
        services.post_update(post=post, by=request.user, **form.cleaned_data)
        messages.success(request, _("Modifications enregistrées."))
        return redirect("posts:edit", pk=post.pk)
    return render(
        request, "posts/composer.html", {"form": form, "library": post.library, "post": post}
    )
