from django.urls import path

from . import views
from .challenges import urls as challenge_urls
from .positive_list import views as positive_list

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
    # The positive list (codex/positive_list/): read by anyone, written by the secretariat, chairs and owners.
    path("positiv-liste/", positive_list.policy_list_index, name="policy-list-index"),
    path("positiv-liste/tilfoej/", positive_list.policy_item_create, name="policy-item-create"),
    path("positiv-liste/punkter/<int:pk>/", positive_list.policy_item_detail, name="policy-item-detail"),
    path("positiv-liste/punkter/<int:pk>/ret/", positive_list.policy_item_edit, name="policy-item-edit"),
    path("positiv-liste/punkter/<int:pk>/vurder/", positive_list.policy_item_review, name="policy-item-review"),
    path("positiv-liste/<slug:key>/", positive_list.policy_list_detail, name="policy-list-detail"),
    # Challenges of rules (codex/challenges/).
    *challenge_urls.urlpatterns,
]
