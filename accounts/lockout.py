"""Sign-in lockout per account and address, and per account across addresses.

django-axes counts failures under each criterion of AXES_LOCKOUT_PARAMETERS but compares
them all with one limit. Guessing one password from many addresses must also stop
(《网络安全等级保护基本要求》 GB/T 22239-2019, 8.1.4.1: login failure handling), while an
attacker must not be able to lock a real user out for long with a few wrong passwords: so
five failures lock the pair (account, address), and a higher number (FAO_ACCOUNT_FAILURE_LIMIT,
20) locks the account from every address, both for the same cool-off (AXES_COOLOFF_TIME).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def failure_counts(handler, request, credentials=None) -> tuple[int, int]:
    """(failures of this account from this address, failures of this account anywhere),
    within the cool-off."""
    by_pair, by_account = handler.get_user_attempts(request, credentials)
    return _failures(by_pair), _failures(by_account)


class PortalLockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        pair, account = failure_counts(self, request, credentials)
        return pair >= settings.AXES_FAILURE_LIMIT or account >= settings.FAO_ACCOUNT_FAILURE_LIMIT

    def get_failures(self, request, credentials=None) -> int:
        # The number shown and logged: the pair's count (the per-address rule).
        return failure_counts(self, request, credentials)[0]
