"""PostgreSQL stopped and restarted under load against the production run.

Run by hand only, never in the test suite: it stops a PostgreSQL cluster that other work on
this machine may be using, for a few seconds, and ALWAYS starts it again (also on errors and
Ctrl-C).

    .venv/bin/python bench/reliability_faults.py [--cluster 15/main] [--outage 6]

Citizens (threads with keep-alive connections to 127.0.0.1) read the public pages and post
comments on an open notice, each comment from its own address as nginx would report it
(X-Real-IP, loopback values). After a warm-up the cluster is stopped with
`pg_ctlcluster 15 main stop`, started again after --outage seconds with
`pg_ctlcluster --skip-systemctl-redirect 15 main start`, and the load goes on.

Targets: no answer other than 2xx/3xx/404 or 503 and no connection error at any time; 503
only while the database is down or within 5 s of it accepting connections again; every
comment the portal accepted (302 to the "received" page) is in the database afterwards.
"""

import argparse
import http.client
import itertools
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from harness import emit
from production_run import (
    HOST,
    PYTHON,
    ROOT,
    discover_public_paths,
    drop_database,
    load_demo,
    production_env,
    recreate_database,
    request,
    start_server,
    stop_server,
    wait_healthy,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fao_ops_faults"
NOTICE_BATCH = 990
RECOVERY_TARGET_SECONDS = 5.0

OPEN_NOTICE = f"""
import datetime
from django.utils import timezone
from supervision.models import HonoraryCitizenNotice
today = timezone.localdate()
HonoraryCitizenNotice.objects.update_or_create(
    batch={NOTICE_BATCH},
    defaults=dict(
        title="可靠性测试公示（演示）",
        body="用于故障测试的公示。",
        notice_start=today - datetime.timedelta(days=1),
        notice_end=today + datetime.timedelta(days=5),
    ),
)
# Public only after its secrecy review (《政府信息公开条例》第十七条), as any notice.
from django.contrib.auth.models import User
from supervision.publishing import notice_review_and_publish
reviewer = User.objects.filter(username="reliability_reviewer").first() or (
    User.objects.create_superuser("reliability_reviewer", "", None)
)
notice = HonoraryCitizenNotice.objects.get(batch={NOTICE_BATCH})
if notice.published_at is None:
    notice_review_and_publish(notice=notice, user=reviewer, note="可靠性测试")
"""


class Cluster:
    def __init__(self, spec: str):
        self.version, self.name = spec.split("/")
        self.down = False

    def stop(self) -> None:
        self.down = True
        subprocess.run(["pg_ctlcluster", self.version, self.name, "stop"], check=True)

    def start(self) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "start"],
            check=True,
        )
        self.down = False

    def is_ready(self, port: int) -> bool:
        return (
            subprocess.run(
                ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)], check=False
            ).returncode
            == 0
        )


class ReadinessProbe(threading.Thread):
    """Samples pg_isready every 0.1 s: when the server really refused and accepted again."""

    def __init__(self, cluster: Cluster, port: int):
        super().__init__(daemon=True)
        self.cluster, self.port = cluster, port
        self.samples: list[tuple[float, bool]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            self.samples.append((time.monotonic(), self.cluster.is_ready(self.port)))
            time.sleep(0.1)

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=5)


class Citizen(threading.Thread):
    """Reads pages and, every few requests, posts a comment; records every answer."""

    def __init__(self, number, port, paths, run_id, stop_event, records, accepted, counter):
        super().__init__(daemon=True)
        self.number, self.port, self.paths = number, port, paths
        self.run_id, self.stop_event = run_id, stop_event
        self.records, self.accepted, self.counter = records, accepted, counter
        self.conn = None
        self.csrf_cookie = self.csrf_token = ""

    def connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=20)
        return self.conn

    def call(self, method, path, **kwargs):
        try:
            return request(self.port, method, path, connection=self.connection(), **kwargs)
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise

    def fetch_csrf(self) -> None:
        status, headers, body = self.call("GET", f"/notices/{NOTICE_BATCH}/")
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status == 200 and cookie and token:
            self.csrf_cookie, self.csrf_token = cookie.group(1), token.group(1).decode()

    def post_comment(self) -> tuple[str, int]:
        serial = next(self.counter)
        content = f"{self.run_id} 可靠性测试意见 #{serial}"
        body = urlencode(
            {
                "csrfmiddlewaretoken": self.csrf_token,
                "content": content,
                "nominee": "",
                "name": "",
                "contact": "",
                "website": "",
            }
        ).encode()
        origin = f"https://{HOST}:{self.port}"
        status, headers, _ = self.call(
            "POST",
            f"/notices/{NOTICE_BATCH}/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={self.csrf_cookie}",
                "Origin": origin,
                "Referer": f"{origin}/notices/{NOTICE_BATCH}/",
                # Each comment from its own citizen, as nginx reports the address.
                "X-Real-IP": f"127.{(serial >> 16) & 255}.{(serial >> 8) & 255}.{serial & 255}",
            },
        )
        if status == 302 and headers.get("location", "").endswith("/received/"):
            self.accepted.append(content)
        return content, status

    def run(self) -> None:
        paths = itertools.cycle(self.paths[self.number % len(self.paths) :] + self.paths)
        for iteration in itertools.count():
            if self.stop_event.is_set():
                return
            started = time.monotonic()
            kind, path = "GET", next(paths)
            try:
                if not self.csrf_token:
                    self.fetch_csrf()
                if self.csrf_token and iteration % 4 == 3:
                    kind, path = "POST", f"/notices/{NOTICE_BATCH}/"
                    _, status = self.post_comment()
                else:
                    status = self.call("GET", path)[0]
                outcome = status
            except (OSError, http.client.HTTPException) as exc:
                outcome = f"error:{type(exc).__name__}"
            self.records.append((started, time.monotonic(), kind, path, outcome))


def stored_comments(database_url: str, run_id: str) -> set[str]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT content FROM supervision_noticecomment WHERE content LIKE %s",
            [f"{run_id}%"],
        ).fetchall()
    return {row[0] for row in rows}


def interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cluster", default="15/main")
    parser.add_argument("--database-url", default=os.environ.get("RELIABILITY_DATABASE_URL"))
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=8)
    parser.add_argument("--outage", type=float, default=6)
    parser.add_argument("--after", type=float, default=20)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    database_url = args.database_url or DEFAULT_URL
    db_port = int(database_url.rsplit(":", 1)[1].split("/")[0])
    cluster = Cluster(args.cluster)

    workdir = Path(tempfile.mkdtemp(prefix="fao-reliability-faults-"))
    env = production_env(database_url, workdir, args.port, FAO_CLIENT_IP_HEADER="HTTP_X_REAL_IP")
    recreate_database(database_url)
    load_demo(env)
    subprocess.run([PYTHON, "manage.py", "shell", "-c", OPEN_NOTICE], cwd=ROOT, env=env, check=True)
    log_path = workdir / "server.log"
    server = start_server(env, log_path)
    records, accepted = [], []
    stop_event = threading.Event()
    run_id = f"FAULT-{uuid.uuid4().hex[:8]}"
    timeline = {}
    probe = ReadinessProbe(cluster, db_port)
    # Ctrl-C or a TERM signal must still reach the `finally` that restarts PostgreSQL.
    signal.signal(signal.SIGTERM, interrupt)
    try:
        wait_healthy(args.port, server)
        paths = discover_public_paths(args.port)
        counter = itertools.count(1)
        citizens = [
            Citizen(n, args.port, paths, run_id, stop_event, records, accepted, counter)
            for n in range(args.clients)
        ]
        origin = time.monotonic()
        probe.start()
        for citizen in citizens:
            citizen.start()
        time.sleep(args.warmup)
        timeline["stop_issued"] = time.monotonic()
        try:
            cluster.stop()
            timeline["stop_returned"] = time.monotonic()
            time.sleep(max(0.0, timeline["stop_issued"] + args.outage - time.monotonic()))
        finally:
            timeline["start_issued"] = time.monotonic()
            cluster.start()
            timeline["start_returned"] = time.monotonic()
        time.sleep(args.after)
        stop_event.set()
        for citizen in citizens:
            citizen.join(timeout=30)
    finally:
        stop_event.set()
        try:
            if cluster.down:
                cluster.start()
        finally:
            probe.stop()
            stop_server(server)

    stored = stored_comments(database_url, run_id)
    lost = sorted(set(accepted) - stored)
    # When PostgreSQL itself stopped and again accepted connections (pg_isready every 0.1 s).
    down_at = next(t for t, ok in probe.samples if not ok and t >= timeline["stop_issued"])
    ready_at = next(t for t, ok in probe.samples if ok and t > down_at)
    timeline.update(down=down_at, ready=ready_at)
    statuses_down, errors, stray_503 = {}, [], []
    last_503_end, first_ok_after = None, None
    for started, ended, kind, path, outcome in records:
        if down_at <= started <= ready_at:
            statuses_down[str(outcome)] = statuses_down.get(str(outcome), 0) + 1
        if isinstance(outcome, str) or (outcome >= 500 and outcome != 503):
            errors.append((round(started - origin, 2), kind, path, outcome))
        elif outcome == 503:
            last_503_end = max(last_503_end or ended, ended)
            # A 503 is expected only for requests that ran while the database was going down,
            # down, or coming back.
            if ended < timeline["stop_issued"] or started > ready_at + RECOVERY_TARGET_SECONDS:
                stray_503.append((round(started - origin, 2), path))
        elif started >= ready_at and outcome < 400:
            first_ok_after = min(first_ok_after or ended, ended)
    recovery = max(0.0, (last_503_end or ready_at) - ready_at)
    common = {
        "clients": args.clients,
        "database_down_seconds": round(ready_at - down_at, 1),
        "requests": len(records),
        "timeline": {
            k: round(v - origin, 2) for k, v in sorted(timeline.items(), key=lambda i: i[1])
        },
    }
    emit(
        "fault_errors",
        len(errors),
        "errors",
        target="0 (no 5xx other than 503, no connection errors)",
        meets_target=not errors,
        examples=errors[:5],
        **common,
    )
    emit(
        "fault_answers_while_down",
        statuses_down.get("503", 0),
        "503 answers",
        statuses_of_requests_started_while_down=statuses_down,
        stray_503=stray_503[:5],
        meets_target=not stray_503,
        **common,
    )
    emit(
        "fault_recovery",
        round(recovery, 2),
        "s from PostgreSQL accepting connections to the last 503",
        target=f"<= {RECOVERY_TARGET_SECONDS:g} s",
        meets_target=recovery <= RECOVERY_TARGET_SECONDS,
        first_success_after_ready_s=round((first_ok_after or ready_at) - ready_at, 2),
        **common,
    )
    emit(
        "fault_comments_lost",
        len(lost),
        "comments",
        target="0",
        meets_target=not lost,
        accepted=len(accepted),
        stored=len(stored),
        stored_but_not_acknowledged=len(stored - set(accepted)),
        **common,
    )
    (workdir / "records.json").write_text(json.dumps(records), encoding="utf-8")
    if os.environ.get("RELIABILITY_KEEP_DATABASE") != "true":
        drop_database(database_url)


if __name__ == "__main__":
    main()
