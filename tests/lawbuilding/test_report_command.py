"""`manage.py build_report`: the demo's 2021 report as PDF or HTML, and bad arguments that
stop with a Chinese message, a non-zero exit and no file."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lawbuilding.models import AnnualReport, WorkQuantity, WorkRecord
from tests.report_records import HEADINGS_2021, TITLE_2021, pdf_fonts, pdf_text, squeeze


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


def build(tmp_path, *args) -> bytes:
    output = tmp_path / "r.pdf"
    call_command("build_report", "--year", "2021", "--output", str(output), *args)
    return output.read_bytes()


SEED_FACTS_2021 = [
    "成立由办党组书记、主任张宇为组长的依法行政工作领导小组",
    "党组理论学习中心组举办4次学法活动，把《中国共产党章程》《保密法》"
    "《国家秘密定密管理暂行规定》《优化营商环境条例》等作为学习内容",
    "制定了《中共常州市人民政府外事办公室党组全面从严治党主体责任清单》",
    "与天刚律师事务所签订协议，聘请该所时轶等3位律师为我办法律顾问",
    "在办公楼层走廊开辟了“法治园地”专栏",
    "全年共派遣20批80人次赴昆山参加来常境外人员的转运工作",
    "实现了转运工作“零投诉、零感染、零事故”",
    "及时答复了政协第0209号提案《关于加大“荣誉市民”评选力度，助推“五大明星城”建设的建议》"
    "和第0303号提案《关于将西太湖国际社区打造成标杆性国际社区的建议》",
    "对拟授予第十八批“常州市荣誉市民”称号的7名外籍人士在网站进行公示，征求全社会意见",
    "邀请市档案馆副馆长张步东作《档案法》讲座",
    "邀请我办法律顾问时轶律师作《中华人民共和国民法典》讲座",
    "参与习近平法治思想网络学习、4.15全民国家安全教育日法律知识竞赛",
]
PLAN_2022_HEADINGS = [
    "一、依法全面履行政府职能",
    "二、完善依法行政制度体系",
    "三、推进依法科学民主决策",
    "四、强化行政权力制约监督",
    "五、落实法治政府建设保障",
]


def test_demo_2021_report_holds_the_seed_headings_facts_and_the_2022_plan(demo, tmp_path):
    data = build(tmp_path)
    assert data.startswith(b"%PDF")
    text = squeeze(pdf_text(data, tmp_path))
    assert text.startswith(TITLE_2021)
    positions = [text.index(heading) for heading in HEADINGS_2021]
    assert positions == sorted(positions)
    for fact in SEED_FACTS_2021:
        assert squeeze(fact) in text, fact
    plan = text[text.index("2022年，市外办以习近平法治思想为指导") :]
    positions = [plan.index(heading) for heading in PLAN_2022_HEADINGS]
    assert positions == sorted(positions)
    tasks = re.findall(r"(?<![\d.])(\d{1,2})\.(?=[^\d])", plan)
    assert [int(n) for n in tasks] == list(range(1, 13))
    assert "9.加强社会监督、舆论监督。" in plan


def test_demo_report_figures_follow_the_records(demo, tmp_path):
    # Without a stored report the year's report is built from the records (the demo's
    # published 2021 report would otherwise give its frozen PDF).
    AnnualReport.objects.filter(year=2021).delete()
    record = WorkRecord.objects.get(title="来常境外人员转运工作")
    record.narrative = record.narrative.replace("20批", "{transfer_batches}")
    record.save()
    quantity = WorkQuantity.objects.get(record=record, key="transfer_batches")
    quantity.value = 22
    quantity.save()
    text = squeeze(pdf_text(build(tmp_path), tmp_path))
    assert "全年共派遣22批80人次" in text


def test_demo_pdf_embeds_every_font_and_numbers_its_pages(demo, tmp_path):
    data = build(tmp_path)
    fonts = pdf_fonts(data, tmp_path)
    assert fonts and all(row[-5:-2] == ["yes", "yes", "yes"] for row in fonts)
    numbers = re.findall(r"—\s*(\d+)\s*—", pdf_text(data, tmp_path))
    assert numbers[:2] == ["1", "2"]
    assert len(data) < 1024 * 1024


def test_html_format_gives_the_html_the_pdf_is_made_from(demo, tmp_path):
    output = tmp_path / "r.html"
    call_command("build_report", "--year", "2021", "--output", str(output), "--format", "html")
    html = output.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html
    assert f"<title>{TITLE_2021}</title>" in html
    assert "<h2>一、党组重视，引领法治政府建设</h2>" in html


def test_a_year_without_records_is_refused(demo, tmp_path):
    output = tmp_path / "r.pdf"
    with pytest.raises(CommandError, match="没有2018年度的工作记录，无法生成报告。"):
        call_command("build_report", "--year", "2018", "--output", str(output))
    assert not output.exists()


@pytest.mark.parametrize("year", ["1999", "2101", str(datetime.date.today().year + 1)])
def test_an_impossible_year_is_refused(demo, tmp_path, year):
    output = tmp_path / "r.pdf"
    with pytest.raises(CommandError, match=f"年度 {year} 无效"):
        call_command("build_report", "--year", year, "--output", str(output))
    assert not output.exists()


def test_an_unwritable_path_is_refused(demo, tmp_path):
    with pytest.raises(CommandError, match="输出目录 .* 不存在"):
        call_command(
            "build_report", "--year", "2021", "--output", str(tmp_path / "missing" / "r.pdf")
        )
    with pytest.raises(CommandError, match="是一个目录"):
        call_command("build_report", "--year", "2021", "--output", str(tmp_path))
    # (The demo's published report keeps its PDF in the media directory.)
    assert not [p for p in tmp_path.glob("**/*.pdf") if "media" not in p.parts]


def test_bad_arguments_exit_non_zero_with_a_chinese_message(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "FAO_ALLOW_INSECURE_KEY": "true",
        "FAO_LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "build_report", "--year", "1990", "--output", "x.pdf"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "年度 1990 无效" in result.stderr
    assert not (root / "x.pdf").exists()
    result = subprocess.run(
        [sys.executable, "manage.py", "build_report", "--year", "二〇二一", "--output", "x.pdf"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "年度应为四位数字，如 2021。" in result.stderr
