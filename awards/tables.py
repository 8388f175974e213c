"""Tables of honours and decisions: columns, Vietnamese name order, row marks."""

import html

import django_tables2 as tables
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, QuerySet, Window
from django_tables2.rows import BoundRows
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import text
from .models import Award, Decision, Dossier

_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle bg-white table-stack"}
# Columns a phone leaves out: the row's link leads to them.
_WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


# The page sizes a table offers; any other `per_page` in the URL gets the table's own size.
PAGE_SIZES = (10, 25, 50, 100, 200)


def page_size(asked, default):
    """A page size from the URL, if it is one of PAGE_SIZES; else the table's default."""
    size = text.plain_int(asked)
    return size if size in PAGE_SIZES else default


def paginate_nearest(table, *, page, per_page, **options):
    """Paginate at the asked page, or the nearest page there is: the first for anything that is
    not a number or below 1, the last for anything past the end. Never an error page."""
    number = text.plain_int(page)
    if number is None:  # past what a key holds is past the end; anything else is not a page
        number = text.INT64_MAX if str(page or "").isascii() and str(page).isdigit() else 1
    number = max(number, 1)
    try:
        table.paginate(page=number, per_page=per_page, **options)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)


class KeysFirstPaginator(Paginator):
    """A page of a long list read in two steps: the page's keys first, skipping the rows before
    it in the sort index alone (no joins, no row read: page 500 of a million honours skips 25,000
    index entries, not 25,000 joined rows), then those fifty rows by key, in that order."""

    def _queryset(self):
        queryset = getattr(getattr(self.object_list, "data", None), "data", None)  # under django-tables2's rows
        return queryset if isinstance(queryset, QuerySet) else None

    def _page_of(self, keys, number):
        rows = self.object_list
        found = self._queryset().order_by().in_bulk(keys)
        records = [found[key] for key in keys if key in found]
        return self._get_page(BoundRows(data=records, table=rows.table, pinned_data=rows.pinned_data), number, self)

    def _top(self, bottom):
        top = bottom + self.per_page
        return self.count if top + self.orphans >= self.count else top

    def page(self, number):
        queryset = self._queryset()
        if queryset is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._page_of(list(queryset.values_list("pk", flat=True)[bottom:self._top(bottom)]), number)


class CountedPagePaginator(KeysFirstPaginator):
    """For a subset the list is filtered to (a name search): the page's keys and the number of
    all the rows in one query (COUNT(*) OVER ()), so the index behind the filter is read once,
    not once for the count and again for the page. A page past the end falls back to the count."""

    def page(self, number):
        queryset = self._queryset()
        try:
            asked = int(number)
        except (TypeError, ValueError):
            asked = 0
        if queryset is None or asked < 1 or "count" in self.__dict__:
            return super().page(number)
        bottom = (asked - 1) * self.per_page
        found = list(queryset.annotate(_rows=Window(Count("pk"))).values_list("pk", "_rows")
                     [bottom:bottom + self.per_page + self.orphans])
        if not found:
            return super().page(number)
        self.__dict__["count"] = found[0][1]  # Paginator.count is a cached property
        number = self.validate_number(asked)
        return self._page_of([pk for pk, _rows in found][:self._top(bottom) - bottom], number)


class TableConfig(tables.RequestConfig):
    """django-tables2's request configuration (sorting, paging from the URL) with the page size
    from a fixed set and the nearest page for a page number that is not a page."""

    def configure(self, table):
        table.request = self.request
        order_by = self.request.GET.getlist(table.prefixed_order_by_field)
        if order_by:
            table.order_by = order_by
        if self.paginate:
            options = dict(self.paginate) if hasattr(self.paginate, "items") else {}
            options.pop("silent", None)
            options.pop("page", None)
            options["per_page"] = page_size(self.request.GET.get(table.prefixed_per_page_field),
                                            options.get("per_page", 25))
            paginate_nearest(table, page=self.request.GET.get(table.prefixed_page_field), **options)
        return table


class SingleTableMixin(tables.SingleTableMixin):
    """django-tables2's view mixin, configured by TableConfig."""

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        return TableConfig(self.request, paginate=self.get_table_pagination(table)).configure(table)


def _award_row_class(record):
    return "revoked-row" if record.is_revoked else ""


# The rows below are written with plain string operations: a page of 50 rows makes thousands
# of escapes, and Django's format_html costs several times html.escape for the same output.
def _esc(value):
    """Django's conditional_escape: safe text as it is, anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


_PLACEHOLDER = "918273645"
_URL_PARTS = {}


def _url(name, pk):
    """reverse(name, args=[pk]), from one reverse() per route and script prefix."""
    key = (get_script_prefix(), name)
    if key not in _URL_PARTS:
        _URL_PARTS[key] = reverse(name, args=[int(_PLACEHOLDER)]).split(_PLACEHOLDER, 1)
    before, after = _URL_PARTS[key]
    return f"{before}{pk}{after}"


def _status_badge(record):
    if record.is_revoked:
        title = _("by decision %(number)s") % {"number": record.revocation_number}
        return mark_safe(f'<span class="badge text-bg-danger" title="{_esc(title)}">'
                         f'{_esc(record.get_status_display())}</span>')
    return mark_safe(f'<span class="badge text-bg-success">{_esc(record.get_status_display())}</span>')


def _link(url, text):
    return mark_safe(f'<a href="{_esc(url)}">{_esc(text)}</a>')


class StatusColumn(tables.Column):
    def render(self, record):
        return _status_badge(record)


class StackedOnPhonesMixin:
    """On a phone the table stacks: each row a block, each cell under its column's name (the
    `data-label` every cell carries; static/css/registry.css, `.table-stack`). Nothing is cut off,
    and nothing has to be scrolled sideways to find the name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.columns:
            td = dict(bound.column.attrs.get("td", {}))
            td["data-label"] = str(bound.header)
            bound.column.attrs = {**bound.column.attrs, "td": td}


class QuickRowsMixin:
    """Rows written by one small function per column instead of django-tables2's cell-by-cell
    rendering through the template engine, which costs most of a long list's time. The table's
    columns (order, visibility, attributes, sorting) stay django-tables2's; a column without a
    function in `quick_cells` is rendered by django-tables2 as usual."""

    quick_cells = {}

    def quick_rows(self):
        columns = [(column.name, f"<td {column.attrs['td'].as_html()}>", self.quick_cells.get(column.name))
                   for column in self.columns]
        for row in self.paginated_rows:
            record = row.record
            parts = [f"<tr {row.attrs.as_html()}>"]
            for name, opening, render in columns:
                value = render(record) if render else row.get_cell(name)
                parts += (opening, _esc(self.default if value in (None, "") else value), "</td>")
            parts.append("</tr>")
            yield mark_safe("".join(parts))


def _recipient_link(record):
    # By id, so that the row needs no query for the person or the unit.
    if record.person_id:
        return _link(_url("awards:person-detail", record.person_id), record.recipient_display)
    return _link(_url("awards:unit-detail", record.unit_id), record.recipient_display)


class AwardTable(StackedOnPhonesMixin, QuickRowsMixin, tables.Table):
    year = tables.Column(verbose_name=_("Year"), order_by=("year", "sort_key"))
    recipient = tables.Column(
        verbose_name=_("Recipient"), accessor="recipient_display", order_by=("sort_key", "pk"),
        attrs={"td": {"class": "recipient"}},
    )
    unit_name = tables.Column(verbose_name=_("Unit"), order_by=("unit_name", "sort_key"), attrs=_WIDE_ONLY)
    title = tables.Column(
        verbose_name=_("Title or form"), accessor="title__name", order_by=("-title__rank_order", "title__name"),
        linkify=lambda record: record.get_absolute_url(),
    )
    decision = tables.Column(
        verbose_name=_("Decision"), accessor="decision__number", order_by=("decision__date", "decision__number"),
        linkify=lambda record: record.decision.get_absolute_url(), attrs={"td": {"class": "text-nowrap"}},
    )
    authority = tables.Column(
        verbose_name=_("Authority"), accessor="authority__name", order_by=("authority__name",), attrs=_WIDE_ONLY,
    )
    status = StatusColumn(verbose_name=_("Status"), accessor="status")

    class Meta:
        model = Award
        fields = ()
        sequence = ("year", "recipient", "unit_name", "title", "decision", "authority", "status")
        attrs = _TABLE_ATTRS
        row_attrs = {"class": _award_row_class}
        empty_text = _("No honours match.")
        template_name = "includes/_quick_table.html"

    quick_cells = {
        "year": lambda r: r.year,
        "recipient": _recipient_link,
        "unit_name": lambda r: r.unit_name,
        "title": lambda r: _link(_url("awards:award-detail", r.pk), r.title.name),
        "decision": lambda r: _link(_url("awards:decision-detail", r.decision_id), r.decision.number),
        "authority": lambda r: r.authority.name,
        "status": _status_badge,
        "seq": lambda r: r.seq,
        "register_number": lambda r: r.register_number,
    }

    def render_recipient(self, record, value):
        return _recipient_link(record)


class DecisionAwardTable(AwardTable):
    """A decision's recipients, in the order the decision lists them."""

    seq = tables.Column(verbose_name=_("No."), order_by=("seq",))
    register_number = tables.Column(verbose_name=_("Register no."))

    class Meta(AwardTable.Meta):
        sequence = ("seq", "recipient", "unit_name", "title", "register_number", "status")
        exclude = ("year", "decision", "authority")


class DecisionTable(StackedOnPhonesMixin, tables.Table):
    number = tables.Column(verbose_name=_("Number"), linkify=True)
    date = tables.DateColumn(verbose_name=_("Date"), format="d/m/Y")
    authority = tables.Column(verbose_name=_("Authority"), accessor="authority__name")
    subject = tables.Column(verbose_name=_("Subject"))
    achievement_year = tables.Column(verbose_name=_("Year of achievement"))
    award_count = tables.Column(verbose_name=_("Recipients"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Decision
        fields = ()
        sequence = ("number", "date", "authority", "subject", "achievement_year", "award_count")
        attrs = _TABLE_ATTRS
        empty_text = _("No decisions match.")


OVERDUE = _("overdue")


def _dossier_state(record):
    badge = f'<span class="badge dossier-state state-{_esc(record.state)}">{_esc(record.get_state_display())}</span>'
    if getattr(record, "overdue", False):
        badge += f' <span class="badge text-bg-warning overdue">{_esc(OVERDUE)}</span>'
    return mark_safe(badge)


class DossierTable(StackedOnPhonesMixin, QuickRowsMixin, tables.Table):
    """Dossiers: the unit's own list and the receiving office's inbox (with the overdue mark)."""

    pk = tables.Column(verbose_name=_("No."), orderable=False)
    unit = tables.Column(verbose_name=_("Proposing unit"), accessor="unit__short_name", orderable=False)
    authority = tables.Column(verbose_name=_("Addressed to"), accessor="authority__name", orderable=False,
                              attrs=_WIDE_ONLY)
    year = tables.Column(verbose_name=_("Year"), orderable=False)
    kind = tables.Column(verbose_name=_("Kind"), orderable=False, attrs=_WIDE_ONLY)
    nominee_count = tables.Column(verbose_name=_("Nominees"), orderable=False, attrs={"td": {"class": "text-end"}})
    state = tables.Column(verbose_name=_("State"), orderable=False)
    sent_at = tables.Column(verbose_name=_("Sent"), orderable=False)

    class Meta:
        model = Dossier
        fields = ()
        sequence = ("pk", "unit", "authority", "year", "kind", "nominee_count", "state", "sent_at")
        attrs = _TABLE_ATTRS
        empty_text = _("No dossiers match.")
        template_name = "includes/_quick_table.html"

    quick_cells = {
        "pk": lambda r: _link(_url("awards:dossier-detail", r.pk), r.pk),
        "unit": lambda r: r.unit.short_name,
        "authority": lambda r: r.authority.name,
        "year": lambda r: r.year,
        "kind": lambda r: f"{r.get_kind_display()} {r.campaign}".strip(),
        "nominee_count": lambda r: r.nominee_count or 0,
        "state": _dossier_state,
        "sent_at": lambda r: timezone.localtime(r.sent_at).strftime("%d/%m/%Y") if r.sent_at else "",
    }
