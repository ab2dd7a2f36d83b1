"""Data problems the activity lists warn about: each a plain function `(obj) -> list[str]`
of Vietnamese warnings (empty when the row looks right). Nothing is refused: the data may be
what the paper says; the warning asks someone to check it."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dvk.common.formatting import vn_int

from .enums import BudgetKind

#: More attendances than this in one class is implausible (a class is a hall, not a
#: stadium: seed 004's classes have about 68).
MAX_ATTENDANCES = 1000
#: A visit whose recommendations are still open this long after its round ended.
OPEN_AFTER_DAYS = 90
#: One budget line above this (VND) is probably a typing slip (an extra zero).
MAX_AMOUNT = 10_000_000_000


def training_flags(t) -> list[str]:
    if not t.attendances:
        return ["Số lượt tham dự bằng 0."]
    if t.attendances > MAX_ATTENDANCES:
        return [f"Số lượt tham dự ({vn_int(t.attendances)}) lớn bất thường cho một lớp "
                f"(quá {vn_int(MAX_ATTENDANCES)})."]
    return []


def overdue(end_date, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return end_date is not None and (today - end_date).days > OPEN_AFTER_DAYS


def round_flags(r, today: dt.date | None = None) -> list[str]:
    """A round whose visits are still open long after it ended (`n_open`: rounds_for's
    count of visits not closed)."""
    n_open = getattr(r, "n_open", 0)
    if n_open and overdue(r.end_date, today):
        return [f"{vn_int(n_open)} lượt kiểm tra chưa kết thúc theo dõi dù đợt đã kết thúc "
                f"quá {OPEN_AFTER_DAYS} ngày."]
    return []


def visit_flags(v, today: dt.date | None = None) -> list[str]:
    if v.status != "closed" and overdue(v.round.end_date, today):
        return [f"Kiến nghị chưa kết thúc theo dõi dù đợt đã kết thúc quá {OPEN_AFTER_DAYS} "
                "ngày."]
    return []


def press_flags(e) -> list[str]:
    out = []
    if e.national_finalist and not e.national_eligible:
        out.append("Vào chung kết toàn quốc nhưng không được ghi là đủ điều kiện dự thi "
                   "toàn quốc.")
    return out


def budget_flags(b) -> list[str]:
    if not b.amount:
        return ["Số tiền bằng 0."]
    if b.amount > MAX_AMOUNT:
        return [f"Số tiền ({vn_int(b.amount)} đ) lớn bất thường; kiểm tra lại số chữ số."]
    if b.kind == BudgetKind.SPENDING and not b.document_ref:
        return ["Khoản chi chưa ghi chứng từ."]
    return []
