"""Eligibility: the rules administrators keep (EligibilityRule), checked against the record.

One rule, two ways of asking it, kept in agreement by a property test:
- for one recipient, `unmet()` reads their honours and explains each rule not met;
- for a whole unit, `candidates()` asks the database once per rule (set-based, no loop
  over people) who meets every rule for an honour they do not hold yet.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from . import text
from .choices import RuleKind, TitleFor
from .models import Award, EligibilityRule, Person, Title, Unit


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


def _window(rule, year):
    if rule.kind == RuleKind.SAME_YEAR:
        return year, year
    if rule.kind == RuleKind.CONSECUTIVE:
        end = year - (1 if rule.ending_last_year else 0)
        return end - rule.years + 1, end
    return year - rule.years + 1, year


def load_rules(titles=None):
    """Active rules with what they need, keyed by title id: {title_id: [rule, …]}."""
    qs = EligibilityRule.objects.filter(is_active=True).select_related("title", "required_title").prefetch_related(
        "authorities", "required_authorities")
    if titles is not None:
        qs = qs.filter(title__in=titles)
    rules = defaultdict(list)
    for rule in qs:
        rule.authority_ids = {a.pk for a in rule.authorities.all()}
        rule.required_authority_ids = {a.pk for a in rule.required_authorities.all()}
        rules[rule.title_id].append(rule)
    return rules


def applies(rule, authority_id):
    return not rule.authority_ids or authority_id in rule.authority_ids


def holdings(awards):
    """A recipient's honours in force as {(year, title_id)}: [authority ids]."""
    held = defaultdict(set)
    for year, title_id, authority_id in awards:
        held[(year, title_id)].add(authority_id)
    return held


def _has(held, rule, year):
    authorities = held.get((year, rule.required_title_id), set())
    return bool(authorities if not rule.required_authority_ids else authorities & rule.required_authority_ids)


def explain(rule, held, year):
    """None if the rule is met; else what is missing, in words an officer reads."""
    if rule.kind == RuleKind.QUOTA:
        return None
    first, last = _window(rule, year)
    have = [y for y in range(first, last + 1) if _has(held, rule, y)]
    needed = rule.required_title.name
    if rule.kind == RuleKind.SAME_YEAR and not have:
        return _("needs “%(title)s” in %(year)s too; not held") % {"title": needed, "year": year}
    if rule.kind == RuleKind.WITHIN and not have:
        return _("needs “%(title)s” at some time in %(first)s–%(last)s; not held") % {
            "title": needed, "first": first, "last": last}
    if rule.kind == RuleKind.CONSECUTIVE and len(have) < rule.years:
        missing = [y for y in range(first, last + 1) if y not in have]
        return _("needs %(n)s consecutive years of “%(title)s” (%(first)s–%(last)s); has %(have)s, missing %(missing)s") % {
            "n": rule.years, "title": needed, "first": first, "last": last,
            "have": ", ".join(map(str, have)) or _("none"), "missing": ", ".join(map(str, missing))}
    return None


def unmet(*, title, authority_id, year, held, rules):
    """The rules for this honour that the recipient's holdings do not meet: [(rule, explanation)]."""
    out = []
    for rule in rules.get(title.pk, []):
        if applies(rule, authority_id):
            why = explain(rule, held, year)
            if why:
                out.append((rule, why))
    return out


def recipient_holdings(recipients):
    """Holdings for many people and units at once: {("p", id) | ("u", id): holdings}."""
    person_ids = [r.pk for r in recipients if isinstance(r, Person)]
    unit_ids = [r.pk for r in recipients if isinstance(r, Unit)]
    by = defaultdict(list)
    for chunk in chunks(person_ids, 5000):
        for pid, year, title_id, authority_id in Award.objects.active().filter(person_id__in=chunk).values_list(
                "person_id", "year", "title_id", "authority_id"):
            by[("p", pid)].append((year, title_id, authority_id))
    for chunk in chunks(unit_ids, 5000):
        for uid, year, title_id, authority_id in Award.objects.active().filter(unit_id__in=chunk).values_list(
                "unit_id", "year", "title_id", "authority_id"):
            by[("u", uid)].append((year, title_id, authority_id))
    return {key: holdings(rows) for key, rows in by.items()}


def chunks(items, size):
    """Lists of at most size items: an IN (…) per chunk keeps under any database's parameter limit."""
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def row_warnings(rows, *, authority_id, year):
    """For the rows of a decision being recorded: {row index: [explanation, …]}."""
    titles = {r.title.pk for r in rows if r.title is not None}
    rules = load_rules(titles)
    if not rules:
        return {}
    held = recipient_holdings([r.person or r.unit for r in rows if (r.person and r.person.pk) or r.unit])
    warnings = {}
    for index, row in enumerate(rows):
        if row.title is None:
            continue
        recipient = row.person or row.unit
        key = ("p" if row.person else "u", recipient.pk)
        found = unmet(title=row.title, authority_id=authority_id, year=year, held=held.get(key, {}), rules=rules)
        if found:
            warnings[index] = [_("“%(title)s” %(why)s%(cite)s") % {
                "title": row.title.name, "why": why, "cite": f" ({rule.citation})" if rule.citation else ""}
                for rule, why in found]
    return warnings


# ---- set-based: candidates and quotas ----------------------------------------------------------

def _field(title):
    return "unit" if title.recipient_for == TitleFor.COLLECTIVE else "person"


def _qualifying(rule, year, field_name):
    """The ids of recipients that meet one rule for this year: one subquery, no loop."""
    first, last = _window(rule, year)
    qs = Award.objects.active().filter(title_id=rule.required_title_id, year__gte=first, year__lte=last,
                                       **{f"{field_name}__isnull": False})
    if rule.required_authority_ids:
        qs = qs.filter(authority_id__in=rule.required_authority_ids)
    if rule.kind == RuleKind.CONSECUTIVE:
        return qs.values(field_name).annotate(n=Count("year", distinct=True)).filter(n__gte=rule.years).values(field_name)
    return qs.values(field_name)


def targets(rules):
    """Honours with rules to check: each title, and each authority its rules single out."""
    out = []
    for rule_list in rules.values():
        title = rule_list[0].title
        names = {a.pk: a.name for r in rule_list if r.kind != RuleKind.QUOTA for a in r.authorities.all()}
        if any(r.kind != RuleKind.QUOTA and not r.authority_ids for r in rule_list):
            out.append(Target(title, None))
        out += [Target(title, a, names[a]) for a in sorted(names)]
    return sorted(out, key=lambda t: (-t.title.rank_order, t.title.name, t.authority_id or 0))


def candidate_queryset(target, *, unit, year, rules):
    """Everyone under the unit who meets every rule for the target and does not hold it that year."""
    field_name = _field(target.title)
    model = Unit if field_name == "unit" else Person
    qs = model.objects.all()
    if unit is not None:
        qs = qs.filter(path__startswith=unit.path) if model is Unit else qs.filter(unit__path__startswith=unit.path)
    for rule in rules.get(target.title.pk, []):
        if rule.kind != RuleKind.QUOTA and applies(rule, target.authority_id):
            qs = qs.filter(pk__in=_qualifying(rule, year, field_name))
    # One achievement, one form of commendation (Law 06/2022, Art. 6): whoever already holds the
    # title for the year, from any authority, is not a candidate for it again.
    holders = Award.objects.active().filter(title=target.title, year=year, **{f"{field_name}__isnull": False})
    return qs.exclude(pk__in=holders.values(field_name))


def candidates(*, unit, year, evidence=True):
    """{target: [Candidate]} for every honour that has rules, with the awards that qualify them."""
    rules = load_rules()
    out = {}
    for target in targets(rules):
        qs = candidate_queryset(target, unit=unit, year=year, rules=rules)
        if _field(target.title) == "person":
            qs = qs.select_related("unit").order_by("sort_key")
        else:
            qs = qs.order_by("path")
        found = [Candidate(r) for r in qs]
        if evidence and found:
            _add_evidence(target, found, year, rules)
        found.sort(key=_ranking)
        out[target] = found
    return out


def _ranking(candidate):
    """The order candidates are proposed in: the most qualifying honours first, then (people) the
    higher rank, then name order; units in tree order."""
    recipient = candidate.recipient
    if isinstance(recipient, Person):
        return (-len(candidate.evidence), -(recipient.rank or 0), recipient.sort_key, "")
    return (-len(candidate.evidence), 0, "", recipient.path)


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
    relevant = [r for r in rules[target.title.pk] if r.kind != RuleKind.QUOTA and applies(r, target.authority_id)]
    if not relevant:
        return
    first = min(_window(r, year)[0] for r in relevant)
    by_id = {c.recipient.pk: c for c in found}
    for chunk in chunks(by_id, 5000):
        awards = (Award.objects.active().filter(**{f"{field_name}_id__in": chunk}, year__gte=first, year__lte=year,
                                               title_id__in={r.required_title_id for r in relevant})
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
        return _("“%(a)s”: %(count)s of %(base)s “%(b)s” in %(unit)s for %(year)s; the limit is %(pct)s%% (%(limit)s)") % {
            "a": self.rule.title.name, "count": self.count, "base": self.base, "b": self.rule.required_title.name,
            "unit": self.unit.short_name, "year": self.year, "pct": self.rule.percent.normalize(), "limit": self.limit}


def quota_checks(*, unit, year, adding=None):
    """Each quota rule within the unit and year; adding: {title id: extra count} not yet recorded."""
    adding = adding or {}
    checks = []
    for rule in EligibilityRule.objects.filter(is_active=True, kind=RuleKind.QUOTA).select_related("title", "required_title"):
        within = Award.objects.active().filter(year=year, within_unit__path__startswith=unit.path)
        count = within.filter(title=rule.title).count() + adding.get(rule.title_id, 0)
        base = within.filter(title=rule.required_title).count() + adding.get(rule.required_title_id, 0)
        checks.append(QuotaCheck(rule, unit, year, count, base))
    return checks


def progress(person, *, year):
    """How far the person is along each consecutive-years rule: [(title, text)]."""
    rules = load_rules()
    held = recipient_holdings([person]).get(("p", person.pk), {})
    out = []
    for rule_list in rules.values():
        for rule in rule_list:
            if rule.kind != RuleKind.CONSECUTIVE or rule.title.recipient_for == TitleFor.COLLECTIVE:
                continue
            first, last = _window(rule, year)
            run = 0
            for y in range(last, first - 1, -1):
                if not _has(held, rule, y):
                    break
                run += 1
            out.append((rule.title, _("%(run)s of %(n)s consecutive years of “%(req)s” (to %(last)s)") % {
                "run": run, "n": rule.years, "req": rule.required_title.name, "last": last}))
    return out


# ---- the rules DOMAIN.md states, for a registry that has the titles -------------------------------------

DOMAIN_RULES = [
    # (title, kind, required title, years, ending last year, percent, citation)
    ("Chiến sĩ thi đua cơ sở", RuleKind.SAME_YEAR, "Chiến sĩ tiên tiến", 1, False, None, "Luật TĐKT 2022, Điều 23"),
    ("Chiến sĩ thi đua toàn quân", RuleKind.CONSECUTIVE, "Chiến sĩ thi đua cơ sở", 3, False, None, "Luật TĐKT 2022, Điều 22"),
    ("Chiến sĩ thi đua toàn quốc", RuleKind.CONSECUTIVE, "Chiến sĩ thi đua toàn quân", 2, False, None, "Luật TĐKT 2022, Điều 21"),
    ("Chiến sĩ thi đua cơ sở", RuleKind.QUOTA, "Chiến sĩ tiên tiến", 1, False, Decimal("15"), "Tỷ lệ theo quy định hiện hành"),
]


# Bằng khen rules name the granting authority (DOMAIN.md, Law Art. 73–74):
# (authority granting it, kind, required title, required from authority, years, citation)
BANG_KHEN_RULES = [
    ("Bộ trưởng Bộ Quốc phòng", RuleKind.CONSECUTIVE, "Chiến sĩ thi đua cơ sở", None, 2, "Luật TĐKT 2022, Điều 74"),
    ("Thủ tướng Chính phủ", RuleKind.WITHIN, "Bằng khen", "Bộ trưởng Bộ Quốc phòng", 50, "Luật TĐKT 2022, Điều 73"),
]


def seed_domain_rules():
    """Create the rules above for the titles and authorities this registry has (by name); returns how many were new."""
    from .models import Authority

    titles = {t.name: t for t in Title.objects.all()}
    authorities = {a.name: a for a in Authority.objects.all()}
    made = 0
    for name, kind, required, years, last_year, percent, citation in DOMAIN_RULES:
        if name in titles and required in titles:
            _rule, created = EligibilityRule.objects.get_or_create(
                title=titles[name], kind=kind, required_title=titles[required],
                defaults={"years": years, "ending_last_year": last_year, "percent": percent, "citation": citation})
            made += created
    for granting, kind, required, required_from, years, citation in BANG_KHEN_RULES:
        if "Bằng khen" not in titles or required not in titles or granting not in authorities:
            continue
        if required_from and required_from not in authorities:
            continue
        existing = EligibilityRule.objects.filter(title=titles["Bằng khen"], kind=kind, required_title=titles[required],
                                                  authorities=authorities[granting])
        if existing.exists():
            continue
        rule = EligibilityRule.objects.create(title=titles["Bằng khen"], kind=kind, required_title=titles[required],
                                              years=years, citation=citation)
        rule.authorities.set([authorities[granting]])
        if required_from:
            rule.required_authorities.set([authorities[required_from]])
        made += 1
    return made
