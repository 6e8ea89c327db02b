from django import template

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
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    version = selectors.current_version()
    show = selectors.must_sign(user, version) and not selectors.has_signed(user, version)
    previous = selectors.previous_published(version) if show else None
    return {"show": show, "version": version, "previous": previous}


@register.filter
def quarter_label(day):
    """'Q1 2026' for the quarter that starts on ``day``."""
    from django.utils.translation import gettext

    return gettext("Q%(quarter)d %(year)d") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}
