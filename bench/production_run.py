"""The production run as the reliability scripts use it: a fresh PostgreSQL database with the
demo data, `scripts/serve.sh` (gunicorn, pool, JSON logs) on the loopback, and a small HTTP
client. Only 127.0.0.1 is ever contacted.
"""

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
HOST = "127.0.0.1"
# What nginx adds in front of the portal (docs/deploy.md): the request came over HTTPS.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
SKIP_PREFIXES = ("/admin", "/i18n", "/static", "/media", "/dashboard", "/accounts")
# Pages no link leads to but citizens reach: a catalogue search for 法治.
EXTRA_PATHS = ["/disclosure/?q=%E6%B3%95%E6%B2%BB"]


def production_env(database_url: str, var_dir: Path, port: int, **extra: str) -> dict[str, str]:
    # The caller's gunicorn sizing (FAO_GUNICORN_*) is kept so configurations can be compared.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FAO_", "DJANGO_")) or k.startswith("FAO_GUNICORN_")
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=database_url,
        FAO_VAR_DIR=str(var_dir),
        FAO_BIND=f"{HOST}:{port}",
        FAO_LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def recreate_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(parts.path.lstrip("/"))
            )
        )


def load_demo(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def start_server(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    log = log_path.open("w", encoding="utf-8")
    return subprocess.Popen(
        ["scripts/serve.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 15,
    connection: http.client.HTTPConnection | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = connection or http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        if connection is None:
            conn.close()


def wait_healthy(port: int, server: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the production run stopped during start-up")
        try:
            if request(port, "GET", "/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the production run did not become healthy")


def discover_public_paths(port: int, limit: int = 40) -> list[str]:
    """Public pages reachable from the home page by links (two levels), each answering 200."""
    found, queue, seen = [], ["/", *EXTRA_PATHS], {"/", *EXTRA_PATHS}
    while queue and len(found) < limit:
        path = queue.pop(0)
        status, headers, body = request(port, "GET", path)
        if status != 200 or "text/html" not in headers.get("content-type", ""):
            continue
        found.append(path)
        for href in re.findall(r'href="(/[^"#]*)"', body.decode("utf-8", "replace")):
            href = href.replace("&amp;", "&")
            if href.startswith(SKIP_PREFIXES) or href in seen or "feed" in href:
                continue
            seen.add(href)
            queue.append(href)
    return found


def server_errors(log_path: Path) -> list[dict]:
    """Access-log lines of the run with a 5xx status (ops.logs.GunicornLogger, JSON lines)."""
    errors = []
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("logger") == "gunicorn.access" and int(entry.get("status", 0)) >= 500:
            errors.append(entry)
    return errors
