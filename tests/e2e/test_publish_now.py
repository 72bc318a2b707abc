"""Browser test of the issue's story: an administrator connects a Mastodon account
through the fake instance's OAuth screens, then, on an approved post's page, clicks
"Publier maintenant"; a real Celery worker process publishes it and the post page
links to the status on the instance, published once."""

import datetime as dt
import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from libraries.models import Role
from publishing.models import Publication, SocialAccount
from tests.factories import member
from tests.publishing.conftest import approved_post

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def connect_mastodon(page, fake_mastodon) -> SocialAccount:
    page.goto("/settings/")
    page.get_by_role("link", name="Comptes des réseaux").click()
    page.get_by_role("link", name="Connecter Mastodon").click()
    page.get_by_label("Instance Mastodon").fill(fake_mastodon.url)
    page.get_by_role("button", name="Connecter").click()
    page.get_by_role("button", name=f"Continuer vers {fake_mastodon.domain}").click()
    expect(page.get_by_role("heading", name="Authorization required")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text("Le compte Médiathèque est connecté.")).to_be_visible()
    return SocialAccount.objects.get(network="mastodon")


def reload_until_visible(page, locator, timeout: float = 40) -> None:
    """The worker publishes in the background: reload as a person would."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if locator.count():
            return
        time.sleep(0.5)
        page.reload()
    expect(locator).to_be_visible()  # fails with Playwright's own message


def test_publish_now_puts_the_post_on_mastodon_and_links_to_it(
    page, login, network, fake_mastodon, celery_worker_process
):
    admin = member(network.a, Role.ADMINISTRATOR, username="admin-a")
    agent = member(network.a, Role.CONTRIBUTOR, username="agent-a")
    login(admin)
    account = connect_mastodon(page, fake_mastodon)
    cast = SimpleNamespace(net=network, agent=agent)
    post = approved_post(
        cast,
        [account],
        title="Nuit du conte",
        body="Samedi soir, contes pour petits et grands à la médiathèque.",
        when=dt.timedelta(days=2),
    )

    page.goto(f"/posts/{post.pk}/")
    panel = page.locator("#publishing-panel + table")
    expect(panel.get_by_text("Programmée")).to_be_visible()
    page.get_by_role("button", name="Publier maintenant").click()
    expect(page.get_by_text("Publication lancée sur 1 compte(s).")).to_be_visible()

    link = page.get_by_role("link", name="Voir la publication")
    reload_until_visible(page, link)
    expect(page.locator("#publishing-panel + table").get_by_text("Publiée")).to_be_visible()

    (status,) = fake_mastodon.posts()
    publication = Publication.objects.get(post=post)
    assert publication.remote_id == status["id"]
    assert link.get_attribute("href") == publication.remote_url == status["url"]
    assert "contes pour petits et grands" in status["text"]
    # a second click is not offered, and the worker sent it once
    expect(page.get_by_role("button", name="Publier maintenant")).to_have_count(0)
    assert len(fake_mastodon.requests("/api/v1/statuses", "POST")) == 1
