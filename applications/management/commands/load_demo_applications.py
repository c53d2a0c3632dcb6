"""`manage.py load_demo_applications`: a handful of applications for disclosure around 2022,
in different states and outcomes, flagged as demo data, so that the 2022 disclosure work
report has non-empty tables. Every record goes through the step functions, as real handling
does, by the first users of the 录入员 and 审核人 roles (`load_demo` creates them).
Idempotent: nothing happens once demo applications exist."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import DATA_ENTRY, REVIEWER
from applications import services
from applications.models import ApplicantType, Consultation, InformationRequest, Outcome, Remedy
from applications.statistics import request_table_for_year

D = datetime.date
Channel = InformationRequest.Channel


def _applicant(kind: str, n: int) -> dict:
    organisation = kind != ApplicantType.NATURAL_PERSON
    return {
        "applicant_type": kind,
        "applicant_name": f"演示申请单位{n}" if organisation else f"演示申请人{n}",
        "id_document": "统一社会信用代码 91320400MA00000000"
        if organisation
        else "居民身份证 3204001990010100XX",
        "contact_person": "演示联系人" if organisation else "",
        "phone": "0519-00000000",
        "email": "",
        "address": "常州市（演示地址）",
        "delivery_form": InformationRequest.DeliveryForm.PAPER_POST,
    }


class Command(BaseCommand):
    help = "载入演示用的政府信息公开申请（2022年前后，标记为演示数据）。"

    def handle(self, *args, **options):
        if InformationRequest.objects.filter(is_demo=True).exists():
            self.stdout.write("演示申请已存在，未改动。")
            return
        users = get_user_model().objects.filter(is_active=True)
        clerk = users.filter(groups__name=DATA_ENTRY).order_by("pk").first()
        reviewer = users.filter(groups__name=REVIEWER).order_by("pk").first()
        if clerk is None or reviewer is None:
            raise CommandError("需要录入员和审核人各一名，请先运行 manage.py load_demo。")
        with transaction.atomic():
            count = self._load(clerk, reviewer)
        table = request_table_for_year(2022)
        self.stdout.write(f"已载入演示申请 {count} 件；2022 年勾稽检查：")
        self.stdout.write("通过" if not table.check() else "；".join(table.check_messages()))

    def _register(self, n, kind, received, description, clerk, channel=Channel.POST):
        req = services.register(
            user=clerk,
            data={**_applicant(kind, n), "description": description},
            channel=channel,
            received_on=received,
        )
        InformationRequest.objects.filter(pk=req.pk).update(is_demo=True)
        req.is_demo = True
        return req

    def _answer(self, req, outcome, on, clerk, reviewer, basis, *, close=True):
        services.decide(req, user=reviewer, outcome=outcome, basis=basis, on=on)
        services.record_reply_letter(req, user=clerk, on=on)
        if close:
            # The reply is released only after its secrecy review (第十七条).
            services.record_reply_secrecy_review(req, user=reviewer)
            services.deliver(req, user=clerk, on=on + datetime.timedelta(days=3))
            services.close(req, user=clerk, on=on + datetime.timedelta(days=3))

    def _load(self, clerk, reviewer) -> int:
        n = 0

        def nxt():
            nonlocal n
            n += 1
            return n

        # Received in late 2021, answered in January 2022 (上年结转).
        req = self._register(
            nxt(),
            ApplicantType.NATURAL_PERSON,
            D(2021, 12, 27),
            "2021年外国人来华邀请函办理数量",
            clerk,
        )
        self._answer(
            req,
            Outcome.DISCLOSED,
            D(2022, 1, 14),
            clerk,
            reviewer,
            "《政府信息公开条例》第三十六条第二项",
        )
        # Answered in time.
        req = self._register(
            nxt(),
            ApplicantType.BUSINESS,
            D(2022, 3, 8),
            "2021年因公出国（境）审批办理流程",
            clerk,
            Channel.ONLINE,
        )
        self._answer(req, Outcome.PARTIAL, D(2022, 3, 30), clerk, reviewer, "第三十七条：区分处理")
        # 补正, then answered.
        req = self._register(
            nxt(), ApplicantType.NATURAL_PERSON, D(2022, 4, 11), "外事方面的文件", clerk
        )
        services.request_correction(
            req,
            user=clerk,
            on=D(2022, 4, 13),
            items="请写明文件名称、文号或年份。",
            due_on=D(2022, 4, 27),
        )
        services.receive_correction(req, user=clerk, on=D(2022, 4, 20))
        self._answer(
            req, Outcome.UNAVAILABLE_NOT_HELD, D(2022, 5, 10), clerk, reviewer, "第三十六条第四项"
        )
        # Third-party consultation, then withheld; an administrative review upheld it.
        req = self._register(
            nxt(), ApplicantType.RESEARCH, D(2022, 6, 6), "某外资企业荣誉市民推荐材料", clerk
        )
        consultation = services.start_consultation(
            req,
            user=clerk,
            kind=Consultation.Kind.THIRD_PARTY,
            party="演示第三方企业",
            on=D(2022, 6, 8),
        )
        services.end_consultation(consultation, user=clerk, on=D(2022, 6, 20), opinion="不同意公开")
        self._answer(
            req,
            Outcome.WITHHELD_THIRD_PARTY,
            D(2022, 7, 15),
            clerk,
            reviewer,
            "第十五条、第三十二条",
        )
        services.record_remedy(
            req,
            user=clerk,
            kind=Remedy.Kind.REVIEW,
            filed_on=D(2022, 8, 20),
            body="常州市人民政府",
            result=Remedy.Result.UPHELD,
            concluded_on=D(2022, 10, 15),
        )
        # Extended.
        req = self._register(
            nxt(),
            ApplicantType.LEGAL_SERVICE,
            D(2022, 8, 1),
            "2017年至2021年涉外法律服务备案情况",
            clerk,
        )
        services.request_extension(
            req, user=clerk, days=20, reason="需检索多年档案", on=D(2022, 8, 22)
        )
        services.approve_extension(
            req, user=reviewer, on=D(2022, 8, 23), notified_on=D(2022, 8, 23)
        )
        self._answer(req, Outcome.DISCLOSED, D(2022, 9, 20), clerk, reviewer, "第三十六条第二项")
        # Repeated application.
        req = self._register(
            nxt(),
            ApplicantType.NATURAL_PERSON,
            D(2022, 9, 5),
            "2021年外国人来华邀请函办理数量",
            clerk,
        )
        self._answer(
            req, Outcome.NOT_PROCESSED_REPEATED, D(2022, 9, 9), clerk, reviewer, "第三十六条第六项"
        )
        # 补正 never came.
        req = self._register(
            nxt(), ApplicantType.NATURAL_PERSON, D(2022, 10, 10), "有关材料", clerk
        )
        services.request_correction(
            req,
            user=clerk,
            on=D(2022, 10, 12),
            items="请写明所需信息的内容描述。",
            due_on=D(2022, 10, 26),
        )
        self._answer(
            req,
            Outcome.OTHER_NO_CORRECTION,
            D(2022, 11, 15),
            clerk,
            reviewer,
            "第三十条：逾期未补正视为放弃申请",
        )
        # Received at the end of 2022, answered in 2023 (结转下年度).
        req = self._register(
            nxt(),
            ApplicantType.PUBLIC_WELFARE,
            D(2022, 12, 26),
            "2022年友好城市交流项目清单",
            clerk,
        )
        self._answer(req, Outcome.DISCLOSED, D(2023, 1, 12), clerk, reviewer, "第三十六条第二项")
        # Still open (the list's 办理中).
        self._register(
            nxt(),
            ApplicantType.OTHER_ORGANIZATION,
            D(2022, 12, 29),
            "2022年外事接待经费情况",
            clerk,
        )
        return n
