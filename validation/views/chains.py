"""Settings: validation chains (administrators) and absences (everyone)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libraries.models import Role
from libraries.selectors import access_for, library_get_for_user
from posts.selectors import editorial_lines_for
from validation import pages, selectors, services
from validation.errors import ChainInvalid
from validation.forms import (
    AbsenceForm,
    ChainModeForm,
    level_formset,
    levels_from_formset,
    with_one_more_level,
)


def _current(request, min_role=Role.CONTRIBUTOR):
    if request.library is None:
        raise Http404("No library.")
    return library_get_for_user(user=request.user, pk=request.library.pk, min_role=min_role)


@login_required
def chains(request):
    library = _current(request, Role.ADMINISTRATOR)
    rows = pages.chain_rows(library)
    return render(request, "validation/chains.html", {"library": library, "rows": rows})


@login_required
def chain_edit(request, library: str, line: int | None = None):
    """Every level of a chain edited in one form, saved in one go (add, remove, reorder)."""
    library = library_get_for_user(user=request.user, slug=library, min_role=Role.ADMINISTRATOR)
    line = editorial_lines_for(library, active_only=False).filter(pk=line).first() if line else None
    if line is None and request.resolver_match.url_name == "chain_edit_line":
        raise Http404("No such editorial line.")
    initial_mode, initial_levels = pages.chain_form_initial(library, line)
    adding = "add_level" in request.POST
    data = None
    if request.method == "POST":
        data = with_one_more_level(request.POST) if adding else request.POST
    mode_form = ChainModeForm(data, initial={"mode": initial_mode})
    # Bound, the POST is the whole truth: an initial value equal to what was typed
    # would make an added level look "unchanged" and be dropped.
    formset = level_formset(extra=0 if initial_levels else 1)(
        data,
        initial=initial_levels if data is None else None,
        form_kwargs={"members": selectors.members_of(library)},
    )
    ready = data is not None and not adding and mode_form.is_valid() and formset.is_valid()
    if ready and _save_chain(request, library, line, mode_form, formset):
        messages.success(request, _("Le circuit de validation est enregistré."))
        return redirect("validation:chains")
    context = {
        "library": library,
        "line": line,
        "mode_form": mode_form,
        "formset": formset,
        "known_levels": selectors.known_levels(library),
        "inherited": pages.chain_row(library, line),
    }
    return render(request, "validation/chain_edit.html", context)


def _save_chain(request, library, line, mode_form, formset) -> bool:
    """Call the service; its messages go next to the level they are about."""
    mode = mode_form.cleaned_data["mode"]
    rows = levels_from_formset(formset) if mode == "levels" else []
    try:
        if mode == "inherit":
            services.chain_clear(library=library, by=request.user, editorial_line=line)
        else:
            services.chain_save(
                library=library,
                by=request.user,
                editorial_line=line,
                requires_validation=mode == "levels",
                levels=[level for _form, level in rows],
            )
    except ChainInvalid as exc:
        for message in exc.general:
            mode_form.add_error(None, message)
        for index, found in exc.levels.items():
            for message in found:
                rows[index][0].add_error(None, message)
        return False
    except ValidationError as exc:
        mode_form.add_error(None, exc)
        return False
    return True


@login_required
def absences(request):
    library = _current(request)
    is_admin = access_for(request.user).has_role(library.id, Role.ADMINISTRATOR)
    people = selectors.members_of(library)
    form = AbsenceForm(
        request.POST or None,
        people=people.exclude(pk=request.user.pk) if not is_admin else people,
        absent_choices=people if is_admin else people.filter(pk=request.user.pk),
        initial={"user": request.user},
        tz=library.tzinfo,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_create(library=library, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'absence est enregistrée."))
            return redirect("validation:absences")
    return render(
        request,
        "validation/absences.html",
        {
            "library": library,
            "form": form,
            "absences": selectors.absences_visible_to(request.user, library),
            "is_admin": is_admin,
        },
    )


@login_required
@require_POST
def absence_cancel(request, pk: int):
    absence = selectors.absence_get_for_user(user=request.user, pk=pk)
    try:
        services.absence_cancel(absence=absence, by=request.user)
    except services.NotAllowed as exc:
        raise PermissionDenied from exc
    messages.success(request, _("L'absence est annulée."))
    return redirect("validation:absences")
