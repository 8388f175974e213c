"""Matching a file's rows to the registry, the preview, and the all-or-nothing write."""

import functools
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .. import text
from ..choices import AuditAction, Rank
from ..models import AuditEntry, Decision, Person, Title, Unit, rank_label_vi
from ..services.base import RegistryError, RuleWarning, audit_entry, audited_values
from ..services.registry import (
    RecipientRow,
    check_typed_numbers,
    decision_grant,
    duplicate_keys,
    missing_signer,
    row_problems,
)
from ..rules import chunks
from ..selectors import user_scope
from .reader import parse_date, without_gc_pauses

# The template's headers, and what else offices write for them (compared accent-folded).
COLUMNS = {
    "seq": ("STT", ["stt", "so tt", "tt"]),
    "name": ("Họ và tên", ["ho va ten", "ho ten", "ten", "ho va ten / don vi", "nguoi / tap the"]),
    "rank": ("Cấp bậc", ["cap bac"]),
    "position": ("Chức vụ", ["chuc vu"]),
    "unit": ("Đơn vị", ["don vi", "don vi cong tac"]),
    "service_number": ("Số hiệu quân nhân", ["so hieu quan nhan", "so hieu", "shqn", "so hieu qn"]),
    "title": ("Danh hiệu / Hình thức", ["danh hieu hinh thuc", "danh hieu", "hinh thuc", "hinh thuc khen thuong",
                                           "hinh thuc de nghi", "danh hieu de nghi", "hinh thuc khen thuong de nghi",
                                           "danh hieu hinh thuc de nghi"]),
    "achievement": ("Thành tích", ["thanh tich", "thanh tich dat duoc", "tom tat thanh tich"]),
    "birth_date": ("Ngày sinh", ["ngay sinh", "ngay thang nam sinh"]),
    # Only for an authority above: the number printed on the certificate that arrived.
    "register_number": ("Số sổ vàng", ["so so vang", "so vao so vang", "so vao so", "so so"]),
    "enlisted_on": ("Ngày nhập ngũ", ["ngay nhap ngu", "nhap ngu", "ngay vao cong tac", "ngay tuyen dung"]),
    # The evidence the rules read (imports.evidence).
    "year": ("Năm", ["nam", "nam danh gia", "nam xep loai"]),
    "rating": ("Xếp loại", ["xep loai", "muc do hoan thanh nhiem vu", "xep loai muc do hoan thanh nhiem vu",
                            "danh gia xep loai"]),
    "initiative": ("Sáng kiến / đề tài", ["sang kien de tai", "sang kien", "de tai", "ten sang kien"]),
    "initiative_level": ("Cấp công nhận", ["cap cong nhan", "cap cong nhan sang kien", "pham vi anh huong"]),
    "initiative_decision": ("Quyết định công nhận", ["quyet dinh cong nhan", "qd cong nhan"]),
    "discipline": ("Kỷ luật", ["ky luat", "hinh thuc ky luat"]),
    "discipline_decision": ("Quyết định kỷ luật", ["quyet dinh ky luat", "qd ky luat"]),
    "discipline_date": ("Ngày kỷ luật", ["ngay ky luat", "ngay quyet dinh ky luat"]),
    # A ledger of past honours (imports.ledger): each row names its decision.
    "decision_number": ("Số quyết định", ["so quyet dinh", "so qd", "quyet dinh so", "so va ky hieu",
                                          "so ky hieu quyet dinh", "so hieu quyet dinh", "quyet dinh"]),
    "decision_date": ("Ngày quyết định", ["ngay quyet dinh", "ngay qd", "ngay ky", "ngay ky quyet dinh",
                                          "ngay ban hanh", "ngay thang nam quyet dinh"]),
    "authority": ("Cấp quyết định", ["cap quyet dinh", "cap khen", "cap khen thuong", "co quan quyet dinh",
                                     "co quan ban hanh", "nguoi ky quyet dinh", "tham quyen", "cap ra quyet dinh"]),
    "achievement_year": ("Năm thành tích", ["nam thanh tich", "thanh tich nam", "nam khen thuong"]),
    "status": ("Tình trạng", ["tinh trang", "trang thai", "hieu luc"]),
    "revocation_number": ("Số quyết định thu hồi", ["so quyet dinh thu hoi", "so qd thu hoi", "quyet dinh thu hoi",
                                                    "qd thu hoi", "so quyet dinh huy bo", "so qd huy bo"]),
    "revocation_date": ("Ngày thu hồi", ["ngay thu hoi", "ngay qd thu hoi", "ngay quyet dinh thu hoi", "ngay huy bo"]),
    "revocation_reason": ("Lý do thu hồi", ["ly do thu hoi", "ly do huy bo"]),
}
RECIPIENT_COLUMNS = ["seq", "name", "rank", "position", "unit", "service_number", "title", "achievement",
                     "register_number"]
ROSTER_COLUMNS = ["seq", "name", "rank", "position", "unit", "service_number", "birth_date", "enlisted_on"]
EVIDENCE_COLUMNS = ["seq", "name", "unit", "service_number", "year", "rating", "initiative", "initiative_level",
                    "initiative_decision", "discipline", "discipline_decision", "discipline_date"]
DATE_COLUMNS = {"birth_date", "enlisted_on", "discipline_date", "decision_date", "revocation_date"}
_ALIASES = {alias: key for key, (_header, aliases) in COLUMNS.items() for alias in aliases}
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def header_key(value):
    """'  HỌ VÀ  TÊN ' -> 'name': case, accents, punctuation and extra spaces ignored."""
    return _ALIASES.get(_NOT_WORD.sub(" ", text.fold(str(value))).strip())


def count_known_headers(values):
    return len({header_key(v) for v in values if v not in (None, "")} - {None})


READY, WARNING, ERROR, UNCHANGED, SKIPPED = "ready", "warning", "error", "unchanged", "skipped"


@dataclass
class RowResult:
    number: int
    values: dict
    problems: list = field(default_factory=list)   # (column header, message, is_error)
    status: str = READY
    person: Person | None = None
    unit: Unit | None = None
    title: Title | None = None
    new_person: bool = False
    register_number: int | None = None   # typed for an honour from above
    changes: dict = field(default_factory=dict)
    revocation: dict | None = None                 # a ledger's honour since revoked (imports.ledger)
    cells: tuple = ()                              # the row as read, headers or not

    @functools.cached_property
    def texts(self):
        """Every filled cell of the row, folded, words only: what a line below the list says."""
        texts = (_NOT_WORD.sub(" ", text.fold(str(c))).strip() for c in self.cells if c not in (None, ""))
        return [t for t in texts if t]

    def error(self, column, message):
        self.problems.append((COLUMNS[column][0] if column in COLUMNS else column, message, True))
        self.status = ERROR

    def warn(self, column, message):
        self.problems.append((COLUMNS[column][0] if column in COLUMNS else column, message, False))
        if self.status == READY:
            self.status = WARNING

    @property
    def label(self):
        return self.values.get("name", "")


@dataclass
class Preview:
    kind: str
    rows: list
    sheet: str = ""
    sheets: list = field(default_factory=list)
    file_problems: list = field(default_factory=list)

    def count(self, status):
        return sum(1 for r in self.rows if r.status == status)

    @property
    def unchanged(self):
        return self.count(UNCHANGED)

    @property
    def skipped(self):
        return self.count(SKIPPED)

    @property
    def records(self):
        """The rows that are records (not the total, signature and note lines below them)."""
        return [r for r in self.rows if r.status != SKIPPED]

    @property
    def errors(self):
        return self.count(ERROR) + len(self.file_problems)

    @property
    def to_write(self):
        return [r for r in self.rows if r.status in (READY, WARNING)]

    @property
    def nothing_new(self):
        return not self.errors and not self.to_write

    READY_SHOWN = 200

    @property
    def shown(self):
        """The rows the preview page lists: every row with something to say, and the first
        READY_SHOWN rows that are simply ready (a list of ten thousand is read for its problems)."""
        ready, shown = 0, []
        for row in self.rows:
            if self.simply_ready(row):
                ready += 1
                if ready > self.READY_SHOWN:
                    continue
            shown.append(row)
        return shown

    @staticmethod
    def simply_ready(row):
        """A row with nothing to check (a typed register number is for the officer to check)."""
        return row.status == READY and not row.problems and not row.register_number

    @property
    def not_shown(self):
        return len(self.rows) - len(self.shown)


class ImportRefused(RegistryError):
    """The write was refused; nothing was written. preview holds the rows and their problems."""

    def __init__(self, message, *, preview):
        super().__init__(message)
        self.preview = preview


def _columns(table, wanted, required=("name", "unit")):
    mapping, problems = {}, []
    for index, header in table.headers:
        key = header_key(header)
        if key in wanted and key not in mapping:
            mapping[key] = index
    for key in required:
        if key not in mapping:
            problems.append(_("The column “%(column)s” is missing (row %(row)s holds the headers).")
                            % {"column": COLUMNS[key][0], "row": table.header_row})
    return mapping, problems


def _rows(table, mapping):
    for number, cells in table.rows:
        values = {}
        for key, index in mapping.items():
            value = cells[index] if index < len(cells) else ""
            values[key] = value if key in DATE_COLUMNS else text.normalize(str(value)) if value not in (None, "") else ""
        yield RowResult(number=number, values=values, cells=cells)


# What offices write below a list: a total line, the signature blocks (who drew it up, the head
# of the unit, place and date, "(ký, ghi rõ họ tên)", then the names), notes. Compared folded.
_TOTAL = re.compile(r"^(tong cong|tong so)\b|^cong \d")
_NOTE = re.compile(r"^(ghi chu|luu y|chu y|note)\b")
_DATED = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")
_SIGNATURES = (
    "nguoi lap", "nguoi lap bieu", "nguoi lap danh sach", "nguoi ke khai", "thu truong", "thu truong don vi",
    "chi huy don vi", "chi huy", "chinh uy", "chinh tri vien", "truong phong", "truong ban", "cuc truong",
    "giam doc", "xac nhan", "ky ghi ro ho ten", "ky va ghi ro ho ten", "ky ten", "ky ten dong dau", "tm",
    "kt", "tl", "ban chi huy", "dang uy", "bi thu",
)


def _footer_kind(row):
    """Why this row is a line below the list rather than a record, or None. A row with a name
    and a unit is a record, whatever its words ("Ban Chỉ huy quân sự" is a unit)."""
    if row.values.get("name") and row.values.get("unit"):
        return None
    for value in row.texts:
        if _TOTAL.match(value):
            return _("a total line")
        if _NOTE.match(value):
            return _("a note")
        if _DATED.search(value) or any(value == s or value.startswith(s + " ") for s in _SIGNATURES):
            return _("a signature block")
    if row.texts and row.texts[0].startswith("*"):
        return _("a note")
    return None


def _skip_footer(rows):
    """From the first total, signature or note line on, rows are not records: skipped, each
    with a note saying so, never reported as errors. A full record below them (a name, a unit
    and a rank or number) is an error: it would otherwise be left out unseen."""
    below = None
    for row in rows:
        kind = _footer_kind(row)
        if kind is not None:
            below = below or kind
            row.status = SKIPPED
            row.problems.append(("", _("Skipped: %(kind)s, not a record.") % {"kind": kind}, False))
            continue
        if below is None:
            continue
        values = row.values
        if values.get("name") and values.get("unit") and (values.get("rank") or values.get("service_number")):
            row.error("name", _("This row looks like a record but stands below %(kind)s; move it above, "
                                "or remove it.") % {"kind": below})
        else:
            row.status = SKIPPED
            row.problems.append(("", _("Skipped: below %(kind)s, not a record.") % {"kind": below}, False))


class Registry:
    """The registry's people, units, titles and ranks, loaded once for a whole file."""

    def __init__(self, rows, *, scope=None):
        self.units = list(Unit.objects.all())
        self.scope = scope
        self.by_full_name, self.by_short_name = {}, {}
        for unit in self.units:
            self.by_full_name.setdefault(text.fold(unit.full_name), []).append(unit)
            self.by_short_name.setdefault(text.fold(unit.short_name), []).append(unit)
        self.titles = {}
        for title in Title.objects.filter(is_active=True):
            self.titles.setdefault(text.fold(title.name), []).append(title)
            self.titles.setdefault(text.fold(title.code), []).append(title)
        self.ranks = {text.fold(rank_label_vi(r)): r for r in Rank.values}
        numbers = {r.values.get("service_number") for r in rows} - {"", None}
        # Each person read once, whether found by number, by name or both, with the unit already
        # loaded above (a model object costs more than its query on a list of thousands).
        units = {unit.pk: unit for unit in self.units}
        people = {}
        unit_cache = Person.unit.field

        def load(queryset):
            for person in queryset:
                unit_cache.set_cached_value(person, units[person.unit_id])
                people[person.pk] = person
                yield person

        self.by_number, self.by_key = {}, {}
        for chunk in chunks(sorted(numbers), 5000):
            for person in load(Person.objects.filter(service_number__in=chunk)):
                self.by_number[person.service_number] = person
        # By name and unit: only the rows a service number does not find (person() asks no more).
        keys = {text.fold(r.values.get("name", "")) for r in rows
                if r.values.get("service_number") not in self.by_number} - {""}
        for chunk in chunks(sorted(keys), 5000):
            found = list(Person.objects.filter(search_key__in=chunk).values_list("pk", "search_key", "unit_id"))
            for missing in chunks([pk for pk, _key, _unit in found if pk not in people], 5000):
                list(load(Person.objects.filter(pk__in=missing)))
            for pk, key, unit_id in found:
                self.by_key.setdefault((key, unit_id), []).append(people[pk])

    def unit(self, row):
        name = row.values.get("unit", "")
        if not name:
            row.error("unit", _("The unit is empty."))
            return None
        key = text.fold(name)
        # A full name before a short one; among several, the officer's own units.
        found = self.by_full_name.get(key) or self.by_short_name.get(key) or []
        mine = [u for u in found if self._mine(u)]
        if mine:
            found = mine
        elif self.scope is not None:
            # Only a unit outside the officer's units has this name, or none does: one of theirs
            # whose full name begins so may be meant. Flagged to choose, never taken.
            near = [u for u in self.units if self._mine(u) and text.fold(u.full_name).startswith(key)]
            if near:
                row.error("unit", _("“%(name)s” is not the full name of any of your units%(other)s; did you mean "
                                    "%(near)s? Write the full name.")
                          % {"name": name, "near": "; ".join(u.full_name for u in near[:5]),
                             "other": _(" (it names %(unit)s, outside them)") % {"unit": found[0].full_name}
                             if found else ""})
                return None
        if not found:
            row.error("unit", _("No unit named “%(name)s” in the registry.") % {"name": name})
        elif len(found) > 1:
            row.error("unit", _("“%(name)s” names %(count)s units (%(units)s); write the full name.")
                      % {"name": name, "count": len(found), "units": "; ".join(u.full_name for u in found)})
        else:
            return found[0]
        return None

    def _mine(self, unit):
        return self.scope is None or unit.path.startswith(self.scope.path)

    def rank(self, row):
        value = row.values.get("rank", "")
        if not value:
            return None
        rank = self.ranks.get(text.fold(value))
        if rank is None:
            row.error("rank", _("“%(rank)s” is not a rank (e.g. Đại úy, Thiếu tá QNCN).") % {"rank": value})
        return rank

    def person(self, row, unit):
        """By service number, else by name and unit; several candidates are flagged, never guessed."""
        name, number = row.values.get("name", ""), row.values.get("service_number", "")
        if number and number in self.by_number:
            person = self.by_number[number]
            if text.fold(person.full_name) != text.fold(name):
                row.error("service_number", _("Service number %(number)s belongs to “%(registry)s” in the registry; "
                                              "the file says “%(file)s”.")
                          % {"number": number, "registry": person.full_name, "file": name})
                return None
            if person.full_name != name:
                row.warn("name", _("Matched “%(registry)s” only without accents; check the spelling.")
                         % {"registry": person.full_name})
            if unit is not None and person.unit_id != unit.pk:
                row.warn("unit", _("In the registry %(name)s is in %(unit)s.")
                         % {"name": person.full_name, "unit": person.unit.full_name})
            return person
        if unit is None:
            return None
        candidates = self.by_key.get((text.fold(name), unit.pk), [])
        exact = [p for p in candidates if p.full_name == name]
        if len(exact) == 1 or (len(candidates) == 1 and not exact):
            person = exact[0] if exact else candidates[0]
            if not exact:
                row.warn("name", _("Matched “%(registry)s” only without accents; check the spelling.")
                         % {"registry": person.full_name})
            if number and person.service_number and person.service_number != number:
                row.error("service_number", _("“%(name)s” in %(unit)s has service number %(registry)s, not %(file)s.")
                          % {"name": person.full_name, "unit": unit.short_name, "registry": person.service_number,
                             "file": number})
            return person
        if candidates:
            row.error("name", _("%(count)s people called “%(name)s” in %(unit)s; add the service number to tell them "
                                "apart.") % {"count": len(candidates), "name": name, "unit": unit.short_name})
        return None

    def title(self, row, default):
        value = row.values.get("title", "")
        if not value:
            if default is None:
                row.error("title", _("No title here and none on the decision."))
            return default
        found = self.titles.get(text.fold(value), [])
        if len(found) != 1:
            row.error("title", _("No title or form called “%(title)s” in the registry.") % {"title": value}
                      if not found else _("“%(title)s” names several titles.") % {"title": value})
            return None
        return found[0]


def check_name(row):
    if not row.values.get("name"):
        row.error("name", _("The name is empty."))
        return False
    return True


def _start(table, kind, columns, *, required=("name", "unit"), preview_class=None):
    """The preview's rows read under their headers, or none if a required column is missing."""
    mapping, problems = _columns(table, columns, required)
    rows = list(_rows(table, mapping)) if not problems else []
    _skip_footer(rows)
    return (preview_class or Preview)(kind, rows, table.sheet, table.sheets, problems)


def begin_preview(table, kind, columns, *, by, **start):
    """The preview, its rows left to check, the officer's units and the registry loaded for those
    rows; None for the last three when a required column is missing (the preview says which).
    start: what _start takes besides (the required columns, the kind of preview)."""
    preview = _start(table, kind, columns, **start)
    if preview.file_problems:
        return preview, None, None, None
    scope = _scope_of(by)
    rows = [r for r in preview.rows if r.status == READY]
    return preview, rows, scope, Registry(rows, scope=scope)


def refuse_if_wrong(preview):
    if preview.errors:
        raise ImportRefused(_("%(count)s rows have problems; nothing was saved.") % {"count": preview.errors},
                            preview=preview)


@without_gc_pauses()
def preview_recipients(table, *, decision, by=None, progress=None, confirming=False):
    """Every row of a recipients file matched and checked against the decision being recorded,
    with every check recording it makes (so "ready" means the confirm will write it).
    progress (awards.jobs.Progress), when a job runs it, counts the rows matched. At confirm
    (confirming) the checks the recording itself makes on every row — scope, recipient kind,
    honours already held, rules — are left to it, which names the same rows' problems."""
    preview, rows, scope, registry = begin_preview(table, "recipients", RECIPIENT_COLUMNS, by=by)
    if rows is None:
        return preview
    existing = Decision.objects.filter(
        authority_id=decision.authority_id, issued_year=decision.date.year,
        number=Decision.normalize_number(decision.number),
    ).first() if decision.authority_id and decision.date else None
    recorded = set()
    if existing is not None:
        recorded = {(a.person_id, a.unit_id, a.title_id) for a in existing.awards.all()}
    seen = {}
    for row in progress.counted(rows) if progress else rows:
        if not check_name(row):
            continue
        unit = registry.unit(row)
        collective = (unit is not None and not row.values.get("rank") and not row.values.get("service_number")
                      and text.fold(row.values["name"]) in {text.fold(unit.full_name), text.fold(unit.short_name)})
        if collective:
            row.unit = unit
        else:
            rank = registry.rank(row)
            row.person = registry.person(row, unit)
            if row.person is None and unit is not None and row.status != ERROR:
                row.new_person = True
                row.person = Person(full_name=row.values["name"], rank=rank, position=row.values.get("position", ""),
                                    unit=unit, service_number=row.values.get("service_number") or None)
                row.person.normalize()
                row.warn("name", _("Not in the registry: will be added as a new person in %(unit)s.")
                         % {"unit": unit.short_name})
        row.title = registry.title(row, decision.title)
        row.register_number = read_register_number(row, decision)
        if row.status == ERROR:
            continue
        key = (row.person.pk if row.person and not row.new_person else None, row.unit.pk if row.unit else None,
               row.title.pk)
        ident = key if not row.new_person else ("new", text.fold(row.values["name"]), unit.pk, row.title.pk)
        if ident in seen:
            row.error("name", _("Same recipient and title as row %(row)s.") % {"row": seen[ident]})
            continue
        seen[ident] = row.number
        if existing is not None:
            if key in recorded:
                row.status = UNCHANGED
                row.problems.append(("", _("Already recorded in decision %(number)s.") % {"number": existing.number}, False))
            else:
                row.error("name", _("Decision %(number)s is already recorded without this recipient; "
                                    "correct it on its page.") % {"number": existing.number})
    _grant_checks(rows, decision=decision, scope=scope, recorded_checks=not confirming)
    if not confirming:
        _rule_warnings(preview, decision)
    # The signer is printed on what these rows hand over: asked for before anything is written.
    preview.file_problems += missing_signer(
        signer_title=decision.signer_title, signer_name=decision.signer_name,
        titles=[decision.title] + [r.title for r in preview.to_write]).values()
    return preview


_WHOLE_NUMBER = re.compile(r"^\d+(\.0+)?$")


def read_register_number(row, decision):
    """The register number typed in the row (an honour from above), checked; None if empty."""
    value = row.values.get("register_number", "")
    if not value:
        return None
    if not _WHOLE_NUMBER.match(value) or int(float(value)) < 1:
        row.error("register_number", _("“%(value)s” is not a register number (a whole number).") % {"value": value})
        return None
    return int(float(value))


def _grant_checks(rows, *, decision, scope, recorded_checks=True):
    """What recording the decision refuses, found at preview: a register number typed for a book
    kept here or already used (named by the file's rows), and with recorded_checks a recipient
    outside the officer's units, a title for the other kind of recipient, an honour the
    recipient already holds."""
    pending = [r for r in rows if r.status in (READY, WARNING)]
    for row in pending if recorded_checks else ():
        for problem in row_problems(RecipientRow(person=row.person, unit=row.unit, title=row.title), scope=scope):
            row.error("name", problem)
    if decision.authority_id:
        typed = [r for r in pending if r.register_number]
        found = {}
        check_typed_numbers([RecipientRow(register_number=r.register_number) for r in typed],
                             decision=decision, row_errors=found, row_labels=[r.number for r in typed])
        for index, problems in found.items():
            for problem in problems:
                typed[index].error("register_number", problem)
    known = [r for r in pending if r.status != ERROR and not r.new_person]
    if not known or not decision.authority_id or not recorded_checks:
        return
    held = duplicate_keys([RecipientRow(person=r.person, unit=r.unit) for r in known],
                           authority_id=decision.authority_id, year=decision.achievement_year)
    for row in known:
        key = (("p", row.person.pk) if row.person else ("u", row.unit.pk)) + (row.title.pk,)
        if key in held:
            row.error("name", _("%(recipient)s already holds “%(title)s” for %(year)s (decision %(number)s).")
                      % {"recipient": row.person or row.unit, "title": row.title, "year": decision.achievement_year,
                         "number": held[key].decision.number})


def _rule_warnings(preview, decision):
    """Unmet eligibility rules shown on their rows, as at entry (a justification records them)."""
    from .. import rules

    rows = [r for r in preview.rows if r.status in (READY, WARNING)]
    if not rows or not decision.authority_id:
        return
    found = rules.row_warnings([RecipientRow(person=r.person, unit=r.unit, title=r.title) for r in rows],
                               authority_id=decision.authority_id, year=decision.achievement_year)
    for index, messages in found.items():
        for message in messages:
            rows[index].warn("title", message)


@without_gc_pauses()
@transaction.atomic
def commit_recipients(preview, *, by, decision, justification=""):
    """Record the decision with every row of the preview, adding new people; all or nothing."""
    refuse_if_wrong(preview)
    rows = preview.to_write
    if not rows:
        return None
    new = [r.person for r in rows if r.new_person]
    create_people(new, by=by)
    try:
        return decision_grant(by=by, decision=decision, justification=justification, rows=[
            RecipientRow(person=r.person, unit=r.unit, title=r.title, achievement=r.values.get("achievement", ""),
                         register_number=r.register_number)
            for r in rows
        ])
    except RuleWarning as warning:
        raise ImportRefused(warning.message, preview=preview)
    except RegistryError as error:
        for index, problems in error.row_errors.items():
            for problem in problems:
                rows[index].error("name", problem)
        raise ImportRefused(error.message, preview=preview)


def create_people(people, *, by):
    if not people:
        return
    # SQLite (3.35+) and PostgreSQL both hand back the new keys from one bulk INSERT.
    Person.objects.bulk_create(people, batch_size=1000)
    AuditEntry.objects.bulk_create([audit_entry(by=by, action=AuditAction.CREATE, instance=p, note=_("imported"))
                                    for p in people])


def _scope_of(by):
    """The officer's units (None: the whole registry, for administrators and the command line)."""
    return user_scope(by) if by is not None else None


def _outside(scope, unit):
    return scope is not None and unit is not None and not unit.path.startswith(scope.path)


def check_roster_scope(row, scope, *, unit, person):
    """A roster row may touch only people of the officer's units, and keep them there."""
    if _outside(scope, unit):
        row.error("unit", _("%(unit)s is outside your units (%(scope)s).")
                  % {"unit": unit.full_name, "scope": scope.short_name})
    if person is not None and _outside(scope, person.unit):
        row.error("name", _("%(name)s is in %(unit)s, outside your units (%(scope)s); an officer of that unit "
                            "must move or change them.")
                  % {"name": person.full_name, "unit": person.unit.full_name, "scope": scope.short_name})


@without_gc_pauses()
def preview_roster(table, *, by=None, progress=None):
    """Every row of a roster matched: new people, changed people, unchanged ones; every row
    within the officer's units, before (the person's unit) and after (the unit the row names)."""
    preview, rows, scope, registry = begin_preview(table, "roster", ROSTER_COLUMNS, by=by)
    if rows is None:
        return preview
    numbers = {}
    for row in progress.counted(rows) if progress else rows:
        if not check_name(row):
            continue
        unit = registry.unit(row)
        check_roster_scope(row, scope, unit=unit, person=None)
        rank = registry.rank(row)
        birth, enlisted = date_cell(row, "birth_date"), date_cell(row, "enlisted_on")
        number = row.values.get("service_number") or None
        if number:
            if number in numbers:
                row.error("service_number", _("Same service number as row %(row)s.") % {"row": numbers[number]})
            numbers.setdefault(number, row.number)
        if row.status == ERROR:
            continue
        person = registry.person(row, unit)
        check_roster_scope(row, scope, unit=None, person=person)
        if row.status == ERROR:
            continue
        wanted = {"full_name": row.values["name"], "rank": rank, "position": row.values.get("position", ""),
                  "unit": unit, "service_number": number, "birth_date": birth, "enlisted_on": enlisted}
        if person is None:
            row.new_person, row.person = True, Person(**wanted)
            row.person.normalize()
            row.warn("name", _("New person."))
            continue
        row.person = person
        for name, value in wanted.items():
            if name in ("full_name",) or (value in (None, "") and name != "rank"):
                continue
            if name == "rank" and value is None:
                continue
            if getattr(person, name) != value:
                row.changes[name] = (getattr(person, name), value)
        if not row.changes:
            row.status = UNCHANGED
            row.problems.append(("", _("Already up to date."), False))
        else:
            row.warn("", _("Will change: %(fields)s.") % {"fields": ", ".join(
                f"{Person._meta.get_field(n).verbose_name}: {_show(old)} → {_show(new)}"
                for n, (old, new) in row.changes.items())})
    return preview


def date_cell(row, column):
    """The date in a cell, or None if empty; an error on the row and column if it is not a date."""
    value = row.values.get(column)
    if value in ("", None):
        return None
    try:
        return parse_date(value)
    except ValueError:
        row.error(column, _("“%(value)s” is not a date (e.g. 14/01/1985).") % {"value": value})
        return None


def _show(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, int) and value in Rank.values:
        return rank_label_vi(value)
    return str(value)


@without_gc_pauses()
@transaction.atomic
def commit_roster(preview, *, by):
    """Create the new people and update the changed ones, audited; all or nothing. The officer's
    units are checked again against the people as they are now, not as they were at preview."""
    refuse_if_wrong(preview)
    rows = preview.to_write
    scope = _scope_of(by)
    if scope is not None:
        now = {}
        for chunk in chunks(sorted(r.person.pk for r in rows if not r.new_person), 5000):
            now.update(Person.objects.filter(pk__in=chunk).values_list("pk", "unit_id"))
        targets = {id(r): r.changes["unit"][1].pk if "unit" in r.changes else r.person.unit_id for r in rows}
        units = Unit.objects.in_bulk(set(targets.values()) | set(now.values()))
        for row in rows:
            person = row.person
            current = Person(full_name=person.full_name, unit=units[now[person.pk]]) if person.pk in now else None
            check_roster_scope(row, scope, unit=units[targets[id(row)]], person=current)
        refuse_if_wrong(preview)
    create_people([r.person for r in rows if r.new_person], by=by)
    changed = [r for r in rows if not r.new_person]
    entries = []
    for row in changed:
        before = audited_values(row.person)
        for name, (_old, new) in row.changes.items():
            setattr(row.person, name, new)
        row.person.normalize()
        entries.append(audit_entry(by=by, action=AuditAction.UPDATE, instance=row.person, before=before, note=_("imported")))
    if changed:
        Person.objects.bulk_update([r.person for r in changed], ["rank", "position", "unit", "service_number",
                                                                  "birth_date", "enlisted_on", "service_from",
                                                                  "search_key", "sort_key"], batch_size=1000)
    AuditEntry.objects.bulk_create(entries)
    return {"created": sum(1 for r in rows if r.new_person), "updated": len(changed)}
