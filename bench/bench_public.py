"""Every public page against a minimal Django view, on the production run, side by side.

For each database set-up (PostgreSQL with Redis as the shared cache, as in production, and
the embedded default: SQLite with its database cache) a fresh database gets the demo data,
then gunicorn is started exactly as `scripts/serve.sh` starts it (ops/gunicorn.conf.py:
cores + 1 workers × 8 threads, the psycopg pool on PostgreSQL, debug off, the portal's full
middleware) with one extra URL, /bench/ok/, a minimal view (`HttpResponse("ok")`). wrk loads
each page at 32 connections in alternating rounds (minimal view, home, catalogue, catalogue
search, disclosure detail, notices, reports, feed, then again), so machine noise hits every
page alike. Figures per page: requests per second (best round) and its ratio to the minimal
view's, p99 latency (median of the rounds) and its ratio to the minimal view's, non-2xx
responses and socket errors. Target on PostgreSQL: ratio
≥ 0.8, p99 ≤ 2 × the minimal view's, no error. Last, a known number of concurrent views of
the detail page must add exactly that many to its stored view count.

The minimal view exists only here: gunicorn loads `bench_application()`, which points
ROOT_URLCONF at this module (the portal's URLs plus /bench/ok/). The portal never serves it.

Environment: BENCH_PUBLIC_SECONDS (per round, default 5), BENCH_PUBLIC_ROUNDS (default 3),
BENCH_PUBLIC_CONNECTIONS (32), BENCH_PUBLIC_SETUPS (postgres,sqlite), BENCH_PG_URL.
"""

import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import emit  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
CONNECTIONS = int(os.environ.get("BENCH_PUBLIC_CONNECTIONS", "32"))
ROUND_SECONDS = int(os.environ.get("BENCH_PUBLIC_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_PUBLIC_ROUNDS", "3"))
SETUPS = os.environ.get("BENCH_PUBLIC_SETUPS", "postgres,sqlite").split(",")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/fao_bench_public")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
EXACT_REQUESTS = 400
TARGET_RATIO = 0.8
TARGET_P99 = 2.0
OK_PATH = "/bench/ok/"
PAGES = {
    "home": "/",
    "catalogue": "/disclosure/",
    "catalogue_search": "/disclosure/?q=%E6%B3%95%E6%B2%BB",
    "detail": None,  # the demo's first disclosure, found on the catalogue
    "notices": "/notices/",
    "reports": "/reports/",
    "feed": "/disclosure/feed/",
}


# --- the gunicorn side ----------------------------------------------------------------------


def ok(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def __getattr__(name: str):
    # Django reads `urlpatterns` only after setup, so the import stays lazy (PEP 562).
    if name == "urlpatterns":
        from django.urls import include, path

        return [path("bench/ok/", ok), path("", include("fao_portal.urls"))]
    raise AttributeError(name)


def bench_application():
    """gunicorn entry point: the portal's WSGI application with the bench URLconf."""
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    settings.ROOT_URLCONF = "bench.bench_public"
    return application


# --- the driver side ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except (OSError, redis.RedisError):
        return False


def environment(setup: str, workdir: Path, port: int) -> dict[str, str]:
    # The caller's gunicorn sizing (FAO_GUNICORN_*) is kept so configurations can be compared.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FAO_", "DJANGO_")) or k.startswith("FAO_GUNICORN_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="fao_portal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        FAO_HTTPS="false",  # plain HTTP on the loopback, no redirect
        FAO_VAR_DIR=str(workdir),
        FAO_MANIFEST_STATIC="false",
        FAO_LOG_LEVEL="WARNING",
        FAO_GUNICORN_LOG_LEVEL="warning",
        FAO_BIND=f"127.0.0.1:{port}",
        FAO_VIEW_COUNT_FLUSH_SECONDS="1",
        PYTHONPATH=str(ROOT),
    )
    if setup == "postgres":
        env.update(DATABASE_URL=PG_URL, FAO_DB_POOL="true")
        if redis_up():
            env["FAO_CACHE_URL"] = REDIS_URL
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    return env


def prepare(setup: str, env: dict[str, str]) -> None:
    if setup == "postgres":
        from bench.production_run import recreate_database

        recreate_database(env["DATABASE_URL"])
    if env.get("FAO_CACHE_URL", "").startswith("redis"):
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    for command in (["migrate", "--noinput", "-v", "0"], ["createcachetable"], ["load_demo"]):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def start_gunicorn(env: dict[str, str], port: int, workdir: Path) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--config",
        "ops/gunicorn.conf.py",
        "bench.bench_public:bench_application()",
    ]
    log = open(workdir / "gunicorn.log", "wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{OK_PATH}", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not start:\n" + (workdir / "gunicorn.log").read_text())


def parse_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url: str) -> dict:
    output = subprocess.run(
        ["wrk", "-t", "1", "-c", str(CONNECTIONS), "-d", f"{ROUND_SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    status_errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p99_ms": parse_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": (int(status_errors.group(1)) if status_errors else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    }


def fetch(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return response.status


def run_requests(url: str, requests: int, concurrency: int = 16) -> list[int]:
    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(lambda _: fetch(url), range(requests)))


def stored_view_count(env: dict[str, str], slug: str) -> int:
    code = (
        "import django; django.setup();"
        "from disclosure.models import DisclosureItem as D;"
        f"print(D.objects.get(index_number={slug!r}.rsplit('-', 2)[0] + '/' + "
        f"'-'.join({slug!r}.rsplit('-', 2)[1:])).view_count)"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip().splitlines()[-1])


def flush_counts(env: dict[str, str]) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "flush_view_counts", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def settled_count(env, slug) -> int:
    # Without Redis each gunicorn worker flushes its own buffer every second.
    last = stored_view_count(env, slug)
    while True:
        time.sleep(2.5)
        flush_counts(env)
        current = stored_view_count(env, slug)
        if current == last:
            return current
        last = current


def bench_setup(setup: str) -> None:
    workdir = Path(tempfile.mkdtemp(prefix=f"fao-bench-public-{setup}-"))
    port = free_port()
    env = environment(setup, workdir, port)
    prepare(setup, env)
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(env, port, workdir)
    try:
        catalogue = urllib.request.urlopen(base + "/disclosure/").read().decode()
        detail = re.search(r'href="(/disclosure/[0-9A-Za-z]+-\d{4}-\d{5}/)"', catalogue).group(1)
        pages = {**PAGES, "detail": detail}
        paths = [OK_PATH, *pages.values()]
        for path in paths:  # warm every worker's templates and the page cache
            run_requests(base + path, 60)
        results = {path: [] for path in paths}
        for _ in range(ROUNDS):
            for path in paths:
                results[path].append(run_wrk(base + path))
        slug = detail.strip("/").split("/")[-1]
        flush_counts(env)
        before = settled_count(env, slug)
        statuses = run_requests(base + detail, EXACT_REQUESTS)
    finally:
        server.terminate()
        server.wait(timeout=60)
    after = settled_count(env, slug)
    if setup == "postgres":
        from bench.production_run import drop_database

        drop_database(env["DATABASE_URL"])
    shutil.rmtree(workdir, ignore_errors=True)

    # Throughput: the best round (the least disturbed by other work on the machine); p99: the
    # median of the rounds' p99 (one stall elsewhere on the machine must not decide it).
    best = {
        path: {
            "rps": max(r["rps"] for r in runs),
            "p99_ms": statistics.median(r["p99_ms"] for r in runs),
        }
        for path, runs in results.items()
    }
    minimal = best[OK_PATH]
    cache_name = env.get("FAO_CACHE_URL", "db://fao_cache").split(":", 1)[0]
    label = f"{setup}+{cache_name}"
    common = {
        "setup": label,
        "server": "gunicorn, ops/gunicorn.conf.py (cores + 1 workers x 8 threads)",
        "load_generator": f"wrk, 1 thread, {CONNECTIONS} connections, {ROUND_SECONDS} s rounds",
        "rounds": ROUNDS,
        "minimal_rps": round(minimal["rps"], 1),
        "minimal_p99_ms": round(minimal["p99_ms"], 2),
        "load_average": os.getloadavg()[0],
    }
    enforce = setup == "postgres"
    for name, path in pages.items():
        figure = best[path]
        errors = sum(r["errors"] for r in results[path])
        ratio = figure["rps"] / minimal["rps"]
        p99_ratio = figure["p99_ms"] / minimal["p99_ms"] if minimal["p99_ms"] else 0.0
        meets = ratio >= TARGET_RATIO and p99_ratio <= TARGET_P99 and errors == 0
        emit(
            f"public_{name}_{setup}",
            round(ratio, 3),
            "ratio",
            compared_with='minimal Django view HttpResponse("ok") on the same gunicorn',
            target=f">= {TARGET_RATIO} of its req/s, p99 <= {TARGET_P99}x, 0 errors"
            if enforce
            else "",
            meets_target=meets if enforce else None,
            path=path,
            rps=round(figure["rps"], 1),
            p99_ms=round(figure["p99_ms"], 2),
            p99_ratio=round(p99_ratio, 2),
            non_2xx_or_socket_errors=errors,
            **common,
        )
    counted = after - before
    made = sum(1 for s in statuses if s == 200)
    emit(
        f"public_detail_view_count_exact_{setup}",
        counted,
        "views counted",
        compared_with=f"{EXACT_REQUESTS} concurrent requests (16 at a time), {made} answered 200",
        target="equal",
        meets_target=counted == made == EXACT_REQUESTS,
        setup=label,
    )
    print(json.dumps({"setup": label, "runs": results}, ensure_ascii=False), file=sys.stderr)


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed (make setup installs it)", file=sys.stderr)
        return 1
    for setup in SETUPS:
        bench_setup(setup.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
