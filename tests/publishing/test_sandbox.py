"""The Sandbox timeline: posts out on the sandbox, with their simulated reactions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from libraries.models import Role
from networks.sandbox import simulated_metrics
from tests.factories import LibraryFactory, PostFactory, SocialAccountFactory, member
from tests.publishing.published import published

pytestmark = pytest.mark.django_db


def test_timeline_shows_sandbox_posts_with_simulated_reactions(client):
    library = LibraryFactory()
    sandbox = SocialAccountFactory(library=library, network="sandbox", display_name="Bac")
    website = SocialAccountFactory(library=library, network="website")
    old = published(
        PostFactory(library=library, body="Il y a deux jours"),
        sandbox,
        when=timezone.now() - dt.timedelta(days=2),
    )
    published(PostFactory(library=library, body="Tout juste paru"), sandbox)
    published(PostFactory(library=library, body="Sur le site seulement"), website)
    client.force_login(member(library, Role.CONTRIBUTOR))

    response = client.get(reverse("publishing:sandbox", kwargs={"library": library.slug}))

    page = response.content.decode()
    assert "Tout juste paru" in page and "Il y a deux jours" in page
    assert "Sur le site seulement" not in page
    entries = response.context["entries"]
    assert [e.publication for e in entries][1] == old
    expected = simulated_metrics(old.remote_id, old.published_at, timezone.now())
    assert entries[1].metrics.likes == expected.likes > 0
    assert entries[1].metrics.shares == expected.shares
    assert f'id="post-{old.key}"' in page  # the anchor SandboxClient links to


def test_another_librarys_sandbox_is_not_found(client, network):
    client.force_login(member(network.a))

    url = reverse("publishing:sandbox", kwargs={"library": network.b.slug})

    assert client.get(url).status_code == 404
