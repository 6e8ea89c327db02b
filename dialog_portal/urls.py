from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

import core.urls
import meetings.hearings.urls
import meetings.questions.urls
import meetings.rotation.urls
import meetings.urls
import meetings.visits.urls
from meetings import account_views

from . import calendar, dashboard, site_pages, views

# The organisation's, the outbox's, the visits' and the rotation's pages share the ``meetings`` namespace, where
# their URL names have always been (``meetings:visit-detail``); each floor keeps its own list.
meetings_patterns = [
    *meetings.urls.urlpatterns,
    *core.urls.urlpatterns,
    *meetings.visits.urls.urlpatterns,
    *meetings.rotation.urls.urlpatterns,
    *meetings.hearings.urls.urlpatterns,
    *meetings.questions.urls.urlpatterns,
    # My calendar and its feed gather the visits and the meetings: they live on this floor.
    path("kalender/", calendar.calendar_detail, name="calendar-detail"),
    path("kalender/nyt-link/", calendar.calendar_feed_regenerate, name="calendar-feed-regenerate"),
    path("kalender/stop-link/", calendar.calendar_feed_revoke, name="calendar-feed-revoke"),
    path("kalender/feed/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]

# The admin logs in through allauth: rate-limited and with two-factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Dialogportalen – secretariat")
admin.site.site_title = _("Dialogportalen")
admin.site.index_title = _("Administration")
admin.site.index_template = "admin/portal_index.html"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("healthz", views.liveness, name="liveness"),
    path("readyz", views.readiness, name="readiness"),
    # What a Danish public site must have, linked from every page's footer, and the municipality's colour.
    path("tilgaengelighed/", site_pages.accessibility_statement, name="accessibility-statement"),
    path("was", site_pages.was_redirect, name="was-redirect"),
    path("privatliv/", site_pages.privacy_notice, name="privacy-notice"),
    path("brand.css", site_pages.brand_css, name="brand-css"),
    path("favicon.ico", site_pages.favicon, name="favicon"),
    # Before allauth's own: nobody changes their login e-mail address themselves (see meetings/account_views.py).
    path("konto/email/", account_views.account_email, name="account_email"),
    # Nor links a login from an identity provider to their account: allauth's connect and disconnect page is not routed.
    path("konto/3rdparty/", account_views.account_connections, name="socialaccount_connections"),
    path("konto/", include("allauth.urls")),
    # The language switch: Django's set_language, and the signed-in person's choice saved on them.
    path("i18n/", include([path("setlang/", account_views.language_set, name="set_language")])),
    path("admin/", admin.site.urls),
    path("kodeks/", include("codex.urls")),
    path("udviklingsaftaler/", include("agreements.urls")),
    path("sekretariat/revisionslog/", include("dialog_portal.audit_log.urls")),
    path("historier/", include("meetings.stories.urls")),
    path("", include((meetings_patterns, "meetings"))),
]

# Translated error pages; the 500 handler answers 503 when the database cannot be reached.
handler400 = "dialog_portal.views.bad_request"
handler500 = "dialog_portal.views.server_error"
