"""The municipality's own look: its colour and its logo, checked when the settings are read.

Pure (the standard library only), because ``settings.py`` calls it before Django is set up: a colour that white text
cannot be read on stops the portal at startup with the ratio and a darker shade that passes, instead of reaching
every page's header. The header's links and name are white on the brand colour, and the agreement's print view sets
the municipality's name in the brand colour on white: the same pair, so one ratio covers both.

Contrast is WCAG 2.1's: the relative luminance of each colour (sRGB, linearised), and (lighter + 0.05) / (darker +
0.05); normal text needs 4.5:1 for AA (success criterion 1.4.3), which axe checks on every page in the browser tests.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WHITE = (255, 255, 255)
MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA, normal text
DEFAULT_BRAND_COLOUR = "#0b4f6c"
HEX_COLOUR = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
STATIC_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")


class BrandingError(ValueError):
    """A setting the portal refuses to start with; the message names the setting and what to do."""


def parse_hex(value: str) -> tuple[int, int, int]:
    """``#0b4f6c``, ``0B4F6C`` or ``#fff`` as (r, g, b)."""
    match = HEX_COLOUR.fullmatch(value.strip())
    if not match:
        raise ValueError(value)
    digits = match[1]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def darker_shade(rgb: tuple[int, int, int], *, against=WHITE, minimum=MINIMUM_CONTRAST) -> tuple[int, int, int]:
    """The lightest shade of the same hue (every channel scaled alike) that reaches ``minimum`` against ``against``."""
    low, high = 0.0, 1.0  # the scale: 0 is black, which always passes against white
    for _ in range(30):
        middle = (low + high) / 2
        if contrast_ratio(tuple(int(c * middle) for c in rgb), against) >= minimum:
            low = middle
        else:
            high = middle
    return tuple(int(c * low) for c in rgb)


def brand_colour(value: str, *, setting: str = "PORTAL_BRAND_COLOUR") -> str:
    """The colour as ``#rrggbb``, or BrandingError when it is not a hex colour or white text on it is too faint."""
    try:
        rgb = parse_hex(value)
    except ValueError:
        raise BrandingError(
            f"{setting} must be a colour as #rrggbb (for example {DEFAULT_BRAND_COLOUR}), not {value!r}."
        ) from None
    ratio = contrast_ratio(rgb, WHITE)
    if ratio < MINIMUM_CONTRAST:
        raise BrandingError(
            f"{setting} {to_hex(rgb)} gives the header's white text a contrast of {ratio:.2f}:1; WCAG 2.1 AA needs at "
            f"least {MINIMUM_CONTRAST}:1. A darker shade of the same colour that passes: {to_hex(darker_shade(rgb))}."
        )
    return to_hex(rgb)


def logo(value: str, *, setting: str = "PORTAL_LOGO") -> str:
    """The logo as given: empty (none), an https address, or a path among the static files (``branding/logo.svg``)."""
    value = value.strip()
    if not value or value.startswith("https://"):
        if value and not urlsplit(value).netloc:
            raise BrandingError(f"{setting} {value!r} is not a web address.")
        return value
    if value.startswith("http://"):
        raise BrandingError(f"{setting} must be an https address (a page served over https shows no http image).")
    if not STATIC_PATH.fullmatch(value) or ".." in value.split("/"):
        raise BrandingError(
            f"{setting} must be an https address or a path among the static files such as branding/logo.svg, "
            f"not {value!r}."
        )
    return value


def logo_origin(value: str) -> str:
    """The origin an https logo is loaded from (for the Content Security Policy), or empty for a static file."""
    if not value.startswith("https://"):
        return ""
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc}"


def https_address(value: str, *, setting: str) -> str:
    """An https address for a link the portal gives (the WAS tool's statement), or empty; BrandingError otherwise."""
    value = value.strip()
    if value and not (value.startswith("https://") and urlsplit(value).netloc):
        raise BrandingError(f"{setting} must be an https address, not {value!r}.")
    return value
