"""Shapes of input for posts: the composer, the list filters. Network rules come from
networks/ (through posts.checks), never from here."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from networks import NETWORK_CHOICES
from networks.google_business import EVENT_TITLE_MAX, OFFER_COUPON_MAX, OFFER_TERMS_MAX
from posts.models import CallToAction, EditorialLine, Media, PostState
from posts.selectors import editorial_lines_for

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
LOCAL_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the library's time zone (not the server's), stored in UTC.

    09:00 in Paris stays 09:00 in Paris across a change of daylight saving time: the
    wall-clock time is what people choose, so it is localised with the zone's rules for
    that very day."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *args, tz: zoneinfo.ZoneInfo | None = None, **kwargs):
        kwargs.setdefault("input_formats", LOCAL_INPUT_FORMATS)
        super().__init__(*args, **kwargs)
        self.tz = tz or zoneinfo.ZoneInfo("Europe/Paris")

    def prepare_value(self, value):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(self.tz).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            parsed = value
        else:
            parsed = forms.fields.BaseTemporalField.to_python(self, value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.tz)
        return parsed

    def strptime(self, value, format):
        return dt.datetime.strptime(value, format)


class PostFieldsForm(forms.Form):
    """The post's own fields in the composer (targets, media and variants are parsed
    by posts.composer from the same POST)."""

    title = forms.CharField(
        label=_("Titre interne"),
        max_length=200,
        help_text=_("Pour l'équipe et le calendrier ; il n'est pas publié."),
    )
    body = forms.CharField(
        label=_("Texte de la publication"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Le texte commun à tous les réseaux ; adaptez-le réseau par réseau si besoin."),
    )
    link = forms.URLField(
        label=_("Lien"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("Une page du site de la bibliothèque, un événement… (facultatif)."),
    )
    editorial_line = forms.ModelChoiceField(
        label=_("Ligne éditoriale"), queryset=None, required=False, empty_label=_("— Aucune —")
    )
    scheduled_at = LocalDateTimeField(label=_("Date et heure de publication"), required=False)
    publish_when_approved = forms.BooleanField(
        label=_("Publier dès que la publication est validée"), required=False
    )
    notes = forms.CharField(
        label=_("Notes internes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visibles par l'équipe seulement."),
    )
    event_title = forms.CharField(
        label=_("Titre de l'événement"),
        required=False,
        max_length=EVENT_TITLE_MAX,
        help_text=_(
            "Si la publication annonce un événement : Google Business Profile la publie "
            "comme un événement (58 caractères au plus). Vide : une actualité."
        ),
    )
    event_starts_at = LocalDateTimeField(label=_("Début de l'événement"), required=False)
    event_ends_at = LocalDateTimeField(label=_("Fin de l'événement"), required=False)
    is_offer = forms.BooleanField(
        label=_("C'est une offre (Google Business Profile)"),
        required=False,
        help_text=_(
            "Google la publie comme une offre : le titre et les dates ci-dessus sont ceux de "
            "l'offre et de sa validité."
        ),
    )
    offer_coupon_code = forms.CharField(
        label=_("Code promo"),
        required=False,
        max_length=OFFER_COUPON_MAX,
        help_text=_("Facultatif : le code à donner à l'accueil ou en ligne."),
    )
    offer_redeem_url = forms.URLField(
        label=_("Lien pour profiter de l'offre en ligne"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("Facultatif ; vide : le lien de la publication."),
    )
    offer_terms = forms.CharField(
        label=_("Conditions de l'offre"),
        required=False,
        max_length=OFFER_TERMS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facultatif : à qui elle s'adresse, jusqu'à quand, dans quelle limite…"),
    )
    call_to_action = forms.ChoiceField(
        label=_("Bouton (Google Business Profile)"),
        required=False,
        choices=[("", _("— Par défaut —")), *CallToAction.choices],
        help_text=_(
            "Il ouvre le lien de la publication ; « Appeler » compose le numéro de la fiche."
        ),
    )

    def __init__(self, *args, library: Library, **kwargs):
        super().__init__(*args, **kwargs)
        self.library = library
        self.fields["editorial_line"].queryset = editorial_lines_for(library)
        self.fields["scheduled_at"].tz = library.tzinfo
        self.fields["event_starts_at"].tz = library.tzinfo
        self.fields["event_ends_at"].tz = library.tzinfo
        self.fields["scheduled_at"].help_text = _("Heure de %(library)s (%(tz)s).") % {
            "library": library.name,
            "tz": library.timezone,
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("publish_when_approved"):
            cleaned["scheduled_at"] = None
        title = (cleaned.get("event_title") or "").strip()
        start, end = cleaned.get("event_starts_at"), cleaned.get("event_ends_at")
        offer_parts = ("offer_coupon_code", "offer_redeem_url", "offer_terms")
        if not cleaned.get("is_offer"):
            for name in offer_parts:
                if (cleaned.get(name) or "").strip():
                    self.add_error(
                        name, _("Cochez « C'est une offre » : ce champ ne sert qu'à une offre.")
                    )
        if cleaned.get("is_offer"):
            # An offer's title and validity are its event's (Google requires them).
            if not title:
                self.add_error("event_title", _("Une offre a besoin d'un titre."))
            if start is None:
                self.add_error("event_starts_at", _("Une offre a besoin d'un début de validité."))
            if end is None:
                self.add_error("event_ends_at", _("Une offre a besoin d'une fin de validité."))
        elif title or start or end:
            if not title:
                self.add_error("event_title", _("Un événement a besoin d'un titre."))
            if start is None:
                self.add_error("event_starts_at", _("Un événement a besoin d'un début."))
            if end is None:
                self.add_error("event_ends_at", _("Un événement a besoin d'une fin."))
        if start and end and end <= start:
            self.add_error("event_ends_at", _("La fin doit venir après le début."))
        cleaned["event_title"] = title
        cleaned["offer_coupon_code"] = (cleaned.get("offer_coupon_code") or "").strip()
        cleaned["offer_terms"] = (cleaned.get("offer_terms") or "").strip()
        return cleaned


class PostFilterForm(forms.Form):
    """Filters of the posts list; every field is optional."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("État"), required=False)
    editorial_line = forms.ModelChoiceField(
        label=_("Ligne éditoriale"), queryset=None, required=False, empty_label=_("Toutes")
    )
    network = forms.ChoiceField(label=_("Réseau"), required=False)
    author = forms.ModelChoiceField(
        label=_("Auteur·rice"), queryset=None, required=False, empty_label=_("Tout le monde")
    )
    date_from = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, lines, authors, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Tous")), *PostState.choices]
        self.fields["editorial_line"].queryset = lines
        self.fields["author"].queryset = authors
        self.fields["network"].choices = [("", _("Tous")), *networks]


class MediaForm(forms.ModelForm):
    """What people say about a photo: its description, credit and image rights."""

    class Meta:
        model = Media
        fields = ["alt_text", "credit", "people_recognisable", "consent_recorded", "consent_note"]
        widgets = {"alt_text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "people_recognisable": _(
                "Cochez si on reconnaît quelqu'un : il faut alors son autorisation écrite."
            ),
            "consent_note": _("Où est rangée l'autorisation, qui l'a recueillie, ses limites…"),
        }


class AltTextForm(forms.Form):
    alt_text = forms.CharField(
        label=_("Texte alternatif"), required=False, max_length=2000, widget=forms.Textarea
    )


class EditorialLineForm(forms.ModelForm):
    class Meta:
        model = EditorialLine
        fields = ["name", "colour", "description", "position", "is_active"]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "position": forms.NumberInput(attrs={"min": 0, "max": 999}),
        }

    def clean_colour(self) -> str:
        colour = self.cleaned_data["colour"].strip()
        if not COLOUR.fullmatch(colour):
            raise forms.ValidationError(_("Une couleur s'écrit #rrggbb, par exemple #1d4e89."))
        return colour.lower()


class CharterForm(forms.Form):
    """The charter: general text, one section per network, checkable house rules."""

    body = forms.CharField(
        label=_("Charte générale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Ton, ce que l'on publie et ce que l'on ne publie pas, quand utiliser quelle "
            "ligne éditoriale. Mise en forme Markdown : **gras**, *italique*, listes avec -."
        ),
    )
    house_hashtags = forms.CharField(
        label=_("Hashtags maison"),
        required=False,
        max_length=500,
        help_text=_("Séparés par des espaces, ex. #MédiathèqueJulesVerne #LireEnOise."),
    )
    signature = forms.CharField(label=_("Signature"), required=False, max_length=200)
    signature_networks = forms.MultipleChoiceField(
        label=_("Réseaux où la signature est attendue"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Ce qui change dans cette version"), required=False, max_length=300
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signature_networks"].choices = NETWORK_CHOICES
        for key, name in NETWORK_CHOICES:
            self.fields[f"section_{key}"] = forms.CharField(
                label=_("Pour %(network)s") % {"network": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def section_fields(self):
        return [self[f"section_{key}"] for key, _name in NETWORK_CHOICES]

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"section_{key}", "") for key, _name in NETWORK_CHOICES}

    @classmethod
    def initial_from(cls, version) -> dict:
        if version is None:
            return {}
        initial = {
            "body": version.body,
            "house_hashtags": version.house_hashtags,
            "signature": version.signature,
            "signature_networks": version.signature_networks,
        }
        for key, text in (version.sections or {}).items():
            initial[f"section_{key}"] = text
        return initial
