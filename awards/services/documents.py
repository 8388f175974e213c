"""Documents generated from the registry's data and attached to the dossier: the tờ trình and the
list of nominees (the proposing unit's), the council's minutes, the draft decision (the receiving
office's). A newer one of the same kind takes the older's place in the list; the older stays stored,
so the version that was sent is kept."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import exports, selectors, workflow
from ..choices import AttachmentKind, AuditAction, DossierAction
from ..documents import document_pdf, word
from ..models import Attachment, Dossier, DocumentTemplate
from .base import RegistryError, audit_entry, dossier_event, need_side

LIST = "list"
# kind -> (side that makes it, attachment kind, file name stem)
DOCUMENTS = {
    word.SUBMISSION: (workflow.SENDER, AttachmentKind.SUBMISSION, "to-trinh"),
    LIST: (workflow.SENDER, AttachmentKind.OTHER, "danh-sach-de-nghi"),
    word.MINUTES: (None, AttachmentKind.MINUTES, "bien-ban-hop-hoi-dong"),
    word.DECISION: (workflow.RECEIVER, AttachmentKind.OTHER, "du-thao-quyet-dinh"),
}


def template_for(kind):
    """The administrator's template for this kind of document, else the registry's default."""
    own = DocumentTemplate.objects.filter(kind=kind).first()
    if own is not None:
        with own.file.open("rb") as handle:
            return handle.read()
    return word.default_template(kind)


def document_files(dossier, kind):
    """[(file name, bytes)] of the document made from the dossier as it is now: DOCX and PDF (the
    list: XLSX)."""
    stem = f"{DOCUMENTS[kind][2]}-{dossier.pk}"
    if kind == LIST:
        header, rows = selectors.nominee_list_rows(dossier)
        handle = exports.xlsx_file(header, rows, sheet_title="Danh sách", caption=(
            f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {dossier.year} — {dossier.unit.full_name}"))
        return [(f"{stem}.xlsx", handle.read())]
    context = selectors.document_context(dossier, kind)
    try:
        docx = word.render(template_for(kind), context)
    except word.TemplateProblem as problem:
        raise RegistryError(_("The template for this document is not usable (an administrator replaces it in the "
                              "back office): %(problem)s") % {"problem": problem}) from problem
    return [(f"{stem}.docx", docx), (f"{stem}.pdf", document_pdf(kind, context))]


@transaction.atomic
def document_generate(*, by, dossier, kind):
    """Make the document and attach it (as DOCX and PDF; the list as XLSX), returning the first
    file: the proposing unit's while it prepares the dossier, the receiving office's while it
    reviews it (the minutes: whoever's council met)."""
    if kind not in DOCUMENTS:
        raise RegistryError(_("No such document."))
    current = Dossier.objects.select_for_update().get(pk=dossier.pk)
    side, attachment_kind, _stem = DOCUMENTS[kind]
    if side is None:
        side = workflow.SENDER if current.state in workflow.EDITABLE else workflow.RECEIVER
    need_side(by, current, side)
    open_states = workflow.EDITABLE if side == workflow.SENDER else workflow.REVIEW_STATES
    if current.state not in open_states:
        raise RegistryError(_("The dossier is %(state)s: this document is made at another step.")
                            % {"state": current.get_state_display().lower()})
    if kind == word.MINUTES and selectors.latest_meeting(current) is None:
        raise RegistryError(_("No council meeting with results yet: the minutes are made from them."))
    files = document_files(current, kind)
    older = Attachment.objects.filter(dossier=current, generated=True, removed_at__isnull=True,
                                      name__startswith=DOCUMENTS[kind][2])
    older.update(removed_at=timezone.now())
    made = []
    try:
        for name, body in files:
            attachment = Attachment(dossier=current, kind=attachment_kind, name=name, generated=True,
                                    uploaded_by=by if by and by.pk else None)
            attachment.file.save(name, ContentFile(body), save=False)
            made.append(attachment)
            attachment.save()
            audit_entry(by=by, action=AuditAction.CREATE, instance=attachment, note=_("generated")).save()
            dossier_event(current, DossierAction.ATTACH, by=by, note=str(attachment)).save()
    except BaseException:
        for attachment in made:
            attachment.file.storage.delete(attachment.file.name)
        raise
    attachment = made[0]
    return attachment
