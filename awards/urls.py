from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("honours/", views.AwardListView.as_view(), name="award-list"),
    path("honours/export/<slug:fmt>/", views.AwardExportView.as_view(), name="award-export"),
    path("honours/<int:pk>/", views.AwardDetailView.as_view(), name="award-detail"),
    path("honours/<int:pk>/correct/", views.AwardCorrectView.as_view(), name="award-correct"),
    path("honours/<int:pk>/revoke/", views.AwardRevokeView.as_view(), name="award-revoke"),
    path("decisions/", views.DecisionListView.as_view(), name="decision-list"),
    path("decisions/new/", views.DecisionCreateView.as_view(), name="decision-create"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/edit/", views.DecisionEditView.as_view(), name="decision-edit"),
    path("decisions/<int:pk>/scan/", views.DecisionScanView.as_view(), name="decision-scan"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("units/", views.UnitListView.as_view(), name="unit-list"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("recipients/search/", views.RecipientSearchView.as_view(), name="recipient-search"),
    path("honours/<int:pk>/certificate/", views.AwardCertificateView.as_view(), name="award-certificate"),
    path("decisions/<int:pk>/certificates/", views.DecisionCertificatesView.as_view(), name="decision-certificates"),
    path("ceremonies/", views.CeremonyListView.as_view(), name="ceremony-list"),
    path("ceremonies/new/", views.CeremonyCreateView.as_view(), name="ceremony-create"),
    path("ceremonies/<int:pk>/", views.CeremonyDetailView.as_view(), name="ceremony-detail"),
    path("ceremonies/<int:pk>/edit/", views.CeremonyEditView.as_view(), name="ceremony-edit"),
    path("ceremonies/<int:pk>/add/", views.CeremonyAddView.as_view(), name="ceremony-add"),
    path("ceremonies/<int:pk>/move/", views.CeremonyMoveView.as_view(), name="ceremony-move"),
    path("ceremonies/<int:pk>/remove/", views.CeremonyRemoveView.as_view(), name="ceremony-remove"),
    path("ceremonies/<int:pk>/default-order/", views.CeremonyResetOrderView.as_view(), name="ceremony-reset-order"),
    path("ceremonies/<int:pk>/print/", views.CeremonyPrintView.as_view(), name="ceremony-print"),
    path("ceremonies/<int:pk>/preview.png", views.CeremonyPreviewView.as_view(), name="ceremony-preview"),
    path("verify/", views.VerifyView.as_view(), name="verify-lookup"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
    path("robots.txt", views.robots_txt, name="robots"),
]
