from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.middleware import SESSION_KEY
from core.nav import SETTINGS_SECTIONS
from libraries import selectors, services
from libraries.forms import LibrarySettingsForm, MemberAddForm, MemberRoleForm
from libraries.models import Membership, Role


def _current(request, min_role: str = Role.CONTRIBUTOR):
    if request.library is None:
        raise Http404("No library.")
    return selectors.library_get_for_user(
        user=request.user, pk=request.library.pk, min_role=min_role
    )


@login_required
def settings_index(request):
    library = _current(request)
    access = selectors.access_for(request.user)
    sections = []
    for section in SETTINGS_SECTIONS:
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue  # provided by an app that is not installed yet
        if access.has_role(library.id, section.min_role):
            sections.append(
                {"label": section.label, "description": section.description, "url": url}
            )
    return render(
        request, "libraries/settings_index.html", {"library": library, "sections": sections}
    )


@login_required
def library_settings(request):
    library = _current(request)
    can_edit = selectors.access_for(request.user).has_role(library.id, Role.ADMINISTRATOR)
    form = LibrarySettingsForm(request.POST if can_edit else None, instance=library)
    if request.method == "POST" and can_edit and form.is_valid():
        services.library_update_settings(library=library, by=request.user, **form.settings_values())
        messages.success(
            request, _("Les réglages de %(library)s sont enregistrés.") % {"library": library}
        )
        return redirect("libraries:library_settings")
    return render(
        request,
        "libraries/library_settings.html",
        {"library": library, "form": form, "can_edit": can_edit},
    )


@login_required
def members(request):
    library = _current(request, Role.ADMINISTRATOR)
    add_form = MemberAddForm(request.POST or None, prefix="add")
    if request.method == "POST" and add_form.is_valid():
        try:
            member = services.membership_add(
                library=library, by=request.user, request=request, **add_form.cleaned_data
            )
        except ValidationError as exc:
            add_form.add_error("email", exc)
        else:
            messages.success(
                request, _("%(user)s a été ajouté·e à l'équipe.") % {"user": member.user}
            )
            return redirect("libraries:members")
    memberships = Paginator(
        selectors.memberships_of_library(user=request.user, library=library), 50
    )
    page = memberships.get_page(request.GET.get("page"))
    rows = [
        (
            m,
            MemberRoleForm(
                initial={"role": m.role, "validation_level": m.validation_level}, prefix=f"m{m.pk}"
            ),
        )
        for m in page
    ]
    inherited = selectors.inherited_memberships(user=request.user, library=library)
    return render(
        request,
        "libraries/members.html",
        {
            "library": library,
            "add_form": add_form,
            "rows": rows,
            "page": page,
            "inherited": inherited,
        },
    )


@login_required
@require_POST
def member_change(request, pk: int):
    membership = selectors.object_get_for_user(
        Membership.objects.select_related("library", "user"),
        user=request.user,
        pk=pk,
        min_role=Role.ADMINISTRATOR,
    )
    form = MemberRoleForm(request.POST, prefix=f"m{pk}")
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(membership=membership, by=request.user)
            messages.success(
                request, _("%(user)s ne fait plus partie de l'équipe.") % {"user": membership.user}
            )
        elif form.is_valid():
            services.membership_change_role(
                membership=membership, by=request.user, **form.cleaned_data
            )
            messages.success(
                request, _("Le rôle de %(user)s est modifié.") % {"user": membership.user}
            )
        else:
            messages.error(request, _("Rôle inconnu."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("libraries:members")


@login_required
@require_POST
def switch(request):
    """Choose the library the pages show (from the switcher in the header)."""
    library = selectors.library_get_for_user(user=request.user, pk=request.POST.get("library") or 0)
    request.session[SESSION_KEY] = library.pk
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("home")
    return redirect(target)
