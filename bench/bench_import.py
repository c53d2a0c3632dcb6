"""Importing 10,000 study sessions from xlsx.

The import path is the one a confirmed or background import takes (core.importing:
`load_upload` = the pre-parse checks and parsing, then `run_import` = validation, bulk
insert and a history row per record with the user and reason). It is compared, in the
same run and on the same database, with `bulk_create_with_history` of the same 10,000
objects already built in memory. Target: the import takes at most 5 times as long.
Peak memory of each is measured separately with tracemalloc (which slows code down, so
never while timing).
"""

import datetime
import gc
import time
import tracemalloc

from harness import emit, setup_django

ROWS = 10_000
REPEAT = 3


def main() -> None:
    setup_django("import")
    import tablib
    from django.contrib.auth.models import User
    from simple_history.utils import bulk_create_with_history

    from dataio.importing import load_upload, run_import
    from dataio.spreadsheets import write_dataset
    from trainings.models import StudySession

    user = User.objects.create_superuser("bench_admin", "bench@example.invalid", "x")
    kinds = ["专题讲座", "培训班", "党组理论学习中心组学法"]
    start = datetime.date(2000, 1, 1)
    rows = [
        (start + datetime.timedelta(days=i // 3), f"学法活动{i:05d}", kinds[i % 3], i % 50 + 1)
        for i in range(ROWS)
    ]
    dataset = tablib.Dataset(headers=["日期", "名称", "形式", "参加人数", "方式", "内容摘要"])
    for day, title, kind, people in rows:
        dataset.append([day, title, kind, people, "线下", f"{title}的学习内容"])
    xlsx = write_dataset(dataset, "xlsx")
    codes = {"专题讲座": "lecture", "培训班": "training", "党组理论学习中心组学法": "center_group"}
    reason = "批量导入：bench.xlsx"

    def clear() -> None:
        StudySession.history.all().delete()
        StudySession.objects.all().delete()
        gc.collect()

    def do_import() -> None:
        _info, parsed = load_upload(xlsx, "bench.xlsx", StudySession)
        outcome = run_import(model=StudySession, dataset=parsed, user=user, change_reason=reason)
        assert outcome.ok and outcome.new == ROWS, outcome.report_lines()[:3]

    def do_bulk() -> None:
        objs = [
            StudySession(
                date=day,
                title=title,
                kind=codes[kind],
                participants=people,
                mode="on_site",
                summary=f"{title}的学习内容",
            )
            for day, title, kind, people in rows
        ]
        bulk_create_with_history(
            objs,
            StudySession,
            batch_size=1000,
            default_user=user,
            default_change_reason=reason,
        )

    def timed(fn) -> float:
        best = float("inf")
        for _ in range(REPEAT):
            clear()
            began = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - began)
            assert StudySession.objects.count() == ROWS
            assert StudySession.history.filter(history_change_reason=reason).count() == ROWS
        return best

    def peak(fn) -> float:
        clear()
        tracemalloc.start()
        fn()
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top / 1024 / 1024

    # Interleaved, so a neighbour's load on the shared machine hits both alike.
    import_s = timed(do_import)
    bulk_s = timed(do_bulk)
    import_s = min(import_s, timed(do_import))
    ratio = import_s / bulk_s
    import_mb, bulk_mb = peak(do_import), peak(do_bulk)

    emit(
        "import_xlsx_10000_study_sessions_rows_per_second",
        round(ROWS / import_s),
        "rows/s",
        compared_with="bulk_create_with_history of the same objects",
        seconds=round(import_s, 3),
        ms_per_row=round(import_s * 1000 / ROWS, 3),
    )
    emit(
        "bulk_create_with_history_10000_study_sessions_rows_per_second",
        round(ROWS / bulk_s),
        "rows/s",
        compared_with="import of the same rows from xlsx",
        seconds=round(bulk_s, 3),
    )
    emit(
        "import_xlsx_vs_bulk_create_with_history_time_ratio",
        round(ratio, 2),
        "x",
        compared_with="bulk_create_with_history, same 10,000 rows, same run",
        target="<= 5",
        meets_target=ratio <= 5,
    )
    emit(
        "import_xlsx_10000_study_sessions_peak_memory",
        round(import_mb, 1),
        "MiB",
        compared_with=f"bulk_create_with_history peak {bulk_mb:.1f} MiB",
        bulk_create_with_history_mib=round(bulk_mb, 1),
    )


if __name__ == "__main__":
    main()
