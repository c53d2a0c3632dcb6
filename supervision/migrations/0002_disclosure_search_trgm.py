"""Trigram indexes for the public catalogue's search (PostgreSQL only).

Chinese text has no word boundaries, so the catalogue searches by substring
(`icontains`, which Django turns into UPPER(col::text) LIKE UPPER('%q%') on PostgreSQL).
pg_trgm GIN indexes on exactly those expressions let PostgreSQL answer it from the index.
SQLite has no equivalent and scans, which is fine at its scale; the operations do nothing
there. They live outside the model state on purpose: the indexes are an implementation
detail of one database engine, not part of the model.
"""

from django.db import migrations

SEARCH_COLUMNS = ["title", "summary", "body", "document_number"]
TABLE = "supervision_disclosureitem"


def index_name(column: str) -> str:
    return f"disclosure_{column}_trgm"


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in SEARCH_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index_name(column)} ON {TABLE} "
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCH_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(column)}")
    # The extension stays: other objects may have come to rely on it.


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
