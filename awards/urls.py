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
]
