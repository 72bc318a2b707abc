"""Settings pages of the posts app: editorial lines (administrators) and the charter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libraries.models import Role
from libraries.selectors import access_for, object_get_for_user
from posts import selectors, services
from posts.charter import Charter, charter_for
from posts.forms import CharterForm, EditorialLineForm
from posts.models import CharterVersion, EditorialLine
from posts.views.common import current_library


@login_required
def editorial_lines(request):
    library = current_library(request, Role.ADMINISTRATOR)
    form = EditorialLineForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        try:
            services.editorial_line_create(library=library, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ligne éditoriale ajoutée."))
            return redirect("posts:editorial_lines")
    own, inherited = selectors.editorial_lines_split(library)
    rows = [(line, EditorialLineForm(instance=line, prefix=f"line{line.pk}")) for line in own]
    context = {"library": library, "form": form, "rows": rows, "inherited": inherited}
    return render(request, "posts/editorial_lines.html", context)


@login_required
@require_POST
def editorial_line_edit(request, pk: int):
    line = object_get_for_user(
        EditorialLine.objects.all(), user=request.user, pk=pk, min_role=Role.ADMINISTRATOR
    )
    form = EditorialLineForm(request.POST, instance=line, prefix=f"line{pk}")
    if form.is_valid():
        try:
            services.editorial_line_update(line=line, by=request.user, **form.cleaned_data)
            messages.success(request, _("Ligne « %(name)s » enregistrée.") % {"name": line.name})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        errors = [f"{form.fields[name].label} : {' '.join(e)}" for name, e in form.errors.items()]
        messages.error(request, " ".join(errors))
    return redirect("posts:editorial_lines")


@login_required
def charter(request):
    library = current_library(request)
    current = charter_for(library)
    can_edit = access_for(request.user).has_role(library.id, Role.ADMINISTRATOR)
    form = CharterForm(
        request.POST if can_edit else None,
        initial=CharterForm.initial_from(current.version if current else None),
    )
    if request.method == "POST" and can_edit and form.is_valid():
        data = form.cleaned_data
        version = services.charter_save(
            library=library,
            by=request.user,
            body=data["body"],
            sections=form.sections(),
            house_hashtags=data["house_hashtags"],
            signature=data["signature"],
            signature_networks=data["signature_networks"],
            note=data["note"],
        )
        messages.success(request, _("Charte enregistrée (version %(n)s).") % {"n": version.number})
        return redirect("posts:charter")
    context = {
        "library": library,
        "charter": current,
        "form": form,
        "can_edit": can_edit,
        "history": selectors.charter_history(library),
        "sections": current.sections_html() if current else [],
    }
    return render(request, "posts/charter.html", context)


@login_required
def charter_version(request, pk: int):
    version = object_get_for_user(
        CharterVersion.objects.select_related("library", "created_by"), user=request.user, pk=pk
    )
    shown = Charter(version=version, library=version.library)
    return render(
        request,
        "posts/charter_version.html",
        {"charter": shown, "sections": shown.sections_html()},
    )
