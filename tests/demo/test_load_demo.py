"""`manage.py load_demo` enters every fact of the seed report and is safe to run again."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from core.models import Organization
from demo.loader import seed_report_text
from disclosure.models import DisclosureItem, IndexCounter
from lawbuilding.models import (
    Division,
    InstitutionalDocument,
    LeadingGroup,
    LeadingGroupMember,
    LegalAdviserEngagement,
    LegalService,
    Person,
    PlanSection,
    PlanTask,
    WorkPlan,
    WorkQuantity,
    WorkRecord,
)
from supervision.models import (
    Delegation,
    HonoraryCitizenNotice,
    IntegritySupervisor,
    Nominee,
    Proposal,
)
from trainings.models import Law, StudySession

pytestmark = pytest.mark.django_db

SEED = seed_report_text()


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and model._meta.db_table in tables
    }


def quantity(record_title: str, key: str) -> WorkQuantity:
    return WorkQuantity.objects.get(record__year=2021, record__title=record_title, key=key)


def sessions(**filters):
    return StudySession.objects.filter(date__year=2021, **filters)


def law_titles(session: StudySession) -> set[str]:
    return {law.cited_title for law in session.laws.all()}


def member(group: str, name: str, role: str) -> bool:
    return LeadingGroupMember.objects.filter(
        group__name=group, person__name=name, role=role
    ).exists()


CENTER_GROUP_LAWS = {"中国共产党章程", "保密法", "国家秘密定密管理暂行规定", "优化营商环境条例"}
TRANSFER = "来常境外人员转运工作"
OFFICE_NAME = "常州市人民政府外事办公室"

# Each fact of the seed report, as a description and a check against the database.
FACTS = [
    # Header and the office.
    ("机关全称", lambda: Organization.objects.current().full_name == "常州市人民政府外事办公室"),
    ("简称 市外事办", lambda: Organization.objects.current().short_name == "市外事办"),
    ("组织机构代码 014109568", lambda: Organization.objects.current().org_code == "014109568"),
    ("举报电话 85683342", lambda: Organization.objects.current().hotline == "85683342"),
    (
        "出国来华和行政服务处为职能处室",
        lambda: Division.objects.get(name="出国来华和行政服务处").is_rule_of_law_lead,
    ),
    # 一、党组重视
    (
        "张宇 办党组书记、主任",
        lambda: Person.objects.filter(name="张宇", post="办党组书记、主任").exists(),
    ),
    ("张宇 任依法行政工作领导小组组长", lambda: member("依法行政工作领导小组", "张宇", "leader")),
    (
        "依法行政工作领导小组有分管党组成员",
        lambda: LeadingGroupMember.objects.filter(
            group__name="依法行政工作领导小组", role="in_charge"
        ).exists(),
    ),
    (
        "依法行政工作领导小组有联络员",
        lambda: LeadingGroupMember.objects.filter(
            group__name="依法行政工作领导小组", role="liaison"
        ).exists(),
    ),
    (
        "2021年调整国家安全小组成员",
        lambda: LeadingGroup.objects.get(name="国家安全小组").adjusted_on.year == 2021,
    ),
    (
        "主体责任清单",
        lambda: InstitutionalDocument.objects.filter(
            title="中共常州市人民政府外事办公室党组全面从严治党主体责任清单",
            kind="responsibility_list",
        ).exists(),
    ),
    ("中心组学法 4 次", lambda: sessions(kind="center_group").count() == 4),
    (
        "中心组学法覆盖党章、保密法、定密规定、营商环境条例",
        lambda: (
            set().union(*(law_titles(s) for s in sessions(kind="center_group")))
            == CENTER_GROUP_LAWS
        ),
    ),
    (
        "保密法全称",
        lambda: Law.objects.get(short_title="保密法").title == "中华人民共和国保守国家秘密法",
    ),
    (
        "分管党组成员参加全市第9期专题培训班",
        lambda: sessions(title__contains="第9期", audience__contains="分管").exists(),
    ),
    (
        "市外办承办全省外事系统依法行政专场培训班",
        lambda: sessions(
            title="全省外事系统依法行政专场培训班", location="常州", partners=OFFICE_NAME
        ).exists(),
    ),
    (
        "办主要领导交流发言",
        lambda: WorkRecord.objects.filter(
            theme="leadership", narrative__contains="办主要领导作了交流发言"
        ).exists(),
    ),
    (
        "服务中以常州创新园和中德(常州)创新园",
        lambda: WorkRecord.objects.filter(
            narrative__contains="中以常州创新园和中德(常州)创新园"
        ).exists(),
    ),
    (
        "邀请外籍人士来常进行管理和技术服务",
        lambda: WorkRecord.objects.filter(narrative__contains="邀请外籍人士来常").exists(),
    ),
    # 二、建章立制
    (
        "补短板、强弱项",
        lambda: WorkRecord.objects.filter(
            theme="institutions", narrative__contains="“补短板、强弱项”"
        ).exists(),
    ),
    (
        "法治园地专栏",
        lambda: WorkRecord.objects.filter(
            theme="institutions", narrative__contains="“法治园地”"
        ).exists(),
    ),
    *[
        (
            f"制度文件《{title}》",
            lambda title=title, kind=kind: InstitutionalDocument.objects.filter(
                title=title, kind=kind
            ).exists(),
        )
        for title, kind in [
            ("常州市人民政府外事办公室2021年法治政府工作要点", "key_points"),
            ("常州市人民政府外事办公室2021年度普法工作计划", "legal_education_plan"),
            ("常州市人民政府外事办公室重大行政决策程序实施细则", "procedure"),
            ("常州市人民政府外事办公室法律顾问管理办法", "management_measures"),
            ("党组议事规则", "rules_of_procedure"),
            ("常州市新冠肺炎疫情防控指挥部工作手册", "handbook"),
            ("关于在常外籍人士和港澳人士接种新冠肺炎疫苗的通知", "notice"),
            ("江苏省青年友好使者管理办法", "interpretation"),
        ]
    ],
    (
        "2021年调整政务公开工作领导小组成员",
        lambda: LeadingGroup.objects.get(name="政务公开工作领导小组").adjusted_on.year == 2021,
    ),
    (
        "与天刚律师事务所签订协议",
        lambda: LegalAdviserEngagement.objects.filter(law_firm="天刚律师事务所").exists(),
    ),
    (
        "时轶等 3 位律师为法律顾问",
        lambda: (
            set(
                LegalAdviserEngagement.objects.get(law_firm="天刚律师事务所").lawyers.values_list(
                    "name", flat=True
                )
            )
            >= {"时轶"}
            and LegalAdviserEngagement.objects.get(law_firm="天刚律师事务所").lawyers.count() == 3
        ),
    ),
    (
        "另两位律师为演示数据",
        lambda: Person.objects.filter(unit="天刚律师事务所", is_demo=True).count() == 2,
    ),
    (
        "定期举办法律讲座",
        lambda: LegalService.objects.filter(
            engagement__law_firm="天刚律师事务所", kind="lecture"
        ).exists(),
    ),
    # 三、压实责任
    (
        "新冠肺炎疫情涉外防控专项工作组 2021 年成立",
        lambda: (
            LeadingGroup.objects.get(name="新冠肺炎疫情涉外防控专项工作组").established_on.year
            == 2021
        ),
    ),
    (
        "海外工作专班和转运工作专班组长单位",
        lambda: WorkRecord.objects.filter(
            theme="risk", narrative__contains="海外工作专班和转运工作专班组长单位"
        ).exists(),
    ),
    ("派遣 20 批", lambda: quantity(TRANSFER, "transfer_batches").value == 20),
    ("20 批的单位", lambda: quantity(TRANSFER, "transfer_batches").unit == "批"),
    ("80 人次赴昆山", lambda: quantity(TRANSFER, "transfer_person_times").value == 80),
    (
        "赴昆山",
        lambda: "赴昆山" in WorkRecord.objects.get(year=2021, title=TRANSFER).narrative,
    ),
    ("15 人次值班值守", lambda: quantity(TRANSFER, "duty_person_times").value == 15),
    (
        "全年转运 3000 余人",
        lambda: quantity(TRANSFER, "people_transferred").display_value == "3000余人",
    ),
    (
        "零投诉、零感染、零事故",
        lambda: (
            [quantity(TRANSFER, key).value for key in ("complaints", "infections", "accidents")]
            == [0, 0, 0]
        ),
    ),
    (
        "隔离场所管控、涉外活动管理、邀请外国人来华管理",
        lambda: WorkRecord.objects.filter(
            theme="risk", narrative__contains="强化隔离场所管控、涉外活动管理"
        ).exists(),
    ),
    (
        "观看常州市疫情防控专项培训网络视频",
        lambda: sessions(title__contains="常州市疫情防控专项培训", mode="online").exists(),
    ),
    (
        "与市卫健委联合下发",
        lambda: (
            "卫生健康委员会"
            in InstitutionalDocument.objects.get(
                title="关于在常外籍人士和港澳人士接种新冠肺炎疫苗的通知"
            ).issuer
        ),
    ),
    (
        "近 2000 人接种疫苗",
        lambda: quantity("在常外籍人士和港澳人士接种新冠疫苗", "vaccinated").value == 2000,
    ),
    # 四、强化监督
    (
        "政协第0209号提案及标题",
        lambda: (
            Proposal.objects.get(kind="cppcc", year=2021, number="0209").title
            == "关于加大“荣誉市民”评选力度,助推“五大明星城”建设的建议"
        ),
    ),
    (
        "政协第0303号提案及标题",
        lambda: (
            Proposal.objects.get(kind="cppcc", year=2021, number="0303").title
            == "关于将西太湖国际社区打造成标杆性国际社区的建议"
        ),
    ),
    (
        "两件提案已及时答复",
        lambda: all(p.replied_in_time for p in Proposal.objects.filter(year=2021)),
    ),
    (
        "提案的日期与分类为演示数据",
        lambda: all(p.is_demo for p in Proposal.objects.filter(year=2021)),
    ),
    ("第十八批荣誉市民公示", lambda: HonoraryCitizenNotice.objects.filter(batch=18).exists()),
    ("第十八批 7 名候选人", lambda: Nominee.objects.filter(notice__batch=18).count() == 7),
    (
        "候选人为虚构的演示数据",
        lambda: (
            not Nominee.objects.filter(notice__batch=18, is_demo=False).exists()
            and HonoraryCitizenNotice.objects.get(batch=18).is_demo
        ),
    ),
    (
        "出访团组事中、事后检查",
        lambda: Delegation.objects.filter(
            in_trip_checked_on__isnull=False, post_trip_checked_on__isnull=False
        ).exists(),
    ),
    ("开展行前教育", lambda: Delegation.objects.filter(education_on__isnull=False).exists()),
    (
        "团组符合出访限制",
        lambda: all(d.rule_violations() == [] for d in Delegation.objects.all()),
    ),
    ("行风监督员", lambda: IntegritySupervisor.objects.exists()),
    (
        "发挥行风监督员作用",
        lambda: WorkRecord.objects.filter(
            theme="supervision", narrative__contains="发挥行风监督员作用"
        ).exists(),
    ),
    (
        "深化政务公开",
        lambda: WorkRecord.objects.filter(theme="supervision", title="深化政务公开").exists(),
    ),
    # 五、加强学习
    (
        "张步东 市档案馆副馆长",
        lambda: Person.objects.filter(name="张步东", post="副馆长", unit="常州市档案馆").exists(),
    ),
    (
        "张步东作《档案法》讲座",
        lambda: law_titles(sessions(kind="lecture", speaker_name="张步东").get()) == {"档案法"},
    ),
    (
        "时轶律师作《中华人民共和国民法典》讲座",
        lambda: (
            law_titles(sessions(kind="lecture", speaker_name="时轶").get())
            == {"中华人民共和国民法典"}
        ),
    ),
    ("观看法庭庭审直播", lambda: sessions(kind="court_hearing").exists()),
    (
        "学习《法治政府建设的根本遵循》",
        lambda: sessions(laws__title="法治政府建设的根本遵循").exists(),
    ),
    (
        "法治政府建设的根本遵循为文章",
        lambda: Law.objects.get(title="法治政府建设的根本遵循").kind == "article",
    ),
    ("习近平法治思想网络学习", lambda: sessions(title="习近平法治思想网络学习").exists()),
    (
        "4.15全民国家安全教育日法律知识竞赛",
        lambda: sessions(
            title="4.15全民国家安全教育日法律知识竞赛", date=datetime.date(2021, 4, 15)
        ).exists(),
    ),
    (
        "《中华人民共和国民法典》有奖竞答",
        lambda: sessions(title="《中华人民共和国民法典》有奖竞答", kind="online_quiz").exists(),
    ),
    (
        "“学党章学党史学民法”网上答题",
        lambda: sessions(title__contains="学党章学党史学民法").exists(),
    ),
    (
        "“尊法守法,携手筑梦”网络学法考法活动",
        lambda: sessions(title__contains="尊法守法,携手筑梦").exists(),
    ),
    (
        "宪法宣传月“七个一”活动",
        lambda: law_titles(sessions(title__contains="七个一", kind="publicity").get()) == {"宪法"},
    ),
    (
        "联合省港澳办、南京仲裁委举办法律服务月常州专场",
        lambda: sessions(
            title__contains="江苏省港澳投资企业法律服务月",
            kind="joint_service",
            partners__contains="南京仲裁委员会",
        ).exists(),
    ),
    (
        "解读《关于深化苏港澳多领域合作若干措施》",
        lambda: sessions(laws__title="关于深化苏港澳多领域合作若干措施").exists(),
    ),
    (
        "会审小组成员和行风监督员《国家安全法》《反间谍法》培训",
        lambda: (
            law_titles(sessions(audience__contains="会审小组成员").get())
            == {"国家安全法", "反间谍法"}
        ),
    ),
    # 2022 plan.
    ("2022年工作计划", lambda: WorkPlan.objects.filter(year=2022).count() == 1),
    (
        "2022年计划的总体要求",
        lambda: (
            WorkPlan.objects.get(year=2022).preamble
            == (
                "2022年,市外办以习近平法治思想为指导,深入学习习近平法治思想,全面贯彻落实党中央文件精神,"
                "紧紧围绕常州市“532”发展战略,全力抓好法治政府建设工作。"
            )
        ),
    ),
    ("2022年计划 5 个部分", lambda: PlanSection.objects.filter(plan__year=2022).count() == 5),
    (
        "2022年计划 12 项任务",
        lambda: PlanTask.objects.filter(section__plan__year=2022).count() == 12,
    ),
    (
        "任务编号 1 至 12",
        lambda: (
            list(
                PlanTask.objects.filter(section__plan__year=2022)
                .order_by("number")
                .values_list("number", flat=True)
            )
            == list(range(1, 13))
        ),
    ),
    (
        "每部分的任务",
        lambda: (
            [
                list(section.tasks.order_by("number").values_list("number", flat=True))
                for section in PlanSection.objects.filter(plan__year=2022).order_by("order")
            ]
            == [[1, 2], [3], [4, 5], [6, 7, 8, 9], [10, 11, 12]]
        ),
    ),
    (
        "部分标题与原文一致",
        lambda: (
            [
                f"{'一二三四五'[s.order - 1]}、{s.title}"
                for s in PlanSection.objects.filter(plan__year=2022).order_by("order")
            ]
            == [
                "一、依法全面履行政府职能",
                "二、完善依法行政制度体系",
                "三、推进依法科学民主决策",
                "四、强化行政权力制约监督",
                "五、落实法治政府建设保障",
            ]
        ),
    ),
    (
        "每项任务的内容与原文一致",
        lambda: all(
            f"\n{t.number}.{t.body}\n" in SEED
            for t in PlanTask.objects.filter(section__plan__year=2022)
        ),
    ),
    (
        "任务名称为第一个句号前的短语",
        lambda: (
            PlanTask.objects.get(section__plan__year=2022, number=1).title == "创优营商环境"
            and PlanTask.objects.get(section__plan__year=2022, number=7).title
            == "加强党内监督、人大监督、民主监督"
        ),
    ),
    (
        "第9项任务中的举报电话",
        lambda: "85683342" in PlanTask.objects.get(section__plan__year=2022, number=9).body,
    ),
    # The seed page itself.
    ("索引号计数器 2022 年为 12", lambda: IndexCounter.objects.get(year=2022).last_serial == 12),
]


def test_every_fact_of_the_seed_report_is_in_the_database():
    load_demo()
    missing = []
    for description, check in FACTS:
        try:
            found = check()
        except Exception as error:  # noqa: BLE001 - a missing row is a missing fact
            found = False
            description = f"{description} ({type(error).__name__}: {error})"
        if not found:
            missing.append(description)
    assert missing == []


def test_seed_disclosure_item_has_the_page_header_exactly():
    load_demo()
    item = DisclosureItem.objects.get(index_number="014109568/2022-00012")
    header = {
        "信息名称": item.title,
        "索引号": item.index_number,
        "法定主动公开分类": item.get_category_display(),
        "公开方式": item.get_method_display(),
        "文件编号": item.document_number,
        "发布机构": item.publisher,
        "生成日期": item.generated_on.isoformat(),
        "公开日期": item.published_on.isoformat(),
        "废止日期": item.validity_display,
        "内容概述": item.summary,
    }
    assert header == {
        "信息名称": "常州市人民政府外事办公室2021年度法治政府建设情况报告",
        "索引号": "014109568/2022-00012",
        "法定主动公开分类": "其他",
        "公开方式": "主动公开",
        "文件编号": "",
        "发布机构": "市外事办",
        "生成日期": "2022-03-21",
        "公开日期": "2022-03-22",
        "废止日期": "有效",
        "内容概述": "常州市人民政府外事办公室2021年度法治政府建设情况报告",
    }
    assert item.repealed_on is None
    assert (item.index_year, item.index_serial) == (2022, 12)


def test_seed_disclosure_body_is_the_report_text():
    load_demo()
    body = DisclosureItem.objects.get(index_number="014109568/2022-00012").body
    assert body.startswith("2021年,在办党组的领导下,市外办认真贯彻落实习近平法治思想")
    assert "全年共派遣20批80人次赴昆山" in body
    assert body.endswith("(此件公开发布)")


def test_loading_twice_leaves_every_row_count_unchanged():
    load_demo()
    first = row_counts()
    load_demo()
    assert row_counts() == first


def test_loading_twice_writes_no_new_history():
    load_demo()
    history_before = WorkRecord.history.count() + StudySession.history.count()
    load_demo()
    assert WorkRecord.history.count() + StudySession.history.count() == history_before


def test_load_demo_restores_a_changed_fact():
    load_demo()
    record = quantity(TRANSFER, "transfer_batches")
    record.value = Decimal("19")
    record.save()
    load_demo()
    assert quantity(TRANSFER, "transfer_batches").value == 20


def test_load_demo_creates_one_user_per_role_and_prints_passwords_once():
    output = load_demo()
    for username, group in [
        ("luru", "录入员"),
        ("shenhe", "审核人"),
        ("lingdao", "领导"),
        ("admin", "管理员"),
    ]:
        user = User.objects.get(username=username)
        assert user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert f"已创建用户 {username}" in output
    password_line = next(line for line in output.splitlines() if "luru" in line)
    password = password_line.rsplit("：", 1)[1]
    assert User.objects.get(username="luru").check_password(password)


def test_second_run_leaves_existing_users_and_their_passwords_alone():
    load_demo()
    user = User.objects.get(username="shenhe")
    user.set_password("Changed-Passw0rd!")
    user.save()
    output = load_demo()
    assert "用户 shenhe（审核人）已存在" in output
    assert "初始密码" not in output
    assert User.objects.get(username="shenhe").check_password("Changed-Passw0rd!")


def test_demo_data_entry_user_holds_the_data_entry_permissions():
    load_demo()
    luru = User.objects.get(username="luru")
    assert luru.has_perm("trainings.add_studysession")
    assert not luru.has_perm("disclosure.delete_disclosureitem")
    assert User.objects.get(username="admin").is_superuser


def test_invented_records_are_marked_as_demo():
    load_demo()
    assert Person.objects.get(name="时轶").is_demo is False
    assert Person.objects.get(name="张宇").is_demo is False
    assert all(d.is_demo for d in Delegation.objects.all())
    assert all(s.is_demo for s in IntegritySupervisor.objects.all())


def test_seed_copy_in_the_repository_is_the_published_report():
    assert SEED.startswith("2021年,在办党组的领导下")
    assert "政协第0209号提案《关于加大“荣誉市民”评选力度,助推“五大明星城”建设的建议》" in SEED


def test_dumpdata_serialises_every_model_of_the_demo():
    """`manage.py dumpdata` reads every model's table (inspections and migrations between
    servers use it); a model without a table made it fail."""
    import json

    load_demo()
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    labels = {row["model"] for row in json.loads(out.getvalue())}
    assert {"core.organization", "disclosure.disclosureitem", "lawbuilding.annualreport"} <= labels
