"""The shared machinery: journal, injections, latency, control API, process mode."""

from __future__ import annotations

import time

import pytest
import requests

from tests.fakes.client import FakeControl, FakeProcess
from tests.fakes.journal import fingerprint
from tests.fakes.mastodon import FakeMastodon


def test_binds_loopback_only():
    with pytest.raises(ValueError, match="loopback"):
        FakeMastodon(host="0.0.0.0")


def test_journal_redacts_authorization_and_secrets(fake_mastodon):
    token = fake_mastodon.issue_token()
    # when
    requests.get(
        f"{fake_mastodon.url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    requests.post(
        f"{fake_mastodon.url}/oauth/revoke",
        data={"client_id": "x", "client_secret": "s3cret", "token": token},
        timeout=5,
    )
    # then
    entries = fake_mastodon.requests()
    assert entries[0].header("authorization") == f"Bearer {fingerprint(token)}"
    assert token not in repr(entries[0].to_dict())
    assert entries[1].form["client_secret"] == [fingerprint("s3cret")]
    assert entries[1].form["token"] == [fingerprint(token)]
    assert entries[0].status == 200 and entries[0].outcome == "answered"
    assert entries[0].route == "/api/v1/accounts/verify_credentials"


def test_respond_injection_applies_n_times_then_stops(fake_mastodon):
    fake_mastodon.inject("/api/v2/instance", status=503, times=2)
    statuses = [
        requests.get(f"{fake_mastodon.url}/api/v2/instance", timeout=5).status_code
        for _ in range(3)
    ]
    assert statuses == [503, 503, 200]
    assert [e.outcome for e in fake_mastodon.requests()] == ["injected", "injected", "answered"]
    assert requests.get(f"{fake_mastodon.url}/api/v2/instance", timeout=5).status_code == 200


def test_injection_matches_method_and_regex(fake_mastodon):
    fake_mastodon.inject(r"/api/v1/statuses/\d+", method="GET", status=500, regex=True, times=None)
    assert requests.get(f"{fake_mastodon.url}/api/v1/statuses/123", timeout=5).status_code == 500
    assert requests.get(f"{fake_mastodon.url}/api/v1/statuses/456", timeout=5).status_code == 500
    assert requests.delete(f"{fake_mastodon.url}/api/v1/statuses/123", timeout=5).status_code == 401


def test_drop_closes_connection_without_answer(fake_mastodon):
    fake_mastodon.inject("/api/v2/instance", mode="drop")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{fake_mastodon.url}/api/v2/instance", timeout=5)
    assert fake_mastodon.requests()[0].outcome == "dropped"


def test_timeout_holds_longer_than_the_client_waits(fake_mastodon):
    fake_mastodon.inject("/api/v2/instance", mode="timeout", seconds=2)
    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        requests.get(f"{fake_mastodon.url}/api/v2/instance", timeout=0.3)
    assert time.monotonic() - started < 1.5


def test_delay_injection_and_latency(fake_mastodon):
    fake_mastodon.inject("/api/v2/instance", mode="delay", seconds=0.3)
    started = time.monotonic()
    assert requests.get(f"{fake_mastodon.url}/api/v2/instance", timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.3
    fake_mastodon.set_latency(0.2, path=r"/api/v1/instance")
    started = time.monotonic()
    requests.get(f"{fake_mastodon.url}/api/v1/instance", timeout=5)
    assert time.monotonic() - started >= 0.2
    started = time.monotonic()
    requests.get(f"{fake_mastodon.url}/api/v2/instance", timeout=5)
    assert time.monotonic() - started < 0.2


def test_global_latency_overlaps_between_concurrent_requests(fake_mastodon_factory):
    from concurrent.futures import ThreadPoolExecutor

    fake = fake_mastodon_factory(latency=0.3)
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        codes = list(
            pool.map(
                lambda _: requests.get(f"{fake.url}/api/v2/instance", timeout=5).status_code,
                range(8),
            )
        )
    elapsed = time.monotonic() - started
    assert codes == [200] * 8
    assert 0.3 <= elapsed < 1.2  # concurrent, not 8 × 0.3 s


def test_control_api_drives_a_fake(fake_mastodon):
    control = FakeControl(fake_mastodon.url)
    token = control.call("issue_token")
    control.inject("/api/v1/statuses", method="POST", status=502)
    response = requests.post(
        f"{fake_mastodon.url}/api/v1/statuses",
        headers={"Authorization": f"Bearer {token}"},
        data={"status": "Bonjour"},
        timeout=5,
    )
    assert response.status_code == 502
    assert control.journal(path="/api/v1/statuses")[0]["outcome"] == "injected"
    control.reset()
    assert control.journal() == []
    assert control.state()["posts"] == []


def test_separate_process_mode():
    with FakeProcess("tests.fakes.mastodon", "--max-characters", "42") as fake:
        instance = requests.get(f"{fake.url}/api/v2/instance", timeout=5).json()
        assert instance["configuration"]["statuses"]["max_characters"] == 42
        token = fake.call("issue_token")
        posted = requests.post(
            f"{fake.url}/api/v1/statuses",
            headers={"Authorization": f"Bearer {token}"},
            data={"status": "Depuis un autre processus"},
            timeout=5,
        )
        assert posted.status_code == 200
        assert [p["text"] for p in fake.state()["posts"]] == ["Depuis un autre processus"]
        assert len(fake.journal(path="/api/v1/statuses", method="POST")) == 1
