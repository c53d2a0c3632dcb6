"""Enrol a phone authenticator (TOTP) for a user, from the server's shell.

    manage.py enroll_totp <username>                 # prints the otpauth URL and a QR code
    manage.py enroll_totp <username> --token 123456  # confirms it with the phone's token
    manage.py enroll_totp <username> --remove        # a lost phone: removes the devices

Until it is confirmed the new device is not used, and the user's old one (if any) keeps
working. This is how administrators enrol users whose role must use a second factor
(FAO_REQUIRE_OTP_FOR), who cannot sign in to enrol themselves.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp


class Command(BaseCommand):
    help = _("为用户绑定手机动态口令（TOTP）：打印 otpauth 链接和二维码，再用 --token 确认。")

    def add_arguments(self, parser):
        parser.add_argument("username")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--token", help=_("手机验证器显示的 6 位数字，用于确认绑定。"))
        action.add_argument("--remove", action="store_true", help=_("解除该用户的全部动态口令。"))
        parser.add_argument(
            "--no-qr", action="store_true", help=_("只打印 otpauth 链接，不在终端画二维码。")
        )

    def handle(self, *args, username, token=None, remove=False, no_qr=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("没有用户名为“%(username)s”的账户。") % {"username": username})
        if remove:
            count = otp.totp_remove(user=user)
            self.stdout.write(
                _("已解除 %(username)s 的 %(count)s 个动态口令设备。")
                % {"username": username, "count": count}
            )
            return
        if token is not None:
            device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
            if device is None:
                raise CommandError(
                    _("%(username)s 没有待确认的动态口令，请先运行 enroll_totp %(username)s。")
                    % {"username": username}
                )
            try:
                otp.totp_enrolment_confirm(device=device, token=token)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(username)s 的动态口令已绑定，今后登录须输入动态口令。")
                    % {"username": username}
                )
            )
            return
        device = otp.totp_enrolment_start(user=user)
        self.stdout.write(_("请用户用手机验证器扫描下面的二维码，或手动添加此链接："))
        self.stdout.write(device.config_url)
        if not no_qr:
            otp.provisioning_qr(device).terminal(out=self.stdout, compact=True)
        self.stdout.write(
            _("然后运行：manage.py enroll_totp %(username)s --token <手机上显示的6位数字>")
            % {"username": username}
        )
