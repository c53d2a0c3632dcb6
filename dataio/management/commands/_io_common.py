"""Argument handling shared by the spreadsheet commands (Chinese errors, one place)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext

from dataio.importing import model_from_label
from dataio.spreadsheets import kind_from_name


def model_arg(label: str):
    try:
        return model_from_label(label)
    except ValidationError as e:
        raise CommandError("；".join(e.messages)) from None


def kind_arg(path: str) -> str:
    try:
        return kind_from_name(Path(path).name)
    except ValidationError as e:
        raise CommandError("；".join(e.messages)) from None


def write_file(path: str, data: bytes) -> None:
    target = Path(path)
    if not target.parent.exists():
        raise CommandError(gettext("目录“%(dir)s”不存在。") % {"dir": target.parent})
    target.write_bytes(data)
