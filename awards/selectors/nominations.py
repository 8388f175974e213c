"""Reads of the road to a decision: who may see and act on a dossier, the inbox, a dossier's page,
what is missing from it, and where a person's nominations stand."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import text, workflow
from ..choices import PER_NOMINEE_ATTACHMENTS, AttachmentKind, DossierAction, DossierState, NomineeState
from ..models import Attachment, Authority, Council, Dossier, NominationDeadline, Nominee, Title
from .registry import in_scope, unit_ancestors, user_scope


def receiving_office(authority):
    """The unit whose officers receive the dossiers addressed to this authority: the unit it heads,
    when its book is kept here; None for an authority outside the registry."""
    return authority.unit if authority.unit_id and authority.keeps_book else None


def receives_for(user, authority, unit):
    """Whether this user acts for the authority on a dossier from this unit. For an authority
    outside the registry, the proposing unit's officers record what comes back."""
    if not user.has_perm("awards.review_dossier"):
        return False
    office = receiving_office(authority)
    if office is None:
        return in_scope(user, unit)
    scope = user_scope(user)
    return scope is None or scope.pk == office.pk


def dossier_sides(user, dossier):
    """The sides of the table of moves (workflow.SENDER, RECEIVER) this user acts on for the dossier."""
    sides = set()
    if user.has_perm("awards.change_dossier") and in_scope(user, dossier.unit):
        sides.add(workflow.SENDER)
    if dossier.state != DossierState.DRAFT and receives_for(user, dossier.authority, dossier.unit):
        sides.add(workflow.RECEIVER)
    return sides


def received_authorities(user):
    """The authorities whose dossiers this user receives (those outside the registry excluded:
    their dossiers stay with the unit that sent them)."""
    qs = Authority.objects.filter(unit__isnull=False, keeps_book=True)
    scope = user_scope(user)
    if scope is not None:
        qs = qs.filter(unit=scope) if scope.pk else qs.none()
    return qs if user.has_perm("awards.review_dossier") else qs.none()


def dossier_queryset():
    return Dossier.objects.select_related("unit", "authority", "created_by")


def dossier_visible(user):
    """Dossiers of the user's units, and those addressed to the authorities they receive for (not
    the drafts); nothing for anyone without the right to read dossiers."""
    qs = dossier_queryset()
    if not user.has_perm("awards.view_dossier"):
        return qs.none()
    scope = user_scope(user)
    if scope is None:
        return qs
    mine = Q(unit__path__startswith=scope.path)
    inbox = Q(authority__in=received_authorities(user)) & ~Q(state=DossierState.DRAFT)
    return qs.filter(mine | inbox)


def dossier_get(user, pk):
    return dossier_visible(user).filter(pk=pk).first()


def _with_due(qs):
    due = NominationDeadline.objects.filter(authority=OuterRef("authority"), year=OuterRef("year"),
                                            kind=OuterRef("kind"), campaign=OuterRef("campaign"))
    return qs.annotate(due=Subquery(due.values("due_on")[:1]))


def overdue_q(today):
    """Sent after the deadline, or returned for correction and not back by it."""
    return Q(sent_at__date__gt=F("due")) | Q(state=DossierState.RETURNED, due__lt=today)


def dossier_list(user, *, filters=None, inbox=False, today=None):
    """The dossiers of the user's units (or, inbox=True, those addressed to their authorities),
    each with its deadline and nominee count, filtered by state, year, kind, unit, overdue."""
    filters = filters or {}
    today = today or timezone.localdate()
    if inbox:
        qs = dossier_queryset().filter(authority__in=received_authorities(user)).exclude(state=DossierState.DRAFT)
    else:
        scope = user_scope(user)
        qs = dossier_queryset() if scope is None else dossier_queryset().filter(unit__path__startswith=scope.path)
        if not user.has_perm("awards.view_dossier"):
            qs = qs.none()
    qs = _with_due(qs)
    if filters.get("state") in DossierState.values:
        qs = qs.filter(state=filters["state"])
    if (year := text.plain_int(filters.get("year"), high=9999)) is not None:
        qs = qs.filter(year=year)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if (unit := text.plain_int(filters.get("unit"))) is not None:
        qs = qs.filter(unit_id=unit)
    if filters.get("overdue"):
        qs = qs.filter(overdue_q(today))
    counts = Nominee.objects.filter(dossier=OuterRef("pk")).order_by().values("dossier").annotate(n=Count("pk"))
    overdue = Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    return qs.annotate(nominee_count=Subquery(counts.values("n")[:1]), overdue=overdue).order_by(
        F("sent_at").desc(nulls_first=True), "-pk")


def state_counts(qs):
    """{state: count} of a list before its state filter: the inbox's tabs."""
    found = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    return [(value, label, found.get(value, 0)) for value, label in DossierState.choices]


@dataclass
class NomineeLine:
    nominee: Nominee
    warnings: list = field(default_factory=list)      # rules not met for the honour proposed
    moves: list = field(default_factory=list)         # review buttons for this user
    reports: list = field(default_factory=list)       # the nominee's own documents
    trail: list = field(default_factory=list)         # the levels it came through (forwarded ones)
    lower: list = field(default_factory=list)         # the honours it may be approved at instead


def active_titles():
    return list(Title.objects.filter(is_active=True).order_by("-rank_order", "name"))


def titles_below(nominee, titles):
    """The honours of `titles` lower than the one proposed and given to this kind of recipient:
    where a reviewer or a council may carry the nominee."""
    return [t for t in titles if t.is_below(nominee.title) and t.accepts(nominee.recipient_kind)]


def dossier_nominees(dossier):
    return (dossier.nominees.select_related("person__unit", "unit__parent", "title", "approved_title",
                                            "award__decision", "source__dossier__unit")
            .prefetch_related("forwarded_as").order_by("seq", "pk"))


def nominee_lines(dossier, *, sides, rule_check=True):
    """The nominees as the dossier's page lists them: each with the rules it fails, its review
    buttons and documents (two or three queries for the whole list)."""
    from .. import rules

    nominees = list(dossier_nominees(dossier))
    warnings = rules.row_warnings(nominees, authority_id=dossier.authority_id, year=dossier.year,
                                  kind=dossier.kind) if rule_check and nominees else {}
    reports = {}
    for attachment in dossier.attachments.filter(removed_at__isnull=True, nominee__isnull=False):
        reports.setdefault(attachment.nominee_id, []).append(attachment)
    titles = active_titles()
    return [NomineeLine(n, warnings.get(i, []), workflow.review_moves(dossier.state, n.state, sides),
                        reports.get(n.pk, []), nominee_trail(n), titles_below(n, titles))
            for i, n in enumerate(nominees)]


def nominee_trail(nominee):
    """The lower levels a forwarded nominee came through, nearest first: [(dossier, nominee)]."""
    trail, seen = [], nominee.source
    while seen is not None and len(trail) < 10:
        trail.append(seen)
        seen = seen.source
    return trail


def dossier_attachments(dossier):
    return dossier.attachments.filter(removed_at__isnull=True).select_related("nominee__person", "nominee__unit")


def missing_attachments(dossier, nominees=None):
    """What the dossier cannot be sent without, as the titles proposed require: [message]."""
    nominees = list(nominees if nominees is not None else dossier.nominees.select_related("title", "person", "unit"))
    present = set()
    for kind, nominee_id in Attachment.objects.filter(dossier=dossier, removed_at__isnull=True).values_list(
            "kind", "nominee_id"):
        present.add((kind, nominee_id))
    labels = dict(AttachmentKind.choices)
    missing = []
    dossier_kinds = {}
    for nominee in nominees:
        for kind in nominee.title.required_attachments or []:
            if kind not in labels:
                continue
            if kind in PER_NOMINEE_ATTACHMENTS:
                if (kind, nominee.pk) not in present:
                    missing.append(_missing_for(labels[kind], nominee))
            elif (kind, None) not in present:
                dossier_kinds.setdefault(kind, nominee.title.name)
    missing[:0] = [_missing(labels[kind], title) for kind, title in dossier_kinds.items()]
    return missing


def _missing(label, title):
    return _("%(document)s (required for “%(title)s”)") % {"document": label, "title": title}


def _missing_for(label, nominee):
    return _("%(document)s for %(recipient)s (required for “%(title)s”)") % {
        "document": label, "recipient": nominee.recipient, "title": nominee.title.name}


def dossier_events(dossier):
    return dossier.events.select_related("nominee__person", "nominee__unit", "user").order_by("at", "pk")


def approved_nominees(user, *, authority=None, year=None, kind=None, title=None, dossier=None):
    """Nominees approved and not yet decided or forwarded, in dossiers addressed to an authority
    this user receives for: what a decision, or a dossier to the level above, is made from."""
    qs = (Nominee.objects.filter(state__in=workflow.APPROVED, dossier__state__in=workflow.REVIEW_STATES)
          .select_related("person__unit", "unit__parent", "title", "approved_title", "dossier__unit",
                          "dossier__authority").order_by("dossier__authority", "dossier_id", "seq", "pk"))
    if authority is not None:
        qs = qs.filter(dossier__authority=authority)
    if year:
        qs = qs.filter(dossier__year=year)
    if kind:
        qs = qs.filter(dossier__kind=kind)
    if title is not None:
        qs = qs.filter(Q(approved_title=title) | Q(approved_title__isnull=True, title=title))
    if dossier is not None:
        qs = qs.filter(dossier=dossier)
    scope = user_scope(user)
    if scope is None:
        return qs
    office = Q(dossier__authority__in=received_authorities(user))
    outside = (Q(dossier__authority__keeps_book=False) | Q(dossier__authority__unit__isnull=True)) & Q(
        dossier__unit__path__startswith=scope.path)
    return qs.filter(office | outside) if user.has_perm("awards.review_dossier") else qs.none()


def higher_authorities(authority):
    """Where a dossier of this level goes up to: every authority of a higher level."""
    return Authority.objects.filter(level__gt=authority.level).order_by("level", "name")


def person_nominations(person):
    """Where each of the person's nominations stands, following each one up the chain to where
    it is now: [(first nominee, latest nominee)], newest first. The council's votes are not
    part of it."""
    firsts = list(Nominee.objects.filter(person=person, source__isnull=True).exclude(dossier__state=DossierState.DRAFT)
                  .select_related("dossier__authority", "dossier__unit", "title", "approved_title", "award__decision")
                  .order_by("-dossier__year", "-pk"))
    out = []
    for first in firsts:
        latest, hops = first, 0
        while hops < 10:
            after = (Nominee.objects.filter(source=latest).exclude(dossier__state=DossierState.DRAFT)
                     .select_related("dossier__authority", "title", "approved_title", "award__decision").first())
            if after is None:
                break
            latest, hops = after, hops + 1
        out.append((first, latest))
    return out


def nomination_waiting(user):
    """What waits for this officer on the road to a decision, for the dashboard."""
    inbox = Dossier.objects.filter(authority__in=received_authorities(user))
    counts = dict(inbox.exclude(state=DossierState.DRAFT).order_by().values_list("state").annotate(n=Count("pk")))
    scope = user_scope(user)
    mine = Dossier.objects.all() if scope is None else Dossier.objects.filter(unit__path__startswith=scope.path)
    own = dict(mine.order_by().values_list("state").annotate(n=Count("pk")))
    return {
        "to_receive": counts.get(DossierState.SENT, 0),
        "in_review": counts.get(DossierState.RECEIVED, 0),
        "to_decide": approved_nominees(user).count(),
        "returned": own.get(DossierState.RETURNED, 0),
        "drafts": own.get(DossierState.DRAFT, 0),
    }


def person_nominations_open(person):
    """The person's nominations still on their way (for their dashboard)."""
    return sum(1 for _first, latest in person_nominations(person)
               if latest.state not in (NomineeState.REJECTED, NomineeState.DECIDED))


def deadlines(user):
    return (NominationDeadline.objects.filter(authority__in=received_authorities(user))
            .select_related("authority", "set_by"))


def outside_nominees(user, dossier):
    """The nominees of a dossier to an authority outside the registry that its decision may name:
    those not yet decided or refused, for the unit's officers who record it."""
    if workflow.RECEIVER not in dossier_sides(user, dossier):
        return Nominee.objects.none()
    return (dossier.nominees.filter(state__in=(NomineeState.PROPOSED,) + workflow.APPROVED)
            .select_related("person__unit", "unit__parent", "title", "approved_title", "dossier__unit",
                            "dossier__authority").order_by("seq", "pk"))


# ---- the council and the public listing ---------------------------------------------------------

def meeting_council(by, dossier):
    """The council that reviews the dossier for this user: the receiving office's while it is under
    review there, else the proposing unit's own (or the nearest unit above it that has one)."""
    sides = dossier_sides(by, dossier) if by is not None else {workflow.SENDER}
    if workflow.RECEIVER in sides and dossier.state in workflow.REVIEW_STATES:
        office = receiving_office(dossier.authority) or dossier.unit
        return Council.objects.filter(unit=office).first(), workflow.RECEIVER
    if workflow.SENDER in sides and dossier.state in workflow.EDITABLE:
        for unit in [dossier.unit, *reversed(list(unit_ancestors(dossier.unit)))]:
            council = Council.objects.filter(unit=unit).first()
            if council is not None:
                return council, workflow.SENDER
        return None, workflow.SENDER
    return None, None


# The moves that take a dossier out of the unit whose council met on it, or decide from its results.
_LEAVES_COUNCIL = (DossierAction.SEND, DossierAction.RETURN, DossierAction.FORWARD, DossierAction.DECIDE)


def meeting_closed(meeting):
    """Whether a meeting's results are final: its dossier has left the council's unit (sent up, or
    returned down) or been decided from since the meeting was entered."""
    from ..models import DossierEvent

    return DossierEvent.objects.filter(dossier_id=meeting.dossier_id, action__in=_LEAVES_COUNCIL,
                                       at__gte=meeting.created_at).exists()


def meeting_refusal(by, meeting, dossier):
    """Why this user may not record the meeting's results now (None: they may): its results are
    final, the dossier is at no step of a council, or the meeting is another council's."""
    if meeting_closed(meeting):
        return _("The dossier has moved on since this meeting (sent, returned or decided from its results): the "
                 "council's results are final.")
    council, side = meeting_council(by, dossier)
    if side is None:
        return _("The dossier is %(state)s: the council's results cannot be recorded now.") % {
            "state": dossier.get_state_display().lower()}
    if council is None or council.pk != meeting.council_id:
        return _("This meeting is of the council of %(unit)s: only that unit's officers record its results.") % {
            "unit": meeting.council.unit}
    return None


def open_listing(dossier, *, include_future=False, today=None):
    """The dossier's listing running today (or, include_future, one not yet ended), or None."""
    from ..models import Listing

    today = today or timezone.localdate()
    qs = Listing.objects.filter(dossier=dossier, ends_on__gte=today)
    if not include_future:
        qs = qs.filter(starts_on__lte=today)
    return qs.order_by("-starts_on").first()


def can_see_listing(user, listing):
    """A public list is for the signed-in members of the unit and everything under it (and its
    officers)."""
    if not user.is_authenticated:
        return False
    person = getattr(user, "person", None)
    if person is not None and person.unit.path.startswith(listing.dossier.unit.path):
        return True
    return bool(dossier_sides(user, listing.dossier))


def listings_for(user, *, today=None):
    """The lists public today to this member: of their own unit's dossiers and those of the units above."""
    from ..models import Listing

    today = today or timezone.localdate()
    person = getattr(user, "person", None) if user.is_authenticated else None
    qs = Listing.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related("dossier__unit",
                                                                                      "dossier__authority")
    if person is None:
        return []
    return [listing for listing in qs if person.unit.path.startswith(listing.dossier.unit.path)]


def listing_nominees(listing):
    return listing.dossier.nominees.select_related("person__unit", "unit", "title").order_by("seq", "pk")


def dossier_objections(dossier):
    from ..models import Objection

    return Objection.objects.filter(listing__dossier=dossier).select_related("nominee__person", "nominee__unit",
                                                                            "author", "answered_by")


def my_objections(user):
    from ..models import Objection

    return Objection.objects.filter(author=user).select_related("nominee__person", "nominee__unit",
                                                               "listing__dossier__unit").order_by("-sent_at")


def dossier_meetings(dossier):
    return dossier.meetings.select_related("council__unit").prefetch_related("votes__nominee", "votes__title")


def ballot_data(meeting):
    """What the ballot sheet lists: the council, the meeting, the nominees grouped by honour."""
    groups = {}
    for nominee in meeting.dossier.nominees.select_related("person__unit", "unit__parent", "title").order_by(
            "-title__rank_order", "seq"):
        groups.setdefault(nominee.title.name, []).append(nominee)
    # An official form: in Vietnamese whatever the page's language.
    return {"council": f"Hội đồng Thi đua – Khen thưởng {meeting.council.unit.full_name}",
            "unit": meeting.council.unit.full_name.upper(),
            "date": meeting.held_on, "place": meeting.place, "year": meeting.dossier.year,
            "groups": [(title, [(n.person.display_name if n.person_id else n.unit.full_name,
                                 n.person.unit.short_name if n.person_id else (n.unit.parent.short_name if n.unit.parent_id else ""))
                                for n in nominees]) for title, nominees in groups.items()]}


# ---- the documents a dossier's steps produce ----------------------------------------------------

def _rank_position(person):
    from ..models import rank_label_vi

    return ", ".join(x for x in (rank_label_vi(person.rank) if person.rank else "", person.position) if x)


def _nominee_row(index, nominee, honour=None):
    person = nominee.person
    return {"index": index, "name": person.full_name if person else nominee.unit.full_name,
            "rank_position": _rank_position(person) if person else "",
            "unit": person.unit.full_name if person else (nominee.unit.parent.full_name if nominee.unit.parent_id else ""),
            "honour": (honour or nominee.title).name, "summary": nominee.summary}


def latest_meeting(dossier):
    return dossier.meetings.filter(results_at__isnull=False).select_related("council__unit").order_by(
        "-held_on", "-pk").first()


def document_context(dossier, kind, *, today=None):
    """Plain values for a document template (official forms: always in Vietnamese)."""
    from ..choices import AuthorityKind, DecisionKind, UnitKind

    today = today or timezone.localdate()
    unit = dossier.unit
    above = unit.parent.full_name.upper() if unit.parent_id else ""
    kinds = {DecisionKind.ANNUAL: "hoàn thành xuất sắc nhiệm vụ", DecisionKind.CAMPAIGN: "trong đợt thi đua",
             DecisionKind.SUDDEN: "đột xuất"}
    context = {"unit": unit.full_name, "unit_upper": unit.full_name.upper(), "unit_above": above,
               "authority": dossier.authority.name, "reference": dossier.reference or "……/TTr",
               "year": dossier.year, "campaign": dossier.campaign, "kind": kinds.get(dossier.kind, ""),
               "place": dossier.authority.place or "Hà Nội", "day": f"{today.day:02d}", "month": f"{today.month:02d}",
               "year_now": today.year, "party": unit.kind == UnitKind.PARTY}
    nominees = list(dossier.nominees.select_related("person__unit", "unit__parent", "title", "approved_title")
                    .order_by("seq", "pk"))
    meeting = latest_meeting(dossier)
    if meeting is not None:
        context["meeting"] = {"date": meeting.held_on.strftime("%d/%m/%Y"), "place": meeting.place,
                              "chair": meeting.chair, "secretary": meeting.secretary,
                              "present": meeting.members_present, "total": meeting.members_total,
                              "needed": meeting.quorum_needed}
        votes = list(meeting.votes.select_related("title").order_by("nominee__seq", "pk"))
        context["votes"] = [{"index": i, "name": v.recipient_name, "honour": v.title.name, "agree": v.agree,
                             "disagree": v.disagree, "share": text.percent(v.share), "threshold": text.percent(v.threshold),
                             "result": "Đạt" if v.passed else "Không đạt"} for i, v in enumerate(votes, start=1)]
        context["passed_count"] = sum(1 for v in votes if v.passed)
        context["unit_upper"] = meeting.council.unit.full_name.upper() if kind == "minutes" else context["unit_upper"]
    if kind == "decision":
        nominees = [n for n in nominees if n.state in workflow.APPROVED]
        authority = dossier.authority
        honours = sorted({n.honour.name for n in nominees})
        context.update({
            "authority_upper": authority.heading or authority.name.upper(),
            "authority_above": authority.unit.parent.full_name.upper() if authority.unit_id and authority.unit.parent_id else "",
            "party": authority.kind == AuthorityKind.PARTY, "number": f"……/{authority.symbol}" if authority.symbol else "……",
            "subject": "Về việc tặng " + ", ".join(honours) if honours else "Về việc khen thưởng",
            "honours": ", ".join(honours), "proposers": dossier.unit.full_name,
            "reason": f"Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm {dossier.year}",
            **_last_signer(authority)})
        context["nominees"] = [_nominee_row(i, n, n.honour) for i, n in enumerate(nominees, start=1)]
    else:
        context["nominees"] = [_nominee_row(i, n) for i, n in enumerate(nominees, start=1)]
    counts = {}
    for row in context["nominees"]:
        counts[row["honour"]] = counts.get(row["honour"], 0) + 1
    context["by_honour"] = [{"title": title, "count": count} for title, count in counts.items()]
    context["count"] = len(context["nominees"])
    return context


def _last_signer(authority):
    """Who signs for the authority, as its latest decision recorded here says (else its head's title)."""
    from ..models import Decision

    last = Decision.objects.filter(authority=authority).exclude(signer_title="").order_by("-date", "-pk").first()
    if last is None:
        return {"signer_title": "THỦ TRƯỞNG", "signer_name": ""}
    prefix = f"{last.signer_prefix} {last.signer_on_behalf_of.upper()}\n" if last.signer_prefix else ""
    return {"signer_title": f"{prefix}{last.signer_title.upper()}", "signer_name": last.signer_name}


def nominee_list_rows(dossier):
    """The danh sách đề nghị as a spreadsheet's rows (header, rows)."""
    header = ["STT", "Họ và tên", "Cấp bậc, chức vụ", "Đơn vị", "Hình thức đề nghị", "Tóm tắt thành tích"]
    rows = [[r["index"], r["name"], r["rank_position"], r["unit"], r["honour"], r["summary"]]
            for r in document_context(dossier, "submission")["nominees"]]
    return header, rows
