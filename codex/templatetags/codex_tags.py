from django import template
from django.utils.translation import gettext

from codex import selectors
from codex.formatting import render_markdown

register = template.Library()


@register.filter
def codex_markdown(text):
    """Render codex Markdown safely: sanitised, no raw HTML."""
    return render_markdown(text)


@register.inclusion_tag("codex/_banner.html", takes_context=True)
def codex_banner(context):
    """A banner on the dashboard when the person must sign the codex in force and has not."""
    request = context.get("request")
    return selectors.banner_for(getattr(request, "user", None))


@register.filter
def quarter_label(day):
    """'Q1 2026' for the quarter that starts on ``day``."""

    return gettext("Q%(quarter)d %(year)d") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}
