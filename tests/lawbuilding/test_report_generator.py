"""The draft generator: the report's sections come from the records, figures included, and
regenerating never overwrites text staff have edited without asking."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from core.models import Organization
from lawbuilding import reports, services
from lawbuilding.models import AnnualReport, ReportEvent, ReportSection, ReportThemeDefault
from tests.report_records import (
    HEADINGS_2021,
    TITLE_2021,
    complete_parts,
    make_office,
    make_year_2021,
)
from trainings.models import StudySession


@pytest.fixture
def office(db):
    return make_office()


@pytest.fixture
def year_2021(office):
    return make_year_2021(office)


def draft_text(office, year=2021) -> str:
    draft = reports.generate(organization=office, year=year)
    return reports.plain_text(draft.title, draft.sections)


def test_draft_has_the_title_the_five_theme_headings_and_the_plan(office, year_2021):
    text = draft_text(office)
    assert text.startswith(TITLE_2021)
    for heading in HEADINGS_2021:
        assert heading in text
    assert "2022年，市外办以习近平法治思想为指导" in text
    assert "一、依法全面履行政府职能" in text
    assert "五、落实法治政府建设保障" in text
    for number in range(1, 13):
        assert f"\n{number}." in text
    # The plan numbers its own sections from "一、" again, after the five 2021 headings.
    assert text.count("一、") == 2


def test_the_draft_is_chinese_even_when_its_author_browses_in_english(db):
    # The demo's 依法行政工作领导小组 has a 联络员, a word the interface translates.
    call_command("load_demo", stdout=io.StringIO())
    office = Organization.objects.current()
    with translation.override("en"):
        draft = reports.generate(organization=office, year=2021)
        text = reports.plain_text(draft.title, draft.sections)
        html = reports.render_html(title=draft.title, sections=draft.sections, organization=office)
    assert "分管党组成员和联络员" in text
    assert "Liaison" not in text and "Liaison" not in html
    assert text == draft_text(office)


def test_figures_and_lists_are_computed_from_the_records(office, year_2021):
    text = draft_text(office)
    assert (
        "党组理论学习中心组举办4次学法活动，把《中国共产党章程》《保密法》"
        "《国家秘密定密管理暂行规定》《优化营商环境条例》等作为学习内容" in text
    )
    assert "成立由办党组书记、主任张宇为组长的依法行政工作领导小组" in text
    assert "及时答复了政协第0209号提案《关于加大“荣誉市民”评选力度" in text
    assert "和第0303号提案《关于将西太湖国际社区打造成标杆性国际社区的建议》" in text
    assert "对拟授予第十八批“常州市荣誉市民”称号的7名外籍人士在网站进行公示" in text
    assert "全年共派遣20批80人次赴昆山" in text
    assert "全年转运3000余人" in text
    assert "邀请市档案馆副馆长张步东作《档案法》讲座" in text
    assert "全年共开展各类学法活动5次" in text


def test_changing_a_record_changes_the_figure(office, year_2021):
    batches = year_2021["batches"]
    batches.value = 21
    batches.save()
    session = StudySession.objects.create(
        date=datetime.date(2021, 12, 20),
        title="党组理论学习中心组学法12月",
        kind=StudySession.Kind.CENTER_GROUP,
    )
    text = draft_text(office)
    assert "全年共派遣21批80人次" in text
    assert "党组理论学习中心组举办5次学法活动" in text
    session.delete()
    year_2021["notice"].nominees.first().delete()
    text = draft_text(office)
    assert "党组理论学习中心组举办4次学法活动" in text
    assert "称号的6名外籍人士" in text


def test_half_width_punctuation_of_records_becomes_full_width(office, year_2021):
    text = draft_text(office)
    assert "在办公楼层走廊开辟了“法治园地”专栏，作为学法普法阵地" in text
    assert reports.fullwidth_punctuation("中德(常州)创新园,服务") == "中德（常州）创新园，服务"
    assert reports.fullwidth_punctuation("1,000 and APEC(商务)") == "1,000 and APEC（商务）"


def test_a_figure_not_linked_to_its_record_is_reported_to_staff(office, year_2021):
    record = year_2021["transfer"]
    record.narrative = "全年共派遣20批赴昆山参加转运工作"
    record.save()
    draft = reports.generate(organization=office, year=2021)
    assert any("{transfer_batches}" in warning for warning in draft.warnings)


def test_statutory_parts_no_record_fills_stay_with_a_placeholder(office, year_2021):
    draft = reports.generate(organization=office, year=2021)
    by_key = {s.key: s for s in draft.sections}
    for part in ("shortcomings", "responsibility", "other"):
        assert by_key[part].included is True
        assert by_key[part].body == "本年度无相关记录：请补充或说明。"
    text = reports.plain_text(draft.title, draft.sections)
    assert "六、存在的不足和原因\n本年度无相关记录：请补充或说明。" in text
    assert "七、党政主要负责人履行推进法治建设第一责任人职责情况" in text
    assert "八、其他需要报告的情况" in text


def test_an_included_statutory_section_is_numbered_after_the_themes(office, year_2021):
    draft = reports.generate(organization=office, year=2021)
    section = next(s for s in draft.sections if s.key == "shortcomings")
    section.body, section.included = "学法形式还不够丰富。", True
    text = reports.plain_text(draft.title, draft.sections)
    assert "六、存在的不足和原因\n学法形式还不够丰富。" in text


def test_theme_headings_come_from_the_stored_defaults(office, year_2021):
    default = ReportThemeDefault.objects.get(theme="learning")
    default.heading = "强化学法，提升依法行政能力"
    default.save()
    assert "五、强化学法，提升依法行政能力" in draft_text(office)


def test_a_year_without_records_cannot_be_drafted(office, data_entry_user):
    with pytest.raises(reports.NoRecordsError, match="没有2015年度的工作记录"):
        reports.generate(organization=office, year=2015)
    with pytest.raises(ValidationError) as exc:
        services.report_create(year=2015, user=data_entry_user, organization=office)
    assert "没有2015年度的工作记录" in exc.value.messages[0]
    assert not AnnualReport.objects.exists()


def test_a_second_report_for_the_same_year_is_refused(office, year_2021, data_entry_user):
    services.report_create(year=2021, user=data_entry_user, organization=office)
    with pytest.raises(ValidationError, match="已存在"):
        services.report_create(year=2021, user=data_entry_user, organization=office)
    assert AnnualReport.objects.count() == 1


# --- regeneration ----------------------------------------------------------------------


@pytest.fixture
def draft_report(office, year_2021, data_entry_user):
    report, _warnings = services.report_create(year=2021, user=data_entry_user, organization=office)
    complete_parts(report)
    return report


def test_regenerating_updates_unedited_sections_from_the_records(
    draft_report, year_2021, data_entry_user
):
    batches = year_2021["batches"]
    batches.value = 25
    batches.save()
    changes, _warnings = services.report_plan_regeneration(report=draft_report)
    assert [(c.key, c.kind) for c in changes] == [("theme-risk", "update")]
    assert any("25批" in line for line in changes[0].diff if line.startswith("+"))
    services.report_regenerate(report=draft_report, user=data_entry_user)
    risk = draft_report.sections.get(key="theme-risk")
    assert "全年共派遣25批80人次" in risk.body
    assert not risk.is_edited


def test_regenerating_keeps_edited_text_unless_staff_confirm(
    draft_report, year_2021, data_entry_user
):
    risk = draft_report.sections.get(key="theme-risk")
    risk.body = risk.body + "另有补充说明。"
    risk.save()
    batches = year_2021["batches"]
    batches.value = 25
    batches.save()

    changes, _warnings = services.report_plan_regeneration(report=draft_report)
    assert [(c.key, c.kind) for c in changes] == [("theme-risk", "conflict")]
    assert "另有补充说明。" in changes[0].current

    services.report_regenerate(report=draft_report, user=data_entry_user)
    risk.refresh_from_db()
    assert risk.body.endswith("另有补充说明。")
    assert "20批" in risk.body

    services.report_regenerate(report=draft_report, user=data_entry_user, overwrite={"theme-risk"})
    risk.refresh_from_db()
    assert "25批" in risk.body
    assert "另有补充说明。" not in risk.body
    assert draft_report.events.filter(action=ReportEvent.Action.REGENERATE).count() == 2


def test_a_submitted_report_cannot_be_regenerated(draft_report, data_entry_user):
    services.report_submit(report=draft_report, user=data_entry_user)
    with pytest.raises(ValidationError, match="不能重新生成"):
        services.report_regenerate(report=draft_report, user=data_entry_user)


def test_the_draft_keeps_what_was_generated_to_tell_edits_apart(draft_report):
    sections = list(draft_report.sections.all())
    assert [s.key for s in sections][:2] == ["opening", "theme-leadership"]
    # Only the parts staff wrote over the placeholders differ from the generated text.
    edited = {s.key for s in sections if s.is_edited}
    assert edited == {s.key for s in sections if "本年度无相关记录" in s.generated_body}
    assert not ReportSection.objects.filter(report=draft_report, included=False).exists()
