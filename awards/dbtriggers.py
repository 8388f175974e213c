"""Invariants that span tables, enforced by the database itself with triggers.

A CHECK constraint sees one row; these rules need another table's row:
- an award carries its decision's authority and year of achievement (the copies the
  unique "one active honour a year" constraint is built on);
- an award's recipient kind fits its title (individual titles to people, collective
  titles to units);
- a title cannot change whom it is for while awards contradict the change;
- a decision cannot change authority or year while it has awards.

SQLite rebuilds a table on many ALTERs and drops its triggers with it, so a later
migration that alters these tables (or the search indexes' people and units, below) calls
install() again (it is idempotent); the tests
fail if a trigger is missing.
"""

SQLITE = [
    "DROP TRIGGER IF EXISTS award_matches_decision_ins",
    "DROP TRIGGER IF EXISTS award_matches_decision_upd",
    "DROP TRIGGER IF EXISTS award_title_fits_recipient_ins",
    "DROP TRIGGER IF EXISTS award_title_fits_recipient_upd",
    "DROP TRIGGER IF EXISTS title_recipient_for_upd",
    "DROP TRIGGER IF EXISTS decision_key_upd",
]
_SQLITE_AWARD_MATCH = """
CREATE TRIGGER award_matches_decision_{suffix} BEFORE {event} ON awards_award
WHEN NEW.authority_id IS NOT (SELECT authority_id FROM awards_decision WHERE id = NEW.decision_id)
  OR NEW.year IS NOT (SELECT achievement_year FROM awards_decision WHERE id = NEW.decision_id)
BEGIN SELECT RAISE(ABORT, 'award_matches_decision: an award must carry its decision''s authority and year'); END
"""
_SQLITE_AWARD_KIND = """
CREATE TRIGGER award_title_fits_recipient_{suffix} BEFORE {event} ON awards_award
WHEN (SELECT recipient_for FROM awards_title WHERE id = NEW.title_id)
     = CASE WHEN NEW.person_id IS NOT NULL THEN 'collective' ELSE 'individual' END
BEGIN SELECT RAISE(ABORT, 'award_title_fits_recipient: the title is not for this kind of recipient'); END
"""
SQLITE += [
    _SQLITE_AWARD_MATCH.format(suffix="ins", event="INSERT"),
    _SQLITE_AWARD_MATCH.format(suffix="upd", event="UPDATE OF decision_id, authority_id, year"),
    _SQLITE_AWARD_KIND.format(suffix="ins", event="INSERT"),
    _SQLITE_AWARD_KIND.format(suffix="upd", event="UPDATE OF title_id, person_id, unit_id"),
    """
CREATE TRIGGER title_recipient_for_upd BEFORE UPDATE OF recipient_for ON awards_title
WHEN EXISTS (SELECT 1 FROM awards_award WHERE title_id = NEW.id AND (
    (NEW.recipient_for = 'individual' AND unit_id IS NOT NULL)
    OR (NEW.recipient_for = 'collective' AND person_id IS NOT NULL)))
BEGIN SELECT RAISE(ABORT, 'title_recipient_for: awards of this title go to the other kind of recipient'); END
""",
    """
CREATE TRIGGER decision_key_upd BEFORE UPDATE OF authority_id, achievement_year ON awards_decision
WHEN (NEW.authority_id IS NOT OLD.authority_id OR NEW.achievement_year IS NOT OLD.achievement_year)
  AND EXISTS (SELECT 1 FROM awards_award WHERE decision_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'decision_key: a decision with awards keeps its authority and year'); END
""",
]

POSTGRESQL = [
    """
CREATE OR REPLACE FUNCTION awards_award_check() RETURNS trigger AS $body$
DECLARE
  d_authority bigint; d_year integer; t_for text;
BEGIN
  SELECT authority_id, achievement_year INTO d_authority, d_year FROM awards_decision WHERE id = NEW.decision_id;
  IF NEW.authority_id IS DISTINCT FROM d_authority OR NEW.year IS DISTINCT FROM d_year THEN
    RAISE EXCEPTION 'award_matches_decision: an award must carry its decision''s authority and year'
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT recipient_for INTO t_for FROM awards_title WHERE id = NEW.title_id;
  IF (t_for = 'collective' AND NEW.person_id IS NOT NULL) OR (t_for = 'individual' AND NEW.unit_id IS NOT NULL) THEN
    RAISE EXCEPTION 'award_title_fits_recipient: the title is not for this kind of recipient'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$body$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS award_check ON awards_award",
    """
CREATE TRIGGER award_check BEFORE INSERT OR UPDATE OF decision_id, authority_id, year, title_id, person_id, unit_id
ON awards_award FOR EACH ROW EXECUTE FUNCTION awards_award_check()
""",
    """
CREATE OR REPLACE FUNCTION awards_title_check() RETURNS trigger AS $body$
BEGIN
  IF EXISTS (SELECT 1 FROM awards_award WHERE title_id = NEW.id AND (
      (NEW.recipient_for = 'individual' AND unit_id IS NOT NULL)
      OR (NEW.recipient_for = 'collective' AND person_id IS NOT NULL))) THEN
    RAISE EXCEPTION 'title_recipient_for: awards of this title go to the other kind of recipient'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$body$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS title_check ON awards_title",
    """
CREATE TRIGGER title_check BEFORE UPDATE OF recipient_for ON awards_title
FOR EACH ROW EXECUTE FUNCTION awards_title_check()
""",
    """
CREATE OR REPLACE FUNCTION awards_decision_check() RETURNS trigger AS $body$
BEGIN
  IF (NEW.authority_id IS DISTINCT FROM OLD.authority_id OR NEW.achievement_year IS DISTINCT FROM OLD.achievement_year)
     AND EXISTS (SELECT 1 FROM awards_award WHERE decision_id = NEW.id) THEN
    RAISE EXCEPTION 'decision_key: a decision with awards keeps its authority and year'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$body$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS decision_check ON awards_decision",
    """
CREATE TRIGGER decision_check BEFORE UPDATE OF authority_id, achievement_year ON awards_decision
FOR EACH ROW EXECUTE FUNCTION awards_decision_check()
""",
]

STATEMENTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def install(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)
    install_search_triggers(apps, schema_editor)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE[:6]:
            schema_editor.execute(statement)
        uninstall_search_triggers(apps, schema_editor)
    elif vendor == "postgresql":
        for table, trigger in (("awards_award", "award_check"), ("awards_title", "title_check"),
                               ("awards_decision", "decision_check")):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")


# ---- SQLite: a trigram full-text index beside each search key ----------------------------------
# The search boxes match anywhere in a name (`search_key LIKE '%nguyen van an%'`), which no
# b-tree serves: on a million honours SQLite read the whole key index (about 0.2 s a search).
# FTS5's trigram tokenizer indexes every three letters of the key, so a phrase query is a
# substring match read from the index. The index holds no copy of the text (external content:
# it reads the table's own search_key), and triggers keep it in step in the statement that
# writes the key, inside the same transaction, whatever writes it (a save, a bulk insert, a
# raw UPDATE), as PostgreSQL keeps its trigram index (migration 0009).

SEARCH_TABLES = ("awards_award", "awards_person", "awards_unit")


def search_index(table):
    return f"{table}_fts"


def _search_triggers(table):
    index = search_index(table)
    return [
        f"DROP TRIGGER IF EXISTS {index}_ins",
        f"DROP TRIGGER IF EXISTS {index}_del",
        f"DROP TRIGGER IF EXISTS {index}_upd",
        f"CREATE TRIGGER {index}_ins AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {index}(rowid, search_key) VALUES (NEW.id, NEW.search_key); END",
        f"CREATE TRIGGER {index}_del AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, search_key) VALUES ('delete', OLD.id, OLD.search_key); END",
        f"CREATE TRIGGER {index}_upd AFTER UPDATE OF search_key ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, search_key) VALUES ('delete', OLD.id, OLD.search_key); "
        f"INSERT INTO {index}(rowid, search_key) VALUES (NEW.id, NEW.search_key); END",
    ]


def search_index_exists(connection, table):
    """Whether this SQLite database has the table's trigram index."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [search_index(table)])
        return cursor.fetchone() is not None


def create_search_indexes(apps, schema_editor):
    """The trigram indexes, filled from the keys already written, and their triggers."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in SEARCH_TABLES:
        index = search_index(table)
        schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5("
                              f"search_key, content='{table}', content_rowid='id', tokenize='trigram')")
        schema_editor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
        schema_editor.execute(f"INSERT INTO {index}({index}) VALUES ('optimize')")  # one segment: faster reads
    install_search_triggers(apps, schema_editor)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    uninstall_search_triggers(apps, schema_editor)
    for table in SEARCH_TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {search_index(table)}")


def install_search_triggers(apps, schema_editor):
    """Idempotent; only where the index exists (a migration older than it installs nothing)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in SEARCH_TABLES:
        if search_index_exists(schema_editor.connection, table):
            for statement in _search_triggers(table):
                schema_editor.execute(statement)


def uninstall_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in SEARCH_TABLES:
        for statement in _search_triggers(table)[:3]:
            schema_editor.execute(statement)
