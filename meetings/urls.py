"""The organisation's pages: committees, workplaces and the secretariat's import. The top floor
(``dialog_portal/urls.py``) puts them, with the visits', the rotation's and the outbox's, under the ``meetings``
namespace, where their names have always been."""

from django.urls import path

from . import account_views, import_views, views

urlpatterns = [
    path("udvalg/", views.committee_list, name="committee-list"),
    path("udvalg/<slug:slug>/", views.committee_detail, name="committee-detail"),
    path("arbejdspladser/", views.workplace_list, name="workplace-list"),
    path("arbejdspladser/<slug:slug>/", views.workplace_detail, name="workplace-detail"),
    path("mine-beskeder/", account_views.notice_preferences, name="notice-preferences"),
    path("sekretariat/import/", import_views.organisation_import, name="organisation-import"),
]
