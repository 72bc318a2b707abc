"""The publishing settings of one account (its page): what every post sent through it
carries, where the network has the notion (publishing.services.render reads them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# Networks whose client sends a language with each post (Mastodon `language`,
# Bluesky `langs`) and those that have a visibility (Mastodon).
LANGUAGE_NETWORKS = frozenset({"mastodon", "bluesky"})
VISIBILITY_NETWORKS = frozenset({"mastodon"})

LANGUAGES = [
    ("fr", _("Français")),
    ("en", _("Anglais")),
    ("br", _("Breton")),
    ("ca", _("Catalan")),
    ("co", _("Corse")),
    ("de", _("Allemand")),
    ("es", _("Espagnol")),
    ("eu", _("Basque")),
    ("it", _("Italien")),
    ("oc", _("Occitan")),
]
VISIBILITIES = [
    ("public", _("Publique")),
    ("unlisted", _("Non listée (visible, mais hors des fils publics)")),
    ("private", _("Abonnés seulement")),
]


def has_publishing_settings(network: str) -> bool:
    return network in LANGUAGE_NETWORKS | VISIBILITY_NETWORKS


class AccountPublishingForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Langue des publications"),
        choices=LANGUAGES,
        help_text=_("Annoncée au réseau, qui s'en sert pour les filtres et la traduction."),
    )
    visibility = forms.ChoiceField(label=_("Visibilité"), choices=VISIBILITIES)

    def __init__(self, *args, network: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if network not in LANGUAGE_NETWORKS:
            del self.fields["language"]
        if network not in VISIBILITY_NETWORKS:
            del self.fields["visibility"]

    @classmethod
    def for_account(cls, account, data=None) -> AccountPublishingForm:
        settings = account.settings or {}
        initial = {
            "language": settings.get("language", "fr"),
            "visibility": settings.get("visibility", "public"),
        }
        return cls(data, network=account.network, initial=initial)
