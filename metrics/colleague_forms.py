"""The form of the colleague list page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from metrics.models import ColleagueKind, ColleagueMatch


class ColleagueForm(forms.Form):
    identifier = forms.CharField(
        label=_("Compte ou domaine"),
        max_length=300,
        help_text=_(
            "Un compte Mastodon (@nom@instance), un compte Bluesky (nom.bsky.social) ou "
            "un domaine (bibliotheques.social : tous ses comptes)."
        ),
    )
    match = forms.ChoiceField(
        label=_("Correspondance"), choices=ColleagueMatch.choices, initial=ColleagueMatch.ACCOUNT
    )
    kind = forms.ChoiceField(label=_("Catégorie"), choices=ColleagueKind.choices)
    label = forms.CharField(label=_("Libellé"), max_length=200, required=False)
