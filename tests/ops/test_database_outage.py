"""While the database is unreachable every page answers a styled 503 (never a traceback or a
500), /healthz says so, and the portal recovers by itself once the database is back.

The outage is real: tests/db_outage_probe.py runs the portal in its own process and cuts its
database off (a closed TCP relay in front of PostgreSQL, a vanished folder for SQLite).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

PROBE = Path(__file__).resolve().parents[1] / "db_outage_probe.py"


def run_probe(mode: str, database_url: str, **env: str) -> dict:
    environment = {
        **os.environ,
        "OUTAGE_DATABASE_URL": database_url,
        "FAO_ALLOW_INSECURE_KEY": "true",
        "FAO_MANIFEST_STATIC": "false",
        "FAO_LOG_FORMAT": "plain",
        "FAO_LOG_LEVEL": "CRITICAL",
        **env,
    }
    environment.pop("DATABASE_URL", None)
    completed = subprocess.run(
        [sys.executable, str(PROBE), mode],
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def assert_outage_handled(result: dict) -> None:
    assert result["before"]["/"]["status"] == 200
    assert result["before"]["/healthz"]["status"] == 200
    for during in result["during"]:
        for page, seen in during.items():
            assert seen["status"] == 503, (page, seen)
            assert seen["retry_after"] == "5"
        assert during["/"]["unavailable_page"]
        assert during["/media/disclosure/2022/none/missing.pdf"]["unavailable_page"]
    assert result["after"]["/"]["status"] == 200
    assert result["after"]["/healthz"]["status"] == 200
    assert result["after"]["/media/disclosure/2022/none/missing.pdf"]["status"] == 404


@pytest.mark.sqlite_only
def test_sqlite_outage_answers_503_and_recovers(db, tmp_path):
    folder = tmp_path / "database"
    folder.mkdir()
    connection.ensure_connection()
    # The migrated test database, as a file. Read through the test's own connection: it holds
    # the test transaction's write lock (IMMEDIATE transactions), which a backup would wait on.
    (folder / "portal.sqlite3").write_bytes(connection.connection.serialize())
    # An open SQLite connection keeps its file even after the folder moved, so each request
    # opens its own here: the outage is a database that cannot be opened.
    result = run_probe("sqlite", f"sqlite:///{folder / 'portal.sqlite3'}", FAO_DB_CONN_MAX_AGE="0")
    assert_outage_handled(result)


def postgres_url() -> str:
    db = settings.DATABASES["default"]
    credentials = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        credentials += f":{db['PASSWORD']}"
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.postgres_only
def test_postgresql_outage_answers_503_and_recovers_with_persistent_connections(db):
    result = run_probe("postgres", postgres_url(), FAO_DB_POOL="false")
    assert_outage_handled(result)


@pytest.mark.postgres_only
def test_postgresql_outage_answers_503_and_recovers_with_the_connection_pool(db):
    result = run_probe("postgres", postgres_url(), FAO_DB_POOL="true", FAO_DB_POOL_TIMEOUT="1")
    assert_outage_handled(result)
