"""The pause and resume pages: an administrator pauses a library (or the whole
network) with a reason, every page of the libraries it covers shows the banner, and
on resume each post that fell due meanwhile is published now, rescheduled or
cancelled, as chosen."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.middleware import SESSION_KEY
from libraries.models import Role
from posts.models import Post, PostState
from publishing.models import Publication, PublicationState, PublishingPause
from publishing.services import publishing_pause
from tests.factories import SocialAccountFactory, member

pytestmark = pytest.mark.django_db
S = PublicationState


@pytest.fixture(autouse=True)
def _fresh_banner_cache():
    cache.clear()
    yield
    cache.clear()


def _working_in(client, user, library):
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = library.pk
    session.save()


def _banners(client, path="/settings/") -> list[str]:
    page = client.get(path).content.decode()
    return [line for line in page.splitlines() if 'class="banner banner-warning"' in line]


def _overdue(approve, account, title, *, minutes_ago=30):
    """An approved post whose time came (and went) during the pause."""
    post = approve([account], title=title)
    past = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Post.objects.filter(pk=post.pk).update(scheduled_at=past)
    Publication.objects.filter(post=post).update(scheduled_at=past)
    post.refresh_from_db()
    return post


@pytest.fixture
def sandbox(cast):
    return SocialAccountFactory(library=cast.net.a, network="sandbox")


def test_settings_lead_administrators_to_the_pause_page(client, cast):
    _working_in(client, cast.admin, cast.net.head)

    settings_page = client.get(reverse("libraries:settings")).content.decode()
    assert reverse("publishing:pause_current") in settings_page
    response = client.get(reverse("publishing:pause_current"))
    assert response.url == reverse("publishing:pause", kwargs={"slug": cast.net.head.slug})

    _working_in(client, cast.agent, cast.net.a)
    assert reverse("publishing:pause_current") not in client.get("/settings/").content.decode()


def test_only_administrators_pause(client, cast):
    _working_in(client, cast.agent, cast.net.a)

    page = client.get(reverse("publishing:pause", kwargs={"slug": cast.net.a.slug}))
    posted = client.post(
        reverse("publishing:pause", kwargs={"slug": cast.net.a.slug}), {"reason": "Essai"}
    )

    assert page.status_code in (403, 404)
    assert posted.status_code in (403, 404)
    assert not PublishingPause.objects.exists()


def test_pausing_the_network_shows_the_banner_in_every_branch(client, cast):
    _working_in(client, cast.admin, cast.net.head)
    url = reverse("publishing:pause", kwargs={"slug": cast.net.head.slug})

    response = client.post(url, {"reason": "Deuil national", "include_branches": "on"})

    assert response.status_code == 302
    pause = PublishingPause.objects.get()
    assert (pause.library, pause.include_branches, pause.started_by) == (
        cast.net.head,
        True,
        cast.admin,
    )
    assert "Deuil national" in client.get(url).content.decode()  # the page says so
    # every page, in every branch, for everyone
    (banner,) = _banners(client)
    assert "Réseau Test" in banner and "Deuil national" in banner
    _working_in(client, cast.agent, cast.net.a)
    (banner,) = _banners(client, "/posts/")
    assert "Deuil national" in banner


def test_a_library_paused_alone_leaves_its_branches_alone(client, cast):
    admin_b = member(cast.net.b, Role.ADMINISTRATOR, username="admin-b")
    _working_in(client, admin_b, cast.net.b)
    client.post(
        reverse("publishing:pause", kwargs={"slug": cast.net.b.slug}),
        {"reason": "Inventaire"},  # the "and its branches" box unticked
    )
    assert PublishingPause.objects.get().include_branches is False
    assert len(_banners(client)) == 1

    _working_in(client, cast.agent, cast.net.a)
    assert _banners(client) == []


def test_a_pause_needs_a_reason_and_only_one_at_a_time(client, cast):
    _working_in(client, cast.admin, cast.net.head)
    url = reverse("publishing:pause", kwargs={"slug": cast.net.head.slug})

    response = client.post(url, {"reason": "   "}, follow=True)
    assert not PublishingPause.objects.exists()
    assert "Indiquez la raison" in " ".join(str(m) for m in response.context["messages"])

    client.post(url, {"reason": "Crise"})
    response = client.post(url, {"reason": "Encore"}, follow=True)
    assert PublishingPause.objects.count() == 1


def test_resume_asks_what_to_do_with_each_overdue_post(
    client, cast, approve, sandbox, django_capture_on_commit_callbacks
):
    publishing_pause(library=cast.net.head, by=cast.admin, reason="Réserve électorale")
    now_post = _overdue(approve, sandbox, "Heure du conte")
    later_post = _overdue(approve, sandbox, "Atelier BD")
    dropped_post = _overdue(approve, sandbox, "Soirée jeux")
    not_due = approve([sandbox], title="Plus tard", when=dt.timedelta(days=2))
    _working_in(client, cast.admin, cast.net.head)
    url = reverse("publishing:resume", kwargs={"slug": cast.net.head.slug})

    page = client.get(url).content.decode()
    for post in (now_post, later_post, dropped_post):
        assert post.title in page
        assert f'name="choice-{post.pk}"' in page
    assert not_due.title not in page

    new_time = (timezone.localtime(timezone.now()) + dt.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    with django_capture_on_commit_callbacks(execute=True):  # forgets the cached banner
        response = client.post(
            url,
            {
                f"choice-{now_post.pk}": "publish_now",
                f"choice-{later_post.pk}": "reschedule",
                f"when-{later_post.pk}": new_time.strftime("%Y-%m-%dT%H:%M"),
                f"choice-{dropped_post.pk}": "cancel",
            },
        )

    assert response.status_code == 302
    pause = PublishingPause.objects.get()
    assert pause.ended_at is not None and pause.ended_by == cast.admin
    assert _banners(client) == []
    # publish now: due at once (the next sweep sends it)
    published_now = Publication.objects.get(post=now_post)
    assert published_now.state == S.SCHEDULED
    assert published_now.scheduled_at >= pause.ended_at - dt.timedelta(seconds=1)
    # rescheduled: the post and its publication at the new time, in the library's zone
    later_post.refresh_from_db()
    assert timezone.localtime(later_post.scheduled_at, cast.net.head.tzinfo).hour == 10
    assert Publication.objects.get(post=later_post).scheduled_at == later_post.scheduled_at
    # cancelled: the publication and the post
    assert Publication.objects.get(post=dropped_post).state == S.CANCELLED
    assert Post.objects.get(pk=dropped_post.pk).state == PostState.CANCELLED
    # untouched
    assert Publication.objects.get(post=not_due).state == S.SCHEDULED


def test_resume_refuses_a_reschedule_without_a_date(client, cast, approve, sandbox):
    publishing_pause(library=cast.net.head, by=cast.admin, reason="Crise")
    post = _overdue(approve, sandbox, "Heure du conte")
    _working_in(client, cast.admin, cast.net.head)
    url = reverse("publishing:resume", kwargs={"slug": cast.net.head.slug})

    response = client.post(url, {f"choice-{post.pk}": "reschedule"}, follow=True)

    assert "Indiquez la nouvelle date" in " ".join(str(m) for m in response.context["messages"])
    assert PublishingPause.objects.get().ended_at is None  # still paused, nothing changed
    assert Publication.objects.get(post=post).state == S.SCHEDULED
    assert len(_banners(client)) == 1


def test_resume_with_nothing_overdue_just_resumes(client, cast):
    publishing_pause(library=cast.net.head, by=cast.admin, reason="Crise")
    _working_in(client, cast.admin, cast.net.head)
    url = reverse("publishing:resume", kwargs={"slug": cast.net.head.slug})

    assert "Aucune publication n'a manqué son heure" in client.get(url).content.decode()
    client.post(url)

    assert PublishingPause.objects.get().ended_at is not None
    # nothing to resume any more: back to the pause page
    assert client.get(url).url == reverse("publishing:pause", kwargs={"slug": cast.net.head.slug})
