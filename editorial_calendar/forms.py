"""Shapes of the calendar's input."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from editorial_calendar.badges import NETWORK_CHOICES
from editorial_calendar.models import NotableDate, Weekday
from posts.models import PostState


class FilterForm(forms.Form):
    """The calendar's filters (GET). Choices come from the calendar's scope."""

    branch = forms.TypedChoiceField(
        label=_("Bibliothèque"), required=False, coerce=int, empty_value=None
    )
    channel = forms.ChoiceField(label=_("Réseau ou compte"), required=False)
    line = forms.TypedChoiceField(
        label=_("Ligne éditoriale"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(label=_("État"), required=False)
    author = forms.TypedChoiceField(
        label=_("Autrice ou auteur"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data, *, branches, accounts, lines, authors):
        super().__init__(data)
        everything = [("", _("Toutes"))]
        self.fields["branch"].choices = everything + [(b.pk, b.name) for b in branches]
        shown = {b.pk for b in branches}
        self.fields["channel"].choices = (
            [("", _("Tous"))]
            + [(f"network:{slug}", name) for slug, name in NETWORK_CHOICES]
            + [(f"account:{a.pk}", _account_label(a, shown)) for a in accounts]
        )
        self.fields["line"].choices = everything + [(line.pk, line.name) for line in lines]
        self.fields["state"].choices = [
            ("", _("Tous sauf annulées et refusées")),
            *PostState.choices,
        ]
        self.fields["author"].choices = [("", _("Tout le monde"))] + [
            (user.pk, str(user)) for user in authors
        ]
        if len(branches) < 2:
            del self.fields["branch"]


def _account_label(account, shown: set[int]) -> str:
    """ "Compte (mastodon)", and the library's name when it is a parent library's account
    (the calendar's branches post there too)."""
    if account.library_id in shown:
        return f"{account.display_name} ({account.network})"
    return f"{account.display_name} ({account.network}, {account.library.name})"


class MoveForm(forms.Form):
    """The keyboard and screen-reader alternative to dragging: a date and a time."""

    scheduled_at = forms.CharField(
        label=_("Nouvelle date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class SlotForm(forms.Form):
    channel = forms.ChoiceField(label=_("Compte ou réseau"))
    weekday = forms.TypedChoiceField(label=_("Jour"), choices=Weekday.choices, coerce=int)
    time = forms.TimeField(label=_("Heure"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channel_choices(accounts)


class CapForm(forms.Form):
    channel = forms.ChoiceField(label=_("Compte ou réseau"))
    limit = forms.IntegerField(label=_("Publications par jour au plus"), min_value=1, max_value=50)

    def __init__(self, *args, accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channel_choices(accounts)


def channel_choices(accounts) -> list:
    return [
        (_("Comptes"), [(f"account:{a.pk}", f"{a.display_name} ({a.network})") for a in accounts]),
        (
            _("Réseaux (tant qu'aucun compte n'est connecté)"),
            [(f"network:{slug}", name) for slug, name in NETWORK_CHOICES],
        ),
    ]


class NotableDateForm(forms.ModelForm):
    class Meta:
        model = NotableDate
        fields = [
            "title",
            "kind",
            "start_date",
            "end_date",
            "yearly",
            "shared_with_branches",
            "description",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        for name, value in (("start_date", start), ("end_date", end)):
            if value and not 2000 <= value.year <= 2100:
                self.add_error(name, _("Année hors des limites (2000–2100)."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier iCal (.ics)"))


class MixForm(forms.Form):
    """One share field per editorial line, for every month or for one month."""

    month = forms.CharField(
        label=_("Mois"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("Laissez vide pour les objectifs de tous les mois."),
    )

    def __init__(self, *args, lines=(), initial_shares=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=line.name,
                required=False,
                min_value=0,
                max_value=100,
                initial=(initial_shares or {}).get(line.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def clean_month(self):
        value = self.cleaned_data.get("month") or ""
        if not value:
            return None
        try:
            month = dt.date.fromisoformat(f"{value[:7]}-01")
        except ValueError as exc:
            raise forms.ValidationError(_("Mois illisible (format attendu : 2026-03).")) from exc
        if not 2000 <= month.year <= 2100:
            raise forms.ValidationError(_("Année hors des limites (2000–2100)."))
        return month

    def shares(self) -> dict[int, int | None]:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") for line in self.lines}

    def line_fields(self):
        return [self[f"line_{line.pk}"] for line in self.lines]
