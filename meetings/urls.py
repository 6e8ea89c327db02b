from django.urls import path

from . import import_views, views

app_name = "meetings"

urlpatterns = [
    path("udvalg/", views.committee_list, name="committee-list"),
    path("udvalg/<slug:slug>/", views.committee_detail, name="committee-detail"),
    path("arbejdspladser/", views.workplace_list, name="workplace-list"),
    path("arbejdspladser/<slug:slug>/", views.workplace_detail, name="workplace-detail"),
    path("sekretariat/import/", import_views.organisation_import, name="organisation-import"),
]
