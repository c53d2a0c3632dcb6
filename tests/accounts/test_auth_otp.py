"""The optional second factor (TOTP): required at sign-in once enrolled, mandatory for the
roles named in FAO_REQUIRE_OTP_FOR, enrolled by `manage.py enroll_totp` or the admin page."""

import datetime
import io
import time

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp
from accounts.models import LoginEvent

pytestmark = pytest.mark.usefixtures("fast_password_hashing", "local_admin")

PASSWORD = "R0le-Passw0rd!"  # conftest's make_role_user
STEP = datetime.timedelta(seconds=30)


def token_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def wrong_token(device: TOTPDevice) -> str:
    return f"{(int(token_for(device)) + 1) % 10**6:06d}"


def enrolled(user) -> TOTPDevice:
    device = otp.totp_enrolment_start(user=user)
    return otp.totp_enrolment_confirm(device=device, token=token_for(device))


def sign_in(client: Client, user, token: str = ""):
    return client.post(
        "/admin/login/",
        {"username": user.username, "password": PASSWORD, "otp_token": token, "next": "/admin/"},
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_in_page_offers_the_dynamic_token_field(client, db):
    page = client.get("/admin/login/").content.decode()
    assert 'name="otp_token"' in page
    assert "动态口令" in page


def test_user_without_a_device_signs_in_with_the_password_alone(client, data_entry_user):
    assert sign_in(client, data_entry_user).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_enrolled_user_without_a_token_is_refused_in_chinese(client, reviewer_user):
    enrolled(reviewer_user)
    response = sign_in(client, reviewer_user)
    assert response.status_code == 200
    assert "请输入手机上显示的 6 位动态口令。" in response.content.decode()
    assert not signed_in(client)


def test_enrolled_user_with_a_wrong_token_is_refused_and_logged(client, reviewer_user):
    device = enrolled(reviewer_user)
    with time_machine.travel(time.time() + 120, tick=False):
        response = sign_in(client, reviewer_user, wrong_token(device))
        assert response.status_code == 200
        assert "动态口令不正确，请重新输入。" in response.content.decode()
        assert not signed_in(client)
    assert LoginEvent.objects.filter(
        username=reviewer_user.username, outcome=LoginEvent.Outcome.OTP_FAILED
    ).exists()
    assert not LoginEvent.objects.filter(
        username=reviewer_user.username, outcome=LoginEvent.Outcome.LOGIN
    ).exists()


def test_enrolled_user_with_the_current_token_signs_in_verified(client, reviewer_user):
    device = enrolled(reviewer_user)
    with time_machine.travel(time.time() + 60, tick=False):
        response = sign_in(client, reviewer_user, token_for(device))
        assert response.status_code == 302
        assert client.session["otp_device_id"] == device.persistent_id
        assert client.get("/admin/").status_code == 200


def test_a_token_cannot_be_used_twice(reviewer_user):
    device = enrolled(reviewer_user)
    with time_machine.travel(time.time() + 60, tick=False):
        token = token_for(device)
        assert sign_in(Client(), reviewer_user, token).status_code == 302
        second = Client()
        response = sign_in(second, reviewer_user, token)
        assert response.status_code == 200
        assert not signed_in(second)


def test_wrong_password_with_a_right_token_is_still_refused(client, reviewer_user):
    device = enrolled(reviewer_user)
    with time_machine.travel(time.time() + 60, tick=False):
        response = client.post(
            "/admin/login/",
            {
                "username": reviewer_user.username,
                "password": "nope",
                "otp_token": token_for(device),
            },
        )
    assert response.status_code == 200
    assert not signed_in(client)


def test_session_opened_without_the_token_does_not_reach_the_admin(client, reviewer_user):
    # A session from before the device was enrolled (here: force_login) must sign in again.
    enrolled(reviewer_user)
    client.force_login(reviewer_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_mandatory_role_without_a_device_cannot_sign_in(settings, client, reviewer_user):
    settings.FAO_REQUIRE_OTP_FOR = ["admins", "reviewers"]
    response = sign_in(client, reviewer_user)
    assert response.status_code == 200
    assert "您的角色必须使用动态口令登录，但账户尚未绑定动态口令" in response.content.decode()
    assert not signed_in(client)
    assert LoginEvent.objects.filter(
        username=reviewer_user.username, outcome=LoginEvent.Outcome.OTP_MISSING
    ).exists()


def test_mandatory_role_applies_to_administrators_and_superusers(
    settings, administrator_user, administrator
):
    settings.FAO_REQUIRE_OTP_FOR = ["admins"]
    assert otp.role_requires_otp(administrator_user)
    assert otp.role_requires_otp(administrator)


def test_roles_not_listed_keep_signing_in_with_the_password(settings, client, data_entry_user):
    settings.FAO_REQUIRE_OTP_FOR = ["admins", "reviewers"]
    assert sign_in(client, data_entry_user).status_code == 302


def test_mandatory_role_with_an_unverified_session_is_sent_to_sign_in(
    settings, client, reviewer_user
):
    settings.FAO_REQUIRE_OTP_FOR = ["reviewers"]
    client.force_login(reviewer_user)
    assert client.get("/admin/").status_code == 302


def test_mandatory_role_signs_in_once_enrolled(settings, client, reviewer_user):
    settings.FAO_REQUIRE_OTP_FOR = ["reviewers"]
    device = enrolled(reviewer_user)
    with time_machine.travel(time.time() + 60, tick=False):
        assert sign_in(client, reviewer_user, token_for(device)).status_code == 302
        assert client.get("/admin/").status_code == 200


def test_unknown_role_keyword_fails_the_system_check(settings):
    from accounts.checks import security_settings_check

    settings.FAO_REQUIRE_OTP_FOR = ["reviewer"]
    assert [e.id for e in security_settings_check(None)] == ["accounts.E002"]


# --- manage.py enroll_totp


def test_enroll_totp_prints_the_otpauth_url_and_a_qr_code(reviewer_user):
    out = io.StringIO()
    call_command("enroll_totp", reviewer_user.username, stdout=out)
    device = TOTPDevice.objects.get(user=reviewer_user)
    assert not device.confirmed
    text = out.getvalue()
    assert device.config_url in text
    assert text.startswith("请用户用手机验证器扫描")
    assert "█" in text or "▀" in text  # the terminal QR code


def test_enroll_totp_confirms_with_the_phone_token(reviewer_user):
    call_command("enroll_totp", reviewer_user.username, "--no-qr", stdout=io.StringIO())
    device = TOTPDevice.objects.get(user=reviewer_user)
    out = io.StringIO()
    call_command("enroll_totp", reviewer_user.username, "--token", token_for(device), stdout=out)
    device.refresh_from_db()
    assert device.confirmed
    assert "已绑定" in out.getvalue()


def test_enroll_totp_with_a_wrong_token_explains_and_confirms_nothing(reviewer_user):
    call_command("enroll_totp", reviewer_user.username, "--no-qr", stdout=io.StringIO())
    device = TOTPDevice.objects.get(user=reviewer_user)
    with pytest.raises(CommandError, match="动态口令不正确"):
        call_command("enroll_totp", reviewer_user.username, "--token", wrong_token(device))
    device.refresh_from_db()
    assert not device.confirmed
    assert otp.confirmed_device(reviewer_user) is None


def test_enroll_totp_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="没有用户名为“ghost”的账户"):
        call_command("enroll_totp", "ghost")
    assert not TOTPDevice.objects.exists()


def test_enroll_totp_token_without_a_pending_enrolment_is_refused(reviewer_user):
    with pytest.raises(CommandError, match="没有待确认的动态口令"):
        call_command("enroll_totp", reviewer_user.username, "--token", "123456")


def test_re_enrolment_keeps_the_old_phone_until_the_new_one_is_confirmed(reviewer_user):
    old = enrolled(reviewer_user)
    call_command("enroll_totp", reviewer_user.username, "--no-qr", stdout=io.StringIO())
    assert otp.confirmed_device(reviewer_user) == old
    new = TOTPDevice.objects.get(user=reviewer_user, confirmed=False)
    with time_machine.travel(time.time() + 60, tick=False):
        call_command(
            "enroll_totp", reviewer_user.username, "--token", token_for(new), stdout=io.StringIO()
        )
    assert list(TOTPDevice.objects.filter(user=reviewer_user)) == [new]


def test_enroll_totp_remove_unbinds_a_lost_phone(reviewer_user):
    enrolled(reviewer_user)
    call_command("enroll_totp", reviewer_user.username, "--remove", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=reviewer_user).exists()


# --- the enrolment page in the admin


def test_staff_enrol_their_own_phone_in_the_admin(client, data_entry_user):
    client.force_login(data_entry_user)
    page = client.get("/admin/security/totp/")
    assert page.status_code == 200
    assert "开始绑定" in page.content.decode()
    assert client.post("/admin/security/totp/", {"action": "start"}).status_code == 302
    page = client.get("/admin/security/totp/").content.decode()
    assert "<svg" in page and "第一步" in page
    device = TOTPDevice.objects.get(user=data_entry_user, confirmed=False)
    response = client.post(
        "/admin/security/totp/", {"action": "confirm", "token": token_for(device)}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get("/admin/").status_code == 200  # this session counts as verified


def test_enrolment_page_refuses_a_wrong_token_in_chinese_and_confirms_nothing(
    client, data_entry_user
):
    client.force_login(data_entry_user)
    client.post("/admin/security/totp/", {"action": "start"})
    device = TOTPDevice.objects.get(user=data_entry_user)
    response = client.post(
        "/admin/security/totp/", {"action": "confirm", "token": wrong_token(device)}
    )
    assert response.status_code == 400
    assert "动态口令不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_enrolment_page_is_for_signed_in_staff_only(client, db):
    response = client.get("/admin/security/totp/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_administrators_list_devices_without_seeing_secret_keys(
    client, administrator_user, reviewer_user
):
    device = enrolled(reviewer_user)
    client.force_login(administrator_user)
    listing = client.get("/admin/accounts/otpdevice/")
    assert listing.status_code == 200
    assert reviewer_user.username in listing.content.decode()
    detail = client.get(f"/admin/accounts/otpdevice/{device.pk}/change/").content.decode()
    assert device.key not in detail
    assert device.key not in listing.content.decode()
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_staff_may_unbind_an_optional_phone(client, data_entry_user):
    device = enrolled(data_entry_user)
    client.force_login(data_entry_user)
    otp_session = client.session
    otp_session["otp_device_id"] = device.persistent_id
    otp_session.save()
    response = client.post("/admin/security/totp/", {"action": "remove"}, follow=True)
    assert "已解除动态口令绑定" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=data_entry_user).exists()


def test_mandatory_role_cannot_unbind_its_phone(settings, client, reviewer_user):
    settings.FAO_REQUIRE_OTP_FOR = ["reviewers"]
    device = enrolled(reviewer_user)
    client.force_login(reviewer_user)
    otp_session = client.session
    otp_session["otp_device_id"] = device.persistent_id
    otp_session.save()
    response = client.post("/admin/security/totp/", {"action": "remove"}, follow=True)
    assert "您的角色必须使用动态口令，不能解除绑定。" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_session_owing_its_token_sees_neither_the_dashboard_nor_import_jobs(client, reviewer_user):
    # Pages outside the admin site apply the same second-factor rule as the admin.
    enrolled(reviewer_user)
    client.force_login(reviewer_user)
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/admin/imports/").status_code == 403
