"""Who liked and who reposted, on X (liking_users, retweeted_by) and LinkedIn (the
Reactions API), against the fakes: pages, X's rate-limit headers respected before X
refuses, a 429 or a refused list pausing only the list (never "reconnect")."""

from datetime import UTC, datetime, timedelta

import pytest

from networks import linkedin
from networks import x as xmodule
from networks.client import Account, PermanentError, PublishRequest, RateLimited
from networks.linkedin import LinkedInClient, next_midnight
from networks.x import XClient

X_USER = "1500000000000000001"


@pytest.fixture(autouse=True)
def _fresh_budgets():
    xmodule.stats._list_budgets.clear()
    linkedin.stats._list_budgets.clear()
    yield
    xmodule.stats._list_budgets.clear()
    linkedin.stats._list_budgets.clear()


@pytest.fixture
def x_account(fake_x, settings):
    settings.X_CLIENT_ID = fake_x.config.client_id
    settings.X_CLIENT_SECRET = fake_x.config.client_secret
    token = fake_x.issue_token()
    return Account(
        "x",
        server_url=fake_x.url,
        handle="@mediatheque_lille",
        remote_id=X_USER,
        credentials={**token, "expires_at": int(datetime.now(UTC).timestamp()) + 7200},
    )


@pytest.fixture
def page(fake_linkedin, settings):
    settings.LINKEDIN_CLIENT_ID = fake_linkedin.config.client_id
    settings.LINKEDIN_CLIENT_SECRET = fake_linkedin.config.client_secret
    return Account(
        "linkedin",
        server_url=fake_linkedin.url,
        remote_id="10001",
        credentials=dict(fake_linkedin.issue_token()),
    )


# --- X -----------------------------------------------------------------------------------
def test_x_likers_and_reposters_newest_first_by_user_id(fake_x, x_account, monkeypatch):
    monkeypatch.setattr(xmodule.stats, "ENGAGERS_PAGE", 2)
    post = XClient().publish(x_account, PublishRequest(key="k", text="Heure du conte"))
    for name in ("lea", "marc", "nina"):
        fake_x.like(post.remote_id, name)
    fake_x.retweet(post.remote_id, "lea")

    likers = XClient().fetch_engagers(x_account, post, kind="like")
    reposters = XClient().fetch_engagers(x_account, post, kind="share")

    assert [e.handle for e in likers] == ["@nina", "@marc", "@lea"]
    assert all(e.key.isdigit() and e.domain == "" for e in likers)
    assert [e.handle for e in reposters] == ["@lea"]
    assert len(fake_x.requests(f"/2/tweets/{post.remote_id}/liking_users")) == 2  # 2 + 1
    # `total` spares the request for an empty page; `known` stops at the first seen.
    fake_x.journal.clear()
    XClient().fetch_engagers(x_account, post, kind="like", total=2)
    XClient().fetch_engagers(x_account, post, kind="like", known=lambda key: True)
    assert len(fake_x.requests(f"/2/tweets/{post.remote_id}/liking_users")) == 2


def test_x_list_stops_asking_once_its_window_is_spent(fake_x, x_account):
    fake_x.configure(rate_limits={**fake_x.config.rate_limits, "liking_users": (2, 900)})
    post = XClient().publish(x_account, PublishRequest(key="k", text="Atelier"))
    fake_x.like(post.remote_id, "lea")
    path = f"/2/tweets/{post.remote_id}/liking_users"

    XClient().fetch_engagers(x_account, post, kind="like")
    XClient().fetch_engagers(x_account, post, kind="like")  # answer says: 0 remaining
    with pytest.raises(RateLimited) as caught:
        XClient().fetch_engagers(x_account, post, kind="like")

    assert caught.value.scope == "endpoint"
    assert caught.value.reset_at > datetime.now(UTC) + timedelta(minutes=14)
    assert len(fake_x.requests(path)) == 2  # X never had to refuse
    assert all(e.status == 200 for e in fake_x.requests(path))
    # The other list has its own window.
    assert XClient().fetch_engagers(x_account, post, kind="share") == []


def test_x_list_429_pauses_that_list_until_the_reset(fake_x, x_account):
    post = XClient().publish(x_account, PublishRequest(key="k", text="Atelier"))
    fake_x.like(post.remote_id, "lea")
    fake_x.exhaust_rate_limit("liking_users")

    with pytest.raises(RateLimited) as caught:
        XClient().fetch_engagers(x_account, post, kind="like")
    with pytest.raises(RateLimited):
        XClient().fetch_engagers(x_account, post, kind="like")

    assert caught.value.scope == "endpoint" and caught.value.reset_at is not None
    assert len(fake_x.requests(f"/2/tweets/{post.remote_id}/liking_users")) == 1


def test_x_without_like_read_is_a_refusal_not_a_reconnect(fake_x, x_account):
    scopes = ["tweet.read", "tweet.write", "users.read", "media.write", "offline.access"]
    x_account.credentials = {**x_account.credentials, **fake_x.issue_token(scopes=scopes)}
    post = XClient().publish(x_account, PublishRequest(key="k", text="Atelier"))

    with pytest.raises(PermanentError):
        XClient().fetch_engagers(x_account, post, kind="like")
    with pytest.raises(RateLimited):  # not asked again today
        XClient().fetch_engagers(x_account, post, kind="like")
    assert len(fake_x.requests(f"/2/tweets/{post.remote_id}/liking_users")) == 1


# --- LinkedIn ----------------------------------------------------------------------------
def test_linkedin_reactors_newest_first_as_urns(fake_linkedin, page, monkeypatch):
    monkeypatch.setattr(linkedin.stats, "REACTIONS_PAGE", 2)
    post = LinkedInClient().publish(page, PublishRequest(key="k", text="Expo"))
    for n, kind in enumerate(("LIKE", "PRAISE", "EMPATHY")):
        fake_linkedin.add_reaction(post.remote_id, f"urn:li:person:p{n}", kind)
    fake_linkedin.add_reaction(post.remote_id, "urn:li:organization:10002")

    engagers = LinkedInClient().fetch_engagers(page, post, kind="like")

    assert [e.key for e in engagers] == [
        "urn:li:organization:10002",
        "urn:li:person:p2",
        "urn:li:person:p1",
        "urn:li:person:p0",
    ]
    assert len(fake_linkedin.requests(path_prefix="/rest/reactions/")) == 2
    # The count the metrics read says 4 likes (every reaction counts).
    assert LinkedInClient().fetch_metrics(page, [post])[post.remote_id].likes == 4


def test_linkedin_lists_no_resharers(page):
    assert LinkedInClient.engager_kinds == ("like",)


def test_linkedin_reactions_quota_pauses_the_list_until_midnight(fake_linkedin, page):
    post = LinkedInClient().publish(page, PublishRequest(key="k", text="Expo"))
    fake_linkedin.inject_li_error(r"/rest/reactions/.*", "throttled", regex=True)

    with pytest.raises(RateLimited) as caught:
        LinkedInClient().fetch_engagers(page, post, kind="like")
    with pytest.raises(RateLimited):
        LinkedInClient().fetch_engagers(page, post, kind="like")

    assert caught.value.scope == "endpoint"
    assert caught.value.reset_at == next_midnight()
    assert len(fake_linkedin.requests(path_prefix="/rest/reactions/")) == 1


def test_linkedin_reactions_refused_is_not_a_reconnect(fake_linkedin, page):
    post = LinkedInClient().publish(page, PublishRequest(key="k", text="Expo"))
    fake_linkedin.inject_li_error(r"/rest/reactions/.*", "access_denied", regex=True)

    with pytest.raises(PermanentError):
        LinkedInClient().fetch_engagers(page, post, kind="like")
