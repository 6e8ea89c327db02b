from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import (
    NoticeChannel,
    PublicPlanPanel,
    committee_panels,
    notice_channels,
    public_plan_panels,
    workplace_panels,
)


def _hears_of_stories(person) -> bool:
    """Politicians, workplaces' people and the secretariat: those a story is ever told to."""
    roles = person.roles
    return roles.is_politician or bool(roles.workplace_roles) or roles.is_administrator


class StoriesConfig(AppConfig):
    """Stories from everyday work (issue 17): an app of its own (its models live with the organisation's in
    ``meetings.models``) so that its admin and hooks are found like every app's."""

    name = "meetings.stories"
    label = "stories"
    verbose_name = _("Stories")

    def ready(self):
        from .panels import committee_stories_link, public_stories_panel, workplace_stories_panel

        notice_channels.register(
            "stories",
            NoticeChannel(
                label=_("Stories from the workplaces"),
                help_text=_(
                    "New stories from your committees' workplaces, stories waiting for you as a leader, and news "
                    "about stories you wrote."
                ),
                applies_to=_hears_of_stories,
            ),
        )
        workplace_panels.register("stories", workplace_stories_panel)
        committee_panels.register("stories", committee_stories_link)
        from core.versioned_cache import model_version_keys
        from meetings.models import Story, Workplace

        public_plan_panels.register(
            "stories", PublicPlanPanel(public_stories_panel, lambda: model_version_keys(Story, Workplace))
        )
