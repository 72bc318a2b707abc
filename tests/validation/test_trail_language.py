"""Annexe's own comments in the validation trail (a missed deadline, "no validation
needed") are stored with their msgid and shown in each reader's language, whoever's
language was active when they were written; people's comments are shown as typed."""

import pytest
from django.urls import reverse
from django.utils import translation

from posts.models import PostState as S
from validation.models import Action, ReviewEvent

pytestmark = pytest.mark.django_db

MISSED_FR = "Pas entièrement validée à l'heure prévue : elle n'a pas été publiée."


def _review_page(client, user, post, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse("validation:review", args=[post.pk])).content.decode()


def test_a_missed_deadline_reads_in_the_readers_language(client, cast, reach):
    with translation.override("en"):  # a worker, or a request, in English
        post = reach(S.MISSED)

    event = ReviewEvent.objects.get(post=post, action=Action.MISSED)
    assert event.comment == MISSED_FR and event.comment_data["msgid"] == MISSED_FR
    french = _review_page(client, cast.agent, post, "fr")
    english = _review_page(client, cast.agent, post, "en")
    assert "Pas entièrement validée à l&#x27;heure prévue" in french
    assert "Pas entièrement validée" not in english
    with translation.override("en"):
        assert event.comment_text in english.replace("&#x27;", "'")


def test_a_persons_comment_is_shown_as_typed(client, cast, reach):
    post = reach(S.CHANGES_REQUESTED)

    english = _review_page(client, cast.agent, post, "en")

    assert "Ajoutez l&#x27;heure." in english
