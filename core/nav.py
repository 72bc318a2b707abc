"""The main navigation. An entry appears once its app provides the URL.

`badge` is the dotted path of a function (request) -> int, for counts shown
next to an entry (e.g. posts waiting for my approval).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    badge: str = ""


NAV_ITEMS = [
    NavItem("calendar", _("Calendrier"), "editorial_calendar:month"),
    NavItem("posts", _("Publications"), "posts:list"),
    NavItem(
        "review",
        _("À valider"),
        "validation:queue",
        badge="validation.selectors.queue_count_for_request",
    ),
    NavItem("metrics", _("Statistiques"), "metrics:dashboard"),
    NavItem("settings", _("Réglages"), "libraries:settings"),
]


@dataclass(frozen=True)
class SettingsSection:
    label: str
    description: str
    url_name: str
    min_role: str  # libraries.models.Role value


SETTINGS_SECTIONS = [
    SettingsSection(
        _("Bibliothèque"),
        _("Nom, fuseau horaire, heures de travail, règles de publication."),
        "libraries:library_settings",
        "contributor",
    ),
    SettingsSection(
        _("Membres"),
        _("Qui fait partie de l'équipe, avec quel rôle."),
        "libraries:members",
        "administrator",
    ),
    SettingsSection(
        _("Lignes éditoriales"),
        _("Les familles de publications et leurs couleurs."),
        "posts:editorial_lines",
        "administrator",
    ),
    SettingsSection(
        _("Charte éditoriale"),
        _("Le ton, les hashtags maison, la signature, par réseau."),
        "posts:charter",
        "contributor",
    ),
    SettingsSection(
        _("Circuits de validation"),
        _("Qui valide quoi, dans quel ordre."),
        "validation:chains",
        "administrator",
    ),
    SettingsSection(
        _("Comptes des réseaux"),
        _("Connecter, tester, reconnecter les comptes."),
        "publishing:accounts",
        "administrator",
    ),
    SettingsSection(
        _("Relais"),
        _("Partager les publications depuis un autre compte, prévenir les partenaires."),
        "publishing:relays",
        "administrator",
    ),
    SettingsSection(
        _("Collègues"),
        _("Comptes et domaines dont les mentions j'aime comptent à part du public."),
        "metrics:colleagues",
        "administrator",
    ),
    SettingsSection(
        _("Pause des publications"),
        _("Tout suspendre (deuil, crise, période de réserve électorale), puis reprendre."),
        "publishing:pause_current",
        "administrator",
    ),
    SettingsSection(
        _("Créneaux et dates clés"),
        _("File de publication, dates du calendrier culturel."),
        "editorial_calendar:settings",
        "administrator",
    ),
    SettingsSection(
        _("Mes préférences"),
        _("Langue, nom affiché, notifications."),
        "accounts:preferences",
        "contributor",
    ),
]
