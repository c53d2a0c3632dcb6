"""Shared set-up for the benchmark scripts under bench/.

Each `bench/bench_*.py` is run as its own process by `bench/run.py` (so memory and import
state never leak between figures). A script calls `setup_django()` first, which points the
portal at a fresh database (a temporary SQLite file unless BENCH_DATABASE_URL is set) and
migrates it, then prints one JSON object per figure through `emit()`.
"""

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_django(name: str) -> Path:
    """Configure Django on a throw-away database and migrate it; returns the work folder."""
    workdir = Path(tempfile.mkdtemp(prefix=f"fao-bench-{name}-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fao_portal.settings")
    os.environ.setdefault("FAO_ALLOW_INSECURE_KEY", "true")
    os.environ.setdefault("FAO_MANIFEST_STATIC", "false")
    os.environ["FAO_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return workdir


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Fastest of `repeat` runs in seconds: the least noisy figure on a shared machine."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return min(timings)


def emit(
    name: str,
    value: float,
    unit: str,
    *,
    compared_with: str = "",
    target: str = "",
    meets_target: bool | None = None,
    **extra: object,
) -> dict:
    """Print one figure as a JSON line (bench/run.py collects them into results.json)."""
    record = {"name": name, "value": value, "unit": unit, "compared_with": compared_with}
    if target:
        record["target"] = target
    if meets_target is not None:
        record["meets_target"] = meets_target
    record.update(extra)
    print(json.dumps(record, ensure_ascii=False), flush=True)
    return record
