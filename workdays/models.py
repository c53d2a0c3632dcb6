"""The working-day calendar: each year's holiday schedule as published by the State Council.

Only days that differ from the Monday-to-Friday rule are stored: a public holiday falling on a
weekday, and a weekend day made a working day (调休). A year is known once it has a
`CalendarYear` row; dates in years without one are refused by the deadline computations.
Administrators add next year's schedule when it is published.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarYear(models.Model):
    class Source(models.TextChoices):
        PACKAGE = "package", _("由 chinese_calendar 数据导入")
        MANUAL = "manual", _("人工录入")

    year = models.PositiveSmallIntegerField(
        _("年度"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    source = models.CharField(
        _("来源"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    announcement = models.CharField(
        _("国务院通知"),
        max_length=200,
        blank=True,
        help_text=_("如：国务院办公厅关于2025年部分节假日安排的通知。"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(year)s 年节假日安排") % {"year": self.year}


class SpecialDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（工作日放假）")
        WORKDAY = "workday", _("调休上班（周末上班）")

    calendar_year = models.ForeignKey(
        CalendarYear,
        on_delete=models.CASCADE,
        related_name="days",
        verbose_name=_("年度节假日安排"),
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日名称"), max_length=50, help_text=_("如：国庆节。"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日或调休日")
        verbose_name_plural = _("节假日或调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}（{self.get_kind_display()}）"

    @property
    def year(self) -> int:
        return self.date.year

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.date, datetime.date):
            return
        if self.calendar_year_id and self.calendar_year.year != self.date.year:
            raise ValidationError(
                {"date": _("日期应在 %(year)s 年内。") % {"year": self.calendar_year.year}}
            )
        weekend = self.date.weekday() >= 5
        if self.kind == self.Kind.HOLIDAY and weekend:
            raise ValidationError({"kind": _("周末本就不是工作日，只需录入落在周一至周五的假日。")})
        if self.kind == self.Kind.WORKDAY and not weekend:
            raise ValidationError({"kind": _("调休上班日应是周六或周日。")})
