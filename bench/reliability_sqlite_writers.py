"""Concurrent writers on the embedded SQLite database: N citizens post comments on an open
notice at the same moment while M visitors read the notice page, each on its own thread and
database connection (as gunicorn threads would), through the whole Django stack.

    .venv/bin/python bench/reliability_sqlite_writers.py [--posts 20] [--reads 20]

With `--import-rows 600` a background import of 600 proposals runs at the same moment.
Prints one line `RESULT {json}` with the 5xx count, accepted posts, stored comments and the
import's outcome.
Target: zero 5xx and every accepted (302) comment stored. Without IMMEDIATE transactions
(fao_portal/settings.py) a few of the posts answered 503 "database is locked".
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--reads", type=int, default=20)
    parser.add_argument("--db", default="")
    parser.add_argument(
        "--import-rows", type=int, default=0, help="a background import of this many proposals"
    )
    parser.add_argument(
        "--deferred", action="store_true", help="SQLite's default transactions, for comparison"
    )
    args = parser.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="fao-sqlite-writers-")
    db_path = args.db or os.path.join(folder, "portal.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("FAO_ALLOW_INSECURE_KEY", "true")
    os.environ["FAO_VAR_DIR"] = folder
    os.environ["FAO_SSL_REDIRECT"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fao_portal.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings

    if args.deferred:
        settings.DATABASES["default"]["OPTIONS"].pop("transaction_mode", None)
    # No `collectstatic` here: plain static file names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from supervision.models import HonoraryCitizenNotice, NoticeComment

    setup_test_environment()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)
    today = timezone.localdate()
    notice = HonoraryCitizenNotice.objects.create(
        batch=99,
        title="并发写入测试公示",
        notice_start=today - datetime.timedelta(days=1),
        notice_end=today + datetime.timedelta(days=5),
    )
    # Public only after its secrecy review (《政府信息公开条例》第十七条), as any notice.
    from django.contrib.auth.models import User

    from supervision.publishing import notice_review_and_publish

    reviewer = User.objects.create_superuser("reliability_reviewer", "", None)
    notice_review_and_publish(notice=notice, user=reviewer, note="可靠性测试")
    connection.close()
    url = f"/notices/{notice.batch}/"

    barrier = threading.Barrier(args.posts + args.reads + (1 if args.import_rows else 0))
    import_outcome: dict = {}

    def background_import() -> None:
        import tablib
        from django.db import connection as thread_connection

        from dataio.importing import run_import
        from supervision.models import Proposal

        dataset = tablib.Dataset(headers=["类别", "年度", "编号", "标题", "交办日期"])
        for n in range(args.import_rows):
            dataset.append(
                ["政协提案", 2021, f"{n + 1:04d}", f"并发导入第 {n + 1} 件", "2021-04-01"]
            )
        barrier.wait()
        outcome = run_import(model=Proposal, dataset=dataset, file_name="并发.xlsx")
        import_outcome.update(ok=outcome.ok, new=outcome.new, errors=outcome.report_lines()[:3])
        thread_connection.close()

    statuses: list[tuple[str, int]] = []
    lock = threading.Lock()

    def post(n: int) -> None:
        from django.db import connection as thread_connection

        client = Client(REMOTE_ADDR=f"10.9.{n // 250}.{n % 250}", raise_request_exception=False)
        barrier.wait()
        response = client.post(url, {"content": f"并发意见第 {n} 条。", "nominee": ""})
        with lock:
            statuses.append(("post", response.status_code))
        thread_connection.close()

    def read(n: int) -> None:
        from django.db import connection as thread_connection

        client = Client(REMOTE_ADDR=f"10.8.0.{n % 250}", raise_request_exception=False)
        barrier.wait()
        response = client.get(url)
        with lock:
            statuses.append(("read", response.status_code))
        thread_connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(args.posts)]
    threads += [threading.Thread(target=read, args=(i,)) for i in range(args.reads)]
    if args.import_rows:
        threads.append(threading.Thread(target=background_import))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    accepted = sum(1 for kind, code in statuses if kind == "post" and code == 302)
    result = {
        "posts": args.posts,
        "reads": args.reads,
        "server_errors": sum(1 for _kind, code in statuses if code >= 500),
        "accepted": accepted,
        "stored": NoticeComment.objects.filter(notice=notice).count(),
        "statuses": sorted({f"{k}:{c}" for k, c in statuses}),
        "journal_mode": _journal_mode(),
        "import": import_outcome or None,
    }
    print("RESULT " + json.dumps(result, ensure_ascii=False))
    return result


def _journal_mode() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    outcome = main()
    ok = outcome["server_errors"] == 0 and outcome["stored"] == outcome["accepted"]
    ok = ok and (outcome["import"] is None or outcome["import"]["ok"])
    sys.exit(0 if ok else 1)
