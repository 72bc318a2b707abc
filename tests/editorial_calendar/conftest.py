import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from posts.models import Post, PostTarget

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args) -> dt.datetime:
    """An aware datetime from a Paris wall-clock time."""
    return dt.datetime(*args, tzinfo=PARIS)


def bulk_posts(library, author, count: int, *, start: dt.datetime, line=None, state="draft"):
    """Many posts at once, spread over 28 days, each with two targets."""
    posts = Post.objects.bulk_create(
        [
            Post(
                library=library,
                author=author,
                title=f"Publication {i}",
                editorial_line=line,
                state=state,
                scheduled_at=start + dt.timedelta(minutes=(i * 397) % (28 * 24 * 60)),
            )
            for i in range(count)
        ]
    )
    PostTarget.objects.bulk_create(
        [PostTarget(post=p, network=net) for p in posts for net in ("mastodon", "bluesky")]
    )
    return posts


def events(client, start: str, end: str, **params):
    return client.get(
        reverse("editorial_calendar:events"),
        {"start": start, "end": end, "timeZone": "Europe/Paris", **params},
    )


@pytest.fixture
def use_library(client):
    """Make `library` the current library of the logged-in client (the header switcher)."""

    def _use(library) -> None:
        session = client.session
        session["annexe_library_id"] = library.pk
        session.save()

    return _use


def calendar_events(response) -> list[dict]:
    """The events the page gives FullCalendar, from the endpoint's JSON: posts expanded
    from their rows and lookup tables as static/js/calendar.js (expandPosts) does, then
    the background events."""
    data = response.json()
    posts = data["posts"]
    at = {name: index for index, name in enumerate(posts["columns"])}
    expanded = []
    for row in posts["rows"]:
        line = posts["noLine"] if row[at["line"]] is None else posts["lines"][str(row[at["line"]])]
        expanded.append(
            {
                "id": f"post-{row[at['id']]}",
                "title": row[at["title"]],
                "start": row[at["start"]],
                "color": line["color"],
                "textColor": line["textColor"],
                "classNames": [f"state-{row[at['state']]}"],
                "extendedProps": {
                    "kind": "post",
                    "postId": row[at["id"]],
                    "state": row[at["state"]],
                    "line": line["name"],
                    "networks": posts["targets"][row[at["targets"]]],
                    "author": posts["authors"][str(row[at["author"]])],
                    "library": posts["libraries"].get(str(row[at["library"]]), ""),
                    "refusal": posts["refusals"][row[at["refusal"]]],
                },
            }
        )
    return expanded + data["events"]
