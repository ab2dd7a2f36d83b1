"""Fixtures for statistics and documents: the demo's decided phase and counting helpers
written independently of dvk.reports.summary (plain ORM filters on unit codes)."""
import pytest


@pytest.fixture
def phase(db):
    from dvk.phases.models import Phase

    return Phase.objects.get(code="2016-2020")


@pytest.fixture
def orm_counts(phase):
    """orm_counts(level, code_prefix=None, **filters) → (registered, recognized, exceptional)
    for registrations whose unit code is `code_prefix` or starts with `code_prefix-`."""
    from django.db.models import Q

    from dvk.initiatives.enums import REGISTERED, State
    from dvk.initiatives.models import Registration

    def count(level, code_prefix=None, **filters):
        qs = Registration.objects.filter(phase=phase, level=level, state__in=REGISTERED,
                                         **filters)
        if code_prefix:
            qs = qs.filter(Q(unit__code=code_prefix) | Q(unit__code__startswith=code_prefix + "-"))
        return (qs.count(), qs.filter(state=State.RECOGNIZED).count(),
                qs.filter(is_exceptional=True).count())

    return count


def rows_by_level(levels):
    return {r["level"]: r for r in levels}
