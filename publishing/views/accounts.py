"""The accounts settings page: list, test, disconnect; the Website feed's addresses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libraries.models import Role
from libraries.selectors import library_get_for_user
from networks import get_network
from publishing import account_selectors, account_services, expiry
from publishing.account_forms import AccountPublishingForm, has_publishing_settings
from publishing.connect import connectable_networks, get_flow


def _library(request):
    if request.library is None:
        raise Http404("No library.")
    return library_get_for_user(
        user=request.user, pk=request.library.pk, min_role=Role.ADMINISTRATOR
    )


@login_required
def accounts(request):
    library = _library(request)
    networks = [
        {"network": get_network(key), "flow": get_flow(key)} for key in connectable_networks()
    ]
    return render(
        request,
        "publishing/accounts.html",
        {
            "library": library,
            "accounts": account_selectors.accounts_of(library),
            "inherited": account_selectors.inherited_accounts(library),
            "networks": networks,
        },
    )


def feed_urls(request, account) -> dict[str, str]:
    """The public addresses of a Website feed account (absolute)."""
    token = account.feed_token or ""
    if not token:
        return {}
    return {
        name: request.build_absolute_uri(reverse(f"publishing:feed_{name}", args=[token]))
        for name in ("rss", "atom", "json", "widget")
    }


@login_required
def account(request, pk: int):
    account = account_selectors.account_get_for_admin(user=request.user, pk=pk)
    return render(
        request,
        "publishing/account.html",
        {
            "account": account,
            "network": get_network(account.network),
            "flow": get_flow(account.network),
            "feeds": feed_urls(request, account) if account.network == "website" else {},
            "expiry": expiry.token_expiry_shown(account),
            "settings_form": AccountPublishingForm.for_account(account)
            if has_publishing_settings(account.network)
            else None,
        },
    )


@login_required
@require_POST
def account_settings(request, pk: int):
    account = account_selectors.account_get_for_admin(user=request.user, pk=pk)
    form = AccountPublishingForm.for_account(account, data=request.POST)
    if has_publishing_settings(account.network) and form.is_valid():
        account_services.account_publishing_settings_set(
            account=account, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Les réglages de publication sont enregistrés."))
    else:
        messages.error(request, _("Ces réglages n'ont pas été enregistrés."))
    return redirect("publishing:account", pk=account.pk)


@login_required
@require_POST
def account_test(request, pk: int):
    account = account_selectors.account_get_for_admin(user=request.user, pk=pk)
    ok, problem = account_services.account_test(account=account, by=request.user)
    if ok:
        messages.success(request, _("%(account)s répond : tout va bien.") % {"account": account})
    else:
        messages.error(
            request,
            _("Le test de %(account)s a échoué : %(problem)s")
            % {"account": account, "problem": problem},
        )
    return redirect("publishing:account", pk=account.pk)


@login_required
@require_POST
def account_disconnect(request, pk: int):
    account = account_selectors.account_get_for_admin(user=request.user, pk=pk)
    outcome = account_services.account_disconnect(account=account, by=request.user)
    messages.success(
        request,
        _("%(account)s est déconnecté ; son historique est conservé.") % {"account": account},
    )
    if outcome.note:
        messages.info(request, outcome.note)
    hint = getattr(get_flow(account.network), "disconnect_hint", "")
    if hint:
        messages.info(request, hint)
    if outcome.warning:
        messages.warning(
            request,
            _(
                "Le réseau n'a pas pu être prévenu (%(problem)s) : retirez l'accès d'Annexe"
                " dans les réglages du compte sur le réseau."
            )
            % {"problem": outcome.warning},
        )
    return redirect("publishing:accounts")


@login_required
@require_POST
def account_feed_token_reset(request, pk: int):
    account = account_selectors.account_get_for_admin(user=request.user, pk=pk)
    if account.network != "website":
        raise Http404("Not a feed.")
    account_services.account_feed_token_reset(account=account, by=request.user)
    messages.success(request, _("Nouvelles adresses : les anciennes ne fonctionnent plus."))
    return redirect("publishing:account", pk=account.pk)
