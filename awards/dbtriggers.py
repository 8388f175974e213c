"""Invariants that span tables, enforced by the database itself with triggers.

A CHECK constraint sees one row; these rules need another table's row:
- an award carries its decision's authority and year of achievement (the copies the
  unique "one active honour a year" constraint is built on);
- an award's recipient kind fits its title (individual titles to people, collective
  titles to units);
- a title cannot change whom it is for while awards contradict the change;
- a decision cannot change authority or year while it has awards.

SQLite rebuilds a table on many ALTERs and drops its triggers with it, so a later
migration that alters these tables calls install() again (it is idempotent); the tests
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


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE[:6]:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        for table, trigger in (("awards_award", "award_check"), ("awards_title", "title_check"),
                               ("awards_decision", "decision_check")):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
