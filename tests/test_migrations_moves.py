"""Moving models between apps keeps every row: the office (lawbuilding → core), disclosure
items, attachments and index counters (supervision → disclosure) and import jobs (core →
dataio) keep their tables, history, foreign keys, and the permissions groups hold on them.

Records are written at the schema before the moves (with that schema's models), then every
app is migrated forward to its newest migration and the same records are read back.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_MOVES = [
    ("core", "0001_initial"),
    ("lawbuilding", "0004_attachment_upload_checks"),
    ("supervision", "0003_attachment_upload_checks"),
    ("trainings", "0002_attachment_upload_checks"),
    ("dashboard", "0001_initial"),
    ("accounts", "0004_sync_roles_all_apps"),
    ("ops", "0001_cache_table"),
]


def migrate(targets):
    """Migrate the test database to `targets` (backwards or forwards) and return the state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    # The state at exactly these nodes (and what they depend on).
    return executor.loader.project_state(targets)


@pytest.fixture
def schema_before_moves(transactional_db):
    """The test database at the schema before the moves; every app's newest migration again
    afterwards, for the tests that follow."""
    newest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        yield migrate(BEFORE_MOVES), newest
    finally:
        migrate(newest)


def test_moved_models_keep_their_rows_history_links_and_permissions(schema_before_moves):
    old, newest = schema_before_moves
    User = old.apps.get_model("auth", "User")
    Group = old.apps.get_model("auth", "Group")
    Permission = old.apps.get_model("auth", "Permission")
    ContentType = old.apps.get_model("contenttypes", "ContentType")
    Organization = old.apps.get_model("lawbuilding", "Organization")
    Item = old.apps.get_model("supervision", "DisclosureItem")
    HistoricalItem = old.apps.get_model("supervision", "HistoricalDisclosureItem")
    Attachment = old.apps.get_model("supervision", "DisclosureAttachment")
    Counter = old.apps.get_model("supervision", "IndexCounter")
    ImportJob = old.apps.get_model("core", "ImportJob")
    Report = old.apps.get_model("lawbuilding", "AnnualReport")

    clerk = User.objects.create(username="luru_old", is_staff=True)
    office = Organization.objects.create(
        full_name="常州市人民政府外事办公室", short_name="市外事办", org_code="014109568"
    )
    item = Item.objects.create(
        organization=office,
        title="常州市人民政府外事办公室2021年度法治政府建设情况报告",
        index_number="014109568/2022-00012",
        index_year=2022,
        index_serial=12,
        category="other",
        method="proactive",
        publisher="市外事办",
        generated_on=datetime.date(2022, 3, 21),
        published_on=datetime.date(2022, 3, 22),
        summary="常州市人民政府外事办公室2021年度法治政府建设情况报告",
        view_count=41,
    )
    HistoricalItem.objects.create(
        id=item.pk,
        organization_id=office.pk,
        title=item.title,
        index_number=item.index_number,
        index_year=2022,
        index_serial=12,
        category="other",
        method="proactive",
        publisher="市外事办",
        generated_on=item.generated_on,
        published_on=item.published_on,
        summary=item.summary,
        history_date=datetime.datetime(2022, 3, 22, 9, 0, tzinfo=datetime.UTC),
        history_type="+",
        history_user_id=clerk.pk,
    )
    Attachment.objects.create(item=item, title="报告.pdf", file="disclosure/r.pdf", sha256="a" * 64)
    Counter.objects.create(organization=office, year=2022, last_serial=12)
    ImportJob.objects.create(
        model_label="trainings.StudySession",
        source="imports/x.xlsx",
        original_name="学习活动.xlsx",
        kind="xlsx",
        status="succeeded",
        total_rows=3,
        processed_rows=3,
        created_by=clerk,
    )
    Report.objects.create(
        organization=office, year=2021, title=item.title, status="draft", created_by=clerk
    )
    readers = Group.objects.create(name="档案查阅")
    item_type = ContentType.objects.get_or_create(app_label="supervision", model="disclosureitem")[
        0
    ]
    view_item = Permission.objects.get_or_create(
        content_type=item_type, codename="view_disclosureitem", defaults={"name": "查看"}
    )[0]
    readers.permissions.add(view_item)

    new = migrate(newest)

    Item = new.apps.get_model("disclosure", "DisclosureItem")
    moved = Item.objects.get()
    assert (moved.index_number, moved.view_count, moved.organization.org_code) == (
        "014109568/2022-00012",
        41,
        "014109568",
    )
    history = new.apps.get_model("disclosure", "HistoricalDisclosureItem").objects.get()
    assert (history.history_user.username, history.title) == ("luru_old", moved.title)
    assert new.apps.get_model("disclosure", "DisclosureAttachment").objects.get().item == moved
    assert new.apps.get_model("disclosure", "IndexCounter").objects.get().last_serial == 12
    job = new.apps.get_model("dataio", "ImportJob").objects.get()
    assert (job.original_name, job.created_by.username) == ("学习活动.xlsx", "luru_old")
    office = new.apps.get_model("core", "Organization").objects.get()
    assert office.full_name == "常州市人民政府外事办公室"
    report = new.apps.get_model("lawbuilding", "AnnualReport").objects.get()
    assert report.organization == office
    # The group's right follows the model to its new app instead of pointing at nothing.
    readers = new.apps.get_model("auth", "Group").objects.get(name="档案查阅")
    assert list(readers.permissions.values_list("content_type__app_label", "codename")) == [
        ("disclosure", "view_disclosureitem")
    ]
    stale = new.apps.get_model("contenttypes", "ContentType").objects.filter(
        app_label="supervision", model__in=["disclosureitem", "indexcounter"]
    )
    assert not stale.exists()
