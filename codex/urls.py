from django.urls import path

from . import views
from .challenges import urls as challenge_urls

app_name = "codex"

urlpatterns = [
    path("", views.codex_detail, name="codex-detail"),
    path("register/", views.register_detail, name="register-detail"),
    path("versioner/", views.version_list, name="version-list"),
    path("versioner/<int:number>/", views.version_detail, name="version-detail"),
    path("versioner/<int:number>/forskelle/", views.version_diff, name="version-diff"),
    path("versioner/<int:number>/udgiv/", views.version_publish, name="version-publish"),
    path("underskriv/", views.signature_create, name="signature-create"),
    path("signaturer/<int:pk>/bekraeft/", views.signature_verify, name="signature-verify"),
    path("signaturer/<int:pk>/tilbagekald/", views.signature_withdraw, name="signature-withdraw"),
    path("kontrol/", views.chain_verify, name="chain-verify"),
    *challenge_urls.urlpatterns,
]
