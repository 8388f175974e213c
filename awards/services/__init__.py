"""Every write to the registry: validated, atomic and recorded in the audit trail."""

from .councils import (
    failed_votes,
    listing_publish,
    meeting_create,
    meeting_record,
    objection_answer,
    objection_file,
    passes,
)
from .corrections import accounts_create, correction_answer_seen, correction_request_answer, correction_request_file
from .documents import document_files, document_generate, template_for
from .evidence import evidence_delete, evidence_save, service_break_delete, service_break_save
from .nominations import (
    NomineeRow,
    attachment_add,
    attachment_remove,
    deadline_save,
    dossier_act,
    dossier_create,
    dossier_update,
    nominee_remove,
    nominee_review,
    nominee_update,
    nominees_add,
    nominees_decide,
    nominees_forward,
)
from .directory import directory_disable, directory_sync
from .printing import (
    ceremony_add_awards,
    ceremony_create,
    ceremony_move,
    ceremony_remove,
    ceremony_reset_order,
    ceremony_update,
    certificates_print,
    layout_fill_defaults,
    printer_offset_save,
    within_print_scope,
)
from .base import RegistryError, RuleWarning, StaleEditError
from .registry import (
    AWARD_CORRECTABLE,
    DECISION_CORRECTABLE,
    RecipientRow,
    award_correct,
    award_revoke,
    decision_grant,
    decision_update,
    missing_signer,
    recipient_snapshot,
    record_delete,
    record_save,
)

__all__ = [
    "directory_disable", "directory_sync",
    "accounts_create", "correction_answer_seen", "correction_request_answer", "correction_request_file",
    "AWARD_CORRECTABLE", "DECISION_CORRECTABLE", "RecipientRow", "RegistryError", "RuleWarning", "StaleEditError",
    "award_correct", "award_revoke", "ceremony_add_awards", "ceremony_create", "ceremony_move",
    "ceremony_remove", "ceremony_reset_order", "ceremony_update", "certificates_print", "within_print_scope",
    "decision_grant",
    "decision_update", "evidence_delete", "evidence_save", "service_break_delete", "service_break_save",
    "document_files", "document_generate", "template_for", "failed_votes", "listing_publish", "meeting_create", "meeting_record", "objection_answer",
    "objection_file", "passes",
    "NomineeRow", "attachment_add", "attachment_remove", "deadline_save", "dossier_act", "dossier_create",
    "dossier_update", "nominee_remove", "nominee_review", "nominee_update", "nominees_add", "nominees_decide",
    "nominees_forward",
    "layout_fill_defaults", "missing_signer", "printer_offset_save", "recipient_snapshot", "record_delete", "record_save",
]
