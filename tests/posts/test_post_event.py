"""A post may announce an event (title, start, end, in the library's time) and choose
its button: networks that have them (Google Business Profile) publish them."""

import datetime as dt

import pytest
from django.urls import reverse

from posts.content import post_fingerprint
from posts.models import CallToAction, Post
from tests.factories import PostFactory, member

pytestmark = pytest.mark.django_db


def test_the_composer_saves_an_event_in_the_library_time_and_a_button(client, network):
    client.force_login(member(network.a))

    response = client.post(
        reverse("posts:new"),
        {
            "title": "Nuit du jeu",
            "body": "Jeux de société pour tous.",
            "link": "https://bm.example.fr/jeux",
            "event_title": "Nuit du jeu",
            "event_starts_at": "2026-11-14T18:00",
            "event_ends_at": "2026-11-14T23:30",
            "call_to_action": "SIGN_UP",
        },
    )

    assert response.status_code == 302
    post = Post.objects.get()
    assert post.event_title == "Nuit du jeu"
    assert post.event_starts_at == dt.datetime(2026, 11, 14, 17, 0, tzinfo=dt.UTC)  # Paris
    assert post.event_ends_at == dt.datetime(2026, 11, 14, 22, 30, tzinfo=dt.UTC)
    assert post.call_to_action == CallToAction.SIGN_UP
    page = client.get(reverse("posts:edit", args=[post.pk])).content.decode()
    assert 'value="2026-11-14T18:00"' in page


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"event_title": "Conte"}, {"event_starts_at", "event_ends_at"}),
        ({"event_starts_at": "2026-11-14T18:00"}, {"event_title", "event_ends_at"}),
        (
            {
                "event_title": "Conte",
                "event_starts_at": "2026-11-14T18:00",
                "event_ends_at": "2026-11-14T17:00",
            },
            {"event_ends_at"},
        ),
        ({"event_title": "T" * 59, "event_starts_at": "2026-11-14T18:00"}, None),
    ],
)
def test_an_event_needs_a_title_a_start_and_a_later_end(client, network, fields, errors):
    client.force_login(member(network.a))

    response = client.post(reverse("posts:new"), {"title": "Conte", **fields})

    assert response.status_code == 422
    form_errors = set(response.context["form"].errors)
    assert errors is None or form_errors == errors
    assert not Post.objects.exists()


def test_changing_the_event_changes_the_approved_content_but_an_unset_one_does_not():
    post = PostFactory()
    before = post_fingerprint(post)
    assert post_fingerprint(post) == before

    post.event_title = "Nuit du jeu"
    post.event_starts_at = dt.datetime(2026, 11, 14, 17, tzinfo=dt.UTC)
    post.event_ends_at = dt.datetime(2026, 11, 14, 22, tzinfo=dt.UTC)
    with_event = post_fingerprint(post)
    assert with_event != before
    post.call_to_action = CallToAction.CALL
    assert post_fingerprint(post) != with_event


def test_the_composer_says_a_google_button_needs_a_link(client, network):
    client.force_login(member(network.a))
    data = {
        "title": "Conte",
        "body": "Heure du conte samedi.",
        "targets": ["network:google_business"],
        "call_to_action": "BOOK",
    }

    without = client.post(reverse("posts:composer_check"), data).content.decode()
    with_link = client.post(
        reverse("posts:composer_check"), {**data, "link": "https://bm.example.fr/conte"}
    ).content.decode()

    assert "a besoin d&#x27;un lien" in without or "a besoin d'un lien" in without
    assert "besoin d&#x27;un lien" not in with_link and "besoin d'un lien" not in with_link


def test_the_post_page_shows_the_event_in_the_library_time_and_the_button(client, network):
    user = member(network.a)
    client.force_login(user)
    post = PostFactory(
        library=network.a,
        author=user,
        event_title="Nuit du jeu",
        event_starts_at=dt.datetime(2026, 11, 14, 17, tzinfo=dt.UTC),
        event_ends_at=dt.datetime(2026, 11, 14, 22, 30, tzinfo=dt.UTC),
        call_to_action=CallToAction.SIGN_UP,
    )

    html = client.get(reverse("posts:detail", args=[post.pk])).content.decode()

    assert "Nuit du jeu" in html and "18:00" in html and "23:30" in html
    assert "S&#x27;inscrire" in html or "S'inscrire" in html


# --- offers -------------------------------------------------------------------------------
YEAR = dt.date.today().year + 1  # an offer still to come
OFFER = {
    "title": "Carte gratuite",
    "body": "La carte est gratuite pour les moins de 26 ans en décembre.",
    "link": "https://bm.example.fr/carte",
    "event_title": "Carte gratuite",
    "event_starts_at": f"{YEAR}-12-01T09:00",
    "event_ends_at": f"{YEAR}-12-31T19:00",
    "is_offer": "on",
    "offer_coupon_code": " NOEL26 ",
    "offer_redeem_url": "https://bm.example.fr/inscription",
    "offer_terms": "Sur présentation d'un justificatif.",
}


def test_the_composer_saves_an_offer_and_the_post_page_shows_it(client, network):
    client.force_login(member(network.a))

    response = client.post(reverse("posts:new"), OFFER)

    assert response.status_code == 302
    post = Post.objects.get()
    assert post.is_offer and post.event_title == "Carte gratuite"
    assert post.offer_coupon_code == "NOEL26"
    assert post.offer_redeem_url == "https://bm.example.fr/inscription"
    assert post.offer_terms == "Sur présentation d'un justificatif."
    html = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert "Offre" in html and "NOEL26" in html and "justificatif" in html


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"is_offer": ""}, {"offer_coupon_code", "offer_redeem_url", "offer_terms"}),
        ({"event_title": "", "event_ends_at": ""}, {"event_title", "event_ends_at"}),
        ({"offer_coupon_code": "C" * 59}, {"offer_coupon_code"}),
        ({"offer_redeem_url": "pas une adresse"}, {"offer_redeem_url"}),
    ],
)
def test_an_offer_the_form_refuses(client, network, change, errors):
    client.force_login(member(network.a))

    response = client.post(reverse("posts:new"), {**OFFER, **change})

    assert response.status_code == 422
    assert set(response.context["form"].errors) == errors
    assert not Post.objects.exists()


def test_the_composer_checks_an_offer_live_against_googles_rules(client, network):
    client.force_login(member(network.a))
    data = {**OFFER, "targets": ["network:google_business"]}

    fine = client.post(reverse("posts:composer_check"), data).content.decode()
    wrong = client.post(
        reverse("posts:composer_check"),
        {**data, "offer_coupon_code": "C" * 59, "event_ends_at": "", "call_to_action": "BOOK"},
    ).content.decode()

    assert 'id="event-problems"' in fine and "code promo" not in fine
    assert "le code promo dépasse 58 caractères (59)" in wrong
    assert "fin de validité" in wrong
    assert "une offre n&#x27;a pas de bouton" in wrong or "une offre n'a pas de bouton" in wrong


def test_the_composer_refuses_an_offer_over_before_it_goes_out(client, network):
    client.force_login(member(network.a))
    data = {**OFFER, "targets": ["network:google_business"]}
    over = {"event_starts_at": "2026-11-01T09:00", "event_ends_at": "2026-11-30T19:00"}

    ended = client.post(reverse("posts:composer_check"), {**data, **over}).content.decode()
    late = client.post(
        reverse("posts:composer_check"), {**data, "scheduled_at": f"{YEAR + 1}-01-05T10:00"}
    ).content.decode()
    fine = client.post(
        reverse("posts:composer_check"), {**data, "scheduled_at": f"{YEAR}-12-05T10:00"}
    ).content.decode()

    assert "l&#x27;offre est déjà terminée" in ended or "l'offre est déjà terminée" in ended
    assert "se termine avant la date de publication prévue" in late
    assert "terminée" not in fine and "avant la date de publication" not in fine
    # Nothing is lost: the draft saves as typed, the checks panel says what to fix.
    response = client.post(reverse("posts:new"), {**data, **over})
    assert response.status_code == 302
    post = Post.objects.get()
    page = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert "déjà terminée" in page


def test_changing_the_offer_changes_the_approved_content():
    post = PostFactory(
        event_title="Carte gratuite",
        event_starts_at=dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC),
        event_ends_at=dt.datetime(2026, 12, 31, 18, tzinfo=dt.UTC),
    )
    as_event = post_fingerprint(post)
    post.is_offer = True
    as_offer = post_fingerprint(post)
    post.offer_coupon_code = "NOEL26"

    assert len({as_event, as_offer, post_fingerprint(post)}) == 3
