"""Subjects and plain-text parts are plain text: a name with ``&``, ``'`` and ``<`` arrives as typed, never as
``&amp;`` or ``&#x27;``; the HTML part escapes it as every page does (issue 21)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from core.mail import render_plain_text, send_templated_mail

NAME = "Tom & Jerry's <b>Hus</b>"
ESCAPED = ("&amp;", "&#x27;", "&#39;", "&lt;", "&quot;")


# A date filter given a stand-in leaves the cell empty rather than print nonsense.
NOT_A_DATE = {"year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "utcoffset", "timetuple"}


class Anything:
    """Stands for every variable a template reads: each attribute, item and loop gives the nasty name again."""

    def __str__(self):
        return NAME

    def __getattr__(self, name):
        if name.startswith("__") or name in NOT_A_DATE:
            raise AttributeError(name)
        if name.endswith(("_at", "_on", "_day")):
            return timezone.now()
        return Anything()

    def __call__(self, *args, **kwargs):
        return Anything()

    def __getitem__(self, key):
        return self.__getattr__(key) if isinstance(key, str) else Anything()

    def __iter__(self):
        return iter([Anything()])

    def __len__(self):
        return 1

    def __bool__(self):
        return True


def _mail_prefixes() -> list[str]:
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(str(p.relative_to(root)).removesuffix("_subject.txt") for p in root.glob("**/email/*_subject.txt"))


def test_there_are_mail_templates_to_check():
    assert len(_mail_prefixes()) >= 10


@pytest.mark.parametrize("prefix", _mail_prefixes())
def test_every_mail_kind_sends_names_plain_in_subject_and_text_and_escaped_in_html(prefix, settings):
    context = {
        name: Anything()
        for name in (
            "person",
            "subject",
            "lines",
            "link",
            "link_label",
            "agreement",
            "visit",
            "version",
            "workplace",
            "committee",
            "message",
            "messages",
            "name",
            "reason",
            "note",
            "actor",
            "report",
            "failures",
            "dead",
        )
    }
    settings.PORTAL_MUNICIPALITY_NAME = NAME
    send_templated_mail(prefix, to=["a@dalby.example"], context=context)
    [sent] = mail.outbox
    html = sent.alternatives[0][0]
    assert "&" in sent.subject or NAME in sent.body, prefix  # the name reached the mail at all
    for part in (sent.subject, sent.body):
        assert not any(entity in part for entity in ESCAPED), (prefix, part)
    assert NAME in sent.body, prefix
    assert "<b>Hus</b>" not in html and "&lt;b&gt;" in html, prefix


def test_a_plain_text_template_keeps_ampersands_apostrophes_and_angle_brackets(tmp_path, settings):
    rendered = render_plain_text("meetings/email/meeting_notice_subject.txt", {"subject": NAME})
    assert rendered.strip() == NAME
