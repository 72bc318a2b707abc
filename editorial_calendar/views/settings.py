"""Settings of the calendar: posting slots and caps, notable dates, editorial mix."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from editorial_calendar import ical, selectors, services
from editorial_calendar.forms import CapForm, ImportForm, MixForm, NotableDateForm, SlotForm
from editorial_calendar.models import NotableDate, PostingSlot
from libraries.models import Role
from libraries.selectors import library_get_for_user, object_get_for_user


def _library(request):
    if request.library is None:
        raise Http404("No library.")
    return library_get_for_user(
        user=request.user, pk=request.library.pk, min_role=Role.ADMINISTRATOR
    )


def _channel(value: str, accounts) -> dict:
    kind, _sep, key = value.partition(":")
    if kind == "account":
        account = next((a for a in accounts if str(a.pk) == key), None)
        if account is None:
            raise ValidationError(_("Compte inconnu."))
        return {"network": account.network, "account": account}
    return {"network": key, "account": None}


@login_required
def slots(request):
    """Posting slots and daily caps of the current library."""
    library = _library(request)
    accounts = list(selectors.accounts_of(library))
    slot_form = SlotForm(
        request.POST if "add_slot" in request.POST else None, accounts=accounts, prefix="slot"
    )
    cap_form = CapForm(
        request.POST if "set_cap" in request.POST else None, accounts=accounts, prefix="cap"
    )
    for form, service in ((slot_form, services.slot_create), (cap_form, services.cap_set)):
        if form.is_bound and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                service(
                    library=library,
                    by=request.user,
                    **_channel(data.pop("channel"), accounts),
                    **data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("C'est enregistré."))
                return redirect("editorial_calendar:settings")
    return render(
        request,
        "editorial_calendar/settings_slots.html",
        {
            "library": library,
            "slots": selectors.slots_of(library),
            "caps": selectors.caps_of(library),
            "slot_form": slot_form,
            "cap_form": cap_form,
        },
    )


@login_required
@require_POST
def slot_delete(request, pk: int):
    slot = object_get_for_user(
        PostingSlot.objects.select_related("library", "account"),
        user=request.user,
        pk=pk,
        min_role=Role.ADMINISTRATOR,
    )
    moved = services.slot_delete(slot=slot, by=request.user)
    messages.success(
        request,
        _(
            "Créneau supprimé. %(n)s publication(s) replacée(s) ; "
            "leurs auteur·rices sont prévenu·es."
        )
        % {"n": len(moved)},
    )
    return redirect("editorial_calendar:settings")


@login_required
def notable_dates(request):
    library = _library(request)
    form = NotableDateForm(request.POST if "add_date" in request.POST else None, prefix="date")
    if form.is_bound and form.is_valid():
        services.notable_date_create(library=library, by=request.user, **form.cleaned_data)
        messages.success(request, _("Date clé ajoutée."))
        return redirect("editorial_calendar:notable_dates")
    return render(
        request,
        "editorial_calendar/settings_dates.html",
        {
            "library": library,
            "dates": NotableDate.objects.filter(library=library),
            "inherited": selectors.notable_dates_visible(library, ()).exclude(library=library),
            "form": form,
            "import_form": ImportForm(),
            "report": None,
        },
    )


@login_required
@require_POST
def notable_dates_import(request):
    library = _library(request)
    form = ImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        created, updated, result = services.notable_dates_import(
            library=library, by=request.user, data=form.cleaned_data["file"].read()
        )
        report = {"created": created, "updated": updated, "skipped": result.skipped}
    return render(
        request,
        "editorial_calendar/settings_dates.html",
        {
            "library": library,
            "dates": NotableDate.objects.filter(library=library),
            "inherited": selectors.notable_dates_visible(library, ()).exclude(library=library),
            "form": NotableDateForm(prefix="date"),
            "import_form": form,
            "report": report,
        },
        status=200 if form.is_valid() else 400,
    )


@login_required
@require_GET
def notable_dates_export(request):
    library = _library(request)
    dates = selectors.notable_dates_visible(library, (library.id,))
    body = ical.notable_dates_ical(
        dates,
        name=_("Dates clés — %(library)s") % {"library": library.name},
        tz_name=library.timezone,
        host=urlsplit(django_settings.SITE_URL).hostname or "annexe",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dates-cles-{library.slug}.ics"'
    return response


@login_required
def notable_date_edit(request, pk: int):
    item = object_get_for_user(
        NotableDate.objects.select_related("library"),
        user=request.user,
        pk=pk,
        min_role=Role.ADMINISTRATOR,
    )
    form = NotableDateForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.notable_date_update(item=item, by=request.user, **form.cleaned_data)
        messages.success(request, _("Date clé modifiée."))
        return redirect("editorial_calendar:notable_dates")
    return render(
        request, "editorial_calendar/settings_date_edit.html", {"item": item, "form": form}
    )


@login_required
@require_POST
def notable_date_delete(request, pk: int):
    item = object_get_for_user(
        NotableDate.objects.select_related("library"),
        user=request.user,
        pk=pk,
        min_role=Role.ADMINISTRATOR,
    )
    services.notable_date_delete(item=item, by=request.user)
    messages.success(request, _("Date clé supprimée."))
    return redirect("editorial_calendar:notable_dates")


@login_required
def mix(request):
    """Target share of each editorial line, for every month or for one month."""
    library = _library(request)
    scope = selectors.CalendarScope(library=library, library_ids=(library.id,))
    lines = list(selectors.lines_of_scope(scope).order_by("position", "name"))
    month = MixForm(request.GET or None, lines=lines)
    chosen = month.cleaned_data.get("month") if month.is_bound and month.is_valid() else None
    current = selectors.mix_targets_of(library, chosen)
    form = MixForm(
        request.POST or None,
        lines=lines,
        initial_shares=current,
        initial={"month": chosen.strftime("%Y-%m") if chosen else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mix_targets_set(
                library=library,
                by=request.user,
                month=form.cleaned_data["month"],
                shares=form.shares(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Objectifs de mix éditorial enregistrés."))
            target = form.cleaned_data["month"]
            suffix = f"?month={target:%Y-%m}" if target else ""
            return redirect(request.path + suffix)
    return render(
        request,
        "editorial_calendar/settings_mix.html",
        {
            "library": library,
            "form": form,
            "month": chosen,
            "total": sum(v for v in current.values() if v),
        },
    )
