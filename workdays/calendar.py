"""Working days under the State Council's yearly holiday schedule, as pure functions.

A working day is Monday to Friday, except the public holidays of the year's schedule, plus
the weekend days the schedule makes working days (调休). The schedule is published each year
(usually in November or December for the next year); a year that is not in the calendar is
refused rather than guessed, because counting it by weekdays alone gives wrong deadlines.

Deadlines of applications for disclosure (《政府信息公开条例》第三十三条) count working days
and do not count the day of receipt; `add_working_days` follows that rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

ONE_DAY = datetime.timedelta(days=1)


class UnknownYear(ValueError):
    """A date falls in a year whose holiday schedule is not in the calendar."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _("工作日历中没有 %(year)s 年的节假日安排，请管理员先录入国务院公布的当年安排。")
            % {"year": year}
        )


@dataclass(frozen=True)
class WorkingCalendar:
    """The schedule: holidays falling on weekdays, weekend make-up working days, and the
    years the schedule covers."""

    years: frozenset[int]
    holidays: frozenset[datetime.date] = field(default_factory=frozenset)
    workdays: frozenset[datetime.date] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls,
        years: Iterable[int],
        holidays: Iterable[datetime.date] = (),
        workdays: Iterable[datetime.date] = (),
    ) -> WorkingCalendar:
        return cls(frozenset(years), frozenset(holidays), frozenset(workdays))

    def check_year(self, day: datetime.date) -> None:
        if day.year not in self.years:
            raise UnknownYear(day.year)

    def is_working_day(self, day: datetime.date) -> bool:
        self.check_year(day)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def working_days_between(self, after: datetime.date, until: datetime.date) -> int:
        """Working days d with after < d <= until (0 when until <= after)."""
        count, day = 0, after + ONE_DAY
        while day <= until:
            if self.is_working_day(day):
                count += 1
            day += ONE_DAY
        return count


def add_working_days(
    start: datetime.date,
    n: int,
    calendar: WorkingCalendar,
    *,
    paused: Iterable[tuple[datetime.date, datetime.date]] = (),
) -> datetime.date:
    """The n-th working day after `start` (the start day itself is not counted).

    `paused` lists intervals (first, last) whose working days do not count, both ends
    included. n = 0 returns `start`. Raises UnknownYear when the count reaches a year the
    calendar does not cover.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    paused = list(paused)
    day, left = start, n
    while left > 0:
        day += ONE_DAY
        if not calendar.is_working_day(day):
            continue
        if any(first <= day <= last for first, last in paused):
            continue
        left -= 1
    return day


@dataclass(frozen=True)
class Step:
    """One line of a deadline's explanation."""

    label: str
    detail: str
    on: datetime.date | None = None


@dataclass(frozen=True)
class Pause:
    """An interval the answer period does not run (a consultation, 《条例》第三十二条)."""

    label: str
    first: datetime.date
    last: datetime.date | None  # None: still running


@dataclass(frozen=True)
class Deadline:
    """A computed answer deadline and how it was reached."""

    due_on: datetime.date | None
    start: datetime.date | None
    steps: tuple[Step, ...]
    base_days: int
    extension_days: int = 0
    paused_working_days: int = 0
    suspended: bool = False
    reason_unavailable: str = ""

    @property
    def text(self) -> str:
        return "\n".join(
            f"{step.on.isoformat() + ' ' if step.on else ''}{step.label}：{step.detail}"
            for step in self.steps
        )


def compute_deadline(
    calendar: WorkingCalendar,
    *,
    received_on: datetime.date | None,
    base_days: int = 20,
    correction_requested_on: datetime.date | None = None,
    correction_received_on: datetime.date | None = None,
    pauses: Iterable[Pause] = (),
    extension_days: int = 0,
) -> Deadline:
    """The answer deadline of an application (《政府信息公开条例》第三十条、第三十二条、第三十三条).

    - the period is `base_days` working days (20, art. 33) from the day after receipt;
    - after a 补正 notice the period runs from receipt of the completed application (art. 30):
      until it arrives there is no deadline;
    - working days of a consultation with a third party or another agency (art. 32) do not
      count, from the day after the consultation starts to the day it ends; while it runs the
      deadline is suspended;
    - an approved extension adds at most 20 working days (art. 33).
    """
    steps: list[Step] = []
    if received_on is None:
        return Deadline(
            None, None, (), base_days, reason_unavailable=_("尚未确认收到申请，期限未起算。")
        )
    steps.append(
        Step(
            _("收到申请"),
            _("收到之日不计入，自次日起计算工作日（第三十一条、第三十三条）。"),
            received_on,
        )
    )
    start = received_on
    if correction_requested_on is not None:
        steps.append(
            Step(
                _("发出补正通知"),
                _("答复期限自收到补正后的申请之日起重新计算（第三十条）。"),
                correction_requested_on,
            )
        )
        if correction_received_on is None:
            return Deadline(
                None,
                None,
                tuple(steps),
                base_days,
                suspended=True,
                reason_unavailable=_("等待申请人补正，期限暂停。"),
            )
        start = correction_received_on
        steps.append(Step(_("收到补正申请"), _("自次日起重新计算。"), correction_received_on))
    intervals: list[tuple[datetime.date, datetime.date]] = []
    paused_days = 0
    for pause in sorted(pauses, key=lambda p: p.first):
        if pause.last is None:
            steps.append(
                Step(
                    pause.label,
                    _("征求意见期间不计入答复期限（第三十二条），尚未结束。"),
                    pause.first,
                )
            )
            return Deadline(
                None,
                start,
                tuple(steps),
                base_days,
                extension_days,
                suspended=True,
                reason_unavailable=_("征求意见中，期限暂停。"),
            )
        first = pause.first + ONE_DAY
        days = calendar.working_days_between(pause.first, pause.last)
        intervals.append((first, pause.last))
        paused_days += days
        steps.append(
            Step(
                pause.label,
                _("%(first)s 至 %(last)s 征求意见，其中 %(days)s 个工作日不计入（第三十二条）。")
                % {"first": first.isoformat(), "last": pause.last.isoformat(), "days": days},
                pause.first,
            )
        )
    base_due = add_working_days(start, base_days, calendar, paused=intervals)
    steps.append(
        Step(
            _("答复期限"),
            _("%(days)s 个工作日（第三十三条第一款）。") % {"days": base_days},
            base_due,
        )
    )
    due = base_due
    if extension_days:
        due = add_working_days(base_due, extension_days, calendar, paused=intervals)
        steps.append(
            Step(
                _("延长答复期限"),
                _("经批准延长 %(days)s 个工作日（第三十三条第二款）。") % {"days": extension_days},
                due,
            )
        )
    return Deadline(due, start, tuple(steps), base_days, extension_days, paused_days)
