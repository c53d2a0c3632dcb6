"""The production run: scripts/serve.sh starts gunicorn with WhiteNoise,
JSON logs and a shared cache; settings come from the environment and fail loudly."""

import http.client
import json
import logging
import os
import runpy
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection

from ops.logs import GunicornLogger, JsonFormatter

ROOT = Path(__file__).resolve().parents[2]


def test_default_cache_is_a_database_table_every_worker_shares(db, settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    cache.set("ops-probe", "一次", 60)
    # Other entries (the public page cache, rate limits) may share the table.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM fao_cache WHERE cache_key LIKE %s", ["%ops-probe"])
        assert cursor.fetchone()[0] == 1
    assert cache.get("ops-probe") == "一次"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "FAO_LOG_FORMAT": "plain", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("FAO_CACHE_URL", "memcached://10.0.0.1", "FAO_CACHE_URL must start with one of"),
        ("FAO_LOG_FORMAT", "xml", "FAO_LOG_FORMAT must be json or plain"),
        ("FAO_HEALTHZ_TIMEOUT_MS", "soon", "FAO_HEALTHZ_TIMEOUT_MS must be a whole number"),
    ],
)
def test_malformed_setting_stops_start_up_naming_the_variable(variable, value, message):
    completed = manage("check", **{variable: value})
    assert completed.returncode != 0
    assert message in completed.stderr


def test_log_records_are_single_json_lines_with_their_extra_fields():
    record = logging.LogRecord(
        "ops.database", logging.WARNING, __file__, 1, "数据库不可用 %s", ("x",), None
    )
    record.path = "/disclosure/"
    try:
        raise RuntimeError("连接被拒绝")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "ops.database"
    assert entry["message"] == "数据库不可用 x"
    assert entry["path"] == "/disclosure/"
    assert "RuntimeError: 连接被拒绝" in entry["exception"]
    assert entry["time"].endswith("+08:00") or "T" in entry["time"]


def test_gunicorn_access_log_line_is_json(capsys):
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/disclosure/",
        "QUERY_STRING": "q=法治",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": 'agent "quoted"',
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, _duration(0.0421))
    entry = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert entry["status"] == 200
    assert entry["path"] == "/disclosure/"
    assert entry["query"] == "q=法治"
    assert entry["bytes"] == 1234
    assert entry["duration_ms"] == 42.1
    assert entry["user_agent"] == 'agent "quoted"'


def _duration(seconds: float):
    import datetime

    return datetime.timedelta(seconds=seconds)


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("FAO_GUNICORN_WORKERS", "3")
    monkeypatch.setenv("FAO_GUNICORN_THREADS", "6")
    monkeypatch.setenv("FAO_BIND", "10.0.0.11:8000")
    config = runpy.run_path(str(ROOT / "ops" / "gunicorn.conf.py"))
    assert (config["workers"], config["threads"], config["worker_class"]) == (3, 6, "gthread")
    assert config["bind"] == "10.0.0.11:8000"
    assert config["preload_app"] is True
    assert config["accesslog"] == "-"
    assert config["logger_class"] == "ops.logs.GunicornLogger"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"X-Forwarded-Proto": "https", **headers})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def test_serve_script_runs_gunicorn_with_static_files_and_json_access_log(tmp_path):
    """The production command end to end, on a throw-away SQLite database."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAO_", "DJANGO_"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        FAO_VAR_DIR=str(tmp_path),
        FAO_BIND=f"127.0.0.1:{port}",
        FAO_GUNICORN_WORKERS="1",
        FAO_GUNICORN_THREADS="2",
        PY=sys.executable,
        GUNICORN=str(Path(sys.executable).with_name("gunicorn")),
    )
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            ["scripts/serve.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            health = None
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    health = get(port, "/healthz")
                    break
                except OSError:
                    time.sleep(0.5)
            assert health is not None, log_path.read_text()
            assert health.status == 200
            assert json.loads(health.body)["database"]["ok"] is True

            home = get(port, "/")
            assert home.status == 200
            assert "default-src 'self'" in home.getheader("Content-Security-Policy")
            stylesheet = home.body.decode().split('rel="stylesheet" href="', 1)[1].split('"')[0]
            assert (
                stylesheet.startswith("/static/css/site.") and stylesheet != "/static/css/site.css"
            )
            css = get(port, stylesheet, **{"Accept-Encoding": "gzip"})
            assert css.status == 200
            assert css.getheader("Content-Encoding") == "gzip"
            assert "immutable" in css.getheader("Cache-Control")
        finally:
            server.terminate()
            server.wait(timeout=60)
    access = [
        json.loads(line)
        for line in log_path.read_text().splitlines()
        if line.startswith("{") and '"gunicorn.access"' in line
    ]
    assert {"/healthz", "/", stylesheet} <= {entry["path"] for entry in access}
    assert all(entry["status"] == 200 for entry in access)
