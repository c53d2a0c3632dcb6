"""Demo records that depend on the day the demo is loaded: a notice open for comment (so the
public comment form can be seen) and the public footer's particulars.

Created once and left alone on later runs, like the rest of the demo data."""

import datetime

from django.utils import timezone

from sitesettings.models import SiteSettings, forget_settings
from supervision.models import HonoraryCitizenNotice, Nominee

OPEN_NOTICE_BATCH = 19
OPEN_NOTICE_DAYS = 10


def load_open_notice() -> None:
    if HonoraryCitizenNotice.objects.filter(batch=OPEN_NOTICE_BATCH).exists():
        return
    today = timezone.localdate()
    notice = HonoraryCitizenNotice(
        batch=OPEN_NOTICE_BATCH,
        title="拟授予第十九批“常州市荣誉市民”称号人选公示（演示数据）",
        body=(
            "根据常州市荣誉市民称号授予办法，现将拟授予第十九批“常州市荣誉市民”称号的人选"
            "予以公示，征求全社会意见。（演示数据：候选人姓名、单位和事迹均为虚构。）"
        ),
        notice_start=today - datetime.timedelta(days=2),
        notice_end=today + datetime.timedelta(days=OPEN_NOTICE_DAYS - 3),
        contact="电话 0519-00000000；书面意见请寄送常州市人民政府外事办公室（演示数据）",
        is_demo=True,
    )
    notice.full_clean()
    notice.save()
    for name, chinese_name, nationality, employer, post, years, contribution in (
        (
            "Anna Beispiel",
            "安娜·拜施皮尔",
            "奥地利",
            "常州演示医疗器械有限公司",
            "技术总监",
            6,
            "促成中奥职业教育合作项目（虚构）。",
        ),
        (
            "Taro Yamada",
            "山田太郎",
            "日本",
            "常州演示电子有限公司",
            "董事长",
            11,
            "多年资助本市助学活动（虚构）。",
        ),
    ):
        nominee = Nominee(
            notice=notice,
            name=name,
            chinese_name=chinese_name,
            nationality=nationality,
            employer=employer,
            post=post,
            years_in_city=years,
            contribution=contribution,
            is_demo=True,
        )
        nominee.full_clean()
        nominee.save()


def load_site_settings() -> None:
    if SiteSettings.objects.exists():
        return
    SiteSettings.objects.create(
        site_code="3204000000",
        icp_number="苏ICP备00000000号（演示）",
        police_number="苏公网安备 32040000000000号（演示）",
        contact_phone="0519-00000000",
        contact_email="wsb@example.invalid",
        contact_address="常州市龙城大道（演示地址）",
    )
    forget_settings()
