"""What the benchmarks share: opening a registry on either engine, percentiles, the machine."""

import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
SCRATCH_DB = "bench_registry"


def add_registry_options(parser):
    """--engine, and where an existing registry (filled by `manage.py seed_bench`) lives."""
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--data-dir", help="SQLite: a registry folder already filled (else a fresh one is built)")
    parser.add_argument("--pg-database", help="PostgreSQL: a database on 127.0.0.1:5432 already filled "
                                              "(else a scratch one is built and dropped)")


def pg_admin(statement):
    import psycopg

    with psycopg.connect(f"{PG_SERVER.replace('postgres://', 'postgresql://')}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def registry_environment(engine, *, data_dir=None, pg_database=None):
    """The environment (this process's, pointed at the benchmark's database) for the registry
    here or in a process the benchmark starts.

    Returns (environment, scratch): scratch is true when the database is a fresh one the caller
    fills and must drop with `close_registry`."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "registry.settings", "DJANGO_SECRET_KEY": "bench-" + "x" * 60}
    env.pop("DATABASE_URL", None)
    scratch = not (data_dir if engine == "sqlite" else pg_database)
    env["REGISTRY_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="bench-registry-")
    if engine == "postgresql":
        name = pg_database or SCRATCH_DB
        if scratch:
            pg_admin(f"DROP DATABASE IF EXISTS {name}")
            pg_admin(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    else:
        # Named in DATABASE_URL, as a deployment names its file: the same settings must apply.
        env["DATABASE_URL"] = f"sqlite:///{Path(env['REGISTRY_DATA_DIR']).resolve()}/registry.sqlite3"
    return env, scratch


def open_registry(engine, *, data_dir=None, pg_database=None):
    """Set up Django on the benchmark's database, migrated; returns whether it is a scratch one."""
    env, scratch = registry_environment(engine, data_dir=data_dir, pg_database=pg_database)
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return scratch


def close_registry(engine, scratch):
    """Drop a scratch PostgreSQL database (a scratch SQLite folder is left in the temp dir)."""
    if engine == "postgresql" and scratch:
        if "django.db" in sys.modules:  # this process used it: let go of its connections first
            from django.db import connections

            connections.close_all()
        pg_admin(f"DROP DATABASE IF EXISTS {SCRATCH_DB}")


def fill(persons, awards, **options):
    """The synthetic registry of `manage.py seed_bench`, analysed for the query planner."""
    from awards.benchdata import analyze, build

    made = build(persons=persons, awards=awards, **options)
    analyze()
    return made


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def machine():
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
