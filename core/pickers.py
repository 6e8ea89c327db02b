"""Search-as-you-type fields instead of selects that list thousands of objects.

A picker is a queryset of what the person may pick, the field that is submitted (a slug or an id) and the field that
is shown (a name). The page renders a plain text field plus the chosen value; ``static/js/combobox.js`` turns it into
a combobox that asks :func:`search` as the person types. Without JavaScript the person types a name and submits;
:func:`resolve` finds it, or says which matched, or that nothing did. Nothing here renders every option.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import JsonResponse

# How many names a search answers with (they fit on a screen without scrolling); typing more narrows it.
LIMIT = 10
# How many matches are listed under a field when a typed name fits several.
SHORT_LIST = 10


@dataclass(frozen=True)
class Pick:
    """What a picker field holds after a request: the chosen value and its name, or the typed text with what it
    matched (several) or nothing (``unmatched``)."""

    value: str = ""
    label: str = ""
    text: str = ""
    matches: list[tuple[str, str]] = field(default_factory=list)
    unmatched: bool = False

    @property
    def shown(self) -> str:
        """The text in the field: the chosen name, else what was typed."""
        return self.label or self.text


@dataclass(frozen=True)
class Picker:
    queryset: QuerySet
    value_field: str
    label_field: str

    def _rows(self, qs, limit):
        rows = qs.order_by(self.label_field).values_list(self.value_field, self.label_field)[:limit]
        return [(str(value), label) for value, label in rows]

    def search(self, term: str, *, limit: int = LIMIT) -> tuple[list[tuple[str, str]], bool]:
        """The names containing ``term`` (all when it is empty), alphabetically, and whether there are more."""
        qs = self.queryset
        if term.strip():
            qs = qs.filter(**{f"{self.label_field}__icontains": term.strip()})
        rows = self._rows(qs, limit + 1)
        return rows[:limit], len(rows) > limit

    def resolve(self, *, value: str, text: str | None) -> Pick:
        """The pick from a submitted value and text. ``text`` is None when the request has no text field (a link, the
        export): the value is then taken as it is. Otherwise the text rules: empty clears the field, the chosen
        value's own name keeps it, and any other text is looked up (an exact name first, then a part of one)."""
        if text is None:
            if not value:
                return Pick()
            rows = self._rows(self.queryset.filter(**{self.value_field: value}), 1)
            return Pick(value=value, label=rows[0][1] if rows else value)
        text = text.strip()
        if not text:
            return Pick()
        if value:
            rows = self._rows(self.queryset.filter(**{self.value_field: value}), 1)
            if rows and rows[0][1].casefold() == text.casefold():
                return Pick(value=rows[0][0], label=rows[0][1])
        exact = self._rows(self.queryset.filter(**{f"{self.label_field}__iexact": text}), 2)
        if len(exact) == 1:
            return Pick(value=exact[0][0], label=exact[0][1])
        matches = exact or self._rows(self.queryset.filter(**{f"{self.label_field}__icontains": text}), SHORT_LIST)
        if len(matches) == 1:
            return Pick(value=matches[0][0], label=matches[0][1])
        return Pick(text=text, matches=matches, unmatched=not matches)

    def response(self, request) -> JsonResponse:
        """The search endpoint's answer to ``?q=``: ``{"results": [{"value", "label"}], "more": bool}``."""
        rows, more = self.search(request.GET.get("q", "")[:200])
        return JsonResponse({"results": [{"value": v, "label": label} for v, label in rows], "more": more})
