"""Passwords: at least 10 characters and 3 of 4 character classes, refused in Chinese."""

import pytest
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from accounts.validators import CharacterClassesValidator

CLASSES_MESSAGE = "密码须至少包含小写字母、大写字母、数字、符号这四类字符中的 3 类。"
STRONG = "Waishi-2022-fazhi"


def messages_for(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


def codes_for(password: str) -> set[str]:
    try:
        validate_password(password)
    except ValidationError as exc:
        return {error.code for error in exc.error_list}
    return set()


def test_character_classes_validator_is_installed_with_three_classes():
    installed = [
        v for v in get_default_password_validators() if isinstance(v, CharacterClassesValidator)
    ]
    assert [v.min_classes for v in installed] == [3]


@pytest.mark.parametrize(
    "password",
    ["waishibanfazhi", "WAISHIBAN2022", "waishiban2022", "外事办法治建设二〇二二年度报告"],
)
def test_password_with_fewer_than_three_classes_is_refused_in_chinese(password):
    assert CLASSES_MESSAGE in messages_for(password)
    assert "password_too_few_classes" in codes_for(password)


@pytest.mark.parametrize(
    "password", ["Waishiban2022", "waishiban-2022", "WAISHIBAN-2022", "Wai Shi Ban Fa"]
)
def test_password_with_three_classes_passes_the_class_rule(password):
    assert "password_too_few_classes" not in codes_for(password)


def test_short_password_is_refused_with_django_chinese_message():
    messages = messages_for("Wb-2022x")
    assert "密码太短：至少需要 10 个字符。" in messages


def test_strong_password_passes_every_rule():
    assert messages_for(STRONG) == []


def test_number_of_classes_is_configurable(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "accounts.validators.CharacterClassesValidator",
            "OPTIONS": {"min_classes": 4},
        }
    ]
    assert "password_too_few_classes" in codes_for("Waishiban2022")
    assert codes_for("Waishiban-2022") == set()
    assert "4 类" in " ".join(messages_for("Waishiban2022"))


def test_validator_rejects_a_nonsense_setting():
    with pytest.raises(ValueError):
        CharacterClassesValidator(min_classes=5)


def test_help_text_explains_the_rule_in_chinese():
    assert CLASSES_MESSAGE in password_validators_help_texts()


@pytest.mark.usefixtures("local_admin", "fast_password_hashing")
def test_admin_password_change_refuses_a_weak_password_and_keeps_the_old_one(
    admin_client, data_entry_user
):
    old_hash = data_entry_user.password
    response = admin_client.post(
        f"/admin/auth/user/{data_entry_user.pk}/password/",
        {"password1": "waishiban2022", "password2": "waishiban2022", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert CLASSES_MESSAGE in response.content.decode()
    data_entry_user.refresh_from_db()
    assert data_entry_user.password == old_hash


@pytest.mark.usefixtures("local_admin", "fast_password_hashing")
def test_admin_password_change_accepts_a_strong_password(admin_client, data_entry_user):
    response = admin_client.post(
        f"/admin/auth/user/{data_entry_user.pk}/password/",
        {"password1": STRONG, "password2": STRONG, "usable_password": "true"},
    )
    assert response.status_code == 302
    data_entry_user.refresh_from_db()
    assert data_entry_user.check_password(STRONG)
