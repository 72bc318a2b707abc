"""Demo content of the posts app (`python manage.py seed_demo`), idempotent.

The network's editorial lines and charter, and a dozen draft posts of the
Jules-Verne library over this month and the next, each with a photo drawn by Pillow
(nothing is downloaded). Posts target networks without choosing accounts: the
publishing app's demo connects Sandbox and Website-feed accounts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import unicodedata

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from posts import services
from posts.composer import ComposerInput, VariantDraft
from posts.models import CharterVersion, EditorialLine, Post
from posts.services.posts import Target

LINES = [
    ("Coups de cœur", "#c2185b", "Les livres, films et jeux que l'équipe a aimés.", 1),
    ("Vie de la bibliothèque", "#2e7d32", "Coulisses, nouveautés, horaires, travaux.", 2),
    ("Événements", "#1565c0", "Rencontres, ateliers, spectacles : annoncer puis raconter.", 3),
    ("Chatons", "#ef6c00", "Les chats du quartier qui passent nous voir. Avec modération.", 4),
]

CHARTER = """Nous parlons comme à la banque de prêt : **chaleureux, précis, jamais
institutionnel**. On tutoie rarement, on vouvoie avec le sourire.

Ce que l'on publie :

- les coups de cœur de l'équipe (un titre, une phrase personnelle, une photo) ;
- la vie de la médiathèque : nouveautés, coulisses, horaires exceptionnels ;
- les événements, annoncés une semaine avant puis racontés après.

Ce que l'on ne publie pas : prises de position politiques, photos d'enfants
reconnaissables sans autorisation écrite, visuels sans texte alternatif.

Quand utiliser quelle ligne éditoriale : un livre, un film ou un jeu → *Coups de cœur* ;
un rendez-vous daté → *Événements* ; le reste → *Vie de la bibliothèque*."""

SECTIONS = {
    "mastodon": "Un ton détendu ; décrivez toujours les images. Hashtags en CamelCase.",
    "bluesky": "300 caractères : allez à l'essentiel, le lien en fin de message.",
    "instagram": (
        "Une photo forte, de préférence au format 4:5. Le lien n'est pas cliquable : "
        "écrivez « lien en bio »."
    ),
    "facebook": "Un texte un peu plus long est bienvenu ; signez les publications.",
    "x": "Court, une accroche et un lien. Deux hashtags au plus.",
    "linkedin": "Pour les partenaires et les élus : mettez en avant les projets et les chiffres.",
}

# title, line, networks, text, link, hour, extra variants {network: text}
POSTS = [
    (
        "Coup de cœur : « Le Château des animaux »",
        "Coups de cœur",
        ["mastodon", "bluesky", "sandbox", "website"],
        "Notre coup de cœur BD de la semaine : « Le Château des animaux », une fable "
        "politique et tendre. À emprunter dès maintenant ! #BD #MédiathèquesDémo",
        "",
        10,
        {},
    ),
    (
        "Nuit de la lecture",
        "Événements",
        ["mastodon", "bluesky", "instagram", "facebook", "x", "sandbox", "website"],
        "Samedi, la médiathèque reste ouverte jusqu'à minuit pour la #NuitDeLaLecture : "
        "lectures à voix haute, jeux, soupe et surprises. Entrée libre !",
        "https://mediatheque-demo.example.org/agenda/nuit-de-la-lecture",
        18,
        {"x": "Samedi jusqu'à minuit : #NuitDeLaLecture à la médiathèque !"},
    ),
    (
        "Nouveaux horaires d'été",
        "Vie de la bibliothèque",
        ["facebook", "sandbox", "website"],
        "Du 1er juillet au 31 août, la médiathèque vous accueille du mardi au samedi, "
        "de 10 h à 18 h. Bonnes lectures estivales ! #LireEnOise",
        "https://mediatheque-demo.example.org/horaires",
        9,
        {},
    ),
    (
        "Moustache, chat du quartier",
        "Chatons",
        ["mastodon", "instagram", "sandbox"],
        "Moustache est revenu faire la sieste sur le rebord de la fenêtre du coin "
        "jeunesse. Il ne prête pas de livres, mais il écoute les histoires. #Chats",
        "",
        14,
        {},
    ),
    (
        "Atelier numérique : protéger ses données",
        "Événements",
        ["mastodon", "linkedin", "sandbox", "website"],
        "Atelier gratuit mercredi à 14 h : réglages de confidentialité, mots de passe, "
        "sauvegardes. Sur inscription, 8 places. #InclusionNumérique",
        "https://mediatheque-demo.example.org/agenda/atelier-donnees",
        11,
        {},
    ),
    (
        "Coup de cœur roman : « Les Impatientes »",
        "Coups de cœur",
        ["bluesky", "facebook", "sandbox"],
        "Trois femmes, trois destins, une écriture qui ne lâche pas. Le coup de cœur "
        "de Camille, au rayon romans adultes. #MédiathèquesDémo",
        "",
        10,
        {},
    ),
    (
        "Les coulisses : l'équipement des livres",
        "Vie de la bibliothèque",
        ["instagram", "mastodon", "sandbox"],
        "Avant d'arriver en rayon, chaque livre est couvert, étiqueté et enregistré. "
        "Une petite centaine par semaine ! #Coulisses #MédiathèquesDémo",
        "",
        15,
        {},
    ),
    (
        "Heure du conte",
        "Événements",
        ["facebook", "sandbox", "website"],
        "Mercredi à 10 h 30, heure du conte pour les 3-6 ans avec Dominique. "
        "Sans inscription, dans la limite des coussins disponibles. #HeureDuConte",
        "https://mediatheque-demo.example.org/agenda/heure-du-conte",
        10,
        {},
    ),
    (
        "Grainothèque de printemps",
        "Vie de la bibliothèque",
        ["mastodon", "bluesky", "sandbox", "website"],
        "La grainothèque est réapprovisionnée : tomates anciennes, capucines, basilic. "
        "Prenez, semez, rapportez ! #Grainothèque #LireEnOise",
        "",
        12,
        {},
    ),
    (
        "Chatons : la relève",
        "Chatons",
        ["instagram", "mastodon", "sandbox"],
        "Deux chatons ont suivi Moustache jusqu'au parvis. L'équipe a voté : ils "
        "s'appelleront Poche et Broché. #Chats #MédiathèquesDémo",
        "",
        16,
        {},
    ),
    (
        "Rencontre avec une autrice jeunesse",
        "Événements",
        ["mastodon", "bluesky", "facebook", "linkedin", "sandbox", "website"],
        "Vendredi à 17 h, rencontre et dédicace avec une autrice jeunesse autour de son "
        "dernier album. Les classes de CM1 ont préparé leurs questions ! #RencontreAutrice",
        "https://mediatheque-demo.example.org/agenda/rencontre-autrice",
        17,
        {"bluesky": "Vendredi 17 h : rencontre et dédicace jeunesse à la médiathèque !"},
    ),
    (
        "Coup de cœur jeu : « Kingdomino »",
        "Coups de cœur",
        ["mastodon", "sandbox", "website"],
        "Le jeu de société préféré de l'équipe ce mois-ci : des dominos, des royaumes et "
        "quinze minutes de réflexion. À jouer sur place le samedi. #JeuxDeSociété",
        "",
        11,
        {},
    ),
]

PALETTES = [
    ((194, 24, 91), (255, 205, 210)),
    ((21, 101, 192), (187, 222, 251)),
    ((46, 125, 50), (200, 230, 201)),
    ((239, 108, 0), (255, 224, 178)),
]


def demo_photo(title: str, index: int, size=(1600, 1200)) -> bytes:
    """A poster-like picture: a gradient, shapes and the post's title, drawn by Pillow."""
    dark, light = PALETTES[index % len(PALETTES)]
    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, dark), Image.new("RGB", size, light), gradient)
    draw = ImageDraw.Draw(image)
    for step in range(6):
        radius = 120 + 40 * step
        x = (index * 137 + step * 211) % width
        y = (index * 89 + step * 173) % height
        colour = tuple(min(255, c + 30 * step) for c in dark)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=colour, width=12)
    image = image.filter(ImageFilter.GaussianBlur(2))
    draw = ImageDraw.Draw(image)
    font, caption = _font(title)
    draw.rectangle((0, height - 220, width, height), fill=(255, 255, 255))
    while draw.textlength(caption, font=font) > width - 120 and len(caption) > 4:
        caption = caption[:-2].rstrip() + "…"
    draw.text((60, height - 160), caption, fill=dark, font=font)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def _font(text: str):
    """A system font with accents when there is one; else Pillow's own font, which has
    none, with the text written without accents."""
    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, 60), text
        except OSError:
            continue
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ImageFont.load_default(size=60), plain


def _dates(tz) -> list[dt.date]:
    """Six days in this month and six in the next, from today."""
    today = timezone.now().astimezone(tz).date()
    first_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    days = []
    months = ((today.replace(day=1), (3, 7, 12, 17, 22, 26)), (first_next, (2, 6, 10, 15, 20, 25)))
    for month_start, offsets in months:
        last = calendar.monthrange(month_start.year, month_start.month)[1]
        days += [month_start.replace(day=min(offset, last)) for offset in offsets]
    return days


def seed(ctx) -> None:
    network = ctx.network
    admin = ctx.users["admin"]
    lines = {}
    for name, colour, description, position in LINES:
        lines[name], _ = EditorialLine.objects.get_or_create(
            library=network,
            name=name,
            defaults={"colour": colour, "description": description, "position": position},
        )
    if not CharterVersion.objects.filter(library=network).exists():
        services.charter_save(
            library=network,
            by=admin,
            body=CHARTER,
            sections=SECTIONS,
            house_hashtags="#MédiathèquesDémo",
            signature="— Les médiathèques de Démo-sur-Oise",
            signature_networks=["facebook", "linkedin"],
            note="Première version, adoptée en réunion d'équipe.",
        )
    branch = next(b for b in ctx.branches if b.slug == "mediatheque-jules-verne")
    author = ctx.users["agent"]
    days = _dates(branch.tzinfo)
    for index, (title, line, networks, text, link, hour, variants) in enumerate(POSTS):
        if Post.objects.filter(library=branch, title=title).exists():
            continue
        media = services.media_upload(
            library=branch,
            by=author,
            file=ContentFile(demo_photo(title, index), name=f"demo-{index + 1}.jpg"),
            alt_text=f"Affiche aux couleurs de la médiathèque : « {title} ».",
            credit="Équipe de la médiathèque",
        )
        when = dt.datetime.combine(days[index % len(days)], dt.time(hour, 0), tzinfo=branch.tzinfo)
        composed = ComposerInput(
            targets=[Target(key) for key in networks],
            media=[media],
            alt_texts={},
            variants={
                key: VariantDraft(network=key, text=variant_text)
                for key, variant_text in variants.items()
            },
        )
        if "instagram" in networks and index % 2:
            composed.variants["instagram"] = VariantDraft(network="instagram", image_fit="crop")
        services.post_save_composed(
            by=author,
            library=branch,
            composed=composed,
            fields={
                "title": title,
                "body": text,
                "link": link,
                "editorial_line": lines[line],
                "scheduled_at": when,
                "publish_when_approved": False,
                "notes": "",
            },
        )
