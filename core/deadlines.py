"""A statutory deadline and how it stands, shown the same way by the report page and the
dashboard: days left, days overdue, met on time or met late."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass
class Deadline:
    label: str | Promise
    due_on: datetime.date
    done_on: datetime.date | None
    today: datetime.date
    url: str | None = None

    @property
    def met(self) -> bool:
        """Done, on time or late (`days_late` tells which)."""
        return self.done_on is not None

    @property
    def days_left(self) -> int:
        """Days from today to the deadline (negative once it has passed)."""
        return (self.due_on - self.today).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def days_late(self) -> int:
        """Days a completed step came after its date (0 when on time)."""
        return max(0, (self.done_on - self.due_on).days) if self.done_on else 0

    @property
    def is_overdue(self) -> bool:
        if self.done_on:
            return self.done_on > self.due_on
        return self.today > self.due_on

    def __str__(self) -> str:
        values = {"label": self.label, "due": self.due_on.isoformat()}
        if self.done_on:
            values["done"] = self.done_on.isoformat()
            if self.done_on > self.due_on:
                values["n"] = self.days_late
                return _("%(label)s期限 %(due)s：已于 %(done)s 完成（逾期 %(n)s 天）") % values
            return _("%(label)s期限 %(due)s：已于 %(done)s 按时完成") % values
        if self.days_left >= 0:
            values["n"] = self.days_left
            return _("%(label)s期限 %(due)s：剩余 %(n)s 天") % values
        values["n"] = self.days_overdue
        return _("%(label)s期限 %(due)s：已逾期 %(n)s 天") % values
