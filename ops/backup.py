"""Backups of the database and the uploaded files, and their restore (等保2.0: local backup and
recovery).

A backup is a folder `fao-backup-<date>-<time>/` holding:
- `database.dump` (pg_dump custom format) or `database.sqlite3` (SQLite's online backup),
- `media.tar` (MEDIA_ROOT),
- `manifest.json`: format, time, database vendor and version, the row count of every table in
  the dump, and the size and SHA-256 of each file.

Consistency: on PostgreSQL the row counts and pg_dump read one exported snapshot, so the
manifest describes exactly what the dump holds. The database is dumped before the files:
uploads are never changed in place (random folder per upload), so every file the dump refers
to is already on disk when the tar is written.

The folder is written under a hidden name and renamed when complete, so a crash never leaves
something that looks like a finished backup.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import sha256_file

FORMAT = "fao-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
MEDIA_ARCNAME = "media"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# Keys of Django's connection parameters that are not libpq connection options.
_NOT_LIBPQ = {"cursor_factory", "context", "prepare_threshold", "password", "autocommit"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


sha256_of = sha256_file


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    if settings.FAO_PG_BIN_DIR:
        candidate = Path(settings.FAO_PG_BIN_DIR) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _(
                "找不到 PostgreSQL 工具 %(tool)s：请安装与数据库服务器同一主版本的客户端，"
                "或设置 FAO_PG_BIN_DIR。"
            )
            % {"tool": name}
        )
    return found


def _pg_tool_major(tool: str) -> int:
    # Every command here is a PostgreSQL tool from settings or PATH with arguments the portal
    # builds itself: no user input reaches a command line.
    output = subprocess.run(  # noqa: S603
        [tool, "--version"], capture_output=True, text=True, check=True
    )
    # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    return int(output.stdout.split(")")[1].strip().split(".")[0])


def _pg_conninfo_and_env() -> tuple[str, dict[str, str]]:
    from psycopg.conninfo import make_conninfo

    params = connection.get_connection_params()
    conninfo = make_conninfo(
        **{
            key: value
            for key, value in params.items()
            if key not in _NOT_LIBPQ and isinstance(value, str | int) and value != ""
        }
    )
    env = dict(os.environ)
    # The password goes through the environment, never the command line (visible in ps).
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return conninfo, env


def _run(command: list[str], env: dict[str, str], what: str, **kwargs) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, **kwargs)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s失败：%(error)s") % {"what": what, "error": result.stderr.strip()[-2000:]}
        )


def _dump_postgresql(target: Path) -> tuple[dict[str, int], str]:
    import psycopg
    from psycopg import sql

    pg_dump = _pg_tool("pg_dump")
    conninfo, env = _pg_conninfo_and_env()
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD"), autocommit=True) as conn:
        server_major = conn.info.server_version // 10000
        server_version = conn.execute("SHOW server_version").fetchone()[0]
        if _pg_tool_major(pg_dump) < server_major:
            raise BackupError(
                _(
                    "pg_dump 的版本低于数据库服务器（%(server)s），无法备份：请设置 "
                    "FAO_PG_BIN_DIR 指向同版本的工具。"
                )
                % {"server": server_version}
            )
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "ORDER BY tablename"
                )
            ]
            counts = {
                table: conn.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                ).fetchone()[0]
                for table in tables
            }
            # pg_dump reads the same snapshot, so it holds exactly the rows counted above.
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    conninfo,
                ],
                env,
                "pg_dump ",
            )
    return counts, server_version


def _restore_postgresql(dump: Path) -> None:
    pg_restore, psql = _pg_tool("pg_restore"), _pg_tool("psql")
    conninfo, env = _pg_conninfo_and_env()
    connection.close()
    # The whole restore runs in one transaction: it replaces everything or changes nothing.
    prefix = (
        b"SET lock_timeout = '30s';\nDROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
    )
    with tempfile.TemporaryFile() as errors:
        psql_proc = subprocess.Popen(  # noqa: S603
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"]
            + ["-d", conninfo],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
        )
        restore_proc = subprocess.Popen(  # noqa: S603
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
        )
        try:
            psql_proc.stdin.write(prefix)
            shutil.copyfileobj(restore_proc.stdout, psql_proc.stdin, 1024 * 1024)
        except BrokenPipeError:
            pass  # psql stopped on an error; its message is in `errors`
        finally:
            restore_proc.stdout.close()
            try:
                psql_proc.stdin.close()
            except BrokenPipeError:
                pass
        restore_code, psql_code = restore_proc.wait(), psql_proc.wait()
        if restore_code or psql_code:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()[-2000:]
            if "lock timeout" in message:
                message = _("数据库仍被其他连接占用，请先停止门户服务和后台任务。") + message
            raise BackupError(
                _("恢复数据库失败，当前数据库未被改动：%(error)s") % {"error": message}
            )


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _dump_sqlite(target: Path) -> tuple[dict[str, int], str]:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # The online backup API copies a consistent image even while others write.
        connection.connection.backup(destination)
        counts = _sqlite_counts(destination)
    finally:
        destination.close()
    return counts, sqlite3.sqlite_version


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError(_("不能在事务中恢复数据库。"))
    source = sqlite3.connect(dump)
    try:
        # One step (all pages at once): the live database is replaced atomically.
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(
            _("恢复数据库失败，当前数据库未被改动：%(error)s") % {"error": exc}
        ) from exc
    finally:
        source.close()


def current_counts() -> dict[str, int]:
    """Row count of every table in the live database, as the manifest records them."""
    if connection.vendor == "postgresql":
        from psycopg import sql

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                counts[table] = cursor.fetchone()[0]
            return counts
    connection.ensure_connection()
    return _sqlite_counts(connection.connection)


# --- Backup -------------------------------------------------------------------------------


def _check_vendor() -> str:
    vendor = connection.vendor
    if vendor not in DUMP_FILES:
        raise BackupError(
            _("不支持备份 %(vendor)s 数据库（仅支持 PostgreSQL 和 SQLite）。") % {"vendor": vendor}
        )
    return vendor


def _write_media_archive(target: Path) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(target, "w") as archive:
        if media_root.is_dir():
            archive.add(media_root, arcname=MEDIA_ARCNAME, recursive=False)
            for path in sorted(media_root.rglob("*")):
                relative = path.relative_to(media_root)
                # Leftovers of an interrupted restore are not part of the portal's files.
                if relative.parts[0].startswith(".restore"):
                    continue
                archive.add(path, arcname=f"{MEDIA_ARCNAME}/{relative.as_posix()}", recursive=False)
                count += path.is_file()
    return count


def backup_create(*, output_dir: Path | None = None) -> Path:
    """Writes a complete backup folder under `output_dir` and returns its path."""
    vendor = _check_vendor()
    output_dir = Path(output_dir or settings.FAO_BACKUP_DIR)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = f"fao-backup-{stamp}"
    suffix = 1
    while (output_dir / name).exists():
        suffix += 1
        name = f"fao-backup-{stamp}-{suffix}"
    partial = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=output_dir))
    try:
        dump_name = DUMP_FILES[vendor]
        if vendor == "postgresql":
            counts, version = _dump_postgresql(partial / dump_name)
        else:
            counts, version = _dump_sqlite(partial / dump_name)
        media_files = _write_media_archive(partial / MEDIA_ARCHIVE)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "server_version": version, "file": dump_name},
            "media": {"file": MEDIA_ARCHIVE, "files": media_files},
            "row_counts": counts,
            "files": {
                filename: {
                    "bytes": (partial / filename).stat().st_size,
                    "sha256": sha256_of(partial / filename),
                }
                for filename in (dump_name, MEDIA_ARCHIVE)
            },
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        for member in partial.iterdir():
            member.chmod(0o600)
        partial.chmod(0o700)
        partial.rename(output_dir / name)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return output_dir / name


# --- Verify and restore -------------------------------------------------------------------


def backup_verify(*, path: Path) -> dict:
    """Reads the manifest and checks every file's size and SHA-256; returns the manifest."""
    path = Path(path)
    if path.is_file() and path.name == MANIFEST:
        path = path.parent
    if not path.exists():
        raise BackupError(_("找不到备份：%(path)s") % {"path": path})
    manifest_path = path / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(
            _("%(path)s 不是完整的备份：缺少或无法读取 manifest.json。") % {"path": path}
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(path)s 不是本系统生成的备份。") % {"path": path})
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _("备份格式版本 %(version)s 不受支持。") % {"version": manifest.get("version")}
        )
    files = manifest.get("files") or {}
    for required in (manifest["database"]["file"], MEDIA_ARCHIVE):
        if required not in files:
            raise BackupError(_("备份清单不完整：缺少 %(name)s。") % {"name": required})
    for filename, expected in files.items():
        if Path(filename).name != filename:
            raise BackupError(_("备份清单中的文件名无效：%(name)s。") % {"name": filename})
        file_path = path / filename
        if not file_path.is_file():
            raise BackupError(_("备份缺少文件：%(name)s。") % {"name": filename})
        if file_path.stat().st_size != expected.get("bytes") or sha256_of(
            file_path
        ) != expected.get("sha256"):
            raise BackupError(
                _("备份文件已损坏：%(name)s 的大小或 SHA-256 校验值与清单不符。")
                % {"name": filename}
            )
    return manifest


def _restore_media(archive_path: Path) -> None:
    """Replaces the contents of MEDIA_ROOT with the archive's. Works inside MEDIA_ROOT (which
    may be a mount point) so every move is a rename on one file system."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S%f")
    staging = media_root / f".restore-new-{stamp}"
    previous = media_root / f".restore-old-{stamp}"
    try:
        with tarfile.open(archive_path) as archive:
            # The "data" filter refuses absolute paths, links out of the tree and devices.
            archive.extractall(staging, filter="data")
    except (tarfile.TarError, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(_("恢复上传文件失败：%(error)s") % {"error": exc}) from exc
    previous.mkdir()
    for entry in list(media_root.iterdir()):
        if entry not in (staging, previous):
            entry.rename(previous / entry.name)
    extracted = staging / MEDIA_ARCNAME
    if extracted.is_dir():
        for entry in list(extracted.iterdir()):
            entry.rename(media_root / entry.name)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(previous, ignore_errors=True)


def backup_restore(*, path: Path) -> dict:
    """Verifies the backup, then replaces the database and MEDIA_ROOT with its contents.

    The database is restored in one transaction (nothing changes if it fails), then the
    files; the restored row counts are compared with the manifest. Returns the manifest.
    """
    path = Path(path)
    manifest = backup_verify(path=path)
    if path.is_file():
        path = path.parent
    vendor = _check_vendor()
    backup_vendor = manifest["database"]["vendor"]
    if backup_vendor != vendor:
        raise BackupError(
            _("该备份来自 %(backup)s 数据库，当前使用的是 %(current)s，不能直接恢复。")
            % {
                "backup": VENDOR_NAMES.get(backup_vendor, backup_vendor),
                "current": VENDOR_NAMES[vendor],
            }
        )
    dump = path / manifest["database"]["file"]
    if vendor == "postgresql":
        _restore_postgresql(dump)
    else:
        _restore_sqlite(dump)
    _restore_media(path / MEDIA_ARCHIVE)

    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    restored = current_counts()
    expected = manifest.get("row_counts", {})
    differing = sorted(
        t for t in set(expected) | set(restored) if expected.get(t) != restored.get(t)
    )
    if differing:
        raise BackupError(
            _("恢复后的数据与备份清单不一致：%(tables)s。") % {"tables": "、".join(differing)}
        )
    return manifest
