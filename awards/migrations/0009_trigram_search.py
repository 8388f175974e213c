"""On PostgreSQL, trigram indexes behind the accent-free search boxes.

The search matches anywhere in a name (`search_key LIKE '%nguyen van an%'`), which no b-tree
index can serve: on a million honours PostgreSQL scanned the table (about 0.3 s a search).
A GIN index with pg_trgm's operator class serves exactly that LIKE. pg_trgm ships with
PostgreSQL and is a trusted extension (13+), so the database's owner may create it; where it
cannot be created, the search still works, only slower, and the migration says so.
SQLite needs nothing here: it reads the search key's own index, which is small.
"""

from django.db import migrations, transaction

INDEXES = [
    ("awards_award", "award_search_trgm"),
    ("awards_person", "person_search_trgm"),
    ("awards_unit", "unit_search_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # no right to create it: searches stay correct, only slower
        print(f"\n  pg_trgm could not be created ({error}); searches will scan the tables.")
        return
    for table, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_key gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0008_eligibility_rules"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
