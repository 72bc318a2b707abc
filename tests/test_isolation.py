"""No user reaches another library's objects, on any URL.

Every URL pattern that takes an argument must be listed in ISOLATION_CASES
(a builder that creates an object of branch B and returns the URL kwargs) or in
EXEMPT with the reason. A new view that forgets the permission layer fails here.
Apps add their cases to this file when they add URLs.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from libraries.models import Role
from tests.factories import (
    CharterVersionFactory,
    EditorialLineFactory,
    MediaFactory,
    MembershipFactory,
    NotableDateFactory,
    PostFactory,
    PostingSlotFactory,
    SocialAccountFactory,
    member,
)


def _post_of_b(net) -> dict:
    return {"pk": PostFactory(library=net.b, author=member(net.b)).pk}


def _absence_of_b(net) -> dict:
    import datetime as dt

    from django.utils import timezone

    from validation.models import Absence

    now = timezone.now()
    absence = Absence.objects.create(
        library=net.b,
        user=member(net.b, Role.VALIDATOR, "Direction"),
        substitute=member(net.b, Role.VALIDATOR),
        starts_at=now,
        ends_at=now + dt.timedelta(days=2),
    )
    return {"pk": absence.pk}


def _event_of_b(net) -> dict:
    from django.utils import timezone

    from metrics.events import new_survey_token
    from metrics.models import Event

    event = Event.objects.create(
        library=net.b,
        title="Nuit de la lecture",
        starts_at=timezone.now(),
        survey_token=new_survey_token(),
    )
    return {"pk": event.pk}


def _publication_of_b(net) -> dict:
    from django.utils import timezone

    from publishing.models import Publication
    from tests.factories import SocialAccountFactory

    post = PostFactory(library=net.b, author=member(net.b))
    account = SocialAccountFactory(library=net.b)
    publication = Publication.objects.create(
        post=post, account=account, network="sandbox", scheduled_at=timezone.now(), state="failed"
    )
    return {"pk": publication.pk}


def _account_of_b(net, network: str = "sandbox") -> dict:
    return {"pk": SocialAccountFactory(library=net.b, network=network).pk}


def _relay_rule_of_b(net) -> dict:
    from publishing.models import RelayRule

    rule = RelayRule.objects.create(
        library=net.b, source_account=SocialAccountFactory(library=net.b), action="email"
    )
    return {"pk": rule.pk}


def _relay_partner_of_b(net) -> dict:
    from publishing.models import RelayPartner

    return {"pk": RelayPartner.objects.create(library=net.b, name="P", email="p@x.example").pk}


def _relay_of_b(net) -> dict:
    from django.utils import timezone

    from publishing.models import Publication

    post = PostFactory(library=net.b, author=member(net.b))
    account = SocialAccountFactory(library=net.b)
    source = Publication.objects.create(
        post=post,
        account=account,
        network="sandbox",
        scheduled_at=timezone.now(),
        state="published",
    )
    relay = Publication.objects.create(
        post=post, network="email", kind="email", source=source, scheduled_at=timezone.now()
    )
    return {"pk": relay.pk}


def _colleague_of_b(net) -> dict:
    from metrics.models import Colleague

    return {"pk": Colleague.objects.create(library=net.b, identifier="x@y.example").pk}


# url name -> (methods to try, builder(network) -> kwargs)
ISOLATION_CASES = {
    "validation:review": (("get",), _post_of_b),
    "validation:decide": (("post",), _post_of_b),
    "validation:submit": (("post",), _post_of_b),
    "validation:withdraw": (("post",), _post_of_b),
    "validation:reopen": (("post",), _post_of_b),
    "validation:force": (("post",), _post_of_b),
    "validation:comment": (("post",), _post_of_b),
    "validation:absence_cancel": (("post",), _absence_of_b),
    "validation:chain_edit_default": (("get", "post"), lambda net: {"library": net.b.slug}),
    "validation:chain_edit_line": (
        ("get", "post"),
        lambda net: {
            "library": net.b.slug,
            "line": EditorialLineFactory(library=net.b).pk,
        },
    ),
    "libraries:member_change": (("post",), lambda net: {"pk": MembershipFactory(library=net.b).pk}),
    "posts:detail": (("get",), lambda net: {"pk": PostFactory(library=net.b).pk}),
    "posts:edit": (("get", "post"), lambda net: {"pk": PostFactory(library=net.b).pk}),
    "posts:media_edit": (("get", "post"), lambda net: {"pk": MediaFactory(library=net.b).pk}),
    "posts:media_alt": (("post",), lambda net: {"pk": MediaFactory(library=net.b).pk}),
    "posts:media_delete": (("post",), lambda net: {"pk": MediaFactory(library=net.b).pk}),
    "posts:editorial_line_edit": (
        ("post",),
        lambda net: {"pk": EditorialLineFactory(library=net.b).pk},
    ),
    "posts:charter_version": (
        ("get",),
        lambda net: {"pk": CharterVersionFactory(library=net.b).pk},
    ),
    "editorial_calendar:post_move": (("post",), lambda net: {"pk": PostFactory(library=net.b).pk}),
    "editorial_calendar:post_queue": (("post",), lambda net: {"pk": PostFactory(library=net.b).pk}),
    "editorial_calendar:slot_delete": (
        ("post",),
        lambda net: {"pk": PostingSlotFactory(library=net.b).pk},
    ),
    "editorial_calendar:notable_date_edit": (
        ("get", "post"),
        lambda net: {"pk": NotableDateFactory(library=net.b).pk},
    ),
    "editorial_calendar:notable_date_delete": (
        ("post",),
        lambda net: {"pk": NotableDateFactory(library=net.b).pk},
    ),
    "publishing:publish_now": (("post",), _post_of_b),
    "publishing:delete": (("get",), _post_of_b),
    "publishing:retry": (("post",), _publication_of_b),
    "publishing:pause": (("get",), lambda net: {"slug": net.b.slug}),
    "publishing:resume": (("get",), lambda net: {"slug": net.b.slug}),
    "publishing:account": (("get",), _account_of_b),
    "publishing:account_test": (("post",), _account_of_b),
    "publishing:account_settings": (("post",), _account_of_b),
    "publishing:account_disconnect": (("post",), _account_of_b),
    "publishing:account_feed_token_reset": (
        ("post",),
        lambda net: _account_of_b(net, "website"),
    ),
    "publishing:sandbox": (("get",), lambda net: {"library": net.b.slug}),
    "publishing:relay_rule_delete": (("post",), _relay_rule_of_b),
    "publishing:relay_partner_delete": (("post",), _relay_partner_of_b),
    "publishing:relay_cancel": (("post",), _relay_of_b),
    "metrics:colleague_delete": (("post",), _colleague_of_b),
    "metrics:event_detail": (("get", "post"), _event_of_b),
    "metrics:event_edit": (("get", "post"), _event_of_b),
    "metrics:event_survey_toggle": (("post",), _event_of_b),
    "metrics:event_qr": (("get",), _event_of_b),
    "metrics:event_poster": (("get",), _event_of_b),
}

# url name (or namespace prefix ending with ":") -> why it needs no library check
EXEMPT = {
    "admin:": "Django admin: staff only, object permissions by Django",
    "password_reset_confirm": "protected by a one-time token, not by library",
    # A notification belongs to its recipient, not to a library: anyone else gets 404,
    # administrators included (tests/notifications/test_inbox.py).
    "notifications:open": "owned by its recipient; tests/notifications/test_inbox.py",
    "notifications:mark_read": "owned by its recipient; tests/notifications/test_inbox.py",
    # The network key is no library object: the library is the user's current one
    # (administrator checked) or the reconnected account's (object_get_for_user), and
    # an OAuth attempt is bound to its person and library in the session
    # (tests/publishing/test_connect.py).
    "publishing:connect": "library from the session or the account; test_connect.py",
    "publishing:connect_continue": "attempt bound to the person in the session",
    "publishing:connect_callback": "attempt bound to the person in the session",
    "publishing:connect_choose": "attempt bound to the person in the session",
    # Website feeds are public by design, addressed by an unguessable token that an
    # administrator can change (tests/publishing/test_feeds.py).
    "publishing:feed_rss": "public feed by unguessable token",
    "publishing:feed_atom": "public feed by unguessable token",
    "publishing:feed_json": "public feed by unguessable token",
    "publishing:feed_widget": "public widget by unguessable token",
    "publishing:feed_item": "public page of a published item, by its unguessable key",
    # The survey is public and anonymous by design, addressed by an unguessable token
    # (tests/metrics/test_events.py).
    "metrics:survey": "public anonymous survey by unguessable token",
    # Signed, expiring, only around its publication's sending (test_public_media.py).
    "publishing:public_media": "signed expiring token for the network's download",
    "editorial_calendar:feed": "private iCal feed: a secret, revocable token per person and "
    "library; the owner's access is re-checked on each request (tests/editorial_calendar/"
    "test_ical.py)",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _walk(entry.url_patterns, prefix + namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry.pattern.converters


def _exempt(name: str) -> bool:
    return any(name == key or (key.endswith(":") and name.startswith(key)) for key in EXEMPT)


def test_every_url_with_arguments_has_an_isolation_case():
    unlisted = sorted(
        name
        for name, converters in _walk(get_resolver().url_patterns)
        if converters and name not in ISOLATION_CASES and not _exempt(name)
    )
    assert not unlisted, f"add these URLs to tests/test_isolation.py: {unlisted}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ISOLATION_CASES))
def test_branch_a_cannot_reach_branch_b(client, network, url_name):
    methods, build = ISOLATION_CASES[url_name]
    url = reverse(url_name, kwargs=build(network))
    client.force_login(member(network.a, Role.ADMINISTRATOR))

    for method in methods:
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404), (
            f"{method.upper()} {url} gave {response.status_code}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ISOLATION_CASES))
def test_network_administrator_reaches_branch_b(client, network, url_name):
    methods, build = ISOLATION_CASES[url_name]
    url = reverse(url_name, kwargs=build(network))
    client.force_login(member(network.head, Role.ADMINISTRATOR))

    for method in methods:
        response = getattr(client, method)(url)
        assert response.status_code not in (403, 404), (
            f"{method.upper()} {url} gave {response.status_code}"
        )


@pytest.mark.django_db
def test_cannot_switch_to_a_library_one_does_not_belong_to(client, network):
    client.force_login(member(network.a))

    response = client.post(reverse("libraries:switch"), {"library": network.b.pk})

    assert response.status_code == 404
    assert client.get(reverse("libraries:library_settings")).context["library"] == network.a
