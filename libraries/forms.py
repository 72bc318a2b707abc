import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from libraries.hours import format_day, parse_day, parse_working_hours
from libraries.models import Library, Role

WEEKDAYS = [
    _("Lundi"),
    _("Mardi"),
    _("Mercredi"),
    _("Jeudi"),
    _("Vendredi"),
    _("Samedi"),
    _("Dimanche"),
]
COMMON_TIMEZONES = sorted(
    tz
    for tz in zoneinfo.available_timezones()
    if tz.startswith(("Europe/", "America/", "Indian/", "Pacific/", "Atlantic/", "Africa/"))
)


class LibrarySettingsForm(forms.ModelForm):
    """Library settings; working hours are typed as "09:00-12:30, 13:30-18:00" per day."""

    class Meta:
        model = Library
        fields = ["name", "timezone", "alt_text_required", "validation_deadline_hours"]
        widgets = {"timezone": forms.Select(choices=[(tz, tz) for tz in COMMON_TIMEZONES])}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        table = parse_working_hours(self.instance.working_hours)
        for day, label in enumerate(WEEKDAYS):
            self.fields[f"hours_{day}"] = forms.CharField(
                label=label,
                required=False,
                initial=format_day(table[day]),
                help_text=_(
                    "Ex. 09:00-12:30, 13:30-18:00 ; vide si l'équipe ne travaille pas ce jour-là."
                ),
            )

    def day_fields(self):
        return [self[f"hours_{day}"] for day in range(7)]

    def clean(self):
        cleaned = super().clean()
        hours = {}
        for day in range(7):
            try:
                hours[str(day)] = parse_day(cleaned.get(f"hours_{day}", "") or "")
            except ValueError as exc:
                self.add_error(f"hours_{day}", str(exc))
        if not self.errors:
            try:
                parse_working_hours(hours)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
        cleaned["working_hours"] = hours
        return cleaned

    def settings_values(self) -> dict:
        fields = [
            "name",
            "timezone",
            "alt_text_required",
            "validation_deadline_hours",
            "working_hours",
        ]
        return {key: self.cleaned_data[key] for key in fields}


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    display_name = forms.CharField(label=_("Nom affiché"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, initial=Role.CONTRIBUTOR)
    validation_level = forms.CharField(
        label=_("Niveau de validation"),
        required=False,
        max_length=100,
        help_text=_("Pour les validateur·rices, par exemple « Direction »."),
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    validation_level = forms.CharField(
        label=_("Niveau de validation"), required=False, max_length=100
    )
