"""What the registry's models share: keys and sort keys, accent-free search, years, verification codes."""

import base64
import functools
import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation

from .. import text
from ..choices import PAPER_MM, PaperSize, Rank


KEY_LENGTH = 300


year_validators = [MinValueValidator(1945), MaxValueValidator(2100)]


def rank_label_vi(rank):
    """The rank as printed on Vietnamese documents, whatever the interface language."""
    if rank is None:
        return ""
    return _rank_labels_vi()[rank]


@functools.cache
def _rank_labels_vi():
    # Switching the language for every row of a list costs more than the row itself.
    with translation.override("vi"):
        return {value: str(label) for value, label in Rank.choices}


def person_display_name(rank, full_name):
    """"Đại úy Nguyễn Văn An": the rank as Vietnamese writes it, then the name."""
    label = rank_label_vi(rank)
    return f"{label} {full_name}" if label else full_name


def years_of_service(service_from, year):
    """Whole years of service at 31 December of the year, breaks left out (None: no enlistment date)."""
    return None if service_from is None else max(year - service_from.year, 0)


def new_verification_code():
    """128 random bits, in base 32 so a person can read it off paper and type it."""
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")


class NormalizedModel(models.Model):
    """A model whose text is normalised (NFC, derived keys) on clean() and on save()."""

    class Meta:
        abstract = True

    def normalize(self):
        raise NotImplementedError

    def clean(self):
        self.normalize()

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)


class SearchQuerySet(models.QuerySet):
    """Rows whose search key holds the query anywhere, accents and case ignored, read from a
    trigram index on both engines: PostgreSQL's GIN index (0009), SQLite's FTS5 index beside the
    table (awards.dbtriggers); each finds the rows that hold the query's trigrams and the LIKE is
    checked on those. Shorter queries are a LIKE.

    On SQLite the index is asked once, here, when the query names at most SEARCH_LIST_LIMIT rows
    (a name, as people search): a page's count and its rows then read those ids instead of
    asking the index twice; a query matching more (a family name alone) stays a subquery.
    PostgreSQL plans a list of ids worse than its own index (it walks the sort order filtering
    by the list), so it keeps the LIKE; a page of a search reads its count with its rows
    (tables.CountedPagePaginator)."""

    SEARCH_LIST_LIMIT = 5000

    def search(self, query):
        from django.db import connections
        from django.db.models import BooleanField
        from django.db.models.expressions import RawSQL

        from ..dbtriggers import search_index

        folded = text.fold(query)
        if len(folded) < 3:  # fewer letters than a trigram: a LIKE over the keys
            return self.filter(search_key__contains=folded) if folded else self
        table = self.model._meta.db_table
        # A few trigrams that cover the query side by side: the index is asked for rows holding
        # them (a third of the query's trigrams: the trigrams of a family name are long lists,
        # and an index reads every list it is given), then the key itself is checked, exactly.
        side_by_side = [folded[i:i + 3] for i in range(0, len(folded) - 2, 3)]
        grams = side_by_side + ([folded[-3:]] if folded[-3:] not in side_by_side else [])  # and the end
        exact = f"%{_like_escaped(folded)}%"
        if _has_search_index(self.db, table):
            index = search_index(table)
            sql = (f"SELECT t.id FROM {index} JOIN {table} t ON t.id = {index}.rowid "
                   f"WHERE {index} MATCH %s AND t.search_key LIKE %s ESCAPE '\\'")
            params = [" AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams), exact]
            with connections[self.db].cursor() as cursor:
                cursor.execute(f"{sql} LIMIT %s", [*params, self.SEARCH_LIST_LIMIT + 1])
                ids = [row[0] for row in cursor.fetchall()]
            if len(ids) <= self.SEARCH_LIST_LIMIT:
                return self.filter(pk__in=ids)
            return self.filter(pk__in=RawSQL(sql, params))
        if connections[self.db].vendor == "postgresql":
            # The GIN index serves the first LIKE (the trigrams side by side, in order: the end's,
            # which may overlap the one before, is left out of a pattern); the second, on an
            # expression no index holds, checks the rows it found.
            key = f'"{table}"."search_key"'
            cover = "%" + "%".join(_like_escaped(gram) for gram in side_by_side) + "%"
            return self.filter(RawSQL(f"{key} LIKE %s AND ({key} || '') LIKE %s", [cover, exact],
                                      output_field=BooleanField()))
        return self.filter(search_key__contains=folded)


def _like_escaped(value):
    """value, matched literally in a LIKE pattern (backslash the escape, as Django's lookups use)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _has_search_index(alias, table):
    """Whether this SQLite database has the table's trigram index (asked once a connection)."""
    from django.db import connections

    connection = connections[alias]
    if connection.vendor != "sqlite":
        return False
    known = connection.__dict__.setdefault("registry_search_indexes", {})
    if table not in known:
        from ..dbtriggers import search_index_exists

        known[table] = search_index_exists(connection, table)
    return known[table]


def paper_mm(paper, width=None, height=None):
    """(width, height) in millimetres of a named paper size, or the custom one given."""
    if paper == PaperSize.CUSTOM and width and height:
        return float(width), float(height)
    return tuple(float(v) for v in PAPER_MM.get(paper, PAPER_MM["A4"]))


def mm_field(label, **kw):
    return models.DecimalField(label, max_digits=5, decimal_places=1, **kw)
