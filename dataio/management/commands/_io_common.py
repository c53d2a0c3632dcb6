"""Argument handling shared by the spreadsheet commands (Chinese errors, one place)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext

from dataio.importing import model_from_label
from dataio.resources import _resource_class_or_none as registered_resource
from dataio.spreadsheets import kind_from_name


def valid_model_labels() -> list[str]:
    """`app.Model（名称）` of every model the commands accept, for the error message."""
    from django.apps import apps

    labels = []
    for model in apps.get_models():
        label = f"{model._meta.app_label}.{model.__name__}"
        try:
            model_from_label(label)
        except ValidationError:
            continue
        if registered_resource(model) is None:  # no spreadsheet columns declared
            continue
        labels.append(f"{label}（{model._meta.verbose_name}）")
    return sorted(labels)


def model_arg(label: str):
    try:
        return model_from_label(label)
    except ValidationError as e:
        choices = "\n  ".join(valid_model_labels())
        raise CommandError(
            "；".join(e.messages) + "\n" + gettext("可用的数据类型：") + "\n  " + choices
        ) from None


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
