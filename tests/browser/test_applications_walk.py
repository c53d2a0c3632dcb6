"""A citizen applies for disclosure in Chromium, then looks the application up by its code;
axe-core reports no serious violation on either page, and neither shows personal data."""

import pytest

from applications.models import InformationRequest
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

NAME = "李浏览器测试"
PHONE = "13700001111"


def test_citizen_applies_and_looks_up_the_status(page, live_server, public_site):
    page.goto(live_server.url + "/requests/")
    assert_accessible(page)
    page.get_by_label("申请人类型").select_option(label="自然人")
    page.get_by_label("申请人姓名或名称").fill(NAME)
    page.get_by_label("身份证件名称及号码").fill("居民身份证 320400199001010000")
    page.get_by_label("联系电话").fill(PHONE)
    page.get_by_label("所需政府信息的名称、文号或便于查询的其他特征性描述").fill(
        "2023年本机关外国人来华邀请函审核数量"
    )
    page.get_by_label("获取信息的方式").select_option(label="电子文本，电子邮件")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/requests/received/")
    assert_accessible(page)
    code = page.locator(".tracking-code").inner_text().strip()
    req = InformationRequest.objects.get()
    assert code == req.tracking_code

    page.goto(live_server.url + "/requests/status/")
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/requests/status/?code=*")
    assert page.get_by_text("已在线提交，待确认收到").is_visible()
    assert NAME not in page.content() and PHONE not in page.content()
    assert_accessible(page)


def test_invalid_application_shows_errors_accessibly(page, live_server, public_site):
    page.goto(live_server.url + "/requests/")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_text("提交未成功，请按提示修改。").is_visible()
    assert_accessible(page)
    assert not InformationRequest.objects.exists()
