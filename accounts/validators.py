"""Password rules beyond Django's own (等保2.0: password complexity)."""

import unicodedata

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = ("lower", "upper", "digit", "symbol")


def character_classes(password: str) -> set[str]:
    found = set()
    for char in password:
        if char.islower():
            found.add("lower")
        elif char.isupper():
            found.add("upper")
        elif char.isdigit():
            found.add("digit")
        elif unicodedata.category(char)[0] in "PSZ":  # punctuation, symbols, spaces
            found.add("symbol")
    return found


class CharacterClassesValidator:
    """At least `min_classes` of: lowercase, uppercase, digits, symbols (default 3 of 4).

    Chinese characters belong to none of the four, so they add length but no class.
    """

    def __init__(self, min_classes: int = 3):
        if not 1 <= min_classes <= len(CLASSES):
            raise ValueError("min_classes must be between 1 and 4")
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                self._message(),
                code="password_too_few_classes",
                params={"min_classes": self.min_classes},
            )

    def get_help_text(self):
        return self._message() % {"min_classes": self.min_classes}

    def _message(self) -> str:
        return _("密码须至少包含小写字母、大写字母、数字、符号这四类字符中的 %(min_classes)d 类。")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule; its error message has no Chinese translation in Django 5.2."""

    def get_error_message(self):
        return _("密码太短：至少需要 %(min_length)d 个字符。")
