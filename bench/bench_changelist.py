"""Admin change list of study sessions at 50 and at 5,000 rows, same page size (50).

Figures: the SQL query count of each (target: equal) and the time ratio 5,000 / 50
(target ≤ 1.5). Measured side by side in one run on one database: the table alternates
between 50 rows and 5,000 rows (4,950 added, measured, removed) over several rounds, and
each size keeps its best time, so a burst of load on the shared machine during one phase
does not decide the ratio. A superuser is signed in through the test client.

The study-session list shows 50 rows a page, so both pages render the same 50 rows and the
ratio measures only what the table's size costs (`page_rows` shows the rows rendered).
"""

import datetime
import os

from harness import best_of, emit, setup_django

# The test client speaks plain HTTP; production's HTTPS redirect is not what is measured.
os.environ.setdefault("FAO_HTTPS", "false")
setup_django("changelist")

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from trainings.models import Law, StudySession  # noqa: E402

SMALL, LARGE = 50, 5_000
ROUNDS = 4
URL = reverse("admin:trainings_studysession_changelist")
KINDS = [kind for kind, _label in StudySession.Kind.choices]
FIRST_DAY = datetime.date(2017, 1, 1)


def add_sessions(start: int, stop: int, laws: list[Law]) -> list[int]:
    """Sessions spread over several years, each studying two laws, as the office enters them.

    Plain bulk_create: these are throw-away rows and their history is not what is measured.
    """
    created = StudySession.objects.bulk_create(
        [
            StudySession(
                date=FIRST_DAY + datetime.timedelta(days=i % 2_500),
                title=f"学法活动 {i:05d}",
                kind=KINDS[i % len(KINDS)],
                speaker_name=f"主讲人{i % 37}",
                participants=20 + i % 40,
            )
            for i in range(start, stop)
        ],
        batch_size=500,
    )
    through = StudySession.laws.through
    through.objects.bulk_create(
        [
            through(studysession_id=session.pk, law_id=laws[(n + k) % len(laws)].pk)
            for n, session in enumerate(created)
            for k in (0, 1)
        ],
        batch_size=1_000,
    )
    return [session.pk for session in created]


def remove_sessions(pks: list[int]) -> None:
    """Back to the small table without per-row signals (a throw-away benchmark database)."""
    through = StudySession.laws.through
    for chunk in range(0, len(pks), 500):
        batch = pks[chunk : chunk + 500]
        through.objects.filter(studysession_id__in=batch)._raw_delete(connection.alias)
        StudySession.objects.filter(pk__in=batch)._raw_delete(connection.alias)


def measure(client: Client) -> tuple[int, float, int]:
    client.get(URL)  # warm: templates, content types, session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200, response.status_code
    rows = response.content.decode().count('name="_selected_action"')
    return len(queries), best_of(lambda: client.get(URL), repeat=5), rows


def main() -> None:
    # BENCH_DATABASE_URL may name a database kept from an earlier run: start from empty.
    remove_sessions(list(StudySession.objects.values_list("pk", flat=True)))
    Law.objects.all()._raw_delete(connection.alias)
    admin, _created = User.objects.get_or_create(
        username="bench_admin", defaults={"is_staff": True, "is_superuser": True}
    )
    laws = [
        Law.objects.create(title=f"法律法规 {n}", kind=Law.Kind.LAW, short_title=f"法规{n}")
        for n in range(12)
    ]
    client = Client()
    client.force_login(admin)

    add_sessions(0, SMALL, laws)
    small_times, large_times = [], []
    for _round in range(ROUNDS):
        small_queries, small_time, small_rows = measure(client)
        extra = add_sessions(SMALL, LARGE, laws)
        assert StudySession.objects.count() == LARGE
        large_queries, large_time, large_rows = measure(client)
        remove_sessions(extra)
        small_times.append(small_time)
        large_times.append(large_time)
    small_time, large_time = min(small_times), min(large_times)

    emit(
        "admin_changelist_studysession_queries",
        large_queries,
        "queries",
        compared_with=f"{small_queries} queries at {SMALL} rows",
        target="equal query counts",
        meets_target=large_queries == small_queries,
        rows=LARGE,
        queries_small=small_queries,
        page_rows=[small_rows, large_rows],
    )
    ratio = large_time / small_time
    emit(
        "admin_changelist_studysession_time_ratio",
        round(ratio, 3),
        "ratio",
        compared_with=f"{SMALL} rows, same page size (50, the list's list_per_page)",
        target="<= 1.5",
        meets_target=ratio <= 1.5,
        ms_small=round(small_time * 1000, 1),
        ms_large=round(large_time * 1000, 1),
        page_rows=[small_rows, large_rows],
        rounds=ROUNDS,
    )


if __name__ == "__main__":
    main()
