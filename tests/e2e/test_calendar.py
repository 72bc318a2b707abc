"""Browser tests of the editorial calendar (FullCalendar from npm, moves checked by the server)."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from editorial_calendar.models import CalendarFeed
from libraries.models import Role
from posts.models import Post
from publishing.models import Publication
from tests.factories import (
    PASSWORD,
    EditorialLineFactory,
    PostFactory,
    PostTargetFactory,
    SocialAccountFactory,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def next_month_day(day: int) -> dt.date:
    today = timezone.now().astimezone(PARIS).date()
    return (today.replace(day=28) + dt.timedelta(days=4)).replace(day=day)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def open_calendar(page, day: dt.date, view: str = "month") -> None:
    page.goto(f"/calendar/?view={view}&date={day.isoformat()}")
    expect(page.locator("[data-calendar][data-loaded=true]")).to_be_attached()


def drag(page, source, target) -> None:
    """FullCalendar listens to pointer moves: drag in small steps, like a hand."""
    source.scroll_into_view_if_needed()
    start = source.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + 10, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 20, start["y"] + start["height"] / 2 + 5, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=15)
    page.mouse.up()


def test_month_then_week_then_list(page, login, network):
    agent = member(network.a, display_name="Camille")
    line = EditorialLineFactory(library=network.head, name="Coups de cœur", colour="#1d4e89")
    day = next_month_day(10)
    post = PostFactory(
        library=network.a,
        author=agent,
        title="BD de la semaine",
        editorial_line=line,
        scheduled_at=at(day, 9, 30),
    )
    PostTargetFactory(post=post, network="mastodon")

    login(agent)
    open_calendar(page, day)
    month_cell = page.locator(f'td.fc-daygrid-day[data-date="{day.isoformat()}"]')
    expect(month_cell.get_by_text("BD de la semaine")).to_be_visible()
    expect(month_cell.get_by_text("09:30")).to_be_visible()
    expect(month_cell.get_by_text("Ma", exact=True)).to_be_visible()
    # The line's colour, its name and the author come from the response's lookup tables.
    event = month_cell.locator(".fc-event", has_text="BD de la semaine")
    expect(event).to_have_css("background-color", "rgb(29, 78, 137)")
    expect(event).to_have_attribute(
        "aria-label",
        "09:30 — BD de la semaine — Brouillon — Mastodon — ligne Coups de cœur — par Camille",
    )

    page.get_by_role("button", name="Semaine").click()
    expect(page.locator(".fc-timeGridWeek-view")).to_be_visible()
    expect(page.locator(".fc-timegrid-event", has_text="BD de la semaine")).to_be_visible()
    assert "view=week" in page.url

    page.get_by_role("button", name="Liste").click()
    expect(page.locator(".fc-listMonth-view")).to_be_visible()
    row = page.locator(".fc-list-event", has_text="BD de la semaine")
    expect(row).to_contain_text("Brouillon")
    expect(
        row.get_by_role("button", name="Déplacer « BD de la semaine » à une autre date")
    ).to_be_visible()
    # The event links to the post page.
    expect(page.get_by_role("link", name=re.compile("BD de la semaine"))).to_have_attribute(
        "href", f"/posts/{post.pk}/"
    )


def test_drag_a_draft_to_another_day_and_find_it_there_after_reloading(page, login, network):
    agent = member(network.a)
    day, target = next_month_day(10), next_month_day(12)
    post = PostFactory(
        library=network.a, author=agent, title="Heure du conte", scheduled_at=at(day, 10)
    )

    login(agent)
    open_calendar(page, day)
    event = page.locator(f'td[data-date="{day.isoformat()}"] .fc-event', has_text="Heure du conte")
    drag(
        page,
        event,
        page.locator(f'td.fc-daygrid-day[data-date="{target.isoformat()}"] .fc-daygrid-day-frame'),
    )

    expect(page.locator("#calendar-status")).to_contain_text("est prévue le")
    page.reload()
    expect(page.locator("[data-calendar][data-loaded=true]")).to_be_attached()
    expect(
        page.locator(f'td[data-date="{target.isoformat()}"]').get_by_text("Heure du conte")
    ).to_be_visible()
    expect(
        page.locator(f'td[data-date="{day.isoformat()}"]').get_by_text("Heure du conte")
    ).to_have_count(0)
    post.refresh_from_db()
    assert post.scheduled_at == at(target, 10)  # same wall-clock time, new day


def test_dragging_a_published_post_is_refused_and_snaps_back(page, login, network):
    validator = member(network.a, Role.VALIDATOR)
    today = timezone.now().astimezone(PARIS).date()
    day = today.replace(day=1) + dt.timedelta(days=9) if today.day > 12 else today.replace(day=1)
    target = day + dt.timedelta(days=1)
    post = PostFactory(
        library=network.a, title="Déjà parue", state="published", scheduled_at=at(day, 9)
    )

    login(validator)
    open_calendar(page, day)
    event = page.locator(f'td[data-date="{day.isoformat()}"] .fc-event', has_text="Déjà parue")
    drag(
        page,
        event,
        page.locator(f'td.fc-daygrid-day[data-date="{target.isoformat()}"] .fc-daygrid-day-frame'),
    )

    status = page.get_by_role("alert").filter(has_text="Déplacement refusé")
    expect(status).to_contain_text("déjà publiée")
    expect(
        page.locator(f'td[data-date="{day.isoformat()}"]').get_by_text("Déjà parue")
    ).to_be_visible()
    post.refresh_from_db()
    assert post.scheduled_at == at(day, 9)


def test_each_network_badge_shows_how_the_post_went_on_its_account(page, login, network):
    validator = member(network.a, Role.VALIDATOR)
    day = next_month_day(8)
    post = PostFactory(
        library=network.a, title="Rentrée littéraire", state="failed", scheduled_at=at(day, 9)
    )
    for network_key, name, state in (
        ("mastodon", "Masto A", "published"),
        ("bluesky", "Bsky A", "failed"),
    ):
        account = SocialAccountFactory(library=network.a, network=network_key, display_name=name)
        PostTargetFactory(post=post, network=network_key, account=account)
        Publication.objects.create(
            post=post, account=account, network=network_key, state=state, scheduled_at=at(day, 9)
        )

    login(validator)
    open_calendar(page, day)
    event = page.locator(f'td[data-date="{day.isoformat()}"] .fc-event', has_text="Rentrée")
    # Seen: each badge with its publication's symbol; heard: each account with its state.
    expect(event.get_by_text("Ma ●", exact=True)).to_be_visible()
    expect(event.get_by_text("Bs ✕", exact=True)).to_be_visible()
    expect(event).to_have_attribute("aria-label", re.compile("Bsky A : Échec, Masto A : Publiée"))
    expect(page.locator(".calendar-legend")).to_contain_text("Sur chaque compte")


def test_move_to_from_the_keyboard_in_the_list_view(page, login, network):
    agent = member(network.a)
    day = next_month_day(10)
    post = PostFactory(
        library=network.a, author=agent, title="Club lecture", scheduled_at=at(day, 18)
    )

    login(agent)
    open_calendar(page, day, view="list")
    page.get_by_role("button", name="Déplacer « Club lecture » à une autre date").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=re.compile("Déplacer"))
    dialog.get_by_label(re.compile("Nouvelle date et heure")).fill(
        f"{next_month_day(20).isoformat()}T11:30"
    )
    dialog.get_by_role("button", name="Déplacer").click()

    expect(page.locator("#calendar-status")).to_contain_text("est prévue le")
    post.refresh_from_db()
    assert post.scheduled_at == at(next_month_day(20), 11, 30)


def test_clicking_an_empty_day_starts_a_new_post_at_that_time(page, login, network):
    agent = member(network.a)
    day = next_month_day(15)

    login(agent)
    open_calendar(page, day)
    page.locator(f'td.fc-daygrid-day[data-date="{day.isoformat()}"] .fc-daygrid-day-frame').click(
        position={"x": 30, "y": 60}
    )

    page.wait_for_url(re.compile(r"/posts/new/\?"))
    assert f"scheduled_at={day.isoformat()}T10%3A00" in page.url


def test_a_travelling_user_sees_the_librarys_time_labelled(browser, live_server, network):
    agent = member(network.a)
    day = next_month_day(10)
    PostFactory(library=network.a, author=agent, title="Vernissage", scheduled_at=at(day, 18))
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, timezone_id="America/New_York"
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(agent.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    open_calendar(page, day)

    expect(page.get_by_text("America/New_York")).to_be_visible()
    expect(page.locator(f'td[data-date="{day.isoformat()}"]').get_by_text("18:00")).to_be_visible()
    context.close()


def test_subscribe_url_copy(page, login, network):
    agent = member(network.a)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    login(agent)
    page.goto("/calendar/")
    page.get_by_role("button", name="Créer mon adresse d'abonnement").click()
    field = page.get_by_label("Adresse d'abonnement (iCal)")
    expect(field).to_have_value(re.compile(r"^http://.+/calendar/feed/.+\.ics$"))
    page.get_by_role("button", name="Copier l'adresse").click()

    expect(page.get_by_text("Adresse copiée.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == field.input_value()
    token = CalendarFeed.objects.get(user=agent).token
    assert copied.endswith(f"/calendar/feed/{token}.ics")
    # The copied URL works, for calendar applications, without a session.
    response = page.request.get(copied)
    assert response.status == 200 and response.headers["content-type"].startswith("text/calendar")
    assert Post.objects.count() == 0
