"""Generic connect views, driven by the flows of publishing.connect (see its docstring)."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from libraries.models import Role
from libraries.selectors import library_get_for_user
from networks import get_network
from networks.client import NetworkError
from networks.messages import translated
from publishing import account_selectors, crypto
from publishing.account_services import account_connect
from publishing.connect import (
    AccountDetails,
    Authorize,
    ConnectContext,
    ConnectRefused,
    get_flow,
)

SESSION_KEY = "publishing_connect"
PENDING_SECONDS = 15 * 60
PENDING_MAX = 5


def _flow_or_404(network: str):
    flow = get_flow(network)
    if flow is None:
        raise Http404("No connect flow for this network.")
    return flow


def _target(request, *, account_id: int | None, library_id: int | None = None):
    """(library, account being reconnected or None), both administered by the user:
    by default the library the user is working in."""
    if account_id:
        account = account_selectors.account_get_for_admin(user=request.user, pk=account_id)
        return account.library, account
    if library_id is None:
        if request.library is None:
            raise Http404("No library.")
        library_id = request.library.pk
    library = library_get_for_user(user=request.user, pk=library_id, min_role=Role.ADMINISTRATOR)
    return library, None


def _context(request, library, account, network: str) -> ConnectContext:
    callback = reverse("publishing:connect_callback", kwargs={"network": network})
    return ConnectContext(
        library=library,
        user=request.user,
        callback_url=request.build_absolute_uri(callback),
        site_url=settings.SITE_URL.rstrip("/"),
        account=account,
    )


def _account_id(request) -> int | None:
    value = request.POST.get("account") or request.GET.get("account") or ""
    return int(value) if value.isdigit() else None


@login_required
def connect(request, network: str):
    flow = _flow_or_404(network)
    library, account = _target(request, account_id=_account_id(request))
    form = None
    if flow.form_class is not None:
        data = request.POST if request.method == "POST" else None
        form = flow.form_class(data, initial=flow.initial(account))
    if request.method == "POST" and (form is None or form.is_valid()):
        context = _context(request, library, account, network)
        try:
            step = flow.start(context, form.cleaned_data if form else {})
            return _follow(request, flow, context, step)
        except (NetworkError, ConnectRefused) as exc:
            message = translated(getattr(exc, "message", None) or str(exc))
            if form is None:
                messages.error(request, message)
                return redirect("publishing:accounts")
            form.add_error(None, message)
    return render(
        request,
        "publishing/connect.html",
        {
            "flow": flow,
            "network": get_network(network),
            "form": form,
            "library": library,
            "account": account,
        },
    )


def _follow(request, flow, context: ConnectContext, step):
    """Send the person to the network's consent page, or save the connected account."""
    if isinstance(step, Authorize):
        state = _remember(
            request,
            flow,
            context,
            state=step.pending["state"],
            url=step.url,
            host=step.host,
            scopes=list(step.scopes),
            pending=step.pending,
        )
        continue_url = reverse("publishing:connect_continue", kwargs={"network": flow.network})
        return redirect(f"{continue_url}?state={state}")
    if step.choices:
        state = _remember(
            request,
            flow,
            context,
            choices=crypto.encrypt(json.dumps([asdict(choice) for choice in step.choices])),
        )
        choose_url = reverse("publishing:connect_choose", kwargs={"network": flow.network})
        return redirect(f"{choose_url}?state={state}")
    account = account_connect(
        library=context.library,
        flow=flow,
        details=step.details,
        by=request.user,
        account=context.account,
    )
    messages.success(
        request,
        _("Le compte %(account)s est connecté.") % {"account": account.display_name},
    )
    return redirect("publishing:account", pk=account.pk)


def _remember(request, flow, context: ConnectContext, *, state: str = "", **values) -> str:
    """Keep a connection attempt server-side in the session, under its `state`."""
    state = state or secrets.token_urlsafe(24)
    attempts = {
        key: value
        for key, value in request.session.get(SESSION_KEY, {}).items()
        if value["created"] > time.time() - PENDING_SECONDS
    }
    while len(attempts) >= PENDING_MAX:
        attempts.pop(min(attempts, key=lambda k: attempts[k]["created"]))
    attempts[state] = {
        "network": flow.network,
        "library": context.library.pk,
        "account": context.account.pk if context.account else None,
        "user": request.user.pk,
        "created": time.time(),
        **values,
    }
    request.session[SESSION_KEY] = attempts
    return state


def _forget(request, state: str) -> None:
    attempts = request.session.get(SESSION_KEY, {})
    attempts.pop(state, None)  # one use only
    request.session[SESSION_KEY] = attempts


def _pending(request, network: str) -> dict:
    entry = request.session.get(SESSION_KEY, {}).get(request.GET.get("state", ""))
    if (
        entry is None
        or entry["network"] != network
        or entry["user"] != request.user.pk
        or entry["created"] < time.time() - PENDING_SECONDS
    ):
        raise Http404("Unknown or expired connection attempt.")
    return entry


@login_required
def connect_continue(request, network: str):
    """ "You are leaving Annexe for …": a link to the consent page (a form may not
    redirect to another origin under `form-action 'self'`)."""
    entry = _pending(request, network)
    library_get_for_user(user=request.user, pk=entry["library"], min_role=Role.ADMINISTRATOR)
    return render(
        request,
        "publishing/connect_continue.html",
        {"entry": entry, "network": get_network(network)},
    )


@login_required
def connect_callback(request, network: str):
    flow = _flow_or_404(network)
    try:
        entry = _pending(request, network)
    except Http404:
        messages.error(
            request,
            _("Cette tentative de connexion a expiré ou ne vient pas d'ici : recommencez."),
        )
        return redirect("publishing:accounts")
    _forget(request, request.GET["state"])
    library, account = _target(request, account_id=entry["account"], library_id=entry["library"])
    context = _context(request, library, account, network)
    try:
        step = flow.callback(context, request.GET, entry["pending"])
        return _follow(request, flow, context, step)
    except (NetworkError, ConnectRefused) as exc:
        messages.error(request, translated(getattr(exc, "message", None) or str(exc)))
        return redirect("publishing:accounts")


@login_required
def connect_choose(request, network: str):
    """A flow found several accounts (a person's Facebook Pages…): connect those picked."""
    flow = _flow_or_404(network)
    entry = _pending(request, network)
    if "choices" not in entry:
        raise Http404("Nothing to choose.")
    library, account = _target(request, account_id=entry["account"], library_id=entry["library"])
    choices = [AccountDetails(**c) for c in json.loads(crypto.decrypt(entry["choices"]))]
    if request.method == "POST":
        picked = [c for c in choices if c.remote_id in request.POST.getlist("remote_id")]
        if picked:
            _forget(request, request.GET["state"])
            for details in picked:
                connected = account_connect(
                    library=library, flow=flow, details=details, by=request.user, account=account
                )
                messages.success(
                    request,
                    _("Le compte %(account)s est connecté.") % {"account": connected.display_name},
                )
            return redirect("publishing:accounts")
        messages.error(request, _("Choisissez au moins un compte."))
    rows = [(c, get_network(c.network or network).name) for c in choices]
    return render(
        request,
        "publishing/connect_choose.html",
        {"choices": choices, "rows": rows, "network": get_network(network), "library": library},
    )
