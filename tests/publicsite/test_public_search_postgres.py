"""On PostgreSQL the catalogue's Chinese substring search is answered from pg_trgm indexes."""

import datetime

import pytest
from django.db import connection

from disclosure.models import DisclosureItem
from publicsite.views import search_disclosures

pytestmark = [
    pytest.mark.postgres_only,  # pg_trgm is PostgreSQL's
    pytest.mark.usefixtures("public_site"),
]

INDEXES = {
    "disclosure_title_trgm",
    "disclosure_summary_trgm",
    "disclosure_body_trgm",
    "disclosure_document_number_trgm",
}


def test_migration_creates_the_extension_and_the_trigram_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            ["supervision_disclosureitem"],
        )
        found = dict(cursor.fetchall())
    assert INDEXES <= set(found)
    assert "gin_trgm_ops" in found["disclosure_title_trgm"]


def test_chinese_search_query_is_planned_on_the_trigram_indexes(public_office):
    # Enough rows that scanning them all costs more than asking the indexes; the test data
    # bypasses save(), so the split index number is filled in here.
    DisclosureItem.objects.bulk_create(
        DisclosureItem(
            organization=public_office,
            title=f"第{serial}号外事工作信息",
            index_number=f"014109568/2023-{serial:05d}",
            index_year=2023,
            index_serial=serial,
            category="other",
            publisher="市外事办",
            generated_on=datetime.date(2023, 1, 1),
            published_on=datetime.date(2023, 1, 2),
            status="published",
            summary=f"外事工作动态第{serial}期",
            body="外事工作动态正文。" * 20,
        )
        for serial in range(1, 3001)
    )
    with connection.cursor() as cursor:
        # Autovacuum would merge the GIN pending lists of fresh rows; inside a test, do it here.
        for name in sorted(INDEXES):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
        cursor.execute("ANALYZE supervision_disclosureitem")
        sql, params = search_disclosures(
            DisclosureItem.objects.public(), "荣誉市民"
        ).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for name in ("disclosure_title_trgm", "disclosure_summary_trgm", "disclosure_body_trgm"):
        assert name in plan, plan
    assert "Seq Scan" not in plan, plan
