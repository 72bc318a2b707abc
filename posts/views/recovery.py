"""Nothing typed is ever lost: saving with an expired session or a stale page.

Three layers protect what people type in the composer:
1. the browser keeps a copy in localStorage as they type (static/js/composer.js) and
   offers it back if the page is reloaded without it having been saved;
2. a save that arrives without a valid session is answered by a page that shows the
   submitted text, explains how to log in again in another tab, and resubmits the
   same fields (`keep_text_when_logged_out`);
3. a save refused by the CSRF check (the token changed because the person logged in
   again elsewhere) gets the same page with a fresh token (`csrf_failure`, set as
   CSRF_FAILURE_VIEW), so the second click saves.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.csrf import csrf_failure as django_csrf_failure

# Fields shown in full on the recovery page, with their labels; every other field is
# carried as a hidden input so the resubmitted form is complete.
VISIBLE_FIELDS = {
    "title": _("Titre interne"),
    "body": _("Texte de la publication"),
    "link": _("Lien"),
    "notes": _("Notes internes"),
    "alt_text": _("Texte alternatif"),
    "text": _("Texte"),
}
VARIANT_TEXT_SUFFIX = "-text"


def _field_label(name: str) -> str | None:
    if name in VISIBLE_FIELDS:
        return str(VISIBLE_FIELDS[name])
    if name.startswith("variant-") and name.endswith(VARIANT_TEXT_SUFFIX):
        network = name.removeprefix("variant-").removesuffix(VARIANT_TEXT_SUFFIX)
        return str(_("Texte pour %(network)s")) % {"network": network_label(network)}
    return None


def network_label(key: str) -> str:
    try:
        from networks import get_network

        return str(get_network(key).name)
    except (ImportError, KeyError):
        return key


def _submitted_fields(request) -> tuple[list[dict], list[tuple[str, str]]]:
    visible, hidden = [], []
    for name, values in request.POST.lists():
        if name == "csrfmiddlewaretoken":
            continue
        label = _field_label(name)
        for value in values:
            if label is not None and len(values) == 1:
                visible.append({"name": name, "label": label, "value": value})
            else:
                hidden.append((name, value))
    return visible, hidden


def has_text(request) -> bool:
    return any(v.strip() for name, v in request.POST.items() if _field_label(name) is not None)


def recovery_page(request, *, reason: str, status: int):
    visible, hidden = _submitted_fields(request)
    return render(
        request,
        "posts/recovery.html",
        {"reason": reason, "visible": visible, "hidden": hidden, "action": request.get_full_path()},
        status=status,
    )


def keep_text_when_logged_out(view):
    """login_required that never throws away a POST: without a valid session, a POST
    gets the recovery page (401), an htmx request a short notice, a GET the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if getattr(request, "htmx", False):
            return render(request, "posts/_session_expired_notice.html", status=200)
        if request.method == "POST":
            return recovery_page(request, reason="session", status=401)
        return redirect_to_login(request.get_full_path())

    return wrapper


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a refused form that carried text gets the recovery page with a
    fresh token; anything else gets Django's usual 403 page."""
    if request.method == "POST" and has_text(request):
        logged_in = getattr(request, "user", None) and request.user.is_authenticated
        return recovery_page(request, reason="csrf" if logged_in else "session", status=403)
    return django_csrf_failure(request, reason=reason)


@login_required
def reconnected(request):
    """Where the login link of the recovery page leads: "go back to your other tab"."""
    return render(request, "posts/reconnected.html")
