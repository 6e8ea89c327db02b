from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="agreement-list"),
    path("ny/<slug:slug>/", views.agreement_start, name="agreement-start"),
    path("overblik/<slug:slug>/", views.committee_overview, name="committee-overview"),
    path("faelles-maal/", views.sharedgoal_list, name="sharedgoal-list"),
    path("faelles-maal/ny/", views.sharedgoal_edit, name="sharedgoal-create"),
    path("faelles-maal/<int:pk>/", views.sharedgoal_edit, name="sharedgoal-update"),
    path("<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("<int:pk>/udskriv/", views.agreement_print, name="agreement-print"),
    path("<int:pk>/pdf/", views.agreement_pdf, name="agreement-pdf"),
    path("<int:pk>/rediger/", views.agreement_update, name="agreement-update"),
    path("<int:pk>/maal/ny/", views.goal_edit, name="goal-create"),
    path("<int:pk>/maal/<int:goal_pk>/", views.goal_edit, name="goal-update"),
    path("<int:pk>/maal/<int:goal_pk>/slet/", views.goal_delete, name="goal-delete"),
    path("<int:pk>/maal/<int:goal_pk>/flyt/", views.goal_move, name="goal-move"),
    path("<int:pk>/hoering/", views.agreement_consultation, name="agreement-consultation"),
    path("<int:pk>/indsend/", views.agreement_submit, name="agreement-submit"),
    path("<int:pk>/aendringer/", views.agreement_request_changes, name="agreement-request-changes"),
    path("<int:pk>/genindsend/", views.agreement_resubmit, name="agreement-resubmit"),
    path("<int:pk>/godkend/", views.agreement_approve, name="agreement-approve"),
    path("<int:pk>/underskriv/", views.agreement_sign, name="agreement-sign"),
    path("<int:pk>/ikraft/", views.agreement_activate, name="agreement-activate"),
    path("<int:pk>/afslut/", views.agreement_close, name="agreement-close"),
    path("<int:pk>/tillaeg/", views.agreement_amend, name="agreement-amend"),
    path("<int:pk>/kommentarer/", views.comment_create, name="comment-create"),
    path("kommentarer/<int:pk>/loest/", views.comment_resolve, name="comment-resolve"),
    path("<int:pk>/opfoelgning/", views.followup_create, name="followup-create"),
    path("<int:pk>/versioner/<int:number>/", views.version_detail, name="version-detail"),
    path("<int:pk>/versioner/<int:number>/forskelle/", views.version_diff, name="version-diff"),
    path("underskrifter/<int:pk>/", views.signature_verify, name="signature-verify"),
]
