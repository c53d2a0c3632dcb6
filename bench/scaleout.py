"""Scale-out trial: two app servers behind nginx on one PostgreSQL and one Redis.

    .venv/bin/python bench/scaleout.py [--clients 64] [--seconds 30] [--no-proxy-cache]

What it does, on the loopback only:

1. Makes sure nginx (Debian's package) and Redis are there: installs them with apt-get when
   run as root and missing, starts Redis when it is not answering.
2. A fresh PostgreSQL database (SCALEOUT_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/fao_scaleout) gets the demo data.
3. Starts two app servers with `scripts/serve.sh` (gunicorn, production defaults) on two ports,
   the second with FAO_SERVE_MIGRATE=false, both on the same database and the same Redis
   (FAO_CACHE_URL), plus the view-count flusher (`manage.py flush_view_counts --loop`).
4. Generates an nginx configuration into var/scaleout/ (the one docs/deploy.md shows: an
   upstream with both servers and the public-page micro-cache) and runs nginx in front.
5. Checks that a publication made on app server A is visible on app server B within one
   second (B had the catalogue cached), and reports how long it took through nginx.
6. Counts views through nginx, restarts app server A in the middle, and checks the stored
   view count equals the views made.
7. Load run: wrk with 64 connections for --seconds over every public page reachable from
   the home page, through nginx. Target: zero errors, no 5xx in either server's log.

Figures are printed as JSON lines (bench/harness.py's format).
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from harness import emit  # noqa: E402
from production_run import (  # noqa: E402
    PYTHON,
    discover_public_paths,
    drop_database,
    load_demo,
    production_env,
    recreate_database,
    request,
    server_errors,
    start_server,
    stop_server,
    wait_healthy,
)
from reliability_load import WRK_SCRIPT  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fao_scaleout"
REDIS_URL = os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/11")
PORTS = (8771, 8772)
NGINX_PORT = 8770

NGINX_CONF = """
worker_processes auto;
pid {var}/nginx.pid;
error_log {var}/nginx-error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {var}/tmp/body;
    proxy_temp_path {var}/tmp/proxy;
    fastcgi_temp_path {var}/tmp/fastcgi;
    uwsgi_temp_path {var}/tmp/uwsgi;
    scgi_temp_path {var}/tmp/scgi;

    upstream fao_portal {{
        server 127.0.0.1:{port_a} max_fails=3 fail_timeout=10s;
        server 127.0.0.1:{port_b} max_fails=3 fail_timeout=10s;
        keepalive 32;
    }}

    # Public pages: a micro-cache. The portal allows a proxy to reuse a page for
    # FAO_PUBLIC_PROXY_SECONDS (s-maxage, 1 s by default); afterwards nginx revalidates with
    # the page's ETag, which the app servers answer from their own cache.
    proxy_cache_path {var}/cache levels=1:2 keys_zone=fao_pages:10m max_size=200m
                     inactive=10m use_temp_path=off;

    server {{
        listen 127.0.0.1:{nginx_port};
        location / {{
            proxy_pass http://fao_portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            # Stands in for TLS termination in this loopback trial (docs/deploy.md uses $scheme).
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_next_upstream error timeout http_502 http_503;
            {cache}
        }}
    }}
}}
"""

CACHE_DIRECTIVES = """proxy_cache fao_pages;
            # Pages differ only by the interface language, which is a cookie.
            proxy_cache_key "$scheme$host$request_uri|$cookie_django_language";
            proxy_ignore_headers Vary;
            proxy_cache_bypass $cookie_sessionid;
            proxy_no_cache $cookie_sessionid;
            proxy_cache_revalidate on;
            proxy_cache_use_stale updating error timeout http_502 http_503;
            proxy_cache_background_update on;
            add_header X-Cache-Status $upstream_cache_status;"""


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def apt_install(*packages: str) -> None:
    if not is_root():
        sys.exit(f"missing: {' '.join(packages)} (apt-get install {' '.join(packages)} as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def ensure_nginx() -> str:
    found = shutil.which("nginx") or (Path("/usr/sbin/nginx").exists() and "/usr/sbin/nginx")
    if not found:
        apt_install("nginx-light")
        found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found


def ensure_redis() -> None:
    import redis

    def up() -> bool:
        try:
            return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    if up():
        return
    if not shutil.which("redis-server"):
        apt_install("redis-server")
    subprocess.run(
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379",
         "--save", "", "--appendonly", "no"],
        check=True,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not up():
        if time.monotonic() > deadline:
            sys.exit("Redis did not start")
        time.sleep(0.2)


def start_nginx(nginx: str, var: Path, proxy_cache: bool) -> subprocess.Popen:
    for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "cache"):
        (var / sub).mkdir(parents=True, exist_ok=True)
    conf = var / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            var=var,
            user="user root;" if is_root() else "",
            port_a=PORTS[0],
            port_b=PORTS[1],
            nginx_port=NGINX_PORT,
            cache=CACHE_DIRECTIVES if proxy_cache else "",
        ),
        encoding="utf-8",
    )
    subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(var)], check=True)
    process = subprocess.Popen(
        [nginx, "-c", str(conf), "-p", str(var), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(var / "nginx-stderr.log").open("wb"),
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            request(NGINX_PORT, "GET", "/healthz", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("nginx did not start: " + (var / "nginx-error.log").read_text())


def manage(env: dict[str, str], code: str) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


PUBLISH = """
import datetime, hashlib
from core.models import Organization
from disclosure.services import disclosure_publish_document
data = b"%PDF-1.4 scale-out trial"
item = disclosure_publish_document(
    organization=Organization.objects.current(), title=TITLE, summary=TITLE, body=TITLE,
    generated_on=datetime.date.today(), published_on=datetime.date.today(),
    file_title="trial.pdf", file_bytes=data, file_sha256=hashlib.sha256(data).hexdigest())
print(item.get_absolute_url())
"""


def visible_after(port: int, path: str, text: str, limit: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        status, _headers, body = request(port, "GET", path)
        if status == 200 and text in body.decode("utf-8", "replace"):
            return time.monotonic() - start
        time.sleep(0.02)
    return None


def stored_count(env, path: str) -> int:
    slug = path.strip("/").split("/")[-1]
    number = slug.rsplit("-", 2)
    code = (
        "from disclosure.models import DisclosureItem as D;"
        f"print(D.objects.get(index_number='{number[0]}/{number[1]}-{number[2]}').view_count)"
    )
    return int(manage(env, code))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--no-proxy-cache", action="store_true")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()

    nginx = ensure_nginx()
    ensure_redis()
    database_url = os.environ.get("SCALEOUT_DATABASE_URL", DEFAULT_URL)
    var = ROOT / "var" / "scaleout"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    secret = hashlib.sha256(os.urandom(32)).hexdigest()
    envs = [
        production_env(
            database_url,
            var / f"app{i}",
            port,
            DJANGO_SECRET_KEY=secret,  # every app server shares the key
            FAO_CACHE_URL=REDIS_URL,
            FAO_CLIENT_IP_HEADER="HTTP_X_REAL_IP",
            FAO_SERVE_MIGRATE="true" if i == 0 else "false",
        )
        for i, port in enumerate(PORTS)
    ]
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    recreate_database(database_url)
    load_demo(envs[0])
    logs = [var / "app0.log", var / "app1.log"]
    servers = [start_server(envs[0], logs[0])]
    wait_healthy(PORTS[0], servers[0])  # migrations done before the second starts
    servers.append(start_server(envs[1], logs[1]))
    wait_healthy(PORTS[1], servers[1])
    flusher = subprocess.Popen(
        [PYTHON, "manage.py", "flush_view_counts", "--loop", "--every", "2"],
        cwd=ROOT,
        env=envs[0],
        stdout=subprocess.DEVNULL,
        stderr=(var / "flusher.log").open("wb"),
        start_new_session=True,
    )
    proxy = start_nginx(nginx, var, proxy_cache=not args.no_proxy_cache)
    failures = []
    try:
        # 1. A publication on A, visible on B (which had the catalogue cached) within 1 s.
        for port in (*PORTS, NGINX_PORT):
            request(port, "GET", "/disclosure/")
            request(port, "GET", "/disclosure/")
        title = f"扩展部署试验公开信息{int(time.time())}"
        manage(envs[0], f"TITLE = {title!r}\n" + PUBLISH)
        on_b = visible_after(PORTS[1], "/disclosure/", title, 5)
        through_nginx = visible_after(NGINX_PORT, "/disclosure/", title, 5)
        ok = on_b is not None and on_b <= 1.0
        if not ok:
            failures.append("publication not visible on the other app server within 1 s")
        emit(
            "scaleout_publish_visible_on_other_server",
            round(on_b, 3) if on_b is not None else -1,
            "s",
            compared_with="published on app server A, catalogue read on app server B",
            target="<= 1 s",
            meets_target=ok,
            through_nginx_s=round(through_nginx, 3) if through_nginx is not None else None,
            proxy_cache=not args.no_proxy_cache,
        )

        # 2. View counts survive an app server's restart.
        paths = discover_public_paths(NGINX_PORT)
        detail = next(p for p in paths if p.count("/") == 3 and p.startswith("/disclosure/0"))
        before = stored_count(envs[0], detail)
        made = 0
        for round_ in range(2):
            for _ in range(100):
                status, _h, _b = request(NGINX_PORT, "GET", detail)
                made += status == 200
            if round_ == 0:  # restart app server A between the two halves
                stop_server(servers[0])
                servers[0] = start_server(envs[0], var / "app0-restarted.log")
                logs.append(var / "app0-restarted.log")
                wait_healthy(PORTS[0], servers[0])
        time.sleep(5)  # two flushes
        counted = stored_count(envs[0], detail) - before
        ok = counted == made == 200
        if not ok:
            failures.append(f"view count {counted} != {made}")
        emit(
            "scaleout_view_count_across_restart",
            counted,
            "views counted",
            compared_with=f"{made} views through nginx, app server A restarted halfway",
            target="equal",
            meets_target=ok,
        )

        # 3. The load run through nginx.
        script = var / "paths.lua"
        script.write_text(
            WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)}, encoding="utf-8"
        )
        started = time.time()
        completed = subprocess.run(
            ["wrk", "--threads", "2", "--connections", str(args.clients),
             "--duration", f"{args.seconds}s", "--timeout", "10s", "--script", str(script),
             f"http://127.0.0.1:{NGINX_PORT}"],
            capture_output=True, text=True, timeout=args.seconds + 60,
        )  # fmt: skip
        del started
    finally:
        for process in (proxy, flusher):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        for server in servers:
            stop_server(server)
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    errors = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    five_hundreds = sum(len(server_errors(log)) for log in logs if log.exists())
    seconds = result["duration_us"] / 1e6
    common = {
        "clients": args.clients,
        "seconds": round(seconds, 1),
        "pages": len(paths),
        "app_servers": 2,
        "proxy_cache": not args.no_proxy_cache,
        "load_average": os.getloadavg()[0],
    }
    ok = errors == 0 and five_hundreds == 0
    if not ok:
        failures.append("errors in the load run")
    emit(
        "scaleout_load_errors",
        errors + five_hundreds,
        "errors",
        target="0 errors and no 5xx in either access log",
        meets_target=ok,
        wrk_errors={k: result[k] for k in ("connect", "read", "write", "status", "timeout")},
        server_5xx=five_hundreds,
        paths=paths,
        **common,
    )
    emit("scaleout_load_throughput", round(result["requests"] / seconds, 1), "requests/s", **common)
    emit("scaleout_load_latency_p50", round(result["p50_us"] / 1000, 1), "ms", **common)
    emit("scaleout_load_latency_p99", round(result["p99_us"] / 1000, 1), "ms", **common)
    emit("scaleout_load_latency_max", round(result["max_us"] / 1000, 1), "ms", **common)
    if not args.keep_database:
        drop_database(database_url)
    for failure in failures:
        print(f"# {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
