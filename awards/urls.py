from django.urls import path

from .views import (
    candidates,
    ceremonies,
    council,
    corrections,
    decisions,
    evidence,
    honours,
    imports,
    me,
    nominations,
    printing,
    public,
    reports,
)
from .models import Unit

app_name = "awards"

urlpatterns = [
    # The honours register, people and units (views/honours.py)
    path("", honours.HomeView.as_view(), name="home"),
    path("honours/", honours.AwardListView.as_view(), name="award-list"),
    path("honours/export/<slug:fmt>/", honours.AwardExportView.as_view(), name="award-export"),
    path("honours/<int:pk>/", honours.AwardDetailView.as_view(), name="award-detail"),
    path("honours/<int:pk>/correct/", honours.AwardCorrectView.as_view(), name="award-correct"),
    path("honours/<int:pk>/revoke/", honours.AwardRevokeView.as_view(), name="award-revoke"),
    path("people/<int:pk>/", honours.PersonDetailView.as_view(), name="person-detail"),
    path("units/", honours.UnitListView.as_view(), name="unit-list"),
    path("units/<int:pk>/", honours.UnitDetailView.as_view(), name="unit-detail"),
    # Decisions (views/decisions.py)
    path("decisions/", decisions.DecisionListView.as_view(), name="decision-list"),
    path("decisions/new/", decisions.DecisionCreateView.as_view(), name="decision-create"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/edit/", decisions.DecisionEditView.as_view(), name="decision-edit"),
    path("decisions/<int:pk>/scan/", decisions.DecisionScanView.as_view(), name="decision-scan"),
    path("decisions/<int:pk>/payments.<slug:fmt>", decisions.DecisionPaymentListView.as_view(), name="decision-payments"),
    path("recipients/search/", decisions.RecipientSearchView.as_view(), name="recipient-search"),
    # Spreadsheet imports (views/imports.py)
    path("decisions/import/", imports.DecisionImportView.as_view(), name="decision-import"),
    path("people/import/", imports.RosterImportView.as_view(), name="roster-import"),
    path("imports/template/<slug:kind>.xlsx", imports.ImportTemplateView.as_view(), name="import-template"),
    # Printing, and layouts on pre-printed blanks (views/printing.py)
    path("honours/<int:pk>/certificate/", printing.AwardCertificateView.as_view(), name="award-certificate"),
    path("decisions/<int:pk>/certificates/", printing.DecisionCertificatesView.as_view(), name="decision-certificates"),
    path("certificates/layouts/", printing.LayoutListView.as_view(), name="layout-list"),
    path("certificates/layouts/<int:pk>/", printing.LayoutDetailView.as_view(), name="layout-detail"),
    path("certificates/layouts/<int:pk>/alignment.pdf", printing.LayoutAlignmentView.as_view(), name="layout-alignment"),
    path("certificates/layouts/<int:pk>/sample.pdf", printing.LayoutSampleView.as_view(), name="layout-sample"),
    path("certificates/layouts/<int:pk>/printer-offset/", printing.PrinterOffsetView.as_view(), name="printer-offset"),
    # Ceremonies (views/ceremonies.py)
    path("ceremonies/", ceremonies.CeremonyListView.as_view(), name="ceremony-list"),
    path("ceremonies/new/", ceremonies.CeremonyCreateView.as_view(), name="ceremony-create"),
    path("ceremonies/<int:pk>/", ceremonies.CeremonyDetailView.as_view(), name="ceremony-detail"),
    path("ceremonies/<int:pk>/edit/", ceremonies.CeremonyEditView.as_view(), name="ceremony-edit"),
    path("ceremonies/<int:pk>/add/", ceremonies.CeremonyAddView.as_view(), name="ceremony-add"),
    path("ceremonies/<int:pk>/move/", ceremonies.CeremonyMoveView.as_view(), name="ceremony-move"),
    path("ceremonies/<int:pk>/remove/", ceremonies.CeremonyRemoveView.as_view(), name="ceremony-remove"),
    path("ceremonies/<int:pk>/default-order/", ceremonies.CeremonyResetOrderView.as_view(), name="ceremony-reset-order"),
    path("ceremonies/<int:pk>/print/", ceremonies.CeremonyPrintView.as_view(), name="ceremony-print"),
    path("ceremonies/<int:pk>/preview.png", ceremonies.CeremonyPreviewView.as_view(), name="ceremony-preview"),
    # For anyone (views/public.py)
    path("verify/", public.VerifyView.as_view(), name="verify-lookup"),
    path("verify/<str:code>/", public.VerifyView.as_view(), name="verify"),
    path("robots.txt", public.robots_txt, name="robots"),
    # One's own record and account (views/me.py)
    path("me/", me.MyHonoursView.as_view(), name="my-honours"),
    path("me/honours/<int:pk>/certificate/", me.MyCertificateView.as_view(), name="my-certificate"),
    path("me/corrections/new/", me.CorrectionRequestCreateView.as_view(), name="correction-create"),
    path("me/corrections/<int:pk>/read/", me.CorrectionAnswerSeenView.as_view(), name="correction-answer-seen"),
    path("account/", me.AccountView.as_view(), name="account"),
    path("account/password/", me.PasswordChangeView.as_view(), name="password-change"),
    # Correction requests (officers) (views/corrections.py)
    path("corrections/", corrections.CorrectionQueueView.as_view(), name="correction-queue"),
    path("corrections/<int:pk>/", corrections.CorrectionDetailView.as_view(), name="correction-detail"),
    # Reports (views/reports.py)
    path("reports/year/", reports.YearReportView.as_view(), name="year-report"),
    path("reports/year/export/<slug:fmt>/", reports.YearReportExportView.as_view(), name="year-report-export"),
    # The evidence the rules read: ratings, initiatives, discipline, service (views/evidence.py)
    path("people/<int:pk>/evidence/<slug:kind>/new/", evidence.EvidenceCreateView.as_view(), name="person-evidence-new"),
    path("units/<int:pk>/evidence/<slug:kind>/new/", evidence.EvidenceCreateView.as_view(owner_model=Unit),
         name="unit-evidence-new"),
    path("evidence/<slug:kind>/<int:pk>/edit/", evidence.EvidenceEditView.as_view(), name="evidence-edit"),
    path("evidence/<slug:kind>/<int:pk>/delete/", evidence.EvidenceDeleteView.as_view(), name="evidence-delete"),
    path("evidence/import/", evidence.EvidenceImportView.as_view(), name="evidence-import"),
    path("people/<int:pk>/service/", evidence.ServiceView.as_view(), name="person-service"),
    path("service-breaks/<int:pk>/delete/", evidence.ServiceBreakDeleteView.as_view(), name="service-break-delete"),
    # Eligibility (views/candidates.py)
    path("candidates/", candidates.CandidatesView.as_view(), name="candidates"),
    path("candidates/export/", candidates.CandidatesExportView.as_view(), name="candidates-export"),
    # The road to a decision: dossiers, the inbox, forwarding, the decision (views/nominations.py)
    path("dossiers/", nominations.DossierListView.as_view(), name="dossier-list"),
    path("dossiers/inbox/", nominations.DossierInboxView.as_view(), name="dossier-inbox"),
    path("dossiers/new/", nominations.DossierCreateView.as_view(), name="dossier-create"),
    path("dossiers/<int:pk>/", nominations.DossierDetailView.as_view(), name="dossier-detail"),
    path("dossiers/<int:pk>/edit/", nominations.DossierEditView.as_view(), name="dossier-edit"),
    path("dossiers/<int:pk>/move/", nominations.DossierMoveView.as_view(), name="dossier-move"),
    path("dossiers/<int:pk>/nominees/add/", nominations.NomineeAddView.as_view(), name="dossier-nominee-add"),
    path("dossiers/<int:pk>/nominees/import/", nominations.NomineeImportView.as_view(), name="dossier-import"),
    path("dossiers/<int:pk>/documents/add/", nominations.AttachmentAddView.as_view(), name="dossier-attach"),
    path("nominees/<int:pk>/edit/", nominations.NomineeEditView.as_view(), name="nominee-edit"),
    path("nominees/<int:pk>/remove/", nominations.NomineeRemoveView.as_view(), name="nominee-remove"),
    path("nominees/<int:pk>/review/", nominations.NomineeReviewView.as_view(), name="nominee-review"),
    path("documents/<int:pk>/", nominations.AttachmentDownloadView.as_view(), name="attachment-download"),
    path("documents/<int:pk>/remove/", nominations.AttachmentRemoveView.as_view(), name="attachment-remove"),
    path("dossiers/forward/", nominations.ForwardView.as_view(), name="nominations-forward"),
    path("dossiers/decide/", nominations.DecideView.as_view(), name="nominations-decide"),
    path("dossiers/deadlines/", nominations.DeadlineView.as_view(), name="nominations-deadlines"),
    # The council's review and the public listing (views/council.py)
    path("dossiers/<int:pk>/meetings/new/", council.MeetingCreateView.as_view(), name="dossier-meeting-new"),
    path("meetings/<int:pk>/", council.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/ballot.pdf", council.MeetingBallotView.as_view(), name="meeting-ballot"),
    path("dossiers/<int:pk>/listing/", council.ListingPublishView.as_view(), name="dossier-listing"),
    path("listed/", council.PublicListView.as_view(), name="public-list"),
    path("nominees/<int:pk>/objection/", council.ObjectionCreateView.as_view(), name="nominee-objection"),
    path("objections/<int:pk>/answer/", council.ObjectionAnswerView.as_view(), name="objection-answer"),
]
