"""Shapes of input of the metrics pages: events, attendance, the survey, the period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from metrics.models import Event
from posts.forms import LocalDateTimeField


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "starts_at", "place", "capacity", "posts"]
        help_texts = {
            "capacity": _("Nombre de places (facultatif)."),
            "posts": _("Les publications qui annoncent l'événement."),
        }

    def __init__(self, *args, library, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"] = LocalDateTimeField(label=_("Date et heure"), tz=library.tzinfo)
        self.fields["posts"].queryset = posts
        self.fields["posts"].required = False


class AttendanceForm(forms.Form):
    attendance = forms.IntegerField(
        label=_("Nombre de participants"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_("Laissez vide si vous ne l'avez pas compté."),
    )


class SurveyForm(forms.Form):
    channel = forms.ChoiceField(widget=forms.RadioSelect, label="")

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = choices
        self.fields["channel"].error_messages["required"] = _("Choisissez une réponse.")


class DashboardFilterForm(forms.Form):
    """The dashboard's period and filters, read from the URL (GET). A value that is not
    offered (another library's account, a stale link) is dropped, not obeyed."""

    days = forms.TypedChoiceField(label=_("Période"), coerce=int, required=False)
    library = forms.TypedChoiceField(
        label=_("Bibliothèque"), coerce=int, required=False, empty_value=None
    )
    network = forms.ChoiceField(label=_("Réseau"), required=False)
    account = forms.TypedChoiceField(
        label=_("Compte"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data, *, periods, options):
        super().__init__(data)
        self.fields["days"].choices = list(periods.items())
        self.fields["library"].choices = [("", _("Toutes"))] + [
            (str(pk), name) for pk, name in options.libraries
        ]
        self.fields["network"].choices = [("", _("Tous")), *options.networks]
        self.fields["account"].choices = [("", _("Tous"))] + [
            (str(pk), label) for pk, label in options.accounts
        ]

    def chosen(self) -> dict:
        """The valid values (invalid ones dropped), for the page and the CSV link."""
        self.is_valid()
        return {
            name: self.cleaned_data.get(name) for name in self.fields if name in self.cleaned_data
        }

    def selects(self, selected: dict[str, str]) -> list[tuple]:
        """[(name, label, [(value, text, is_selected)])] for the page's <select>s."""
        return [
            (
                field.name,
                field.label,
                [
                    (str(v), text, str(v) == selected.get(field.name, ""))
                    for v, text in field.field.choices
                ],
            )
            for field in self
        ]
