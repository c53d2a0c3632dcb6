"""gunicorn settings for the production run (scripts/serve.sh, docs/deploy.md).

Every value comes from the environment so one file serves every server; defaults suit one
app server behind nginx on the same machine.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("FAO_BIND", "127.0.0.1:8000")
# One process per core plus one, each with 8 threads: measured side by side on 2 cores with 64
# clients (bench/reliability_load.py), 3 x 8 served 1.7x the requests of 5 x 4 with a lower
# p99. Threads let a worker wait on the database or a slow client without idling a process;
# each worker's connection pool (FAO_DB_POOL_MAX) must be at least this large.
workers = _int("FAO_GUNICORN_WORKERS", _int("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = _int("FAO_GUNICORN_THREADS", 8)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("FAO_GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("FAO_GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("FAO_GUNICORN_KEEPALIVE", 5)
# Recycling workers bounds memory growth (WeasyPrint's PDF rendering keeps memory). Not too
# often: with public pages served from the cache at thousands per second, recycling every
# 2,000 requests restarted a worker every few seconds, which cost more than half the
# throughput and put ~1 s stalls into p99 (bench/bench_public.py, measured side by side).
max_requests = _int("FAO_GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = max_requests // 10
preload_app = True
# Only the local reverse proxy may set X-Forwarded-* headers gunicorn acts on.
forwarded_allow_ips = os.environ.get("FAO_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "fao-portal"
# systemd manages the process; a shared default control socket path would collide when
# several instances run on one host.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("FAO_GUNICORN_LOG_LEVEL", "info")
logger_class = "ops.logs.GunicornLogger"


def pre_fork(server, worker):
    # The app is loaded once in the master (preload_app); a database connection or pool
    # opened there must not be shared by the forked workers.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
        if getattr(connection, "pool", None) is not None:
            connection.close_pool()


def worker_exit(server, worker):
    # Views buffered in this process's memory (no Redis) reach the database before it ends.
    from disclosure import viewcounts

    viewcounts.flush_on_exit()
