"""`make screenshots`: PNGs of the portal's main screens, for looking at interface changes.

Builds a throwaway database (var/screenshots/db.sqlite3: migrated, demo data, known
passwords), starts the development server on a free port, signs in as each role with
Debian's Chromium and saves desktop and phone captures under var/screenshots/.

    .venv/bin/python scripts/screenshots.py [--only NAME-SUBSTRING]
"""

# A command-line tool: it prints progress and runs manage.py; the password is a throwaway.
# ruff: noqa: T201, S603, S105

from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "screenshots"
DB = OUT / "db.sqlite3"
PY = str(ROOT / ".venv" / "bin" / "python")
CHROMIUM = "/usr/bin/chromium"
# Throwaway passwords for the throwaway database only.
PASSWORD = "Screenshots-2026!"
ROLES = {"luru": "录入员", "shenhe": "审核人", "lingdao": "领导", "admin": "管理员"}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

SET_PASSWORDS = f"""
from django.contrib.auth import get_user_model
for user in get_user_model().objects.filter(username__in={list(ROLES)!r}):
    user.set_password({PASSWORD!r})
    user.save(update_fields=["password"])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FAO_ALLOW_INSECURE_KEY="true",
        DATABASE_URL=f"sqlite:///{DB}",
        DJANGO_DEBUG="true",
        # The server runs quietly; its log goes to var/screenshots/server.log.
        FAO_LOG_LEVEL="WARNING",
    )
    return env


def manage(*args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=server_env(),
        check=True,
        input=stdin,
        text=True,
        stdout=subprocess.DEVNULL,
    )


def fresh_database() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    print("建立数据库（迁移、演示数据）……", flush=True)
    manage("migrate", "--noinput", "-v", "0")
    manage("load_demo")
    manage("shell", "-c", SET_PASSWORDS)


def start_server(port: int) -> subprocess.Popen:
    log = open(OUT / "server.log", "w", encoding="utf-8")
    server = subprocess.Popen(
        [PY, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=server_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("开发服务器未能启动，见 var/screenshots/server.log") from None
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("开发服务器 60 秒内未响应")


def import_file_with_error() -> bytes:
    """A study-session sheet with one bad row, so that the preview shows an error."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(server_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fao_portal.settings")
    import django

    django.setup()
    from openpyxl import load_workbook

    from dataio.importing import template_bytes
    from trainings.models import StudySession

    book = load_workbook(io.BytesIO(template_bytes(StudySession, "xlsx")))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = dict.fromkeys(headers, "")
    row.update({"日期": "2025-13-40", "名称": "宪法学习", "形式": "讲座", "参加人数": "三十"})
    sheet.append([row[h] for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class Shooter:
    def __init__(self, browser, base: str, only: str | None):
        self.browser = browser
        self.base = base
        self.only = only
        self.count = 0

    def shoot(self, name: str, path: str | None, *, user: str | None = None, action=None):
        """Saves `name`-desktop.png and `name`-phone.png of `path` (or of `action(page)`)."""
        if self.only and self.only not in name:
            return
        for width_name, (width, height) in WIDTHS.items():
            context = self.browser.new_context(
                locale="zh-CN", viewport={"width": width, "height": height}
            )
            page = context.new_page()
            page.set_default_timeout(30_000)
            try:
                if user:
                    self.sign_in(page, user)
                if path:
                    page.goto(self.base + path)
                if action:
                    action(page)
                target = OUT / f"{name}-{width_name}.png"
                page.screenshot(path=str(target), full_page=True)
                self.count += 1
                print(f"  {target.relative_to(ROOT)}  ← {page.url}", flush=True)
            except Exception as exc:  # noqa: BLE001 (one bad screen must not stop the rest)
                print(f"  ! {name}-{width_name}: {exc}", flush=True)
            finally:
                context.close()

    def generate_report(self, year: int = 2021) -> None:
        """A drafted annual report, made the way staff make it, for the report screens."""
        context = self.browser.new_context(locale="zh-CN")
        page = context.new_page()
        try:
            self.sign_in(page, "luru")
            page.goto(self.base + "/admin/lawbuilding/annualreport/generate/")
            page.fill("#id_year", str(year))
            page.click("#content [type=submit]")
            page.wait_for_load_state()
        finally:
            context.close()

    def sign_in(self, page, username: str) -> None:
        page.goto(self.base + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("[type=submit]")
        page.wait_for_load_state()


def first_link(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state()


def shoot_all(shooter: Shooter, import_bytes: bytes) -> None:
    print("各角色登录后的首页", flush=True)
    for username in ROLES:
        shooter.shoot(f"landing-{username}", None, user=username)

    print("后台", flush=True)
    shooter.shoot("admin-index", "/admin/", user="admin")
    shooter.shoot("changelist-studysession", "/admin/trainings/studysession/", user="luru")
    shooter.shoot("changelist-proposal", "/admin/supervision/proposal/", user="luru")
    shooter.shoot("changelist-delegation", "/admin/supervision/delegation/", user="luru")
    shooter.shoot(
        "form-studysession",
        "/admin/trainings/studysession/",
        user="luru",
        action=lambda p: first_link(p, "#result_list tbody th a"),
    )
    shooter.shoot("form-proposal-add", "/admin/supervision/proposal/add/", user="luru")

    def edit_then_history(page):
        # An edit through the form, so that the history shows a change and its author.
        first_link(page, "#result_list tbody th a")
        page.select_option("#id_kind", index=3)
        page.fill("#id_participants", "42")
        page.fill("#id_speaker_name", "")
        page.click("[name=_continue]")
        page.wait_for_load_state()
        first_link(page, "a.historylink")

    shooter.shoot(
        "history-studysession",
        "/admin/trainings/studysession/",
        user="luru",
        action=edit_then_history,
    )
    shooter.shoot("report-generate", "/admin/lawbuilding/annualreport/generate/", user="luru")
    shooter.generate_report()
    shooter.shoot(
        "report-annualreport",
        "/admin/lawbuilding/annualreport/",
        user="shenhe",
        action=lambda p: first_link(p, "#result_list tbody a"),
    )
    shooter.shoot(
        "history-annualreport",
        "/admin/lawbuilding/annualreport/",
        user="shenhe",
        action=lambda p: (
            first_link(p, "#result_list tbody a"),
            first_link(p, "a.historylink"),
        ),
    )
    shooter.shoot("import-form", "/admin/trainings/studysession/import/", user="luru")

    def preview(page):
        page.set_input_files(
            "#id_import_file",
            files=[
                {
                    "name": "学法活动.xlsx",
                    "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "buffer": import_bytes,
                }
            ],
        )
        page.select_option("#id_format", index=1) if page.locator(
            "#id_format option"
        ).count() > 2 else None
        page.click("#content [type=submit]")
        page.wait_for_load_state()

    shooter.shoot(
        "import-preview", "/admin/trainings/studysession/import/", user="luru", action=preview
    )
    shooter.shoot("export-form", "/admin/trainings/studysession/export/", user="luru")
    shooter.shoot("dashboard", "/dashboard/", user="lingdao")

    print("公开网站", flush=True)
    shooter.shoot("public-home", "/")
    shooter.shoot("public-catalogue", "/disclosure/")
    shooter.shoot(
        "public-detail",
        "/disclosure/",
        action=lambda p: first_link(p, "main a[href*='/disclosure/']"),
    )
    shooter.shoot("public-notices", "/notices/")
    shooter.shoot(
        "public-notice", "/notices/", action=lambda p: first_link(p, "main a[href*='/notices/']")
    )
    shooter.shoot("public-reports", "/reports/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="只拍名称含此文字的页面")
    parser.add_argument("--keep-db", action="store_true", help="沿用上次的数据库")
    args = parser.parse_args()
    if not (args.keep_db and DB.exists()):
        for old in OUT.glob("*.png"):
            old.unlink()
        fresh_database()
    port = free_port()
    server = start_server(port)
    try:
        from playwright.sync_api import sync_playwright

        import_bytes = import_file_with_error()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            shooter = Shooter(browser, f"http://127.0.0.1:{port}", args.only)
            shoot_all(shooter, import_bytes)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"共 {shooter.count} 张截图，位于 {OUT.relative_to(ROOT)}/", flush=True)


if __name__ == "__main__":
    if not shutil.which(CHROMIUM):
        raise SystemExit(f"缺少 {CHROMIUM}（apt-get install chromium）")
    main()
