"""`manage.py backup` and `manage.py restore` round-trip the demo data and the uploaded files,
and a missing, corrupt or unconfirmed backup changes nothing.

The tests commit their data (transactional_db): pg_dump reads from its own connection.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Organization
from core.uploads import UploadTo
from disclosure.models import DisclosureAttachment, DisclosureItem
from ops.backup import current_counts

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n%demo attachment\n%%EOF\n"


@pytest.fixture
def demo_portal(transactional_db, settings, tmp_path):
    """The demo data plus one uploaded attachment, committed; MEDIA_ROOT in a temporary
    folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    item = DisclosureItem.objects.order_by("pk").first()
    attachment = DisclosureAttachment.objects.create(
        item=item,
        title="2021年度法治政府建设情况报告",
        file=ContentFile(PDF, name=UploadTo("disclosure")(None, "2021年度报告.pdf")),
    )
    return attachment


def make_backup(tmp_path: Path) -> Path:
    call_command("backup", output=tmp_path / "backups", stdout=io.StringIO())
    (backup,) = (tmp_path / "backups").iterdir()
    return backup


def snapshot() -> dict:
    """What the round trip must bring back: every table's row count and a few records."""
    return {
        "counts": current_counts(),
        "office": list(Organization.objects.values_list("full_name", "org_code")),
        "disclosures": list(
            DisclosureItem.objects.order_by("index_number").values_list(
                "index_number", "title", "published_on"
            )
        ),
        "attachments": list(DisclosureAttachment.objects.values_list("title", "file")),
    }


def spoil_the_portal(media_root: Path) -> None:
    """Changes after the backup that the restore must undo."""
    for office in Organization.objects.all():
        office.full_name = "被误改的机关名称"
        office.save()
    for attachment in DisclosureAttachment.objects.all():
        attachment.file.delete(save=False)
        attachment.delete()
    (media_root / "stray.txt").write_text("added after the backup", encoding="utf-8")


def test_backup_writes_dump_media_and_checksummed_manifest(demo_portal, settings, tmp_path):
    media_files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    backup = make_backup(tmp_path)
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert backup.name.startswith("fao-backup-")
    assert manifest["format"] == "fao-portal-backup"
    assert set(manifest["files"]) == {manifest["database"]["file"], "media.tar"}
    # The demo's published 2021 report (its PDF and its disclosure attachment) and the file
    # attached here.
    assert manifest["media"]["files"] == len(media_files) == 3
    assert manifest["row_counts"]["supervision_disclosureattachment"] == 2
    assert manifest["row_counts"] == current_counts()
    assert not [p for p in (tmp_path / "backups").iterdir() if p.name.startswith(".")]


def test_restore_brings_back_the_demo_data_and_the_files(demo_portal, settings, tmp_path):
    media_root = Path(settings.MEDIA_ROOT)
    before = snapshot()
    stored_file = media_root / demo_portal.file.name
    backup = make_backup(tmp_path)

    spoil_the_portal(media_root)
    assert snapshot() != before

    call_command("restore", backup, yes=True, stdout=io.StringIO())

    assert snapshot() == before
    assert stored_file.read_bytes() == PDF
    assert not (media_root / "stray.txt").exists()
    assert not [p for p in media_root.iterdir() if p.name.startswith(".restore")]
    restored = DisclosureAttachment.objects.get(pk=demo_portal.pk)
    assert restored.file.read() == PDF
    # The audit trail is part of the backup: history tables are counted like the rest.
    assert before["counts"]["lawbuilding_historicalorganization"] >= 1


def assert_nothing_restored(before: dict, media_root: Path) -> None:
    assert snapshot() == before
    assert (media_root / "stray.txt").exists()


@pytest.fixture
def spoiled_after_backup(demo_portal, settings, tmp_path):
    backup = make_backup(tmp_path)
    media_root = Path(settings.MEDIA_ROOT)
    spoil_the_portal(media_root)
    return backup, snapshot(), media_root


def test_restore_refuses_a_corrupt_dump_and_changes_nothing(spoiled_after_backup):
    backup, before, media_root = spoiled_after_backup
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    dump = backup / manifest["database"]["file"]
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="备份文件已损坏"):
        call_command("restore", backup, yes=True)
    assert_nothing_restored(before, media_root)


def test_restore_refuses_a_backup_missing_its_media_archive(spoiled_after_backup):
    backup, before, media_root = spoiled_after_backup
    (backup / "media.tar").unlink()
    with pytest.raises(CommandError, match="备份缺少文件：media.tar"):
        call_command("restore", backup, yes=True)
    assert_nothing_restored(before, media_root)


def test_restore_refuses_a_folder_without_manifest(spoiled_after_backup):
    backup, before, media_root = spoiled_after_backup
    (backup / "manifest.json").unlink()
    with pytest.raises(CommandError, match="不是完整的备份"):
        call_command("restore", backup, yes=True)
    assert_nothing_restored(before, media_root)


def test_restore_refuses_a_missing_backup(spoiled_after_backup, tmp_path):
    _, before, media_root = spoiled_after_backup
    with pytest.raises(CommandError, match="找不到备份"):
        call_command("restore", tmp_path / "no-such-backup", yes=True)
    assert_nothing_restored(before, media_root)


def test_restore_refuses_a_backup_of_the_other_database_kind(spoiled_after_backup):
    backup, before, media_root = spoiled_after_backup
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["database"]["vendor"] = "sqlite" if _is_postgres() else "postgresql"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match="不能直接恢复"):
        call_command("restore", backup, yes=True)
    assert_nothing_restored(before, media_root)


def _is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def test_restore_without_confirmation_changes_nothing(spoiled_after_backup):
    backup, before, media_root = spoiled_after_backup
    # Under pytest standard input is not a terminal, as in cron or a script.
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", backup)
    assert_nothing_restored(before, media_root)


def test_restore_command_exits_non_zero_with_a_chinese_message(tmp_path):
    env = {**os.environ, "FAO_LOG_FORMAT": "plain"}
    completed = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "missing"), "--yes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert "找不到备份" in completed.stderr
