"""The municipality's colour and logo are checked when the settings are read: a colour white text cannot be read on
stops the portal at startup, naming the ratio and a darker shade that passes. Pure: no database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dialog_portal import branding
from dialog_portal.branding import BrandingError, contrast_ratio, parse_hex

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#ffffff", "#000000", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes on white: WCAG's own example
        ("#777777", "#ffffff", 4.48),  # one step lighter fails
        ("#0b4f6c", "#ffffff", 8.94),  # the portal's own colour
    ],
)
def test_the_contrast_ratio_is_wcags(first, second, ratio):
    assert round(contrast_ratio(parse_hex(first), parse_hex(second)), 2) == ratio


@pytest.mark.parametrize(("given", "stored"), [("#0B4F6C", "#0b4f6c"), ("0b4f6c", "#0b4f6c"), ("#036", "#003366")])
def test_a_dark_enough_colour_is_taken_in_one_spelling(given, stored):
    assert branding.brand_colour(given) == stored


def test_a_colour_too_light_for_white_text_is_refused_naming_the_ratio_and_a_shade_that_passes():
    with pytest.raises(BrandingError) as refused:
        branding.brand_colour("#4a90d9")
    message = str(refused.value)
    assert message.startswith("PORTAL_BRAND_COLOUR #4a90d9 gives the header's white text a contrast of 3.34:1")
    assert "at least 4.5:1" in message
    shade = message.rsplit(" ", 1)[1].rstrip(".")
    assert branding.brand_colour(shade) == shade  # the suggestion passes …
    assert contrast_ratio(parse_hex(shade), branding.WHITE) < 4.6  # … and is no darker than it must be


@pytest.mark.parametrize("value", ["blå", "#12345", "rgb(0,0,0)", ""])
def test_a_value_that_is_not_a_hex_colour_is_refused(value):
    with pytest.raises(BrandingError, match="must be a colour as #rrggbb"):
        branding.brand_colour(value)


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("", ""),
        ("branding/dalby-kommune.svg", "branding/dalby-kommune.svg"),
        ("https://www.dalby.example/logo.svg", "https://www.dalby.example/logo.svg"),
    ],
)
def test_a_logo_is_a_static_path_or_an_https_address(value, kept):
    assert branding.logo(value) == kept


@pytest.mark.parametrize("value", ["http://www.dalby.example/logo.svg", "../secret.svg", "/etc/logo.svg", "https://"])
def test_a_logo_that_is_neither_is_refused(value):
    with pytest.raises(BrandingError):
        branding.logo(value)


def test_an_https_logo_names_its_origin_for_the_content_security_policy():
    assert branding.logo_origin("https://www.dalby.example/grafik/logo.svg") == "https://www.dalby.example"
    assert branding.logo_origin("branding/dalby-kommune.svg") == ""


def _check(*command: str, **env) -> subprocess.CompletedProcess:
    """``manage.py check`` (or ``command``) in a fresh process with only ``env`` of the portal's settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_", "DIALOG_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *(command or ("check",))],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_portal_refuses_to_start_with_a_brand_colour_that_fails_contrast():
    result = _check(PORTAL_BRAND_COLOUR="#4a90d9")
    assert result.returncode != 0
    assert "PORTAL_BRAND_COLOUR #4a90d9 gives the header's white text a contrast of 3.34:1" in result.stderr


def test_the_portal_starts_with_a_dark_brand_colour_a_logo_among_the_static_files_and_the_statement_settings():
    result = _check(
        PORTAL_BRAND_COLOUR="#7a1f3d",
        PORTAL_LOGO="branding/dalby-kommune.svg",
        DIALOG_WAS_URL="https://www.was.digst.dk/dialog-dalby-dk",
        DIALOG_ACCESSIBILITY_REVIEWED="2026-05-01",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"PORTAL_LOGO": "branding/findes-ikke.svg"}, "PORTAL_LOGO branding/findes-ikke.svg is not among the static"),
        ({"DIALOG_WAS_URL": "www.was.digst.dk/dalby"}, "DIALOG_WAS_URL must be an https address"),
        ({"DIALOG_ACCESSIBILITY_REVIEWED": "1. maj 2026"}, "DIALOG_ACCESSIBILITY_REVIEWED must be a date as"),
        ({"DIALOG_ACCESSIBILITY_CONFORMANCE": "delvist"}, "DIALOG_ACCESSIBILITY_CONFORMANCE must be full, partial"),
        ({"DIALOG_PRIVACY_NOTICE_FILE": "findes/ikke.md"}, "DIALOG_PRIVACY_NOTICE_FILE"),
    ],
)
def test_the_portal_refuses_to_start_with_a_setting_for_its_public_pages_it_cannot_use(env, said):
    result = _check(**env)
    assert result.returncode != 0
    assert said in result.stderr


def test_the_maps_tile_server_may_serve_images_and_a_bad_address_stops_the_portal():
    code = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    good = _check("shell", "-c", code, DIALOG_MAP_TILES_URL="https://tiles.dalby.example/{z}/{x}/{y}.png")
    assert good.returncode == 0, good.stderr
    assert "'https://tiles.dalby.example'" in good.stdout
    assert "tiles" not in _check("shell", "-c", code).stdout
    for bad, said in (
        ("http://tiles.dalby.example/{z}/{x}/{y}.png", "DIALOG_MAP_TILES_URL must be an https address"),
        ("https://tiles.dalby.example/kort.png", "DIALOG_MAP_TILES_URL must contain {z}, {x} and {y}"),
    ):
        result = _check(DIALOG_MAP_TILES_URL=bad)
        assert result.returncode != 0 and said in result.stderr
