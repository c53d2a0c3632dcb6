"""Dashboard render time at 10x the data against 1x, and its SQL query count.

One database holds two reporting years side by side: 2021 (with 2020 for the comparison) at
1x volume, about what the office records in a year, and 2011 (with 2010) at 10x. The page
is rendered for a leadership user alternately for each year, so both figures share the
machine's load, and the fastest render of each is kept. Target: ratio <= 1.5 and equal
query counts.
"""

import time

from harness import emit, setup_django

setup_django("dashboard")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dashboard.volume import build_year  # noqa: E402

SMALL, LARGE = 2021, 2011
ROUNDS = 25


def main() -> None:
    user = User.objects.create_user("bench_leader", "bench@example.invalid", "Bench-Passw0rd!")
    user.groups.add(Group.objects.get(name="领导"))
    client = Client()
    client.force_login(user)

    def render(year: int) -> float:
        start = time.perf_counter()
        response = client.get(f"/dashboard/?year={year}", secure=True)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        return elapsed

    def queries(year: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            render(year)
        # Read now: the next request's request_started signal empties the query log.
        return len(captured)

    for year in (SMALL, SMALL - 1):
        build_year(year, scale=1)
    for year in (LARGE, LARGE - 1):
        build_year(year, scale=10)
    render(SMALL), render(LARGE)  # warm-up: templates and per-process caches
    queries_1x, queries_10x = queries(SMALL), queries(LARGE)
    timings = {SMALL: [], LARGE: []}
    for _ in range(ROUNDS):
        for year in (SMALL, LARGE):
            timings[year].append(render(year))
    time_1x, time_10x = min(timings[SMALL]), min(timings[LARGE])

    ratio = time_10x / time_1x
    emit(
        "dashboard_render_ratio_10x_vs_1x",
        round(ratio, 3),
        "ratio",
        compared_with="the same dashboard for a year with 1x data, rendered alternately",
        target="<= 1.5",
        meets_target=ratio <= 1.5,
        time_1x_ms=round(time_1x * 1000, 1),
        time_10x_ms=round(time_10x * 1000, 1),
        database=connection.vendor,
    )
    emit(
        "dashboard_query_count",
        queries_10x,
        "queries",
        compared_with=f"{queries_1x} queries at 1x data",
        target="equal at 1x and 10x",
        meets_target=queries_10x == queries_1x,
        queries_1x=queries_1x,
        queries_10x=queries_10x,
        database=connection.vendor,
    )


if __name__ == "__main__":
    main()
