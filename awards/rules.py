"""Eligibility: the rules administrators keep (EligibilityRule), checked against the record.

One rule, two ways of asking it, kept in agreement by a property test:
- for one recipient, `unmet()` reads their record (honours, ratings, initiatives, discipline,
  service, and for a unit its members') and explains each condition not met in one sentence;
- for a whole unit, `candidates()` asks the database once per condition (set-based, no loop
  over people) who meets every condition for an honour they do not hold yet.

The conditions of an honour combine as the law words them (EligibilityRule's docstring): the
ungrouped ones all, and of each any-of group one option, an option being all its conditions.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from . import text
from .choices import DecisionKind, QuotaBase, RecognitionLevel, RuleKind, RuleRecipients, TaskRating, TitleFor
from .models import Award, Discipline, EligibilityRule, Initiative, Person, Rating, Title, Unit, \
    person_display_name, years_of_service

TITLE_KINDS = {RuleKind.SAME_YEAR, RuleKind.CONSECUTIVE, RuleKind.WITHIN}
MEMBER_KINDS = {RuleKind.MEMBERS_SHARE, RuleKind.MEMBERS_COUNT, RuleKind.MEMBERS_CLEAN}

@dataclass(frozen=True)
class Target:
    """An honour candidates are sought for: a title, and the authority if its rules name one."""

    title: Title
    authority_id: int | None = None
    authority_name: str = ""

    def __str__(self):
        """The honour as it is called: "Bằng khen của Chủ nhiệm Tổng cục …" when its rules name
        the authority (unless the title's own name already says it)."""
        name = str(self.title)
        if self.authority_name and text.fold(self.authority_name) not in text.fold(name):
            return f"{name} của {self.authority_name}"
        return name


@dataclass
class Candidate:
    recipient: object
    evidence: list = field(default_factory=list)   # (title name, year, decision number)
    chosen: bool = True                            # ticked for the decision the page drafts
    service_years: int | None = None               # for length-of-service honours


@dataclass
class Record:
    """What the rules read of one recipient."""

    held: dict = field(default_factory=lambda: defaultdict(set))  # {(year, title id): {authority ids}}
    ratings: dict = field(default_factory=dict)                   # {year: rating}
    initiatives: list = field(default_factory=list)               # [(year, level)]
    disciplined: set = field(default_factory=set)                 # years barred by a discipline
    is_unit: bool = False
    soldier: bool = False
    service_from: datetime.date | None = None
    members: list | None = None                                   # a unit's people's records


def _window(rule, year):
    """The years a condition looks at: N years ending this year (or last year)."""
    last = year - (1 if rule.ending_last_year else 0)
    span = 1 if rule.kind == RuleKind.SAME_YEAR else rule.years
    return last - span + 1, last


def load_rules(titles=None, kind=None):
    """Active rules with what they need, keyed by title id: {title_id: [rule, …]}; with a kind of
    commendation, only the rules that apply to it."""
    qs = EligibilityRule.objects.filter(is_active=True).select_related("title", "required_title", "then_title") \
        .prefetch_related("authorities", "required_authorities", "also_titles")
    if titles is not None:
        qs = qs.filter(title__in=titles)
    if kind:
        qs = qs.filter(Q(decision_kind="") | Q(decision_kind=kind))
    rules = defaultdict(list)
    for rule in qs:
        rule.authority_ids = {a.pk for a in rule.authorities.all()}
        rule.required_authority_ids = {a.pk for a in rule.required_authorities.all()}
        rule.required_title_ids = rule.required_ids()
        rules[rule.title_id].append(rule)
    return rules


def fits(rule, *, is_unit, soldier=None):
    """Whether a condition is for this kind of recipient (soldier None: not known yet)."""
    scope = rule.recipients
    if scope == RuleRecipients.COLLECTIVE:
        return is_unit
    if scope and is_unit:
        return False
    if soldier is not None and scope == RuleRecipients.SOLDIER:
        return soldier
    if soldier is not None and scope == RuleRecipients.CIVILIAN:
        return not soldier
    return True


def applies(rule, authority_id, record=None):
    """Whether the rule speaks to this grant: its authority, and (given a record) its kind of recipient."""
    if rule.authority_ids and authority_id not in rule.authority_ids:
        return False
    return record is None or fits(rule, is_unit=record.is_unit, soldier=None if record.is_unit else record.soldier)


def _has(record, rule, year, title_ids=None, authority_ids=None):
    ids = rule.required_title_ids if title_ids is None else title_ids
    wanted = rule.required_authority_ids if authority_ids is None else authority_ids
    for title_id in ids:
        authorities = record.held.get((year, title_id), set())
        if authorities if not wanted else authorities & wanted:
            return True
    return False


def _granted(record, rule, years):
    """The years in which the recipient was granted the honour this rule is for."""
    return [y for y in years if _has(record, rule, y, {rule.title_id}, rule.authority_ids)]


def _titles_text(rule):
    names = [rule.required_title.name] if rule.required_title_id else []
    names += sorted(t.name for t in rule.also_titles.all() if t.pk != rule.required_title_id)
    return _(" or ").join(f"“{n}”" for n in names)


def _span(first, last):
    return str(last) if first == last else f"{first}–{last}"


def percent_text(value):
    """15.00 → "15", 12.50 → "12.5" (normalize() alone writes 70 as "7E+1")."""
    return format(value.normalize(), "f")


def _years(years):
    return ", ".join(map(str, years)) or _("none")


def _rating_ok(record, rule, year):
    return record.ratings.get(year, 0) >= rule.min_rating


def _initiatives(record, rule, first, last):
    level = rule.min_level or RecognitionLevel.GRASSROOTS
    return sum(1 for y, lv in record.initiatives if first <= y <= last and lv >= level)


def _member_ok(member, rule, year):
    if rule.required_title_id:
        return _has(member, rule, year, authority_ids=set())
    return _rating_ok(member, rule, year)


def explain(rule, record, year):
    """None if the condition is met; else what is missing, in one sentence an officer reads."""
    why = _explain_kind(rule, record, year)
    if why is None and rule.consumes:
        why = _explain_consumed(rule, record, year)
    return why


def _explain_kind(rule, record, year):  # noqa: C901 - one branch per kind of condition, read side by side
    kind = rule.kind
    first, last = _window(rule, year)
    span = range(first, last + 1)
    if kind in TITLE_KINDS:
        have = [y for y in span if _has(record, rule, y)]
        needed = _titles_text(rule)
        if kind == RuleKind.SAME_YEAR and not have:
            return _("needs %(title)s in %(year)s too; not held") % {"title": needed, "year": last}
        if kind == RuleKind.WITHIN and len(have) < rule.count:
            if rule.count == 1:
                return _("needs %(title)s at some time in %(first)s–%(last)s; not held") % {
                    "title": needed, "first": first, "last": last}
            return _("needs %(title)s %(n)s times in %(first)s–%(last)s; has %(have)s") % {
                "title": needed, "n": rule.count, "first": first, "last": last, "have": _years(have)}
        if kind == RuleKind.CONSECUTIVE and len(have) < rule.years:
            missing = [y for y in span if y not in have]
            return _("needs %(n)s consecutive years of %(title)s (%(first)s–%(last)s); has %(have)s, missing %(missing)s") % {
                "n": rule.years, "title": needed, "first": first, "last": last, "have": _years(have),
                "missing": _years(missing)}
        return None
    if kind == RuleKind.RATING:
        missing = [y for y in span if not _rating_ok(record, rule, y)]
        if missing:
            return _("needs the rating “%(rating)s” or better in %(span)s; not in %(missing)s") % {
                "rating": TaskRating(rule.min_rating).label, "span": _span(first, last), "missing": _years(missing)}
        return None
    if kind == RuleKind.INITIATIVE:
        have = _initiatives(record, rule, first, last)
        if have < rule.count:
            return _("needs %(n)s recognised initiative(s) or research result(s) at %(level)s level or above in "
                     "%(span)s; has %(have)s") % {
                "n": rule.count, "level": RecognitionLevel(rule.min_level or 1).label.lower(),
                "span": _span(first, last), "have": have}
        return None
    if kind == RuleKind.CLEAN:
        barred = sorted(y for y in span if y in record.disciplined)
        if barred:
            return _("was disciplined in %(years)s, which bars the honour") % {"years": _years(barred)}
        return None
    if kind == RuleKind.FIRST_TIME:
        before = [y for (y, t), a in record.held.items() if y < year and t == rule.title_id
                  and (a if not rule.authority_ids else a & rule.authority_ids)]
        if before:
            return _("already received it in %(years)s; it is granted once") % {"years": _years(sorted(before))}
        return None
    if kind == RuleKind.SERVICE:
        if record.service_from is None:
            return _("needs %(n)s years of service; no enlistment date is recorded") % {"n": rule.years}
        served = years_of_service(record.service_from, last)
        if served < rule.years:
            return _("needs %(n)s years of service by the end of %(year)s; has %(have)s") % {
                "n": rule.years, "year": last, "have": served}
        return None
    if kind == RuleKind.SOLDIER and not (record.soldier and not record.is_unit):
        return _("is for soldiers (with a rank); not this recipient")
    if kind == RuleKind.CIVILIAN and (record.soldier or record.is_unit):
        return _("is for civilian employees (no rank); not this recipient")
    if kind == RuleKind.AFTER:
        return _explain_after(rule, record, year)
    if kind in MEMBER_KINDS:
        return _explain_members(rule, record, last)
    return None


def _follow_ok(record, rule, y):
    if rule.min_rating:
        return _rating_ok(record, rule, y)
    return _has(record, rule, y, {rule.then_title_id}, set())


def _explain_after(rule, record, year):
    _first, last = _window(rule, year)
    starts = sorted({y for (y, _t) in record.held if y <= last - rule.years and _has(record, rule, y)},
                    reverse=True)
    for x in starts:
        if not all(_follow_ok(record, rule, y) for y in range(x + 1, last + 1)):
            continue
        if rule.consumes and _granted(record, rule, range(x, year)):
            continue
        return None
    follows = (_("the rating “%(rating)s” or better") % {"rating": TaskRating(rule.min_rating).label}
               if rule.min_rating else f"“{rule.then_title.name}”")
    if not starts:
        return _("needs %(title)s and then %(n)s following consecutive years of %(follows)s; %(title)s not held "
                 "by %(year)s") % {"title": _titles_text(rule), "n": rule.years, "follows": follows,
                                   "year": last - rule.years}
    x = starts[0]
    broken = [y for y in range(x + 1, last + 1) if not _follow_ok(record, rule, y)]
    return _("needs %(n)s consecutive years of %(follows)s after %(title)s of %(x)s; not in %(missing)s") % {
        "n": rule.years, "follows": follows, "title": _titles_text(rule), "x": x,
        "missing": _years(broken) if broken else _("(the years were used for an earlier grant)")}


def _explain_members(rule, record, year):
    members = record.members
    if members is None:
        return _("counts over a unit's members; this is not a unit")
    if rule.kind == RuleKind.MEMBERS_CLEAN:
        barred = sum(1 for m in members if year in m.disciplined)
        if barred:
            return _("%(n)s member(s) were disciplined in %(year)s") % {"n": barred, "year": year}
        return None
    have = sum(1 for m in members if _member_ok(m, rule, year))
    what = _titles_text(rule) if rule.required_title_id else \
        _("the rating “%(rating)s” or better") % {"rating": TaskRating(rule.min_rating).label}
    if rule.kind == RuleKind.MEMBERS_COUNT and have < rule.count:
        return _("needs at least %(n)s member(s) with %(what)s in %(year)s; has %(have)s") % {
            "n": rule.count, "what": what, "year": year, "have": have}
    if rule.kind == RuleKind.MEMBERS_SHARE and (not members or have * 100 < rule.percent * len(members)):
        return _("needs %(pct)s%% of the members with %(what)s in %(year)s; %(have)s of %(all)s") % {
            "pct": percent_text(rule.percent), "what": what, "year": year, "have": have, "all": len(members)}
    return None


def _explain_consumed(rule, record, year):
    if rule.kind == RuleKind.AFTER:
        return None  # the route itself starts after the last grant
    used = _granted(record, rule, range(year - rule.years + 1, year))
    if used:
        return _("the years before %(year)s were already counted for the grant of %(used)s") % {
            "year": year, "used": _years(used)}
    return None


def _structure(conditions):
    """(the conditions that must each hold, {group: {option: [conditions]}})."""
    required, groups = [], defaultdict(lambda: defaultdict(list))
    for rule in conditions:
        if rule.any_of:
            groups[rule.any_of][rule.option or f"#{rule.pk}"].append(rule)
        else:
            required.append(rule)
    return required, groups


def unmet(*, title, authority_id, year, record, rules):
    """The conditions for this honour the recipient's record does not meet: [(rule, explanation)]."""
    conditions = [r for r in rules.get(title.pk, []) if r.kind != RuleKind.QUOTA and applies(r, authority_id, record)]
    required, groups = _structure(conditions)
    out = [(rule, why) for rule in required if (why := explain(rule, record, year))]
    for options in groups.values():
        failures = []
        for option in options.values():
            whys = [why for rule in option if (why := explain(rule, record, year))]
            if not whys:
                break
            failures.append("; ".join(whys))
        else:
            first = next(iter(options.values()))[0]
            out.append((first, _("meets none of the alternatives: %(options)s") % {
                "options": _(" — or — ").join(f"({i}) {f}" for i, f in enumerate(failures, start=1))}))
    return out


def records(recipients):
    """Records for many people and units at once: {("p", id) | ("u", id): Record}."""
    people = [r for r in recipients if isinstance(r, Person)]
    units = [r for r in recipients if isinstance(r, Unit)]
    out = _person_records(people)
    members = defaultdict(list)
    if units:
        paths = Q()
        for unit in units:
            paths |= Q(unit__path__startswith=unit.path)
        found = list(Person.objects.filter(paths).select_related("unit"))
        person_records = _person_records(found)
        for unit in units:
            members[unit.pk] = [person_records[("p", p.pk)] for p in found if p.unit.path.startswith(unit.path)]
    unit_records = {("u", u.pk): Record(is_unit=True, members=members[u.pk]) for u in units}
    for chunk in chunks([u.pk for u in units], 5000):
        _honours_and_ratings(unit_records, "u", "unit", chunk)
    out.update(unit_records)
    return out


def _honours_and_ratings(out, prefix, field_name, ids):
    for rid, year, title_id, authority_id in Award.objects.active().filter(**{f"{field_name}_id__in": ids}) \
            .values_list(f"{field_name}_id", "year", "title_id", "authority_id"):
        out[(prefix, rid)].held[(year, title_id)].add(authority_id)
    for rid, year, rating in Rating.objects.filter(**{f"{field_name}_id__in": ids}).values_list(
            f"{field_name}_id", "year", "rating"):
        out[(prefix, rid)].ratings[year] = rating


def _person_records(people):
    out = {("p", p.pk): Record(soldier=p.rank is not None, service_from=p.service_from) for p in people}
    for chunk in chunks([p.pk for p in people], 5000):
        _honours_and_ratings(out, "p", "person", chunk)
        for pid, year, level in Initiative.objects.filter(person_id__in=chunk).values_list("person_id", "year", "level"):
            out[("p", pid)].initiatives.append((year, level))
        for pid, first, last in Discipline.objects.filter(person_id__in=chunk).values_list(
                "person_id", "year_from", "year_to"):
            out[("p", pid)].disciplined.update(range(first, last + 1))
    return out


def chunks(items, size):
    """Lists of at most size items: an IN (…) per chunk keeps under any database's parameter limit."""
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def row_warnings(rows, *, authority_id, year, kind=DecisionKind.ANNUAL):
    """For the rows of a decision being recorded: {row index: [explanation, …]}."""
    titles = {r.title.pk for r in rows if r.title is not None}
    rules = load_rules(titles, kind=kind)
    if not rules:
        return {}
    found = records([r.person or r.unit for r in rows if (r.person and r.person.pk) or r.unit])
    warnings = {}
    for index, row in enumerate(rows):
        if row.title is None:
            continue
        recipient = row.person or row.unit
        key = ("p" if row.person else "u", recipient.pk)
        record = found.get(key) or Record(is_unit=row.person is None)
        missing = unmet(title=row.title, authority_id=authority_id, year=year, record=record, rules=rules)
        if missing:
            warnings[index] = [_("“%(title)s” %(why)s%(cite)s") % {
                "title": row.title.name, "why": why, "cite": f" ({rule.citation})" if rule.citation else ""}
                for rule, why in missing]
    return warnings


# ---- set-based: candidates and quotas ----------------------------------------------------------

def _field(title):
    return "unit" if title.recipient_for == TitleFor.COLLECTIVE else "person"


def _title_awards(rule, field_name, title_ids=None, authority_ids=None):
    ids = rule.required_title_ids if title_ids is None else title_ids
    wanted = rule.required_authority_ids if authority_ids is None else authority_ids
    qs = Award.objects.active().filter(title_id__in=ids, **{f"{field_name}__isnull": False})
    return qs.filter(authority_id__in=wanted) if wanted else qs


def _grants(rule, field_name):
    """The awards of the honour the rule is for (from its authorities, when it names them)."""
    return _title_awards(rule, field_name, {rule.title_id}, rule.authority_ids)


NEVER = Q(pk__in=[])


def _condition_q(rule, year, field_name):  # noqa: C901 - one branch per kind, mirroring _explain_kind
    """The recipients (as a filter on Person or Unit) that meet one condition: subqueries, no loop."""
    kind = rule.kind
    first, last = _window(rule, year)
    person = field_name == "person"
    if kind in TITLE_KINDS:
        qs = _title_awards(rule, field_name).filter(year__gte=first, year__lte=last)
        need = {RuleKind.CONSECUTIVE: rule.years, RuleKind.WITHIN: rule.count}.get(kind, 1)
        if need > 1:
            return Q(pk__in=qs.values(field_name).annotate(n=Count("year", distinct=True)).filter(n__gte=need)
                     .values(field_name))
        return Q(pk__in=qs.values(field_name))
    if kind == RuleKind.RATING:
        qs = Rating.objects.filter(year__gte=first, year__lte=last, rating__gte=rule.min_rating,
                                   **{f"{field_name}__isnull": False})
        if rule.years == 1:  # one rating a year: no counting needed
            return Q(pk__in=qs.values(field_name))
        return Q(pk__in=qs.values(field_name).annotate(n=Count("year")).filter(n__gte=rule.years).values(field_name))
    if kind == RuleKind.INITIATIVE:
        if not person:
            return NEVER
        qs = Initiative.objects.filter(year__gte=first, year__lte=last, level__gte=rule.min_level or 1)
        return Q(pk__in=qs.values("person").annotate(n=Count("pk")).filter(n__gte=rule.count).values("person"))
    if kind == RuleKind.CLEAN:
        if not person:
            return Q()
        return ~Q(pk__in=Discipline.objects.filter(year_from__lte=last, year_to__gte=first).values("person"))
    if kind == RuleKind.FIRST_TIME:
        return ~Q(pk__in=_grants(rule, field_name).filter(year__lt=year).values(field_name))
    if kind == RuleKind.SERVICE:
        return Q(service_from__lte=datetime.date(last - rule.years, 12, 31)) if person else NEVER
    if kind in (RuleKind.SOLDIER, RuleKind.CIVILIAN):
        return Q(rank__isnull=kind == RuleKind.CIVILIAN) if person else NEVER
    if kind == RuleKind.AFTER:
        return _after_q(rule, year, field_name)
    if kind in MEMBER_KINDS:
        return NEVER if person else Q(pk__in=_member_units(rule, last))
    return Q()


def _after_q(rule, year, field_name):
    _first, last = _window(rule, year)
    outer = {field_name: OuterRef(field_name), "year__gt": OuterRef("year"), "year__lte": last}
    if rule.min_rating:
        follows = Rating.objects.filter(rating__gte=rule.min_rating, **outer)
        counted = Count("year")
    else:
        follows = Award.objects.active().filter(title_id=rule.then_title_id, **outer)
        counted = Count("year", distinct=True)
    n = Subquery(follows.values(field_name).annotate(n=counted).values("n")[:1])
    starts = _title_awards(rule, field_name).filter(year__lte=last - rule.years).annotate(n=n) \
        .filter(n=last - F("year"))
    if rule.consumes:
        later = _grants(rule, field_name).filter(**{field_name: OuterRef(field_name)}, year__gte=OuterRef("year"),
                                                 year__lt=year)
        starts = starts.exclude(Exists(later))
    return Q(pk__in=starts.values(field_name))


def _member_units(rule, year):
    """The units whose members (people anywhere under them) meet a members' condition, counted
    per unit in the database and summed up the tree here (units are few; people are many)."""
    if rule.kind == RuleKind.MEMBERS_CLEAN:
        barred = _roll_up(Discipline.objects.filter(year_from__lte=year, year_to__gte=year)
                          .values("person__unit_id").annotate(n=Count("person", distinct=True))
                          .values_list("person__unit_id", "n"))
        return [uid for uid in Unit.objects.values_list("pk", flat=True) if not barred.get(uid)]
    if rule.required_title_id:
        qs = Award.objects.active().filter(year=year, title_id__in=rule.required_title_ids, person__isnull=False)
    else:
        qs = Rating.objects.filter(year=year, rating__gte=rule.min_rating, person__isnull=False)
    have = _roll_up(qs.values("person__unit_id").annotate(n=Count("person", distinct=True))
                    .values_list("person__unit_id", "n"))
    if rule.kind == RuleKind.MEMBERS_COUNT:
        return [uid for uid, n in have.items() if n >= rule.count]
    heads = headcounts()
    return [uid for uid, all_ in heads.items() if all_ and have.get(uid, 0) * 100 >= rule.percent * all_]


def _roll_up(pairs):
    """{unit id: count} for counts per unit: each unit's count added to every unit above it."""
    paths = dict(Unit.objects.values_list("pk", "path"))
    total = defaultdict(int)
    for uid, n in pairs:
        for ancestor in paths[uid].split(".")[:-1]:
            total[int(ancestor)] += n
    return total


def headcounts():
    """{unit id: people anywhere under it} (the base of a share, or of a quota by headcount)."""
    return _roll_up(Person.objects.values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))


def _scope_q(rule, model):
    """The people a soldiers-only or civilians-only condition speaks to; None: everyone it is asked of."""
    if model is Person and rule.recipients == RuleRecipients.SOLDIER:
        return Q(rank__isnull=False)
    if model is Person and rule.recipients == RuleRecipients.CIVILIAN:
        return Q(rank__isnull=True)
    return None


def _bound(rule, year, field_name, model):
    """A condition as a filter: it binds the recipients it speaks to; the others pass it."""
    q = _with_consumed(rule, year, field_name)
    scope = _scope_q(rule, model)
    if scope is None or not q:
        return q
    return q | ~scope


def _any_of(rules_, model):
    """Whether any of these conditions speaks to the recipient: None for everyone, else a filter."""
    scopes = [_scope_q(rule, model) for rule in rules_]
    if any(scope is None for scope in scopes):
        return None
    either = NEVER
    for scope in scopes:
        either |= scope
    return either


def _conditions_q(conditions, year, field_name, model):
    """As unmet() reads them: the ungrouped conditions all; of each any-of group one option (all of
    its conditions). A condition that does not speak to the recipient is left out, and so is an
    option, or a group, none of whose conditions does."""
    required, groups = _structure(conditions)
    combined = Q()
    for rule in required:
        combined &= _bound(rule, year, field_name, model)
    for options in groups.values():
        either, met_by_all = NEVER, False
        for option in options.values():
            both = Q()
            for rule in option:
                both &= _bound(rule, year, field_name, model)
            speaks = _any_of(option, model)
            if speaks is not None:
                both = both & speaks if both else speaks
            if not both:  # an option with nothing to check is met by everyone (an empty Q would vanish in |)
                met_by_all = True
                break
            either |= both
        if met_by_all:
            continue
        speaks = _any_of([rule for option in options.values() for rule in option], model)
        combined &= either if speaks is None else either | ~speaks
    return combined


def _with_consumed(rule, year, field_name):
    q = _condition_q(rule, year, field_name)
    if rule.consumes and rule.kind != RuleKind.AFTER:
        q &= ~Q(pk__in=_grants(rule, field_name).filter(year__gte=year - rule.years + 1, year__lt=year)
                .values(field_name))
    return q


def _conditions(rules, target, field_name):
    """The target's conditions, its kind of recipient's (soldier or civilian is left to the query)."""
    return [r for r in rules.get(target.title.pk, [])
            if r.kind != RuleKind.QUOTA and applies(r, target.authority_id) and fits(r, is_unit=field_name == "unit")]


def targets(rules):
    """Honours with rules to check: each title, and each authority its rules single out."""
    out = []
    for rule_list in rules.values():
        title = rule_list[0].title
        binding = [r for r in rule_list if r.kind != RuleKind.QUOTA and fits(r, is_unit=_field(title) == "unit")]
        names = {a.pk: a.name for r in binding for a in r.authorities.all()}
        if any(not r.authority_ids for r in binding):
            out.append(Target(title, None))
        out += [Target(title, a, names[a]) for a in sorted(names)]
    return sorted(out, key=lambda t: (-t.title.rank_order, t.title.name, t.authority_id or 0))


def candidate_queryset(target, *, unit, year, rules):
    """Everyone under the unit who meets every condition for the target and does not hold it that year."""
    field_name = _field(target.title)
    model = Unit if field_name == "unit" else Person
    qs = model.objects.all()
    if unit is not None:
        qs = qs.filter(path__startswith=unit.path) if model is Unit else qs.filter(unit__path__startswith=unit.path)
    qs = qs.filter(_conditions_q(_conditions(rules, target, field_name), year, field_name, model))
    # One achievement, one form of commendation (Law 06/2022, Art. 6): whoever already holds the
    # title for the year, from any authority, is not a candidate for it again.
    holders = Award.objects.active().filter(title=target.title, year=year, **{f"{field_name}__isnull": False})
    return qs.exclude(pk__in=holders.values(field_name))


def candidates(*, unit, year, evidence=True, kind=DecisionKind.ANNUAL):
    """{target: [Candidate]} for every honour that has rules for this kind of commendation, with
    the awards that qualify them."""
    rules = load_rules(kind=kind)
    out = {}
    for target in targets(rules):
        qs = candidate_queryset(target, unit=unit, year=year, rules=rules)
        if _field(target.title) == "person":
            found = _people(qs)
        else:
            found = [Candidate(r) for r in qs.order_by("path")]
        if evidence and found:
            _add_evidence(target, found, year, rules)
        found.sort(key=_ranking)
        out[target] = found
    return out


@dataclass(frozen=True, slots=True, eq=False)
class CandidatePerson:
    """What the candidates page and its export show of a person: lists reach a hundred thousand
    people, so a light record read as plain values rather than a model instance each."""

    pk: int
    full_name: str
    rank: int | None
    sort_key: str
    unit_id: int
    service_from: datetime.date | None
    unit: Unit

    @property
    def display_name(self):
        return person_display_name(self.rank, self.full_name)

    def get_absolute_url(self):
        return reverse("awards:person-detail", args=[self.pk])

    def service_years(self, year):
        return years_of_service(self.service_from, year)

    def __eq__(self, other):
        """The same person as another record of them, light or a model instance."""
        return isinstance(other, (CandidatePerson, Person)) and other.pk == self.pk

    def __hash__(self):
        return hash(("person", self.pk))


def _people(qs):
    rows = list(qs.order_by("sort_key").values_list("pk", "full_name", "rank", "sort_key", "unit_id", "service_from"))
    units = Unit.objects.in_bulk({row[4] for row in rows})
    return [Candidate(CandidatePerson(*row, unit=units[row[4]])) for row in rows]


def _ranking(candidate):
    """The order candidates are proposed in: the most qualifying honours first, then (people) the
    longer service and higher rank, then name order; units in tree order."""
    recipient = candidate.recipient
    if isinstance(recipient, CandidatePerson):
        return (-len(candidate.evidence), -(candidate.service_years or 0), -(recipient.rank or 0),
                recipient.sort_key, "")
    return (-len(candidate.evidence), 0, 0, "", recipient.path)


def preselect(found, quotas):
    """Tick the candidates a decision would take: all of them, or, where a quota limits the title
    in the unit and year, only as many as it still leaves, in ranking order. Returns
    [(target, candidates, places left or None)] for the page."""
    room = {}
    for check in quotas:
        left = max(check.limit - check.count, 0)
        room[check.rule.title_id] = min(room.get(check.rule.title_id, left), left)
    out = []
    for target, listed in found.items():
        left = room.get(target.title.pk)
        for index, candidate in enumerate(listed):
            candidate.chosen = left is None or index < left
        out.append((target, listed, left))
    return out


def _add_evidence(target, found, year, rules):
    field_name = _field(target.title)
    relevant = [r for r in _conditions(rules, target, field_name) if r.kind in TITLE_KINDS | {RuleKind.AFTER}]
    if any(r.kind == RuleKind.SERVICE for r in _conditions(rules, target, field_name)):
        for candidate in found:
            candidate.service_years = candidate.recipient.service_years(year)
    if not relevant:
        return
    first = min(_window(r, year)[0] - (50 if r.kind == RuleKind.AFTER else 0) for r in relevant)
    title_ids = set().union(*(r.required_title_ids for r in relevant))
    by_id = {c.recipient.pk: c for c in found}
    for chunk in chunks(by_id, 5000):
        awards = (Award.objects.active().filter(**{f"{field_name}_id__in": chunk}, year__gte=first, year__lte=year,
                                               title_id__in=title_ids)
                  .values_list(f"{field_name}_id", "title__name", "year", "decision__number").order_by("year"))
        for rid, title_name, y, number in awards:
            by_id[rid].evidence.append((title_name, y, number))


@dataclass
class QuotaCheck:
    rule: EligibilityRule
    unit: Unit
    year: int
    count: int
    base: int

    @property
    def limit(self):
        return int(self.base * self.rule.percent / Decimal(100))

    @property
    def over(self):
        return self.count > self.limit

    @property
    def message(self):
        values = {"a": self.rule.title.name, "count": self.count, "base": self.base, "unit": self.unit.short_name,
                  "year": self.year, "pct": percent_text(self.rule.percent), "limit": self.limit}
        if self.rule.quota_base == QuotaBase.HEADCOUNT:
            return _("“%(a)s”: %(count)s in %(unit)s for %(year)s, of a headcount of %(base)s; the limit is "
                     "%(pct)s%% (%(limit)s)") % values
        return _("“%(a)s”: %(count)s of %(base)s %(b)s in %(unit)s for %(year)s; the limit is %(pct)s%% (%(limit)s)") % {
            **values, "b": _titles_text(self.rule)}


def quota_checks(*, unit, year, adding=None):
    """Each quota rule within the unit and year; adding: {title id: extra count} not yet recorded."""
    adding = adding or {}
    checks = []
    quotas = EligibilityRule.objects.filter(is_active=True, kind=RuleKind.QUOTA).select_related(
        "title", "required_title").prefetch_related("also_titles")
    for rule in quotas:
        within = Award.objects.active().filter(year=year, within_unit__path__startswith=unit.path)
        count = within.filter(title=rule.title).count() + adding.get(rule.title_id, 0)
        if rule.quota_base == QuotaBase.HEADCOUNT:
            base = Person.objects.filter(unit__path__startswith=unit.path).count()
        else:
            ids = rule.required_ids()
            base = within.filter(title_id__in=ids).count() + sum(adding.get(i, 0) for i in ids)
        checks.append(QuotaCheck(rule, unit, year, count, base))
    return checks


def progress(person, *, year):
    """How far the person is along each rule of several consecutive years: [(honour, text)]."""
    rules = load_rules()
    record = records([person])[("p", person.pk)]
    out = []
    for rule_list in rules.values():
        # Not the titles this person cannot hold (the soldiers' title for a civilian, and so on).
        if any(r.kind in (RuleKind.SOLDIER, RuleKind.CIVILIAN) and explain(r, record, year) for r in rule_list):
            continue
        for rule in rule_list:
            if rule.kind not in (RuleKind.CONSECUTIVE, RuleKind.RATING) or rule.years < 2 or not fits(
                    rule, is_unit=False, soldier=record.soldier):
                continue
            first, last = _window(rule, year)
            run = 0
            for y in range(last, first - 1, -1):
                if not (_has(record, rule, y) if rule.kind == RuleKind.CONSECUTIVE else _rating_ok(record, rule, y)):
                    break
                run += 1
            what = _titles_text(rule) if rule.kind == RuleKind.CONSECUTIVE else \
                _("the rating “%(rating)s” or better") % {"rating": TaskRating(rule.min_rating).label}
            names = [a.name for a in rule.authorities.all()]
            honour = Target(rule.title, rule.pk, names[0]) if len(names) == 1 else rule.title
            out.append((str(honour), _("%(run)s of %(n)s consecutive years of %(req)s (to %(last)s)") % {
                "run": run, "n": rule.years, "req": what, "last": last}))
    return out


# ---- the rules DOMAIN.md states, for a registry that has the titles -------------------------------------

CST, LDTT, CSTDCS = "Chiến sĩ tiên tiến", "Lao động tiên tiến", "Chiến sĩ thi đua cơ sở"
TQ, TOAN_QUOC, BK, GK = "Chiến sĩ thi đua toàn quân", "Chiến sĩ thi đua toàn quốc", "Bằng khen", "Giấy khen"
MINISTER, PRIME_MINISTER = "Bộ trưởng Bộ Quốc phòng", "Thủ tướng Chính phủ"
XS, GOOD, DONE = TaskRating.EXCELLENT, TaskRating.GOOD, TaskRating.COMPLETED
ANNUAL, SERVICE = DecisionKind.ANNUAL, DecisionKind.SERVICE
INDIVIDUAL, COLLECTIVE = RuleRecipients.INDIVIDUAL, RuleRecipients.COLLECTIVE


def _c(kind, title=None, **kw):
    return {"kind": kind, "title": title, **kw}


# Each honour: (title, granting authority or None, kind of commendation, recipients, citation, conditions).
# A condition names its required title (and alternatives in "also"), and any field of EligibilityRule.
DOMAIN_RULES = [
    # The army's title for soldiers, its civilian equivalent for civilian employees (DOMAIN.md).
    (CST, None, ANNUAL, INDIVIDUAL, "Luật TĐKT 2022, Điều 24", [
        _c(RuleKind.SOLDIER), _c(RuleKind.RATING, min_rating=GOOD), _c(RuleKind.CLEAN)]),
    (LDTT, None, ANNUAL, INDIVIDUAL, "Luật TĐKT 2022, Điều 24", [
        _c(RuleKind.CIVILIAN), _c(RuleKind.RATING, min_rating=GOOD), _c(RuleKind.CLEAN)]),
    # Art. 23: Chiến sĩ tiên tiến OR Lao động tiên tiến, AND (excellent completion OR an initiative).
    (CSTDCS, None, ANNUAL, INDIVIDUAL, "Luật TĐKT 2022, Điều 23", [
        _c(RuleKind.SAME_YEAR, CST, also=[LDTT]),
        _c(RuleKind.RATING, min_rating=XS, any_of="thanh-tich", option="hoan-thanh-xuat-sac"),
        _c(RuleKind.INITIATIVE, min_level=RecognitionLevel.GRASSROOTS, any_of="thanh-tich", option="sang-kien"),
        _c(RuleKind.CLEAN)]),
    (CSTDCS, None, "", "", "Nghị định 98/2023/NĐ-CP: không quá 15% số Chiến sĩ tiên tiến, Lao động tiên tiến", [
        _c(RuleKind.QUOTA, CST, also=[LDTT], percent=Decimal(15))]),
    # Art. 22: three years of CSTĐCS, used up by the grant, and an initiative with ministry-wide effect.
    (TQ, None, ANNUAL, INDIVIDUAL, "Luật TĐKT 2022, Điều 22", [
        _c(RuleKind.CONSECUTIVE, CSTDCS, years=3, consumes=True),
        _c(RuleKind.INITIATIVE, years=3, min_level=RecognitionLevel.MINISTRY),
        _c(RuleKind.CLEAN)]),
    # Art. 21: two successive toàn quân cycles (six years of CSTĐCS), the second ending the year before.
    (TOAN_QUOC, None, ANNUAL, INDIVIDUAL, "Luật TĐKT 2022, Điều 21", [
        _c(RuleKind.WITHIN, TQ, years=6, count=2, ending_last_year=True, consumes=True),
        _c(RuleKind.SAME_YEAR, TQ, ending_last_year=True),
        _c(RuleKind.CONSECUTIVE, CSTDCS, years=6, ending_last_year=True),
        _c(RuleKind.INITIATIVE, years=6, ending_last_year=True, min_level=RecognitionLevel.NATIONAL),
        _c(RuleKind.CLEAN)]),
    # Art. 74(1)(d): two CSTĐCS running, OR two years of excellent completion with two initiatives.
    (BK, MINISTER, ANNUAL, INDIVIDUAL, "Luật TĐKT 2022, Điều 74 khoản 1 điểm d", [
        _c(RuleKind.CONSECUTIVE, CSTDCS, years=2, consumes=True, any_of="tieu-chuan", option="hai-lan-cstdcs"),
        _c(RuleKind.RATING, min_rating=XS, years=2, consumes=True, any_of="tieu-chuan", option="xuat-sac-sang-kien"),
        _c(RuleKind.INITIATIVE, years=2, count=2, min_level=RecognitionLevel.GRASSROOTS, any_of="tieu-chuan",
           option="xuat-sac-sang-kien"),
        _c(RuleKind.CLEAN)]),
    # Art. 73: after a ministry's Bằng khen, the five FOLLOWING consecutive years of excellent completion.
    (BK, PRIME_MINISTER, ANNUAL, INDIVIDUAL, "Luật TĐKT 2022, Điều 73", [
        _c(RuleKind.AFTER, BK, required_from=MINISTER, years=5, min_rating=XS, consumes=True),
        _c(RuleKind.CLEAN)]),
    # Art. 27: excellent completion, all members completing, ≥ 70% advanced, a CSTĐCS, nobody disciplined.
    ("Đơn vị quyết thắng", None, ANNUAL, COLLECTIVE, "Luật TĐKT 2022, Điều 27", [
        _c(RuleKind.RATING, min_rating=XS),
        _c(RuleKind.MEMBERS_SHARE, min_rating=DONE, percent=Decimal(100)),
        _c(RuleKind.MEMBERS_SHARE, CST, also=[LDTT], percent=Decimal(70)),
        _c(RuleKind.MEMBERS_COUNT, CSTDCS),
        _c(RuleKind.MEMBERS_CLEAN)]),
    ("Đơn vị tiên tiến", None, ANNUAL, COLLECTIVE, "Luật TĐKT 2022, Điều 28", [
        _c(RuleKind.RATING, min_rating=GOOD),
        _c(RuleKind.MEMBERS_SHARE, CST, also=[LDTT], percent=Decimal(50)),
        _c(RuleKind.MEMBERS_CLEAN)]),
    # Length of service (niên hạn), Art. 55 and 57: years of service less the breaks, granted once.
    ("Huy chương Chiến sĩ vẻ vang hạng Ba", None, SERVICE, INDIVIDUAL, "Luật TĐKT 2022, Điều 57", [
        _c(RuleKind.SOLDIER), _c(RuleKind.SERVICE, years=10), _c(RuleKind.FIRST_TIME)]),
    ("Huy chương Chiến sĩ vẻ vang hạng Nhì", None, SERVICE, INDIVIDUAL, "Luật TĐKT 2022, Điều 57", [
        _c(RuleKind.SOLDIER), _c(RuleKind.SERVICE, years=15), _c(RuleKind.FIRST_TIME)]),
    ("Huy chương Chiến sĩ vẻ vang hạng Nhất", None, SERVICE, INDIVIDUAL, "Luật TĐKT 2022, Điều 57", [
        _c(RuleKind.SOLDIER), _c(RuleKind.SERVICE, years=20), _c(RuleKind.FIRST_TIME)]),
    ("Huy chương Quân kỳ quyết thắng", None, SERVICE, INDIVIDUAL, "Luật TĐKT 2022, Điều 55", [
        _c(RuleKind.SERVICE, years=25), _c(RuleKind.FIRST_TIME)]),
]


def seed_domain_rules():
    """Create the rules above for the titles and authorities this registry has (by name); an honour that
    has rules already is left as its administrators made it. Returns how many conditions were new."""
    from .models import Authority

    titles = {t.name: t for t in Title.objects.all()}
    authorities = {a.name: a for a in Authority.objects.all()}
    made = 0
    for name, granting, kind, recipients, citation, conditions in DOMAIN_RULES:
        if name not in titles or (granting and granting not in authorities):
            continue
        quota = conditions[0]["kind"] == RuleKind.QUOTA
        existing = EligibilityRule.objects.filter(title=titles[name], is_active=True)
        existing = existing.filter(kind=RuleKind.QUOTA) if quota else existing.exclude(kind=RuleKind.QUOTA)
        existing = existing.filter(authorities=authorities[granting]) if granting else existing.filter(
            authorities__isnull=True)
        if existing.exists():
            continue
        for condition in conditions:
            made += _seed_condition(titles[name], authorities.get(granting), kind, recipients, citation,
                                    dict(condition), titles, authorities)
    return made


def _seed_condition(title, granting, kind, recipients, citation, condition, titles, authorities):
    required, also = condition.pop("title"), condition.pop("also", [])
    required_from = condition.pop("required_from", None)
    if (required and required not in titles) or (required_from and required_from not in authorities):
        return 0
    rule = EligibilityRule(title=title, decision_kind=kind, recipients=recipients, citation=citation,
                           required_title=titles.get(required), **condition)
    rule.full_clean()
    rule.save()
    if granting:
        rule.authorities.set([granting])
    rule.also_titles.set([titles[n] for n in also if n in titles])
    if required_from:
        rule.required_authorities.set([authorities[required_from]])
    return 1
