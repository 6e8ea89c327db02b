"""The outbox's page for the secretariat. The top floor (``dialog_portal/urls.py``) includes these patterns under the
``meetings`` namespace, where their names have always been."""

from django.urls import path

from . import views

urlpatterns = [
    path("sekretariat/beskeder/", views.outbox_dead_list, name="outbox-dead-list"),
    path("sekretariat/beskeder/<int:pk>/send-igen/", views.outbox_retry, name="outbox-retry"),
]
