"""The reply letter (政府信息公开申请答复告知书) as a GB/T 9704-2012 PDF: the decision in the
words of 《政府信息公开条例》第三十六条, its legal basis, and the remedies — administrative review
within 60 days (《行政复议法》) or a lawsuit within 6 months (《行政诉讼法》第四十六条).
The letter goes to the applicant, so it names them; it is served to handlers only."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from applications.models import InformationRequest, Outcome, outcome_category
from core.pdf import FONT_STACKS, html_to_pdf

OFFICE = "常州市人民政府外事办公室"
REVIEW_BODY = "常州市人民政府"


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def decision_paragraph(req: InformationRequest) -> str:
    category = outcome_category(req.outcome)
    reason = str(Outcome(req.outcome).label).split("：", 1)[-1]
    if category == "disclose":
        return gettext(
            "经审查，您申请获取的政府信息属于公开范围，本机关予以公开，现将有关信息提供给您。"
        )
    if category == "partial":
        return gettext(
            "经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，"
            "但能够作区分处理，本机关向您提供可以公开的部分。"
        )
    if category == "withhold":
        return gettext(
            "经审查，您申请获取的政府信息属于不予公开的情形（%(reason)s），本机关不予公开。"
        ) % {"reason": reason}
    if category == "unavailable":
        return gettext("经检索，本机关无法提供您申请获取的政府信息（%(reason)s）。") % {
            "reason": reason
        }
    if category == "not_processed":
        return gettext("经审查，您的申请属于“%(reason)s”情形，本机关不予处理。") % {
            "reason": reason
        }
    return gettext("%(reason)s。") % {"reason": reason}


def letter_context(req: InformationRequest) -> dict:
    received = req.correction_received_on or req.received_on
    return {
        "title": gettext("政府信息公开申请答复告知书"),
        "number": req.tracking_code,
        "addressee": req.applicant_name,
        "opening": gettext(
            "本机关于%(date)s收到您提出的政府信息公开申请（查询码 %(code)s），"
            "申请获取“%(description)s”。现答复如下："
        )
        % {
            "date": chinese_date(received),
            "code": req.tracking_code,
            "description": req.description.strip(),
        },
        "decision": decision_paragraph(req),
        "basis": gettext("法律依据和理由：%(basis)s") % {"basis": req.decision_basis.strip()},
        "remedies": gettext(
            "如对本答复不服，可以在收到本告知书之日起六十日内向%(body)s申请行政复议，"
            "或者在六个月内向人民法院提起行政诉讼。"
        )
        % {"body": REVIEW_BODY},
        "office": OFFICE,
        "date": chinese_date(req.reply_letter_on or req.decided_on),
    }


def reply_letter_html(req: InformationRequest) -> str:
    with translation.override("zh-hans"):
        return render_to_string(
            "applications/reply_letter.html", {**letter_context(req), "fonts": FONT_STACKS}
        )


def reply_letter_pdf(req: InformationRequest) -> bytes:
    if not req.outcome or not req.decided_on:
        raise ValueError("no decision yet")
    with translation.override("zh-hans"):
        title = gettext("政府信息公开申请答复告知书")
    return html_to_pdf(reply_letter_html(req), title=title, author=OFFICE)
