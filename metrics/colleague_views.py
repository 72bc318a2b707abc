"""The colleague list (library administrators): whose likes and shares count apart
from the public's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libraries.models import Role
from libraries.selectors import library_ancestors, library_get_for_user, object_get_for_user
from metrics import colleague_services
from metrics.colleague_forms import ColleagueForm
from metrics.models import Colleague


def _recount() -> str:
    return _(
        "Les mentions j'aime et partages déjà relevés sont reclassés (public ou collègues) "
        "dans quelques instants."
    )


def _library(request):
    if request.library is None:
        raise Http404("No library.")
    return library_get_for_user(
        user=request.user, pk=request.library.pk, min_role=Role.ADMINISTRATOR
    )


@login_required
def colleagues(request):
    library = _library(request)
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            colleague_services.colleague_add(library=library, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("identifier", exc)
        else:
            messages.success(request, _("Le collègue est ajouté à la liste.") + " " + _recount())
            return redirect("metrics:colleagues")
    parents = library_ancestors(library)[1:]
    return render(
        request,
        "metrics/colleagues.html",
        {
            "library": library,
            "form": form,
            "colleagues": Colleague.objects.filter(library=library),
            "inherited": Colleague.objects.filter(library__in=parents).select_related("library"),
        },
    )


@login_required
@require_POST
def colleague_delete(request, pk: int):
    colleague = object_get_for_user(
        Colleague.objects.all(), user=request.user, pk=pk, min_role=Role.ADMINISTRATOR
    )
    colleague_services.colleague_remove(colleague=colleague, by=request.user)
    messages.success(request, _("Le collègue est retiré de la liste.") + " " + _recount())
    return redirect("metrics:colleagues")
