"""Shapes of input for the review pages, chains and absences."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from posts.models import PostState
from validation.models import Action


class _Freshness(forms.Form):
    """What the page showed when it was loaded: the service refuses a stale action."""

    state = forms.ChoiceField(choices=PostState.choices, widget=forms.HiddenInput)
    step = forms.CharField(required=False, widget=forms.HiddenInput)
    fingerprint = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def expected(self) -> dict:
        data = self.cleaned_data
        expected = {"expected_state": data["state"]}
        if data.get("step"):
            expected["expected_step"] = data["step"]
        if data.get("fingerprint"):
            expected["expected_fingerprint"] = data["fingerprint"]
        return expected


class DecisionForm(_Freshness):
    DECISIONS = [
        ("approve", _("Valider")),
        ("request_changes", _("Demander des modifications")),
        ("reject", _("Refuser")),
    ]
    decision = forms.ChoiceField(choices=DECISIONS)
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour demander des modifications ou refuser."),
    )


class StateForm(_Freshness):
    comment = forms.CharField(
        label=_("Commentaire (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ForceForm(_Freshness):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("approve", _("Valider sans attendre")), ("reject", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Raison (obligatoire, visible dans l'historique)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Votre commentaire"), widget=forms.Textarea(attrs={"rows": 3}))


class ChainModeForm(forms.Form):
    MODES = [
        ("inherit", _("Hériter (pas de circuit propre)")),
        ("none", _("Sans validation : publiées dès leur soumission")),
        ("levels", _("Avec les étapes ci-dessous")),
    ]
    mode = forms.ChoiceField(label=_("Circuit"), choices=MODES, widget=forms.RadioSelect)


class LevelForm(forms.Form):
    """One level of a chain; the service (validation.services.chain_save) checks the
    levels together and its messages are shown on each level's form."""

    name = forms.CharField(label=_("Nom de l'étape"), max_length=100, required=False)
    validation_level = forms.CharField(
        label=_("Niveau de validation"),
        max_length=100,
        required=False,
        help_text=_("Toute personne ayant ce niveau peut valider."),
        widget=forms.TextInput(attrs={"list": "known-levels"}),
    )
    people = forms.ModelMultipleChoiceField(
        label=_("Ou des personnes nommées"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    require_all = forms.BooleanField(
        label=_("Toutes ces personnes doivent valider"), required=False
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["people"].queryset = members

    @property
    def order(self) -> float:
        """Where the level stands as typed (blank: after the others)."""
        try:
            return float(self["ORDER"].value())
        except (TypeError, ValueError):
            return 10_000


class BaseLevelFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {"members": self.form_kwargs.get("members")}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Ordre")
        form.fields["ORDER"].widget.attrs.update({"min": 1, "max": MAX_LEVELS})
        form.fields["DELETE"].label = _("Retirer cette étape")

    @property
    def forms_in_order(self) -> list[LevelForm]:
        """The forms as the person arranged them (a page shown again after an error
        keeps their order, not the order the rows were added in)."""
        return sorted(self.forms, key=lambda form: form.order)


def with_one_more_level(data, prefix: str = "form"):
    """The POST with room for one more level (the "add a level" button without
    JavaScript: the page comes back with everything typed and an empty level)."""
    data = data.copy()
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except ValueError:
        total = 0
    data[f"{prefix}-TOTAL_FORMS"] = str(min(total + 1, MAX_LEVELS))
    return data


def level_formset(*, extra: int):
    """Levels edited all at once: add (the page's script, or the "add a level" button
    without it), remove (DELETE) and reorder (ORDER)."""
    return forms.formset_factory(
        LevelForm,
        formset=BaseLevelFormSet,
        extra=extra,
        can_delete=True,
        can_order=True,
        max_num=MAX_LEVELS,
        validate_max=True,
    )


MAX_LEVELS = 20


class AbsenceForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Personne absente"), queryset=User.objects.none())
    substitute = forms.ModelChoiceField(label=_("Remplaçant·e"), queryset=User.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Du"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Au"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, people=None, absent_choices=None, tz: zoneinfo.ZoneInfo, **kw):
        super().__init__(*args, **kw)
        self.tz = tz
        self.fields["substitute"].queryset = people
        self.fields["user"].queryset = absent_choices

    def _aware(self, value: dt.datetime) -> dt.datetime:
        # Typed in the library's time zone, whatever the browser's.
        return value.replace(tzinfo=None).replace(tzinfo=self.tz)

    def clean_starts_at(self):
        return self._aware(self.cleaned_data["starts_at"])

    def clean_ends_at(self):
        return self._aware(self.cleaned_data["ends_at"])


class JournalFilterForm(forms.Form):
    ACTIONS = [("", _("Toutes les actions")), *Action.choices]
    date_from = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, required=False)
    actor = forms.ModelChoiceField(
        label=_("Personne"), queryset=User.objects.none(), required=False
    )
    q = forms.CharField(label=_("Publication"), required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["actor"].queryset = people


def levels_from_formset(formset) -> list[tuple[LevelForm, object]]:
    """(form, LevelInput) in the order chosen, without deleted or blank rows: the
    service's messages about level i go back to form i."""
    from validation.services.chains import LevelInput

    levels = []
    for form in formset.ordered_forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        if not (data.get("name") or data.get("validation_level") or data.get("people")):
            continue
        levels.append(
            (
                form,
                LevelInput(
                    name=data.get("name") or data.get("validation_level") or "",
                    validation_level=data.get("validation_level") or "",
                    people=list(data.get("people") or []),
                    require_all=bool(data.get("require_all")),
                ),
            )
        )
    return levels
