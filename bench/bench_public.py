"""Disclosure detail page throughput vs a minimal Django view, under gunicorn.

Both URLs are served by the same gunicorn (2 sync workers, the portal's full middleware) and
loaded in alternating rounds at a fixed concurrency by wrk (or, without wrk, a Python
thread-pool client). Figures: requests per second of each, their ratio (target: the detail
page at least half as fast as `HttpResponse("ok")`), p99 latency, and whether the page's
view count equals the number of requests made.

The minimal view exists only here: gunicorn loads `bench_application()`, which points
ROOT_URLCONF at this module (the portal's URLs plus /bench/ok/). The portal itself never
serves it.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import emit, setup_django  # noqa: E402

WORKERS = 2
CONCURRENCY = 8
ROUND_SECONDS = 5
ROUNDS = 3
EXACT_REQUESTS = 400
TARGET_RATIO = 0.5
DETAIL_PATH = "/disclosure/014109568-2022-00012/"
OK_PATH = "/bench/ok/"


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


def create_seed_disclosure():
    import datetime

    from core.models import Organization
    from disclosure.models import DisclosureItem

    office, _ = Organization.objects.get_or_create(
        org_code="014109568",
        defaults={"full_name": "常州市人民政府外事办公室", "short_name": "市外事办"},
    )
    existing = DisclosureItem.objects.filter(index_number="014109568/2022-00012").first()
    if existing is not None:  # a re-run on the same BENCH_DATABASE_URL
        return existing
    body = (ROOT / "core" / "demo" / "seed_2021_report.txt").read_text(encoding="utf-8")
    item = DisclosureItem(
        organization=office,
        title="常州市人民政府外事办公室2021年度法治政府建设情况报告",
        index_number="014109568/2022-00012",
        category=DisclosureItem.Category.OTHER,
        publisher="市外事办",
        generated_on=datetime.date(2022, 3, 21),
        published_on=datetime.date(2022, 3, 22),
        summary="常州市人民政府外事办公室2021年度法治政府建设情况报告",
        body=body,
    )
    item.full_clean()
    item.save()
    return item


def view_count() -> int:
    from django.db import connection

    from disclosure.models import DisclosureItem

    connection.close()  # read what the gunicorn workers committed, not a stale snapshot
    return DisclosureItem.objects.get(index_number="014109568/2022-00012").view_count


def settled_view_count() -> int:
    last = view_count()
    while True:
        time.sleep(0.5)
        current = view_count()
        if current == last:
            return current
        last = current


def start_gunicorn(port: int, workdir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        # Plain HTTP on the loopback; no redirect to HTTPS.
        "FAO_HTTPS": "false",
        "FAO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.bench_public:bench_application()",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--config",
        "/dev/null",  # not the production config: a fixed, comparable process set-up
    ]
    log = open(workdir / "gunicorn.log", "wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{OK_PATH}", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start:\n" + (workdir / "gunicorn.log").read_text())


def parse_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url: str) -> dict:
    output = subprocess.run(
        [
            "wrk",
            "-t",
            "1",  # one client thread leaves the two cores to the server
            "-c",
            str(CONCURRENCY),
            "-d",
            f"{ROUND_SECONDS}s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p99_ms": parse_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def fetch(url: str) -> tuple[int, float]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return response.status, time.perf_counter() - start


def run_pool(url: str, *, requests: int | None = None, seconds: float | None = None) -> dict:
    """A fixed-concurrency client: `requests` in total, or as many as fit in `seconds`."""
    latencies, statuses = [], []
    deadline = time.monotonic() + (seconds or 1e9)
    budget = iter(range(requests)) if requests else None

    def worker():
        while time.monotonic() < deadline:
            if budget is not None and next(budget, None) is None:
                return
            status, latency = fetch(url)
            statuses.append(status)
            latencies.append(latency)

    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        for future in [pool.submit(worker) for _ in range(CONCURRENCY)]:
            future.result()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0,
        "requests": len(latencies),
        "errors": sum(1 for s in statuses if s != 200),
    }


def main() -> int:
    workdir = setup_django("public")
    create_seed_disclosure()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, workdir)
    use_wrk = shutil.which("wrk") is not None
    try:
        load = run_wrk if use_wrk else (lambda url: run_pool(url, seconds=ROUND_SECONDS))
        for path in (OK_PATH, DETAIL_PATH):  # warm both workers' caches and templates
            run_pool(base + path, requests=50)
        results = {OK_PATH: [], DETAIL_PATH: []}
        for _ in range(ROUNDS):
            for path in (OK_PATH, DETAIL_PATH):
                results[path].append(load(base + path))
        best = {path: max(runs, key=lambda r: r["rps"]) for path, runs in results.items()}

        # Exactness: a known number of concurrent requests, then compare the stored count.
        # wrk stops counting at its deadline while a few requests are still being served.
        before = settled_view_count()
        exact = run_pool(base + DETAIL_PATH, requests=EXACT_REQUESTS)
        counted = view_count() - before
    finally:
        server.terminate()
        server.wait(timeout=30)

    errors = sum(r["errors"] for runs in results.values() for r in runs) + exact["errors"]
    ratio = best[DETAIL_PATH]["rps"] / best[OK_PATH]["rps"]
    setup = {
        "server": f"gunicorn, {WORKERS} sync workers",
        "load_generator": "wrk" if use_wrk else "python thread pool",
        "concurrency": CONCURRENCY,
        "round_seconds": ROUND_SECONDS,
        "rounds": ROUNDS,
        "database": os.environ["DATABASE_URL"].split(":", 1)[0],
    }
    emit(
        "public_detail_throughput_ratio",
        round(ratio, 3),
        "ratio",
        compared_with='minimal Django view HttpResponse("ok") on the same gunicorn',
        target=f">= {TARGET_RATIO}",
        meets_target=ratio >= TARGET_RATIO and errors == 0,
        detail_rps=round(best[DETAIL_PATH]["rps"], 1),
        minimal_rps=round(best[OK_PATH]["rps"], 1),
        detail_p99_ms=round(best[DETAIL_PATH]["p99_ms"], 2),
        minimal_p99_ms=round(best[OK_PATH]["p99_ms"], 2),
        non_200_responses=errors,
        **setup,
    )
    emit(
        "public_detail_view_count_exact",
        counted,
        "views counted",
        compared_with=f"{exact['requests']} requests made at concurrency {CONCURRENCY}",
        target="equal",
        meets_target=counted == exact["requests"] == EXACT_REQUESTS,
    )
    print(json.dumps({"runs": results}, ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
