from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from meetings import views as meeting_views

from . import views

# The admin logs in through allauth: rate-limited and with two-factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Dialogportalen – secretariat")
admin.site.site_title = _("Dialogportalen")
admin.site.index_title = _("Administration")
admin.site.index_template = "admin/portal_index.html"

urlpatterns = [
    path("", meeting_views.home, name="home"),
    path("healthz", views.liveness, name="liveness"),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("kodeks/", include("codex.urls")),
    path("udviklingsaftaler/", include("agreements.urls")),
    path("", include("meetings.urls")),
]
