from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.forms import PreferencesForm
from accounts.services import user_set_language, user_update_preferences


@require_POST
def switch_language(request):
    """Django's set_language, plus remembering the choice on the user's profile."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        user_set_language(user=request.user, language=language)
    return set_language(request)


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_preferences(user=request.user, **form.cleaned_data)
        translation.activate(form.cleaned_data["language"])
        messages.success(request, _("Vos préférences sont enregistrées."))
        response = redirect("accounts:preferences")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"])
        return response
    return render(request, "accounts/preferences.html", {"form": form})
