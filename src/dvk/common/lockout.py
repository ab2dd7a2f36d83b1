"""Sign-in lockout (django-axes) counted per account+address and per address alone.

settings.AXES_LOCKOUT_PARAMETERS lists [["username", "ip_address"], "ip_address"]: one
password tried across many usernames from one address is counted too. django-axes compares
the largest of those counts with one limit (AXES_FAILURE_LIMIT, 5); an office behind one
address would then be locked out by five typos of five colleagues. This handler lets the
address alone have a higher limit (DVK_LOCKOUT_IP_FAILURE_LIMIT, 30) by scaling its count
to the account's limit before axes compares: floor(n × 5 / 30) reaches 5 exactly when n
reaches 30.

A successful sign-in clears the failures of that account from that address only, never
the address's own count: otherwise an attacker holding one valid account could reset the
address's count between guesses at other accounts.
"""
from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings


def _limit_of(parameter) -> int | None:
    """The failure limit of one lockout parameter set; None: axes's own (the account's)."""
    if parameter == "ip_address" or parameter == ["ip_address"]:
        return getattr(settings, "DVK_LOCKOUT_IP_FAILURE_LIMIT", None)
    return None


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        base = settings.AXES_FAILURE_LIMIT
        counts = []
        for parameter, attempts in zip(get_lockout_parameters(request, credentials),
                                       self.get_user_attempts(request, credentials)):
            n = sum(attempts.values_list("failures_since_start", flat=True))
            limit = _limit_of(parameter)
            counts.append(n * base // limit if limit and isinstance(base, int) else n)
        return max(counts, default=0)

    def reset_user_attempts(self, request, credentials=None) -> int:
        count = 0
        for parameter, attempts in zip(get_lockout_parameters(request, credentials),
                                       self.filter_user_attempts(request, credentials)):
            if _limit_of(parameter) is None:
                count += attempts.delete()[0]
        return count
