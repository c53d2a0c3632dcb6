"""Production never runs on the built-in development key: sessions, password resets and
import confirmations are signed with SECRET_KEY (网络安全法 第二十一条: technical measures
against intrusion), so `scripts/serve.sh` refuses to start without a configured key, and
`check --deploy` reports the built-in key as an error."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = "未配置 DJANGO_SECRET_KEY（或 DJANGO_SECRET_KEY_FILE），拒绝以内置开发密钥启动生产服务。"


def _env_without_key(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAO_", "DJANGO_"))}
    # Anything past the key check would call these: make them fail loudly instead.
    marker = tmp_path / "started"
    fake = tmp_path / "fake.sh"
    fake.write_text(f"#!/bin/sh\ntouch {marker}\nexit 0\n")
    fake.chmod(0o755)
    env.update(PY=str(fake), GUNICORN=str(fake), DJANGO_DEBUG="false", **extra)
    return env


@pytest.mark.parametrize("insecure_switch", [None, "true"])
def test_serve_refuses_to_start_without_a_secret_key(tmp_path, insecure_switch):
    extra = {"FAO_ALLOW_INSECURE_KEY": insecure_switch} if insecure_switch else {}
    completed = subprocess.run(
        ["scripts/serve.sh"],
        cwd=ROOT,
        env=_env_without_key(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode != 0
    assert MESSAGE in completed.stderr
    assert not (tmp_path / "started").exists()


def test_serve_refuses_an_empty_secret_key_file(tmp_path):
    empty = tmp_path / "key"
    empty.write_text("")
    completed = subprocess.run(
        ["scripts/serve.sh"],
        cwd=ROOT,
        env=_env_without_key(tmp_path, DJANGO_SECRET_KEY_FILE=str(empty)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode != 0
    assert "不存在或为空" in completed.stderr
    assert not (tmp_path / "started").exists()


def test_serve_goes_on_when_a_key_is_configured(tmp_path):
    completed = subprocess.run(
        ["scripts/serve.sh"],
        cwd=ROOT,
        env=_env_without_key(tmp_path, DJANGO_SECRET_KEY="k" * 60),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "started").exists()


def test_the_insecure_key_switch_is_exported_for_development_targets_only():
    makefile = (ROOT / "Makefile").read_text()
    assert not re.search(r"^export FAO_ALLOW_INSECURE_KEY", makefile, re.M)
    line = re.search(r"^DEV_TARGETS := (.*)$", makefile, re.M)
    targets = line.group(1).split()
    assert "serve" not in targets
    assert {"run", "test", "bench", "lint"} <= set(targets)


def test_check_deploy_reports_the_built_in_key(settings):
    settings.SECRET_KEY = settings.FAO_INSECURE_DEV_KEY
    with pytest.raises(SystemCheckError, match="accounts.E010"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_settings_refuse_to_load_without_a_key_in_production():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAO_", "DJANGO_"))}
    env["DJANGO_DEBUG"] = "false"
    completed = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "fao_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in completed.stderr
