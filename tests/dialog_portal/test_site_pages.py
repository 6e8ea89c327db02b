"""What a Danish public site must have: the accessibility statement (or the way to the municipality's own in the WAS
tool), the privacy notice, both linked from every page's footer, and the municipality's name, logo and colour."""

import datetime as dt
import logging
import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from dialog_portal import site_pages
from dialog_portal.views import server_error

pytestmark = pytest.mark.django_db

WAS = "https://www.was.digst.dk/dialog-dalby-dk"
STATEMENT = reverse("accessibility-statement")
PRIVACY = reverse("privacy-notice")


def footer_links(html: str) -> dict[str, str]:
    """The footer's links by their test id: {"footer-accessibility": href, "footer-privacy": href}."""
    (footer,) = re.findall(r"<footer.*?</footer>", html, re.DOTALL)
    links = re.findall(r'<a href="([^"]*)" data-testid="(footer-[a-z]+)"', footer)
    return {testid: href for href, testid in links}


# --- The footer on every page ---------------------------------------------------------------------------------


def test_every_kind_of_page_links_to_the_statement_and_the_privacy_notice_in_its_footer(client, client_for, cast):
    pages = {
        "public front page": client.get("/").content.decode(),
        "a signed-in page": client_for(cast.member).get(reverse("meetings:committee-list")).content.decode(),
        "not found": client_for(cast.member).get("/findes-ikke/").content.decode(),
        "the statement itself": client.get(STATEMENT).content.decode(),
        "server error": server_error(RequestFactory().get("/")).content.decode(),
        "the administration": client_for(cast.administrator).get(reverse("admin:index")).content.decode(),
    }
    for name, html in pages.items():
        assert footer_links(html) == {"footer-accessibility": STATEMENT, "footer-privacy": PRIVACY}, name
    assert 'id="language-select"' in pages["a signed-in page"]  # the language switcher stays beside them


def test_with_a_was_address_the_footer_leads_straight_to_the_municipalitys_statement(client, settings):
    settings.DIALOG_WAS_URL = WAS
    assert footer_links(client.get("/").content.decode())["footer-accessibility"] == WAS


# --- /was and the statement -----------------------------------------------------------------------------------


def test_was_redirects_to_the_statement_in_the_was_tool_when_the_municipality_has_one(client, settings):
    settings.DIALOG_WAS_URL = WAS
    for path in ("/was", STATEMENT):  # one statement: the portal's own gives way to the published one
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, WAS)


def test_was_leads_to_the_built_in_statement_without_an_address(client):
    response = client.get("/was")
    assert (response.status_code, response["Location"]) == (302, STATEMENT)


def test_the_built_in_statement_names_conformance_exceptions_contact_and_the_last_review(client, settings):
    settings.DIALOG_ACCESSIBILITY_EMAIL = "webtilgaengelighed@dalby.example"
    settings.DIALOG_ACCESSIBILITY_PHONE = "+45 12345678"
    settings.DIALOG_ACCESSIBILITY_REVIEWED = dt.date(2026, 5, 1)
    html = client.get(STATEMENT, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "<h1>Tilgængelighedserklæring</h1>" in html
    assert "overholder delvist" in html and "WCAG 2.1" in html
    exceptions = re.search(r'data-testid="known-exceptions">(.*?)</ul>', html, re.DOTALL)[1]
    assert exceptions.count("<li>") == len(site_pages.KNOWN_EXCEPTIONS) and "administration" in exceptions.lower()
    assert 'href="mailto:webtilgaengelighed@dalby.example"' in html
    assert '<a href="tel:+4512345678">12 34 56 78</a>' in html
    assert "senest gennemgået den 1. maj 2026" in html


def test_a_portal_that_fully_conforms_lists_no_exceptions_and_an_unset_review_says_so(client, settings):
    settings.DIALOG_ACCESSIBILITY_CONFORMANCE = "full"
    settings.DIALOG_ACCESSIBILITY_REVIEWED = None
    html = client.get(STATEMENT, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "overholder fuldt ud" in html
    assert "known-exceptions" not in html
    assert "ikke oplyst" in html


@pytest.mark.parametrize(
    ("given", "shown", "href"),
    [
        ("12345678", "12 34 56 78", "tel:+4512345678"),
        ("+45 12 34 56 78", "12 34 56 78", "tel:+4512345678"),
        ("+46 8 123 456 78", "+46 8 123 456 78", "tel:+46812345678"),
    ],
)
def test_a_phone_number_is_written_as_danes_write_it_and_dialled_with_the_country_code(given, shown, href):
    assert site_pages.phone_contact(given) == {"shown": shown, "href": href}


# --- The privacy notice ---------------------------------------------------------------------------------------


def test_the_built_in_privacy_notice_says_what_why_how_long_the_rights_and_the_dpo(client, settings):
    settings.DIALOG_DPO_NAME = "Databeskyttelsesrådgiver Dorthe Dam"
    settings.DIALOG_DPO_EMAIL = "dpo@dalby.example"
    settings.DIALOG_DPO_PHONE = "87654321"
    html = client.get(PRIVACY, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    headings = ("Hvad vi behandler", "Hvorfor", "Hvor længe vi gemmer", "Dine rettigheder", "Databeskyttelsesrådgiver")
    for heading in headings:
        assert f"<h2>{heading}" in html, heading
    assert "Dalby Kommune er dataansvarlig" in html
    assert "Databeskyttelsesrådgiver Dorthe Dam" in html and 'href="mailto:dpo@dalby.example"' in html
    assert '<a href="tel:+4587654321">87 65 43 21</a>' in html


def test_the_municipalitys_markdown_file_replaces_the_text_safely_and_an_edit_shows_at_once(client, settings, tmp_path):
    notice = tmp_path / "privatliv.md"
    notice.write_text(
        "# Formål\n\nVi bruger dine oplysninger til *møder*.\n\n<script>alert(1)</script>"
        "[klik](javascript:alert(1)) <img src=x onerror=alert(1)>\n",
        encoding="utf-8",
    )
    settings.DIALOG_PRIVACY_NOTICE_FILE = str(notice)
    settings.DIALOG_DPO_EMAIL = "dpo@dalby.example"
    html = client.get(PRIVACY).content.decode()
    custom = re.search(r'data-testid="privacy-custom"[^>]*>(.*?)</div>', html, re.DOTALL)[1]
    assert "<h2>Formål</h2>" in custom  # the file's "#" is a section under the page's own h1
    assert "<em>møder</em>" in custom
    assert "<script" not in html.split("</footer>")[0].split("<main")[1] and "javascript:" not in custom
    assert "onerror" not in custom and "<img" not in custom
    assert "privacy-default" not in html
    assert 'href="mailto:dpo@dalby.example"' in html  # the officer's contact from the settings, either way
    notice.write_text("# Nyt afsnit\n", encoding="utf-8")
    assert "<h2>Nyt afsnit</h2>" in client.get(PRIVACY).content.decode()


def test_the_municipalitys_danish_text_is_marked_danish_in_the_english_interface(client, settings, tmp_path):
    notice = tmp_path / "privatliv.md"
    notice.write_text("Vi passer på dine oplysninger.\n", encoding="utf-8")
    settings.DIALOG_PRIVACY_NOTICE_FILE = str(notice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(PRIVACY).content.decode()
    assert 'data-testid="privacy-custom" lang="da"' in html


def test_a_notice_file_gone_since_startup_shows_the_built_in_text_and_is_logged(client, settings, tmp_path, caplog):
    settings.DIALOG_PRIVACY_NOTICE_FILE = str(tmp_path / "slettet.md")
    with caplog.at_level(logging.ERROR, logger="dialog_portal.site_pages"):
        response = client.get(PRIVACY)
    assert response.status_code == 200
    assert 'data-testid="privacy-default"' in response.content.decode()
    assert "slettet.md" in caplog.text


# --- Reachable by everyone, always ------------------------------------------------------------------------------


def test_a_politician_who_must_still_set_up_two_factor_can_read_both_pages_and_load_the_colour(
    client_for, cast, settings
):
    settings.DIALOG_REQUIRE_MFA = True
    client = client_for(cast.member)
    assert client.get(reverse("meetings:committee-list")).status_code == 302  # everything else waits for two-factor
    for path in (STATEMENT, PRIVACY, "/was", reverse("brand-css")):
        response = client.get(path)
        assert response.status_code in (200, 302), path
        assert "mfa" not in response.get("Location", ""), path


# --- The municipality's look ----------------------------------------------------------------------------------


def test_the_brand_colour_is_served_as_a_stylesheet_every_page_loads(client, settings):
    settings.PORTAL_BRAND_COLOUR = "#7a1f3d"
    html = client.get("/").content.decode()
    (href,) = re.findall(r'<link rel="stylesheet" href="(/brand\.css\?v=[0-9a-f]{12})">', html)
    response = client.get(href)
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response.content.decode() == ":root { --portal-brand: #7a1f3d; }\n"
    assert "style=" not in html and "<style" not in html  # nothing inline: the Content Security Policy holds


def test_a_new_colour_gets_a_new_address_so_no_browser_keeps_the_old_one(settings):
    before = site_pages.brand_stylesheet_url()
    settings.PORTAL_BRAND_COLOUR = "#7a1f3d"
    assert site_pages.brand_stylesheet_url() != before


def test_the_stylesheet_is_kept_for_a_year_by_everyone_even_when_fetched_signed_in(client_for, cast):
    response = client_for(cast.member).get(site_pages.brand_stylesheet_url())
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=31536000" in cache_control and "immutable" in cache_control
    assert "private" not in cache_control and "no-store" not in cache_control


def test_an_old_address_of_the_stylesheet_is_answered_but_kept_only_briefly(client):
    response = client.get(reverse("brand-css") + "?v=000000000000")
    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]


def test_the_logo_is_shown_in_the_header_with_the_municipalitys_name_as_its_text(client, settings):
    settings.PORTAL_MUNICIPALITY_NAME = "Dalby Kommune"
    settings.PORTAL_LOGO = "branding/dalby-kommune.svg"
    html = client.get("/").content.decode()
    header = html.split("</header>")[0]
    assert '<img src="/static/branding/dalby-kommune.svg" alt="Dalby Kommune" class="portal-logo">' in header


def test_without_a_logo_the_header_shows_the_portals_name_alone(client, settings):
    settings.PORTAL_LOGO = ""
    header = client.get("/").content.decode().split("</header>")[0]
    assert "<img" not in header and "Dialogportalen" in header


def test_a_logo_missing_from_the_collected_files_leaves_the_header_without_it_instead_of_failing(
    client, settings, caplog
):
    settings.PORTAL_LOGO = "branding/findes-ikke.svg"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    site_pages._static_logo_url.cache_clear()
    with caplog.at_level(logging.ERROR, logger="dialog_portal.site_pages"):
        assert site_pages.logo_url() == ""
    assert "findes-ikke.svg" in caplog.text
    site_pages._static_logo_url.cache_clear()


def test_the_anonymous_pages_are_public_for_the_cache_too():
    response = Client().get(PRIVACY)
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")


# --- The favicon ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/admin/login/"])
def test_every_page_names_the_favicon_as_svg_with_a_fallback(client, path):
    html = client.get(path, follow=True).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg" type="image/svg\+xml">', html)
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.ico"', html)
    assert re.search(r'<link rel="apple-touch-icon" href="[^"]*apple-touch-icon\.png"', html)


def test_favicon_ico_at_the_root_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon/favicon.ico")


def test_the_favicon_files_are_an_svg_an_ico_and_a_png():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "static" / "favicon"
    assert (folder / "favicon.svg").read_text().startswith("<svg")
    assert (folder / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (folder / "apple-touch-icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
