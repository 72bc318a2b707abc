"""networks.oauth.refresh_token against the fake X and LinkedIn token endpoints: only a
refused grant is an auth failure (reconnect); a 429 waits for the reset the answer
gives, a 5xx is transient; the refresh token stays usable after either."""

from datetime import UTC, datetime, timedelta

import pytest

from networks import oauth
from networks.client import Account, AuthError, RateLimited, TransientError
from networks.linkedin import LinkedInClient, next_midnight
from networks.x import XClient

X_TOKEN = "/2/oauth2/token"
LI_TOKEN = "/oauth/v2/accessToken"


@pytest.fixture
def x_account(fake_x, settings):
    settings.X_CLIENT_ID = fake_x.config.client_id
    settings.X_CLIENT_SECRET = fake_x.config.client_secret
    settings.X_OAUTH_URL = fake_x.url
    return Account("x", server_url=fake_x.url, credentials=fake_x.issue_token())


@pytest.fixture
def li_page(fake_linkedin, settings):
    settings.LINKEDIN_CLIENT_ID = fake_linkedin.config.client_id
    settings.LINKEDIN_CLIENT_SECRET = fake_linkedin.config.client_secret
    settings.LINKEDIN_OAUTH_URL = fake_linkedin.url
    fake_linkedin.configure(partner_refresh_tokens=True)
    token = fake_linkedin.issue_token()
    return Account(
        "linkedin", server_url=fake_linkedin.url, remote_id="10001", credentials=dict(token)
    )


def _refresh_x(fake_x, account: Account) -> dict:
    app = oauth.app("x")
    return oauth.refresh_token(
        network="X",
        token_url=f"{fake_x.url}{X_TOKEN}",
        refresh_token=account.credentials["refresh_token"],
        client_id=app.client_id,
        client_secret=app.client_secret,
        basic_auth=True,
    )


def test_a_429_with_x_rate_limit_reset_is_rate_limited_until_that_reset(fake_x, x_account):
    fake_x.inject_rate_limited(X_TOKEN, method="POST", reset_in=600)

    with pytest.raises(RateLimited) as caught:
        _refresh_x(fake_x, x_account)

    expected = datetime.now(UTC) + timedelta(seconds=600)
    assert abs((caught.value.reset_at - expected).total_seconds()) < 5
    assert caught.value.status == 429
    # The refresh token was not spent: it works once the limit is gone.
    assert _refresh_x(fake_x, x_account)["access_token"]


def test_a_429_with_retry_after_waits_that_many_seconds(fake_x, x_account):
    fake_x.inject(
        X_TOKEN,
        method="POST",
        status=429,
        body={"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
        headers={"Retry-After": "120"},
    )

    with pytest.raises(RateLimited) as caught:
        XClient().refresh(x_account)

    expected = datetime.now(UTC) + timedelta(seconds=120)
    assert abs((caught.value.reset_at - expected).total_seconds()) < 5


def test_a_linkedin_429_without_headers_waits_for_the_daily_reset(fake_linkedin, li_page):
    fake_linkedin.inject_li_error(LI_TOKEN, "throttled", method="POST")

    with pytest.raises(RateLimited) as caught:
        LinkedInClient().refresh(li_page)

    assert caught.value.reset_at == next_midnight()


@pytest.mark.parametrize(
    "body",
    [
        None,  # the fake's own 500 page
        {"error": "server_error", "error_description": "Try again later"},  # valid OAuth JSON
        "<html><body>Bad gateway</body></html>",
    ],
)
def test_a_5xx_is_transient_whatever_its_body(fake_x, x_account, body):
    fake_x.inject(X_TOKEN, method="POST", status=503, body=body)

    with pytest.raises(TransientError) as caught:
        XClient().refresh(x_account)

    assert caught.value.status == 503
    assert XClient().refresh(x_account) is not None  # the refresh token still works


def test_a_linkedin_5xx_is_transient(fake_linkedin, li_page):
    fake_linkedin.inject(LI_TOKEN, method="POST", status=500)
    with pytest.raises(TransientError):
        LinkedInClient().refresh(li_page)


def test_invalid_grant_is_an_auth_failure(fake_linkedin, li_page):
    li_page.credentials["refresh_token"] = "AQ-unknown"

    with pytest.raises(AuthError) as caught:
        LinkedInClient().refresh(li_page)

    assert caught.value.code == "invalid_grant"
    assert caught.value.status == 400


def test_a_refused_client_is_an_auth_failure(fake_x, x_account, settings):
    settings.X_CLIENT_SECRET = "wrong"
    with pytest.raises(AuthError) as caught:
        _refresh_x(fake_x, x_account)
    assert caught.value.status == 401


def test_a_401_that_is_not_oauth_json_is_still_an_auth_failure(fake_x, x_account):
    fake_x.inject(X_TOKEN, method="POST", status=401, body="Unauthorized")
    with pytest.raises(AuthError):
        _refresh_x(fake_x, x_account)


def test_the_code_exchange_maps_429_and_5xx_the_same_way(fake_x, x_account):
    kwargs = dict(
        network="X",
        token_url=f"{fake_x.url}{X_TOKEN}",
        client_id=fake_x.config.client_id,
        client_secret=fake_x.config.client_secret,
        redirect_uri="http://127.0.0.1/cb",
        code="abc",
        code_verifier="v" * 50,
        basic_auth=True,
    )
    fake_x.inject_rate_limited(X_TOKEN, method="POST", reset_in=60)
    with pytest.raises(RateLimited):
        oauth.exchange_code(**kwargs)
    fake_x.inject(X_TOKEN, method="POST", status=502)
    with pytest.raises(TransientError):
        oauth.exchange_code(**kwargs)
