"""iCal: notable dates in and out (broken lines skipped with reasons), private feeds."""

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar

from editorial_calendar.ical import parse_notable_dates
from editorial_calendar.models import CalendarFeed, NotableDate
from editorial_calendar.services import feed_create, feed_revoke, notable_dates_import
from libraries.models import Membership, Role
from tests.editorial_calendar.conftest import paris
from tests.factories import NotableDateFactory, PostFactory, PostTargetFactory, member

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

GOOD_AND_BROKEN = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ville//Agenda culturel//FR",
        "BEGIN:VEVENT",  # line 4
        "UID:fete-musique",
        "SUMMARY:Fête de la musique",
        "DTSTART;VALUE=DATE:20260621",
        "DTEND;VALUE=DATE:20260622",
        "RRULE:FREQ=YEARLY",
        "END:VEVENT",
        "BEGIN:VEVENT",  # line 11
        "UID:broken-date",
        "SUMMARY:Date cassée",
        "DTSTART;VALUE=DATE:2026-13-45",
        "END:VEVENT",
        "BEGIN:VEVENT",  # line 16
        "UID:partir-en-livre",
        "SUMMARY:Partir en livre",
        "DTSTART;VALUE=DATE:20260617",
        "DTEND;VALUE=DATE:20260720",
        "DESCRIPTION:La grande fête du livre",
        "  pour la jeunesse",
        "this line is garbage",
        "END:VEVENT",
        "BEGIN:VEVENT",  # line 25
        "UID:no-title",
        "DTSTART;VALUE=DATE:20260701",
        "END:VEVENT",
        "BEGIN:VEVENT",  # line 29
        "UID:weekly",
        "SUMMARY:Club lecture",
        "DTSTART:20260701T180000Z",
        "RRULE:FREQ=WEEKLY",
        "END:VEVENT",
        "BEGIN:VEVENT",  # line 35
        "UID:closure",
        "SUMMARY:Fermeture estivale",
        "CATEGORIES:Fermeture",
        "DTSTART;TZID=Europe/Paris:20260803T000000",
        "DTEND;TZID=Europe/Paris:20260816T000000",
        "END:VEVENT",
        "BEGIN:VEVENT",  # line 42: never closed
        "SUMMARY:Sans fin",
        "DTSTART;VALUE=DATE:20260901",
        "END:VCALENDAR",
    ]
).encode()


def test_a_file_with_broken_lines_gives_what_is_valid_and_says_why_the_rest_was_skipped():
    result = parse_notable_dates(GOOD_AND_BROKEN, PARIS)

    assert [(d.title, d.start, d.end, d.yearly, d.kind) for d in result.dates] == [
        ("Fête de la musique", dt.date(2026, 6, 21), dt.date(2026, 6, 21), True, "cultural"),
        ("Partir en livre", dt.date(2026, 6, 17), dt.date(2026, 7, 19), False, "cultural"),
        ("Fermeture estivale", dt.date(2026, 8, 3), dt.date(2026, 8, 15), False, "closure"),
    ]
    assert result.dates[1].description == "La grande fête du livre pour la jeunesse"
    skipped = {(s.line, s.title): s.reason for s in result.skipped}
    assert "DTSTART" in skipped[(14, "Date cassée")]
    assert "illisible" in skipped[(23, "Partir en livre")]
    assert "sans titre" in skipped[(25, "")]
    assert "annuelle" in skipped[(33, "Club lecture")]
    assert "non terminé" in skipped[(42, "")]
    assert len(result.skipped) == 5


def test_a_file_that_is_not_ical_is_refused_with_a_reason():
    result = parse_notable_dates(b"\x89PNG\r\n\x1a\n not a calendar", PARIS)

    assert result.dates == []
    assert "pas un calendrier" in result.skipped[0].reason


@pytest.mark.django_db
def test_importing_twice_updates_instead_of_duplicating(network):
    admin = member(network.a, Role.ADMINISTRATOR)

    first = notable_dates_import(library=network.a, by=admin, data=GOOD_AND_BROKEN)
    second = notable_dates_import(library=network.a, by=admin, data=GOOD_AND_BROKEN)

    assert first[:2] == (3, 0)
    assert second[:2] == (0, 3)
    assert NotableDate.objects.filter(library=network.a).count() == 3


@pytest.mark.django_db
def test_the_import_page_lists_what_was_skipped(client, network, use_library):
    admin = member(network.a, Role.ADMINISTRATOR)
    client.force_login(admin)

    response = client.post(
        reverse("editorial_calendar:notable_dates_import"),
        {"file": SimpleUploadedFile("agenda.ics", GOOD_AND_BROKEN, "text/calendar")},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "3 date(s) ajoutée(s)" in page
    assert "Ligne 33" in page and "Club lecture" in page


@pytest.mark.django_db
def test_export_then_import_gives_the_same_dates(client, network):
    admin = member(network.a, Role.ADMINISTRATOR)
    NotableDateFactory(
        library=network.a,
        title="Nuit de la lecture",
        start_date=dt.date(2026, 1, 22),
        end_date=dt.date(2026, 1, 25),
        yearly=True,
    )
    NotableDateFactory(
        library=network.a,
        title="Exposition Jules Verne",
        kind="exhibition",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 4, 30),
    )
    client.force_login(admin)

    exported = client.get(reverse("editorial_calendar:notable_dates_export"))
    result = parse_notable_dates(exported.content, PARIS)

    assert exported["Content-Type"].startswith("text/calendar")
    assert [(d.title, d.start, d.end, d.yearly, d.kind) for d in result.dates] == [
        ("Nuit de la lecture", dt.date(2026, 1, 22), dt.date(2026, 1, 25), True, "cultural"),
        ("Exposition Jules Verne", dt.date(2026, 3, 1), dt.date(2026, 4, 30), False, "exhibition"),
    ]
    assert result.skipped == []


# --- private feeds --------------------------------------------------------------------


@pytest.fixture
def now(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False)


@pytest.mark.django_db
def test_a_feed_gives_the_posts_the_person_sees_in_utc(client, network, now):
    agent = member(network.a)
    mine = PostFactory(
        library=network.a, title="Heure du conte", scheduled_at=paris(2026, 3, 29, 9)
    )
    PostTargetFactory(post=mine, network="mastodon")
    PostFactory(library=network.b, title="Ailleurs", scheduled_at=paris(2026, 3, 29, 9))
    NotableDateFactory(
        library=network.head,
        title="Printemps des poètes",
        start_date=dt.date(2026, 3, 13),
        end_date=dt.date(2026, 3, 29),
    )
    feed = feed_create(user=agent, library=network.a)

    response = client.get(reverse("editorial_calendar:feed", kwargs={"token": feed.token}))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"\r\n" in response.content  # RFC 5545 line endings (Outlook is strict)
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"✎ Heure du conte", "Printemps des poètes"}
    post = events["✎ Heure du conte"]
    assert post["DTSTART"].dt == dt.datetime(2026, 3, 29, 7, 0, tzinfo=dt.UTC)
    assert str(post["UID"]).startswith(f"post-{mine.pk}@")
    assert "Mastodon" in str(post["DESCRIPTION"])
    date = events["Printemps des poètes"]
    assert (date["DTSTART"].dt, date["DTEND"].dt) == (dt.date(2026, 3, 13), dt.date(2026, 3, 30))


@pytest.mark.django_db
def test_a_revoked_feed_is_a_404(client, network):
    agent = member(network.a)
    feed = feed_create(user=agent, library=network.a)
    url = reverse("editorial_calendar:feed", kwargs={"token": feed.token})

    feed_revoke(user=agent, library=network.a)

    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_new_feed_url_replaces_the_old_one(client, network):
    agent = member(network.a)
    old = feed_create(user=agent, library=network.a)
    new = feed_create(user=agent, library=network.a)

    assert (
        client.get(reverse("editorial_calendar:feed", kwargs={"token": old.token})).status_code
        == 404
    )
    assert (
        client.get(reverse("editorial_calendar:feed", kwargs={"token": new.token})).status_code
        == 200
    )
    assert CalendarFeed.objects.filter(user=agent, revoked_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_feed_stops_when_its_owner_leaves_the_library(client, network):
    agent = member(network.a)
    feed = feed_create(user=agent, library=network.a)
    Membership.objects.filter(user=agent).delete()

    assert (
        client.get(reverse("editorial_calendar:feed", kwargs={"token": feed.token})).status_code
        == 404
    )


@pytest.mark.django_db
def test_unknown_tokens_are_404(client, db):
    assert (
        client.get(reverse("editorial_calendar:feed", kwargs={"token": "nope"})).status_code == 404
    )


@pytest.mark.django_db
def test_feed_buttons_create_and_revoke(client, network):
    agent = member(network.a)
    client.force_login(agent)

    client.post(reverse("editorial_calendar:feed_create"))
    feed = CalendarFeed.objects.get(user=agent)
    page = client.get(reverse("editorial_calendar:month")).content.decode()
    client.post(reverse("editorial_calendar:feed_revoke"))

    assert feed.token in page
    feed.refresh_from_db()
    assert feed.revoked_at is not None
