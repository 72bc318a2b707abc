"""The dashboard in a browser, from the demo data (`seed_demo`): Chart.js draws every
chart from static files under the page's CSP (no inline script, no console error), each
chart's table is there for screen readers, the period can be changed, the CSV downloads,
and a post page shows its own curve."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from libraries.demo import DEMO_PASSWORD
from metrics.demo import MARK
from posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ["chart-timeline", "chart-networks", "chart-lines", "chart-clicks", "chart-channels"]


@pytest.fixture(autouse=True)
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("seed_demo", stdout=io.StringIO())


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def test_dashboard_charts_tables_and_csv(page):
    problems: list[str] = []
    # CSP refusals and script errors show in the console; missing files as responses.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "response",
        lambda r: (
            problems.append(r.url)
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    sign_in(page, "admin")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Statistiques"
    ).click()
    page.get_by_label("Période", exact=True).select_option(label="3 derniers mois")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"days=90"))

    for chart in CHARTS:
        expect(page.locator(f'canvas[data-chart="{chart}"][data-rendered="true"]')).to_be_attached()
    figures = page.locator("dl.figures")
    expect(figures).to_contain_text("Engagement du public")
    expect(figures).to_contain_text("Engagement des collègues")
    # Each chart's figures as a table (behind "Tableau des données"), with a caption.
    summaries = page.locator("details.chart-table:not([open]) > summary")
    for _index in range(summaries.count()):
        summaries.nth(0).click()
    for caption in [
        "Engagement du public par jour de publication",
        "Engagement par réseau",
        "Engagement par compte",
        "Engagement par ligne éditoriale",
        "Clics par réseau",
        "Réponses au questionnaire par canal",
    ]:
        expect(page.get_by_role("table", name=caption)).to_be_attached()
    accounts = page.get_by_role("table", name="Engagement par compte")
    expect(accounts.get_by_role("rowheader", name="Bac à sable Jules-Verne")).to_be_visible()
    heatmap = page.locator("table.heatmap")
    expect(heatmap.locator("td[class^=heat-]:not(.heat-0)").first).to_be_visible()
    expect(
        page.get_by_role("table", name=re.compile("Événements de la période")).get_by_role(
            "link", name="Atelier numérique : retoucher ses photos"
        )
    ).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter tout (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Meilleures publications"] in rows
    assert ["Comment le public a connu les événements"] in rows
    assert any(row and row[0] == "Bac à sable Jules-Verne" for row in rows)

    assert problems == []


def test_a_post_page_shows_its_own_curve(page):
    post = (
        Post.objects.filter(notes__startswith=MARK, library__slug="mediatheque-jules-verne")
        .order_by("scheduled_at")
        .first()
    )
    sign_in(page, "admin")
    page.goto(f"/posts/{post.pk}/")

    expect(page.get_by_role("heading", name="Statistiques")).to_be_visible()
    expect(page.locator('canvas[data-chart="chart-post"][data-rendered="true"]')).to_be_attached()
    page.get_by_text("Tableau des données").click()
    expect(page.get_by_role("table", name="Relevés de cette publication")).to_be_visible()
