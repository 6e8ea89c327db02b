"""Safe formatting for codex text: a small Markdown subset, sanitised so no raw HTML reaches a page."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# Paragraphs, emphasis, lists, quotes and links. Headings are left out on purpose:
# the page owns the heading structure (WCAG heading order).
ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text or "", output_format="html")
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES)
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
