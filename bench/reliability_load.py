"""Load on the production run: 64 concurrent clients on the public pages for 60 s.

Run by hand (not part of `make bench`, it takes two minutes):

    .venv/bin/python bench/reliability_load.py [--clients 64] [--seconds 60]

A fresh PostgreSQL database (RELIABILITY_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/fao_ops_reliability) gets the demo data; scripts/serve.sh
starts gunicorn on 127.0.0.1 with its production defaults (pool, JSON logs, WhiteNoise); wrk
requests every public page reachable from the home page in turn, as nginx would forward it
(X-Forwarded-Proto: https). Target: zero errors (socket errors, timeouts or any status other
than 2xx/3xx) and no 5xx in the server's access log. Figures: throughput and latency
percentiles. Loopback only; bounded by --seconds.
"""

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

from harness import emit
from production_run import (
    discover_public_paths,
    drop_database,
    load_demo,
    production_env,
    recreate_database,
    server_errors,
    start_server,
    stop_server,
    wait_healthy,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fao_ops_reliability"

WRK_SCRIPT = """
local paths = {%(paths)s}
local index = 0
wrk.headers["X-Forwarded-Proto"] = "https"
request = function()
  index = index %% #paths + 1
  return wrk.format("GET", paths[index])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, "read": %%d, '
    .. '"write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, "p90_us": %%d, '
    .. '"p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    database_url = os.environ.get("RELIABILITY_DATABASE_URL", DEFAULT_URL)
    workdir = Path(tempfile.mkdtemp(prefix="fao-reliability-load-"))
    env = production_env(database_url, workdir, args.port)
    recreate_database(database_url)
    load_demo(env)
    log_path = workdir / "server.log"
    server = start_server(env, log_path)
    try:
        wait_healthy(args.port, server)
        paths = discover_public_paths(args.port)
        script = workdir / "paths.lua"
        script.write_text(
            WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)}, encoding="utf-8"
        )
        completed = subprocess.run(
            [
                "wrk",
                "--threads", "2",
                "--connections", str(args.clients),
                "--duration", f"{args.seconds}s",
                "--timeout", "10s",
                "--script", str(script),
                f"http://127.0.0.1:{args.port}",
            ],
            capture_output=True,
            text=True,
            timeout=args.seconds + 60,
        )  # fmt: skip
    finally:
        stop_server(server)
    result_line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(result_line.removeprefix("RESULT "))
    errors = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    five_hundreds = server_errors(log_path)
    seconds = result["duration_us"] / 1e6
    common = {
        "clients": args.clients,
        "seconds": round(seconds, 1),
        "pages": len(paths),
        "gunicorn": {k: v for k, v in os.environ.items() if k.startswith("FAO_GUNICORN_")}
        or "serve.sh defaults",
    }
    emit(
        "load_errors",
        errors + len(five_hundreds),
        "errors",
        target="0 errors and no 5xx in the access log",
        meets_target=errors == 0 and not five_hundreds,
        wrk_errors={k: result[k] for k in ("connect", "read", "write", "status", "timeout")},
        server_5xx=len(five_hundreds),
        paths=paths,
        **common,
    )
    emit("load_throughput", round(result["requests"] / seconds, 1), "requests/s", **common)
    emit("load_latency_p50", round(result["p50_us"] / 1000, 1), "ms", **common)
    emit("load_latency_p99", round(result["p99_us"] / 1000, 1), "ms", **common)
    emit("load_latency_max", round(result["max_us"] / 1000, 1), "ms", **common)
    if os.environ.get("RELIABILITY_KEEP_DATABASE") != "true":
        drop_database(database_url)


if __name__ == "__main__":
    main()
