"""Appraisal: assignment from the right team, the rubric, conflicts of interest."""
from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from dvk.common import history
from dvk.common.formatting import vn_decimal
from dvk.common.rules import check
from dvk.common.text import clean
from dvk.orgs.enums import UnitKind
from dvk.orgs.models import Membership, Unit
from dvk.orgs.scope import Scope
from dvk.phases.models import AppraisalTeam, SteeringCommittee
from dvk.phases.rules import COMMITTEE_ROLES

from ..enums import RUBRIC, RUBRIC_MAX, AppraisalStatus, Conclusion, ConflictStatus, State
from ..models import Appraisal, Registration
from ..workflow import STALE, transition
from ._common import _refuse, _user

# --- appraisal ------------------------------------------------------------------------------

def is_own_unit(appraiser, registration: Registration) -> bool:
    """Is the registration's model from the appraiser's own unit?

    "Own unit" = one of the appraiser's active membership units is either the registration's
    unit itself, or the grassroots organisation (xã, agency…) the registration's unit belongs
    to (its nearest ancestor-or-self of kind grassroots). So a district appraiser is not in
    conflict with every model of the district, but a commune official is with every model of
    that commune, including its hamlets and associations below grassroots.
    """
    # Seats on the committee that judges this registration are not "own unit": a commune's
    # committee appraising its commune's models is the normal grassroots flow.
    judging = set(SteeringCommittee.objects.filter(
        phase_id=registration.phase_id, level_id=registration.level_id,
        unit_id__in=[*registration.unit.ancestor_ids(), registration.unit_id],
    ).values_list("unit_id", flat=True))
    own = {unit_id for unit_id, role in Membership.objects.filter(
        user=appraiser, is_active=True).values_list("unit_id", "role")
        if not (unit_id in judging and role in COMMITTEE_ROLES)}
    if not own:
        return False
    unit = registration.unit
    home = {unit.pk}
    if unit.kind == UnitKind.BELOW:
        home |= set(Unit.objects.filter(pk__in=unit.ancestor_ids(), kind=UnitKind.GRASSROOTS)
                    .values_list("pk", flat=True))
    return bool(own & home)


def _conflict_blocks(appraisal: Appraisal) -> str | None:
    if appraisal.conflict_status == ConflictStatus.PENDING:
        return "Tổ thư ký chưa xem xét xung đột lợi ích bạn đã khai báo."
    if appraisal.conflict_status == ConflictStatus.REFUSED:
        return "Bạn đã được miễn thẩm định hồ sơ này (xung đột lợi ích)."
    if (appraisal.conflict_status != ConflictStatus.ACCEPTED
            and is_own_unit(appraisal.appraiser, appraisal.registration)):
        return ("Mô hình thuộc đơn vị của bạn: phải khai báo xung đột lợi ích và được "
                "Tổ thư ký chấp thuận trước khi thẩm định.")
    return None


def assign_appraisal(registration: Registration, *, team: AppraisalTeam, appraiser,
                     scope: Scope) -> Appraisal:
    actor = scope.user
    check("appraisal.assign", scope, registration)
    if registration.state != State.REPORTED:
        _refuse("Chỉ phân công thẩm định hồ sơ đã báo cáo thành tích.", 409)
    check("appraisal.assign", scope, registration, team, appraiser)
    if registration.appraisals.filter(appraiser=appraiser).exists():
        _refuse("Người này đã được phân công thẩm định hồ sơ.", 409)
    with transaction.atomic():
        a = Appraisal.objects.create(registration=registration, team=team, appraiser=appraiser,
                                     assigned_by=_user(actor))
        history.record(a, "assign", actor=actor)
    return a


def _appraiser_only(appraisal: Appraisal, scope: Scope) -> None:
    check("appraisal.record", scope, appraisal)
    if appraisal.status != AppraisalStatus.ASSIGNED:
        _refuse("Phiếu thẩm định đã hoàn thành hoặc đã hủy.", 409)


def save_appraisal(appraisal: Appraisal, *, expected_version: int,
                   scores: dict[str, int], comments: str = "", site_visit_date=None,
                   conclusion=None, scope: Scope) -> Appraisal:
    """Save scores; refused when someone saved since `expected_version` was read."""
    actor = scope.user
    _appraiser_only(appraisal, scope)
    block = _conflict_blocks(appraisal)
    if block:
        _refuse(block, 409)
    values = {}
    for name, raw in (scores or {}).items():
        if name not in RUBRIC:
            _refuse(f"Tiêu chí chấm điểm «{name}» không tồn tại.")
        if raw in (None, ""):
            values[name] = None
            continue
        try:
            v = int(raw)
        except (TypeError, ValueError):
            _refuse(f"Điểm «{name}» phải là số nguyên từ 0 đến {RUBRIC_MAX}.")
        if not 0 <= v <= RUBRIC_MAX:
            _refuse(f"Điểm «{name}» phải từ 0 đến {RUBRIC_MAX}.")
        values[name] = v
    if conclusion not in (None, "", *Conclusion.values):
        _refuse("Kết luận không hợp lệ.")
    merged = {n: values.get(n, getattr(appraisal, n)) for n in RUBRIC}
    total = sum(v for v in merged.values() if v is not None) if any(
        v is not None for v in merged.values()) else None
    fields = {**values, "total": total, "comments": comments or "",
              "site_visit_date": site_visit_date, "updated_at": timezone.now()}
    if conclusion is not None:
        fields["conclusion"] = conclusion
    before = history.snapshot(appraisal, [k for k in fields if k != "updated_at"])
    with transaction.atomic():
        updated = Appraisal.objects.again(appraisal).filter(
            version=expected_version, status=AppraisalStatus.ASSIGNED,
        ).update(version=F("version") + 1, **fields)
        if not updated:
            _refuse("Phiếu thẩm định vừa được người khác lưu; vui lòng tải lại trang để xem "
                    "thay đổi trước khi lưu.", 409, "stale")
        for k, v in fields.items():
            setattr(appraisal, k, v)
        appraisal.version = expected_version + 1
        history.record(appraisal, "update", actor=actor, changes=history.diff(
            before, history.snapshot(appraisal, list(before))))
    return appraisal


def complete_appraisal(appraisal: Appraisal, *, scope: Scope) -> Appraisal:
    """Close the appraisal. When it was the last one open for the registration (several
    appraisers may be assigned; cancelled ones don't count), the registration becomes
    APPRAISED with the appraisers' conclusions and mean score in its transition."""
    actor = scope.user
    _appraiser_only(appraisal, scope)
    block = _conflict_blocks(appraisal)
    if block:
        _refuse(block, 409)
    missing = [n for n in RUBRIC if getattr(appraisal, n) is None]
    if missing or not appraisal.conclusion:
        _refuse("Chưa chấm đủ các tiêu chí hoặc chưa có kết luận.")
    reg = appraisal.registration
    with transaction.atomic():
        updated = Appraisal.objects.again(appraisal).filter(
            version=appraisal.version, status=AppraisalStatus.ASSIGNED).update(
            status=AppraisalStatus.COMPLETED, completed_at=timezone.now(),
            version=F("version") + 1)
        if not updated:
            _refuse(STALE, 409)
        appraisal.status = AppraisalStatus.COMPLETED
        appraisal.version += 1
        history.record(appraisal, "complete", actor=actor)
        reg.refresh_from_db()
        others = reg.appraisals.exclude(pk=appraisal.pk)
        if reg.state == State.REPORTED and not others.filter(
                status=AppraisalStatus.ASSIGNED).exists():
            done = [appraisal, *others.filter(status=AppraisalStatus.COMPLETED)]
            # The appraiser acts under the team's committee, not the unit's clerk scope.
            transition(reg, State.APPRAISED, scope=scope, comment=appraisal_summary(done))
    return appraisal


def appraisal_summary(appraisals) -> str:
    """"Kết luận: …" of completed appraisals: each conclusion with its count, and the mean
    total when there are several (they may disagree; the committee decides). Stored in
    the transition, so always in Vietnamese, whatever the appraiser's interface language."""
    with translation.override("vi"):
        return _appraisal_summary(appraisals)


def _appraisal_summary(appraisals) -> str:
    if len(appraisals) == 1:
        return f"Kết luận: {appraisals[0].get_conclusion_display()}"
    conclusions = [a.conclusion for a in appraisals]
    parts = ", ".join(f"{conclusions.count(c)} {label.lower()}"
                      for c, label in Conclusion.choices if c in conclusions)
    totals = [a.total for a in appraisals if a.total is not None]
    mean = vn_decimal(sum(totals) / len(totals), 1) if totals else "—"
    return (f"Kết luận của {len(appraisals)} thành viên thẩm định: {parts}; điểm bình quân "
            f"{mean}/{RUBRIC_MAX * len(RUBRIC)}")


def declare_conflict(appraisal: Appraisal, *, reason: str,
                     scope: Scope) -> Appraisal:
    actor = scope.user
    _appraiser_only(appraisal, scope)
    if not clean(reason):
        _refuse("Vui lòng nêu rõ quan hệ/xung đột lợi ích.")
    if appraisal.conflict_status == ConflictStatus.PENDING:
        _refuse("Bạn đã khai báo, đang chờ Tổ thư ký xem xét.", 409)
    with transaction.atomic():
        n = Appraisal.objects.again(appraisal).filter(version=appraisal.version).update(
            conflict_status=ConflictStatus.PENDING, conflict_reason=clean(reason),
            conflict_declared_at=timezone.now(), version=F("version") + 1)
        if not n:
            _refuse(STALE, 409)
        appraisal.conflict_status = ConflictStatus.PENDING
        appraisal.conflict_reason = clean(reason)
        appraisal.version += 1
        history.record(appraisal, "conflict_declared", actor=actor, comment=reason)
    return appraisal


def rule_on_conflict(appraisal: Appraisal, *, accept: bool,
                     scope: Scope) -> Appraisal:
    """accept=True: the appraiser may appraise despite the declared interest;
    accept=False: the appraiser is recused and the appraisal cancelled (assign another)."""
    actor = scope.user
    check("appraisal.rule_conflict", scope, appraisal)
    if appraisal.conflict_status != ConflictStatus.PENDING:
        _refuse("Không có khai báo xung đột lợi ích đang chờ xem xét.", 409)
    status = ConflictStatus.ACCEPTED if accept else ConflictStatus.REFUSED
    extra = {} if accept else {"status": AppraisalStatus.CANCELLED}
    with transaction.atomic():
        n = Appraisal.objects.again(appraisal).filter(version=appraisal.version).update(
            conflict_status=status, conflict_ruled_by=_user(actor), version=F("version") + 1,
            **extra)
        if not n:
            _refuse(STALE, 409)
        appraisal.conflict_status = status
        for k, v in extra.items():
            setattr(appraisal, k, v)
        appraisal.version += 1
        history.record(appraisal, "conflict_ruled", actor=actor,
                       changes={"conflict_status": [ConflictStatus.PENDING, status]})
    return appraisal
