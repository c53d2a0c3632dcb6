"""The tables 三 and 四 of the annual disclosure work report (政府信息公开工作年度报告), in the
national format (《中华人民共和国政府信息公开条例》第五十条), computed from the records of a year.

Table 三 counts applications per applicant column and result row:
- 一、本年新收: received (第三十一条) during the year;
- 二、上年结转: received before the year and not yet answered when it began;
- 三、本年度办理结果: answered during the year, one row per result and sub-reason, and
  the total (七);
- 四、结转下年度继续办理: not answered by the end of the year.
Its check (勾稽关系): 一 + 二 = 三（七）+ 四 in every column. The figures are pure functions of
the applications passed in; `check()` also catches figures edited by hand afterwards.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import (
    OUTCOME_CATEGORIES,
    ApplicantType,
    InformationRequest,
    Outcome,
    Remedy,
    outcome_category,
)

NATURAL = ApplicantType.NATURAL_PERSON.value
ORGANIZATIONS = tuple(t.value for t in ApplicantType if t != ApplicantType.NATURAL_PERSON)
TOTAL = "total"
COLUMNS = (NATURAL, *ORGANIZATIONS, TOTAL)
COLUMN_LABELS = {
    **{t.value: t.label for t in ApplicantType},
    TOTAL: _("总计"),
}
ORGANIZATION_GROUP_LABEL = _("法人或其他组织")

NEW, CARRIED_IN, RESULT_TOTAL, CARRIED_OUT = "new", "carried_in", "result_total", "carried_out"
ROW_LABELS = {
    NEW: _("一、本年新收政府信息公开申请数量"),
    CARRIED_IN: _("二、上年结转政府信息公开申请数量"),
    RESULT_TOTAL: _("（七）总计"),
    CARRIED_OUT: _("四、结转下年度继续办理"),
}


def _empty() -> dict[str, int]:
    return dict.fromkeys(COLUMNS, 0)


@dataclass
class RequestTable:
    """Table 三: `rows[row][column]`, rows being NEW, CARRIED_IN, every Outcome code,
    RESULT_TOTAL and CARRIED_OUT."""

    year: int
    rows: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, row: str, column: str, n: int = 1) -> None:
        cells = self.rows.setdefault(row, _empty())
        cells[column] += n
        cells[TOTAL] += n

    def cell(self, row: str, column: str) -> int:
        return self.rows.get(row, _empty())[column]

    def check(self) -> list[str]:
        """Columns where 一 + 二 ≠ 三（七）+ 四, or where （七） is not the sum of the result
        rows; empty when the table is consistent."""
        failures = []
        for column in COLUMNS:
            received = self.cell(NEW, column) + self.cell(CARRIED_IN, column)
            results = sum(self.cell(code, column) for code in Outcome.values)
            handled = self.cell(RESULT_TOTAL, column) + self.cell(CARRIED_OUT, column)
            if received != handled or results != self.cell(RESULT_TOTAL, column):
                failures.append(column)
        return failures

    def check_messages(self) -> list[str]:
        return [
            str(
                gettext(
                    "“%(column)s”列：新收 %(new)s + 上年结转 %(carried)s ≠ "
                    "办理结果总计 %(total)s + 结转下年度 %(out)s"
                )
                % {
                    "column": COLUMN_LABELS[column],
                    "new": self.cell(NEW, column),
                    "carried": self.cell(CARRIED_IN, column),
                    "total": self.cell(RESULT_TOTAL, column),
                    "out": self.cell(CARRIED_OUT, column),
                }
            )
            for column in self.check()
        ]

    def require_consistent(self) -> None:
        """Refuse (ValidationError) a table whose check fails: the report that carries it may
        not be submitted (国办公开办函〔2021〕30号, 勾稽关系)."""
        messages = self.check_messages()
        if messages:
            raise ValidationError(
                [gettext("政府信息公开申请情况表勾稽关系不成立，不能提交：")] + messages,
                code="table_inconsistent",
            )

    def category_total(self, category: str, column: str) -> int:
        return sum(
            self.cell(code, column) for code in Outcome.values if outcome_category(code) == category
        )

    def labelled_rows(self) -> list[tuple[str, list[int]]]:
        """(label, figures per column) in the national order, for rendering."""
        out = [(str(ROW_LABELS[NEW]), self._figures(NEW))]
        out.append((str(ROW_LABELS[CARRIED_IN]), self._figures(CARRIED_IN)))
        out.append((str(_("三、本年度办理结果")), []))
        for category, label in OUTCOME_CATEGORIES:
            codes = [c for c in Outcome.values if outcome_category(c) == category]
            if len(codes) == 1:
                out.append((str(label), self._figures(codes[0])))
                continue
            out.append((str(label), []))
            for number, code in enumerate(codes, start=1):
                reason = str(Outcome(code).label).split("：", 1)[-1]
                out.append((f"{number}.{reason}", self._figures(code)))
        out.append((str(ROW_LABELS[RESULT_TOTAL]), self._figures(RESULT_TOTAL)))
        out.append((str(ROW_LABELS[CARRIED_OUT]), self._figures(CARRIED_OUT)))
        return out

    def _figures(self, row: str) -> list[int]:
        return [self.cell(row, column) for column in COLUMNS]


def request_table(year: int, requests: Iterable[InformationRequest]) -> RequestTable:
    """Table 三 from applications (any iterable: a queryset or built objects). Applications not
    yet received (online, unconfirmed) count nowhere."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    table = RequestTable(year)
    for row in (NEW, CARRIED_IN, *Outcome.values, RESULT_TOTAL, CARRIED_OUT):
        table.rows[row] = _empty()
    for req in requests:
        received = req.received_on
        if received is None or received > end:
            continue
        decided = req.decided_on if req.outcome else None
        if decided is not None and decided < start:
            continue  # answered in an earlier year
        column = req.applicant_type
        table.add(NEW if received >= start else CARRIED_IN, column)
        if decided is not None and decided <= end:
            table.add(req.outcome, column)
            table.add(RESULT_TOTAL, column)
        else:
            table.add(CARRIED_OUT, column)
    return table


def request_table_for_year(year: int) -> RequestTable:
    return request_table(
        year,
        InformationRequest.objects.filter(received_on__lte=datetime.date(year, 12, 31)).only(
            "received_on", "decided_on", "outcome", "applicant_type"
        ),
    )


REMEDY_COLUMNS = (*Remedy.Result.values, TOTAL)


def remedy_table(year: int, remedies: Iterable[Remedy]) -> dict[str, dict[str, int]]:
    """Table 四: reviews and lawsuits filed during the year, per kind × result
    (结果维持 · 结果纠正 · 其他结果 · 尚未审结 · 总计); a case concluded only after the end of the
    year counts as 尚未审结."""
    end = datetime.date(year, 12, 31)
    table = {kind: dict.fromkeys(REMEDY_COLUMNS, 0) for kind in Remedy.Kind.values}
    for remedy in remedies:
        if remedy.filed_on.year != year:
            continue
        result = remedy.result
        if remedy.concluded_on is not None and remedy.concluded_on > end:
            result = Remedy.Result.PENDING
        table[remedy.kind][result] += 1
        table[remedy.kind][TOTAL] += 1
    return table


def remedy_row(table: dict[str, dict[str, int]]) -> list[int]:
    """Table 四 as its one row of 15 figures: review, direct lawsuit, lawsuit after review."""
    return [
        table[kind][column]
        for kind in (
            Remedy.Kind.REVIEW,
            Remedy.Kind.LAWSUIT_DIRECT,
            Remedy.Kind.LAWSUIT_AFTER_REVIEW,
        )
        for column in REMEDY_COLUMNS
    ]


def tables_for_year(year: int) -> dict:
    """The context of applications/_request_tables.html for a year."""
    return {
        "table": request_table_for_year(year),
        "column_labels": [str(COLUMN_LABELS[c]) for c in COLUMNS],
        "remedy_row": remedy_row(remedy_table(year, Remedy.objects.filter(filed_on__year=year))),
    }
