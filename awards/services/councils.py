"""The council's review and the public listing: meetings, ballots counted against each title's
threshold, results fed to the nominees; the list made public in the unit and its objections."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors, text, workflow
from ..choices import AuditAction, DossierAction, NomineeState
from ..models import CouncilMeeting, CouncilVote, Dossier, DossierEvent, Listing, Objection
from .base import RegistryError, audit_entry, audited_values, clean_or_refuse, dossier_event, locked_row, need_side
from .nominations import nominee_review


def passes(agree, members, threshold):
    """Whether agree votes of a council of `members` reach `threshold` % of them (exact arithmetic)."""
    return Decimal(agree) * 100 >= Decimal(threshold) * members


@transaction.atomic
def meeting_create(*, by, dossier, held_on, place, members_present, chair, secretary):
    """A council meeting on the dossier's nominees, with how many of its members came."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    council, side = selectors.meeting_council(by, dossier)
    if side is None:
        raise RegistryError(_("A council reviews a dossier while its unit prepares it, or while the receiving "
                              "office reviews it."))
    if council is None:
        raise RegistryError(_("No council is set up for %(unit)s: an administrator adds it in the back office "
                              "(Councils).") % {"unit": dossier.unit})
    meeting = CouncilMeeting(council=council, dossier=dossier, held_on=held_on, place=text.normalize(place),
                             members_total=council.members, members_present=members_present,
                             chair=text.normalize(chair) or council.chair,
                             secretary=text.normalize(secretary) or council.secretary,
                             quorum_numerator=council.quorum_numerator,
                             quorum_denominator=council.quorum_denominator,
                             created_by=by if by and by.pk else None)
    clean_or_refuse(meeting)
    meeting.save()
    audit_entry(by=by, action=AuditAction.CREATE, instance=meeting).save()
    dossier_event(dossier, DossierAction.EDIT, by=by, state=dossier.state,
           note=_("Council meeting of %(date)s: %(present)s of %(total)s members present")
           % {"date": held_on.strftime("%d/%m/%Y"), "present": members_present, "total": council.members}).save()
    return meeting


def _vote_problems(meeting, nominee, agree, disagree, title):
    if nominee.dossier_id != meeting.dossier_id:
        return [_("%(nominee)s is not in this dossier.") % {"nominee": nominee.recipient}]
    problems = []
    if agree + disagree > meeting.members_present:
        problems.append(_("%(agree)s agree and %(disagree)s disagree are more than the %(present)s members "
                          "present.") % {"agree": agree, "disagree": disagree, "present": meeting.members_present})
    if title.pk != nominee.title_id and not title.is_below(nominee.title):
        problems.append(_("The council may carry a nominee to a lower honour, not to “%(title)s”.") % {"title": title})
    elif not title.accepts(nominee.recipient_kind):
        problems.append(_("“%(title)s” is not awarded to this kind of recipient.") % {"title": title})
    return problems


@transaction.atomic
def meeting_record(*, meeting, by, expected_version, votes):
    """Record the ballot count for each nominee: votes = [(nominee, agree, disagree, title)].
    Refused without a quorum. Under review at the receiving office, each result is the nominee's
    answer (approved, approved at the lower honour voted on, or not approved with the figures)."""
    current = locked_row(CouncilMeeting, meeting.pk, expected_version, _("council meeting"))
    dossier = Dossier.objects.select_for_update().get(pk=current.dossier_id)
    refusal = selectors.meeting_refusal(by, current, dossier)
    if refusal:
        raise RegistryError(refusal)
    _council, side = selectors.meeting_council(by, dossier)  # the user's own side: no need_side after it
    if not current.has_quorum:
        raise RegistryError(_("Only %(present)s of %(total)s members were present; the council decides with at "
                              "least %(needed)s. No results can be recorded for this meeting.")
                            % {"present": current.members_present, "total": current.members_total,
                               "needed": current.quorum_needed})
    row_errors = {}
    for index, (nominee, agree, disagree, title) in enumerate(votes):
        problems = _vote_problems(current, nominee, agree, disagree, title)
        if problems:
            row_errors[index] = problems
    if row_errors:
        raise RegistryError(_("%(count)s rows have problems; nothing was saved.") % {"count": len(row_errors)},
                            row_errors=row_errors)
    before = {v.nominee_id: v for v in current.votes.all()}
    current.votes.all().delete()
    made = []
    for nominee, agree, disagree, title in votes:
        threshold = title.vote_threshold
        made.append(CouncilVote(meeting=current, nominee=nominee, recipient_name=str(nominee.recipient)[:255],
                                title=title, agree=agree, disagree=disagree,
                                threshold=threshold, passed=passes(agree, current.members_total, threshold)))
    CouncilVote.objects.bulk_create(made)
    current.results_at = timezone.now()
    current.version += 1
    current.save(update_fields=["results_at", "version"])
    note = "; ".join(_vote_line(v, current) for v in made)
    audit_entry(by=by, action=AuditAction.UPDATE, instance=current, note=note,
           before={"votes": {str(k): [v.agree, v.disagree] for k, v in before.items()}}).save()
    DossierEvent.objects.create(dossier=dossier, action=DossierAction.EDIT, state=dossier.state,
                                note=_("Council results: %(votes)s") % {"votes": note},
                                user=by if by and by.pk else None, username=by.get_username() if by else "")
    if side == workflow.RECEIVER:
        for vote in made:
            _feed(vote, current, by=by)
    return current


def _vote_line(vote, meeting):
    return _("%(nominee)s, %(title)s: %(agree)s/%(total)s agree (%(share)s%%, needs %(threshold)s%%) — %(result)s") % {
        "nominee": vote.recipient_name, "title": vote.title.name, "agree": vote.agree,
        "total": meeting.members_total, "share": text.percent(vote.share), "threshold": text.percent(vote.threshold),
        "result": _("passed") if vote.passed else _("not passed")}


def _feed(vote, meeting, *, by):
    """The council's result as the nominee's answer at the receiving office."""
    nominee = vote.nominee
    nominee.refresh_from_db()
    if nominee.state in (NomineeState.FORWARDED, NomineeState.DECIDED):
        return
    if vote.passed and vote.title.pk == nominee.title_id:
        action, note, title = DossierAction.APPROVE, "", None
    elif vote.passed:
        action, title = DossierAction.LOWER, vote.title
        note = _("The council (meeting of %(date)s) passed it at “%(title)s”.") % {
            "date": meeting.held_on.strftime("%d/%m/%Y"), "title": vote.title}
    else:
        action, title = DossierAction.REJECT, None
        note = _("Not passed by the council (meeting of %(date)s).") % {"date": meeting.held_on.strftime("%d/%m/%Y")}
    if nominee.state not in workflow.nominee_move(action).sources:
        if nominee.state == workflow.nominee_move(action).target:
            return
        nominee = nominee_review(nominee=nominee, action=DossierAction.RECONSIDER, by=by,
                                 expected_version=nominee.version)
    nominee_review(nominee=nominee, action=action, by=by, expected_version=nominee.version, note=note, title=title)


def failed_votes(dossier):
    """The nominees whose latest council vote did not pass: a dossier is not sent with them."""
    latest = {}
    for vote in CouncilVote.objects.filter(meeting__dossier=dossier, nominee__isnull=False).select_related(
            "nominee").order_by("meeting__held_on", "meeting_id"):
        latest[vote.nominee_id] = vote
    return [v.nominee for v in latest.values() if not v.passed]


# ---- the public listing (công khai) -------------------------------------------------------------

@transaction.atomic
def listing_publish(*, by, dossier, starts_on, days):
    """Make the dossier's list public in its unit (and everything under it) for a number of days."""
    current = locked_row(Dossier, dossier.pk, None, _("dossier"))
    need_side(by, current, workflow.SENDER)
    if current.state not in workflow.EDITABLE:
        raise RegistryError(_("A dossier is made public before it is sent."))
    if not current.nominees.exists():
        raise RegistryError(_("The dossier has no nominees yet."))
    listing = Listing(dossier=current, starts_on=starts_on, days=days, published_by=by if by and by.pk else None)
    clean_or_refuse(listing)
    listing.save()
    audit_entry(by=by, action=AuditAction.CREATE, instance=listing).save()
    dossier_event(current, DossierAction.EDIT, by=by, state=current.state,
           note=_("Made public in the unit from %(start)s to %(end)s") % {
               "start": listing.starts_on.strftime("%d/%m/%Y"), "end": listing.ends_on.strftime("%d/%m/%Y")}).save()
    return listing


@transaction.atomic
def objection_file(*, by, nominee, message):
    """A member of the unit objects to, or comments on, a nominee while the list is public."""
    message = text.normalize(message)
    if not message:
        raise RegistryError(_("Write the objection or comment."))
    listing = selectors.open_listing(nominee.dossier)
    if listing is None or not selectors.can_see_listing(by, listing):
        raise RegistryError(_("This list is not open to you for objections now."))
    limit = settings.REGISTRY_OBJECTIONS_PER_HOUR
    get_user_model().objects.select_for_update().filter(pk=by.pk).first()  # one count at a time per person
    if Objection.objects.filter(author=by, sent_at__gte=timezone.now() - timezone.timedelta(hours=1)).count() >= limit:
        raise RegistryError(_("You have sent %(count)s objections or comments in the last hour; send more later, or "
                              "speak to the unit's officers.") % {"count": limit})
    objection = Objection(listing=listing, nominee=nominee, author=by, message=message)
    objection.save()
    audit_entry(by=by, action=AuditAction.CREATE, instance=objection).save()
    dossier_event(nominee.dossier, DossierAction.EDIT, by=by, nominee=nominee, state=nominee.dossier.state,
           note=_("Objection on %(nominee)s: %(message)s") % {"nominee": nominee.recipient, "message": message}).save()
    return objection


@transaction.atomic
def objection_answer(*, by, objection, answer, expected_version):
    """The unit's officer answers an objection; the person who sent it reads the answer."""
    current = locked_row(Objection, objection.pk, expected_version, _("objection"))
    dossier = current.listing.dossier
    need_side(by, dossier, workflow.SENDER)
    answer = text.normalize(answer)
    if not answer:
        raise RegistryError(_("Write the answer."))
    before = audited_values(current)
    current.answer, current.answered_by, current.answered_at = answer, by, timezone.now()
    current.version += 1
    current.save()
    audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before).save()
    dossier_event(dossier, DossierAction.EDIT, by=by, nominee=current.nominee, state=dossier.state,
           note=_("Answer to an objection on %(nominee)s: %(answer)s") % {"nominee": current.nominee.recipient,
                                                                          "answer": answer}).save()
    return current


def send_checks(dossier, note):
    """What sending refuses besides the documents: a nominee the council did not pass, and a list
    still public (unless the officer writes why it goes early)."""
    failed = failed_votes(dossier)
    if failed:
        raise RegistryError(_("The council did not pass %(names)s: take them out of the dossier before sending.")
                            % {"names": ", ".join(str(n.recipient) for n in failed)})
    listing = selectors.open_listing(dossier, include_future=True)
    if listing is not None and not note:
        raise RegistryError(_("The list is public until %(end)s; it is sent before then only with the reason "
                              "written in the note.") % {"end": listing.ends_on.strftime("%d/%m/%Y")},
                            field_errors={"note": [_("Say why it is sent before the listing ends.")]})

