"""Writes the disclosure view counts buffered in the shared cache to the database.

Run beside the background worker: `manage.py flush_view_counts --loop` flushes every
FAO_VIEW_COUNT_FLUSH_SECONDS (5 s by default) until stopped, and once more on SIGTERM. With
Redis as the shared cache this is what brings the counts into the database; on any other
cache each app process flushes its own buffer and this command has nothing to do.
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from disclosure import viewcounts


class Command(BaseCommand):
    help = "将缓冲的政务公开浏览次数写入数据库（--loop 每隔几秒一次，直到停止）。"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep flushing until stopped")
        parser.add_argument(
            "--every", type=float, default=None, help="seconds between flushes (with --loop)"
        )

    def handle(self, *args, loop=False, every=None, **options):
        every = every or settings.FAO_VIEW_COUNT_FLUSH_SECONDS or 5
        stop = threading.Event()
        if loop:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
        while True:
            try:
                written = viewcounts.flush()
            except Exception as exc:  # the database or the cache is away: try again later
                self.stderr.write(f"view counts not flushed: {exc}")
                written = 0
                if not loop:
                    raise
            finally:
                if loop:  # a long-running process drops broken or expired connections
                    close_old_connections()
            if options["verbosity"] > 1 or (not loop and options["verbosity"]):
                self.stdout.write(f"flushed {written} item(s)")
            if not loop or stop.wait(every):
                if loop:  # one last flush on the way out
                    viewcounts.flush()
                return
