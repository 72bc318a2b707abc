"""The media library: upload (several at once, drag and drop), search, alt text in place."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posts import selectors, services
from posts.forms import AltTextForm, MediaForm
from posts.views.common import current_library
from posts.views.recovery import keep_text_when_logged_out

PAGE_SIZE = 24
PICKER_SIZE = 12


@login_required
def media_library(request):
    library = current_library(request)
    query = request.GET.get("q", "").strip()
    media = selectors.media_library(user=request.user, library=library, q=query)
    page = Paginator(media, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "posts/media_library.html",
        {"library": library, "page": page, "q": query, "max_upload_mb": settings.MAX_UPLOAD_MB},
    )


@keep_text_when_logged_out
@require_POST
def media_upload(request):
    """Without JavaScript: the form's files, then back to the library with a message per
    file. With JavaScript (one file per request, `fragment` says where it goes): the
    new photo's HTML, or 422 and the reason."""
    library = current_library(request)
    files = request.FILES.getlist("files") or request.FILES.getlist("upload")
    stored, refused = services.media_upload_many(library=library, by=request.user, files=files)
    fragment = request.POST.get("fragment")
    if fragment in ("composer", "card"):
        template = "posts/_media_item.html" if fragment == "composer" else "posts/_media_card.html"
        if refused or not stored:
            return render(request, "posts/_upload_refused.html", {"refused": refused}, status=422)
        media = stored[0]
        return render(request, template, {"media": media, "alt": media.alt_text, "position": 99})
    for media in stored:
        messages.success(request, _("%(name)s est dans la médiathèque.") % {"name": media})
    for name, message in refused:
        messages.error(
            request, _("%(name)s refusé : %(reason)s") % {"name": name, "reason": message}
        )
    if not files:
        messages.error(request, _("Choisissez au moins une photo."))
    return redirect("posts:media_library")


@login_required
def media_picker(request):
    """Photos to add to a post, for the composer's picker (htmx)."""
    library = current_library(request)
    query = request.GET.get("media_q", "").strip()
    media = selectors.media_library(user=request.user, library=library, q=query)[:PICKER_SIZE]
    return render(request, "posts/_media_picker.html", {"picker": list(media)})


@keep_text_when_logged_out
def media_edit(request, pk: int):
    """Everything about a photo: alt text, credit, image rights."""
    media = selectors.media_get_for_user(user=request.user, pk=pk)
    form = MediaForm(request.POST or None, instance=media)
    if request.method == "POST" and form.is_valid():
        services.media_update(media=media, by=request.user, **form.cleaned_data)
        messages.success(request, _("La photo est enregistrée."))
        return redirect("posts:media_library")
    return render(request, "posts/media_edit.html", {"media": media, "form": form})


@keep_text_when_logged_out
@require_POST
def media_alt(request, pk: int):
    """The alt text, edited in place in the library (htmx: answers with the card)."""
    media = selectors.media_get_for_user(user=request.user, pk=pk)
    form = AltTextForm(request.POST)
    if form.is_valid():
        media = services.media_update(media=media, by=request.user, **form.cleaned_data)
    if request.htmx:
        status = 200 if form.is_valid() else 422
        context = {"media": media, "saved": form.is_valid(), "alt_form": form}
        return render(request, "posts/_media_card.html", context, status=status)
    messages.success(request, _("Texte alternatif enregistré."))
    return redirect("posts:media_library")


@login_required
@require_POST
def media_delete(request, pk: int):
    media = selectors.media_get_for_user(user=request.user, pk=pk)
    try:
        services.media_delete(media=media, by=request.user)
    except ProtectedError:
        messages.error(request, _("Cette photo sert dans des publications : elle reste."))
    else:
        messages.success(request, _("Photo supprimée."))
    return redirect("posts:media_library")
