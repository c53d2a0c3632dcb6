"""The embedded SQLite database queues concurrent writers instead of failing them: twenty
citizens commenting at the same moment while others read the notice page and a clerk's
600-row import runs all get an answer, every accepted comment is stored and the import
completes (a citizen's objection during a public notice must not
be lost, 常政发〔2009〕87号)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.sqlite_only
def test_sqlite_takes_the_write_lock_at_the_start_and_waits_for_it():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"]


def test_twenty_citizens_commenting_during_a_600_row_import_all_get_an_answer(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAO_", "DJANGO_"))}
    env.update(FAO_ALLOW_INSECURE_KEY="true", DATABASE_URL="")
    completed = subprocess.run(
        [
            sys.executable,
            "bench/reliability_sqlite_writers.py",
            "--posts",
            "20",
            "--reads",
            "10",
            "--import-rows",
            "600",
            "--db",
            str(tmp_path / "portal.sqlite3"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    line = next(
        (x for x in completed.stdout.splitlines() if x.startswith("RESULT ")), completed.stderr
    )
    result = json.loads(line.removeprefix("RESULT "))
    assert result["server_errors"] == 0, result
    assert result["accepted"] == 20, result
    assert result["stored"] == 20, result
    assert result["journal_mode"] == "wal"
    assert result["import"] == {"ok": True, "new": 600, "errors": []}, result
