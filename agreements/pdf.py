"""An agreement as a PDF file: the print view's document, drawn by xhtml2pdf (HTML and CSS through reportlab).

The text comes from the same template and context as the print view (selectors.detail_for), so the PDF holds the
frozen text of a submitted or signed version, never a second copy of the rules. The body font is Bitstream Vera,
which reportlab ships (the base fonts would do for æøå, but an embedded font also carries the dashes and quotes of
Danish text). Nothing outside the portal is fetched while drawing: the only resource the document may name is that
font, so a URL in a text cannot make the server read a file or call another host.
"""

import io
import re
import unicodedata
from pathlib import Path

import reportlab
from django.template.loader import render_to_string
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
# The names the PDF template's @font-face rules use, and the only resources link_callback hands out.
FONTS = {
    "font:regular": FONT_DIR / "Vera.ttf",
    "font:bold": FONT_DIR / "VeraBd.ttf",
    "font:italic": FONT_DIR / "VeraIt.ttf",
    "font:bold-italic": FONT_DIR / "VeraBI.ttf",
}
# No network at all, and local reads only in reportlab's font directory (xhtml2pdf enforces it on every fetch,
# also those that bypass link_callback).
POLICY = ResourceAccessPolicy(allow_remote=False, base_dir=FONT_DIR)
DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


class PdfError(Exception):
    """xhtml2pdf could not draw the document."""


def _resource(uri: str, rel: str | None = None) -> str:
    path = FONTS.get(uri)
    if path is None:
        raise PdfError(f"The PDF document may only name its own fonts, not {uri!r}.")
    return str(path)


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """The template rendered to HTML and drawn as a PDF."""
    html = render_to_string(template, context, request=request)
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=_resource, resource_policy=POLICY)
    if result.err:
        raise PdfError(f"xhtml2pdf could not draw {template} ({result.err} errors).")
    return out.getvalue()


def ascii_slug(value: str) -> str:
    """'Søhøjskolen' -> 'soehoejskolen', '01.08.2026–31.07.2027' -> '01-08-2026-31-07-2027': safe in a file name."""
    value = unicodedata.normalize("NFKD", value.translate(DANISH_LETTERS))
    # Punctuation, symbols and spaces (the period's en dash) part words; accents (NFKD's marks) just go.
    value = "".join(" " if unicodedata.category(c)[0] in "PSZ" else c for c in value)
    value = value.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "aftale"


def filename_for(agreement) -> str:
    return f"udviklingsaftale-{ascii_slug(agreement.workplace.name)}-{ascii_slug(agreement.period_label)}.pdf"
