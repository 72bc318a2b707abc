"""Forms of the relay settings page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from publishing.models import RelayAction, RelayPartner, SocialAccount


class RelayRuleForm(forms.Form):
    source_account = forms.ModelChoiceField(
        label=_("Quand une publication paraît sur"), queryset=SocialAccount.objects.none()
    )
    action = forms.ChoiceField(label=_("Relais"), choices=RelayAction.choices)
    repost_account = forms.ModelChoiceField(
        label=_("Partager depuis"),
        queryset=SocialAccount.objects.none(),
        required=False,
        help_text=_("Pour un partage : un autre compte du même réseau."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partenaires"),
        queryset=RelayPartner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour un courriel : qui le reçoit."),
    )
    delay_minutes = forms.IntegerField(
        label=_("Après (minutes)"), min_value=0, max_value=60 * 24 * 14, initial=60
    )

    def __init__(self, *args, accounts, partners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in accounts]
        self.fields["source_account"].queryset = SocialAccount.objects.filter(pk__in=ids)
        self.fields["repost_account"].queryset = SocialAccount.objects.filter(pk__in=ids)
        self.fields["partners"].queryset = partners


class RelayPartnerForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    email = forms.EmailField(label=_("Adresse électronique"))
