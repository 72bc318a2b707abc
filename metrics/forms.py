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
