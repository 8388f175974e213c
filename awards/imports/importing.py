"""The imports a page previews and confirms (a decision's recipients, the roster), as one table:
the form that carries the file's token, how its table is checked and how the check is written.
The import page runs it for a small file; the worker (awards.jobs) for a large one."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from . import store
from .core import ImportRefused, commit_recipients, commit_roster, count_known_headers, preview_recipients, \
    preview_roster


@dataclass(frozen=True)
class Kind:
    form: str            # the form's name in awards.forms
    preview: object      # (table, form, user, progress, confirming) -> Preview
    commit: object       # (preview, form, user) -> what was written
    done: object         # what was written -> (the page to go to, what to tell the user, whether it was news)


def _recipients_done(decision):
    if decision is None:
        return reverse("awards:decision-import"), _("Nothing new: every row of this file is already in the registry."), False
    return decision.get_absolute_url(), (_("Decision %(number)s was recorded with %(count)s recipients.")
                                         % {"number": decision.number, "count": decision.awards.count()}), True


def _roster_done(result):
    if not result["created"] and not result["updated"]:
        return reverse("awards:roster-import"), _("Nothing new: every row of this file is already in the registry."), False
    return reverse("awards:roster-import"), _("%(created)s people added, %(updated)s updated.") % result, True


KINDS = {
    "recipients": Kind(
        form="DecisionImportForm",
        preview=lambda table, form, user, progress=None, confirming=False: preview_recipients(
            table, decision=form.instance, by=user, progress=progress, confirming=confirming),
        commit=lambda preview, form, user: commit_recipients(
            preview, by=user, decision=form.instance, justification=form.cleaned_data.get("justification", "")),
        done=_recipients_done,
    ),
    "roster": Kind(
        form="RosterImportForm",
        preview=lambda table, form, user, progress=None, confirming=False: preview_roster(
            table, by=user, progress=progress),
        commit=lambda preview, form, user: commit_roster(preview, by=user),
        done=_roster_done,
    ),
}


def form_class(kind):
    from .. import forms

    return getattr(forms, KINDS[kind].form)


def confirm(kind, *, post, token, user, progress=None):
    """Check the staged file again and write it, all or nothing, as the page's confirm does;
    returns (the page to go to, the message). Refusals raise ImportRefused or FileRefused."""
    spec = KINDS[kind]
    form = form_class(kind)(post)
    if not form.is_valid():
        raise ImportRefused(_("The form of the import is no longer valid: %(errors)s")
                            % {"errors": "; ".join(e for errors in form.errors.values() for e in errors)}, preview=None)
    table = _staged_table(user, token, post)
    if progress:
        progress.phase("checking", total=len(table.rows))
    preview = spec.preview(table, form, user, progress, confirming=True)
    if progress:
        progress.phase("writing", total=len(table.rows))
    try:
        result = spec.commit(preview, form, user)
    except ImportRefused as refused:
        raise ImportRefused(_explained(refused), preview=refused.preview)
    store.discard(user_id=user.pk, token=token)
    url, message, _news = spec.done(result)
    return url, message


def _staged_table(user, token, post):
    """The table of the user's staged upload (of the sheet the page chose), read once."""
    try:
        return store.table(user_id=user.pk, token=token, sheet=post.get("sheet") or None,
                           known_headers=count_known_headers)
    except store.Expired:
        raise ImportRefused(_("The uploaded file has expired; choose it again."), preview=None)


def _explained(refused, *, shown=5):
    """The refusal with its first rows' problems spelled out (row and column), for a page that
    cannot show the preview."""
    preview = refused.preview
    lines = []
    for row in (preview.rows if preview else []):
        for column, problem, is_error in row.problems:
            if is_error and len(lines) < shown:
                lines.append(_("Row %(row)s, column “%(column)s”: %(problem)s.")
                             % {"row": row.number, "column": column, "problem": problem.rstrip(".")} if column else
                             _("Row %(row)s: %(problem)s.") % {"row": row.number, "problem": problem.rstrip(".")})
    return " ".join([refused.message] + lines)


def ledger(*, user, post, token, write, progress=None):
    """A ledger's preview (saved for its page) and, with write, its recording, as the page does
    it for a small file and the worker for a large one; returns (preview, decisions written).
    post: the page's fields (the sheet, and the names mapped in the preview). Refusals raise
    ImportRefused or FileRefused, nothing written."""
    from ..forms import LedgerNameFormSet
    from .ledger import commit_ledger, preview_ledger, summary

    names = LedgerNameFormSet(post, prefix="names", user=user) if "names-TOTAL_FORMS" in post else None
    if names is not None and not names.is_valid():
        raise ImportRefused(_("The names mapped in the preview are no longer valid: %(errors)s")
                            % {"errors": "; ".join(e for form in names.errors for errors in form.values() for e in errors)},
                            preview=None)
    if progress:
        progress.phase("reading", total=0)
    table = _staged_table(user, token, post)
    if progress:
        progress.phase("checking", total=len(table.rows))
    preview = preview_ledger(table, by=user, mappings=names.mappings() if names else {}, progress=progress)
    written = None
    if write:
        if progress:
            progress.phase("writing", total=len(preview.to_write))
        try:
            written = commit_ledger(preview, by=user, progress=progress)
        except ImportRefused as refused:
            store.save_preview(user_id=user.pk, token=token, summary=summary(preview))
            raise ImportRefused(_explained(refused), preview=refused.preview)
        store.discard(user_id=user.pk, token=token)
    else:
        store.save_preview(user_id=user.pk, token=token, summary=summary(preview))
    return preview, written


def ledger_done(written):
    """(the page to go to, what to tell the user) after a ledger was written."""
    if not written:
        return reverse("awards:ledger-import"), _("Nothing new: every row of this file is already in the registry.")
    return reverse("awards:decision-list"), _("%(count)s decisions recorded or extended from the ledger.") % {
        "count": len(written)}
