from django.urls import path

from . import views

app_name = "auditlog"

urlpatterns = [
    path("", views.entry_list, name="entry-list"),
    path("eksport.csv", views.entry_export, name="entry-export"),
    path("personer.json", views.actor_search, name="actor-search"),
]
