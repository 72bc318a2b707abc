"""Relay settings (administrators) and cancelling a relay."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libraries.models import Role
from libraries.selectors import library_get_for_user, object_get_for_user
from publishing import relays
from publishing.models import Publication, RelayPartner, RelayRule
from publishing.relay_forms import RelayPartnerForm, RelayRuleForm


def _library(request):
    if request.library is None:
        raise Http404("No library.")
    return library_get_for_user(
        user=request.user, pk=request.library.pk, min_role=Role.ADMINISTRATOR
    )


@login_required
def relay_settings(request):
    library = _library(request)
    partners = RelayPartner.objects.filter(library=library)
    data = request.POST if request.method == "POST" else None
    rule_form = RelayRuleForm(
        data if "add_rule" in request.POST else None,
        accounts=relays.relay_accounts_for(library),
        partners=partners,
    )
    partner_form = RelayPartnerForm(data if "add_partner" in request.POST else None)
    try:
        if "add_rule" in request.POST and rule_form.is_valid():
            relays.relay_rule_create(library=library, by=request.user, **rule_form.cleaned_data)
            messages.success(request, _("La règle de relais est enregistrée."))
            return redirect("publishing:relays")
        if "add_partner" in request.POST and partner_form.is_valid():
            relays.relay_partner_create(
                library=library, by=request.user, **partner_form.cleaned_data
            )
            messages.success(request, _("Le partenaire est enregistré."))
            return redirect("publishing:relays")
    except ValidationError as exc:
        rule_form.add_error(None, exc)
    rules = (
        RelayRule.objects.filter(library=library)
        .select_related("source_account", "repost_account")
        .prefetch_related("partners")
    )
    return render(
        request,
        "publishing/relays.html",
        {
            "library": library,
            "rules": rules,
            "partners": partners,
            "rule_form": rule_form,
            "partner_form": partner_form,
        },
    )


@login_required
@require_POST
def relay_rule_delete(request, pk: int):
    rule = object_get_for_user(
        RelayRule.objects.all(), user=request.user, pk=pk, min_role=Role.ADMINISTRATOR
    )
    relays.relay_rule_delete(rule=rule, by=request.user)
    messages.success(request, _("La règle est supprimée."))
    return redirect("publishing:relays")


@login_required
@require_POST
def relay_partner_delete(request, pk: int):
    partner = object_get_for_user(
        RelayPartner.objects.all(), user=request.user, pk=pk, min_role=Role.ADMINISTRATOR
    )
    relays.relay_partner_delete(partner=partner, by=request.user)
    messages.success(request, _("Le partenaire est retiré."))
    return redirect("publishing:relays")


@login_required
@require_POST
def relay_cancel(request, pk: int):
    relay = object_get_for_user(
        Publication.objects.select_related("post", "relay_rule"),
        user=request.user,
        pk=pk,
        field="post__library",
    )
    if relays.relay_cancel(relay=relay, by=request.user):
        messages.success(request, _("Le relais est annulé."))
    else:
        messages.error(request, _("Ce relais est déjà parti ou annulé."))
    return redirect("posts:detail", pk=relay.post_id)
