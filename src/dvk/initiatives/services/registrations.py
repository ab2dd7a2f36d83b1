"""A unit's registration: register, edit, submit, the secretariat's accept/return,
exceptional approval, withdrawal, the achievement report."""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dvk.common import history
from dvk.common.rules import check
from dvk.common.text import clean
from dvk.orgs.scope import Scope
from dvk.phases.models import Level, Phase

from .. import workflow
from ..enums import ExceptionalStatus, State
from ..models import AchievementReport, Initiative, Registration, RegistrationTarget
from ..workflow import STALE, transition
from ._common import _refuse, _user
from .initiatives import update_initiative

# --- registration ---------------------------------------------------------------------------

def register(*, initiative: Initiative, phase: Phase, level: Level, year: int,
             targets=(), exceptional: bool = False, exceptional_reason: str = "",
             scope: Scope) -> Registration:
    """A DRAFT registration of `initiative` at `level` for `year`, with its targets."""
    if level.phase_id != phase.pk:
        _refuse(f"Cấp «{level}» không thuộc giai đoạn {phase.code}.")
    check("registration.create", scope, initiative, phase, level, exceptional)
    try:
        year = int(year)
    except (TypeError, ValueError):
        _refuse("Năm đăng ký không hợp lệ.")
    if year not in phase.years:
        _refuse(f"Năm {year} không nằm trong giai đoạn {phase.code}.")
    if exceptional and not clean(exceptional_reason):
        _refuse("Đăng ký đặc cách phải nêu lý do.")
    rows = _target_rows(targets)
    if initiative.registrations.filter(level=level, year=year).exists():
        _refuse(f"Mô hình «{initiative.title}» đã được đăng ký ở cấp {level} năm {year}.", 409)
    try:
        with transaction.atomic():
            reg = workflow.create(
                scope=scope, state=State.DRAFT, initiative=initiative, phase=phase,
                level=level, year=year, unit=initiative.unit, sector=initiative.sector,
                field=initiative.field, is_exceptional=bool(exceptional),
                exceptional_reason=clean(exceptional_reason) if exceptional else "",
                exceptional_status=ExceptionalStatus.PENDING if exceptional
                else ExceptionalStatus.NONE)
            for row in rows:
                row.registration = reg
            RegistrationTarget.objects.bulk_create(rows)
    except IntegrityError:  # a concurrent registration of the same model won the race
        _refuse(f"Mô hình «{initiative.title}» đã được đăng ký ở cấp {level} năm {year}.", 409)
    return reg


def _target_rows(targets) -> list[RegistrationTarget]:
    """Unsaved targets from dicts (criterion, baseline, target, unit_of_measure); empty
    rows are skipped, half-filled ones refused."""
    rows = []
    for i, t in enumerate(targets or (), start=1):
        criterion, target = clean(t.get("criterion")), clean(t.get("target"))
        if not criterion and not target:
            continue
        if not criterion or not target:
            _refuse(f"Tiêu chí thứ {i}: cần nhập cả nội dung tiêu chí và chỉ tiêu.")
        rows.append(RegistrationTarget(criterion=criterion[:500], target=target[:100],
                                       baseline=clean(t.get("baseline"))[:100],
                                       unit_of_measure=clean(t.get("unit_of_measure"))[:64],
                                       order=i))
    return rows


#: States in which the unit may still correct its registration.
EDITABLE = (State.DRAFT, State.RETURNED)
EDIT_CONFLICT = ("Hồ sơ vừa được người khác sửa sau khi bạn mở trang; vui lòng tải lại để xem "
                 "thay đổi của họ rồi sửa lại.")
NO_TARGETS = "Hồ sơ phải có ít nhất một tiêu chí đăng ký đo lường được (nội dung và chỉ tiêu)."


def _target_texts(rows) -> list[str]:
    return [" | ".join(filter(None, (getattr(t, k) for k in RegistrationTarget.REGISTERED)))
            for t in rows]


def update_registration(registration: Registration, *, scope: Scope,
                        expected_version: int | None = None, targets=None,
                        **fields) -> Registration:
    """Correct a draft or a returned registration: its model's fields and its targets.

    Once submitted, a registration is the committee's to judge and changes only through the
    workflow. The model's fields are shared by all its registrations, so they can be
    corrected only while none of those has gone further than a draft or a return.
    `expected_version` is the version the editor started from: a stale edit is refused,
    never silently written over someone else's.
    """
    actor = scope.user
    check("registration.edit", scope, registration)
    if registration.state not in EDITABLE:
        _refuse("Chỉ sửa được hồ sơ nháp hoặc hồ sơ bị trả lại; hồ sơ này đang ở trạng thái "
                f"«{registration.get_state_display()}».", 409)
    if expected_version is not None and int(expected_version) != registration.version:
        _refuse(EDIT_CONFLICT, 409, "stale")
    initiative = registration.initiative
    if fields and initiative.registrations.exclude(state__in=EDITABLE).exists():
        _refuse("Mô hình đã có hồ sơ đang xét hoặc đã có kết quả: không sửa được thông tin "
                "mô hình, chỉ sửa được các tiêu chí.", 409)
    rows = _target_rows(targets) if targets is not None else None
    if rows is not None and not rows:
        _refuse(NO_TARGETS)
    with transaction.atomic():
        # Claim the version first: of two concurrent edits from the same version, the
        # second finds it changed and is refused.
        if not Registration.objects.again(registration).filter(
                version=registration.version, state__in=EDITABLE).update(
                version=F("version") + 1, updated_at=timezone.now()):
            _refuse(EDIT_CONFLICT, 409, "stale")
        registration.version += 1
        if fields:
            update_initiative(initiative, scope=scope, **fields)
            # A registration keeps the values of its time: for a draft, that is now.
            Registration.objects.again(registration).update(
                sector=initiative.sector, field=initiative.field)
            registration.refresh_from_db()
        if rows is not None:
            before = _target_texts(registration.targets.order_by("order", "id"))
            after = _target_texts(rows)
            if before != after:
                registration.targets.all().delete()
                for row in rows:
                    row.registration = registration
                RegistrationTarget.objects.bulk_create(rows)
                history.record(registration, "update", actor=actor,
                               changes={"targets": [before, after]})
    return registration


def registration_deadline(registration: Registration) -> dt.date:
    """The deadline a registration is judged late against.

    Yearly levels (grassroots) register at the start of every year: the phase's deadline in
    the registration's year. Phase-long levels (district, province) register once for the
    period, for a year of it: we apply the same day/month in the registration's year, so a
    model entered for 2028 at district level is late after 31/01/2028.
    """
    return registration.phase.registration_deadline_for(registration.year)


def is_late(registration: Registration, when: dt.datetime) -> bool:
    # Promotions are proposed by the committee below after its own decision: never late.
    if registration.promoted_from_id:
        return False
    return timezone.localdate(when) > registration_deadline(registration)


def submit(registration: Registration, *, scope: Scope,
           expected_version: int | None = None, comment: str = "") -> Registration:
    if not registration.targets.exists():
        _refuse(NO_TARGETS)
    now = timezone.now()
    first = registration.submitted_at is None
    changes = {"submitted_at": now if first else registration.submitted_at}
    # Lateness is judged on the first submission; resubmitting a returned file isn't late.
    changes["is_late"] = is_late(registration, now) if first else registration.is_late
    return transition(registration, State.SUBMITTED, scope=scope,
                      expected_version=expected_version, comment=comment, **changes)


def accept(registration: Registration, *, comment: str = "", scope: Scope,
           expected_version: int | None = None) -> Registration:
    # reported → accepted is a report sent back: return_report, with what to correct.
    if registration.state != State.SUBMITTED:
        _refuse("Chỉ tiếp nhận hồ sơ đã gửi.", 409, "state")
    return transition(registration, State.ACCEPTED, scope=scope, comment=comment,
                      expected_version=expected_version)


def return_to_unit(registration: Registration, *, comment: str,
                   scope: Scope, expected_version: int | None = None) -> Registration:
    if not clean(comment):
        _refuse("Vui lòng ghi rõ lý do trả lại hồ sơ.")
    return transition(registration, State.RETURNED, scope=scope, comment=comment,
                      expected_version=expected_version, return_comment=comment)


def return_report(registration: Registration, *, comment: str,
                  scope: Scope, expected_version: int | None = None) -> Registration:
    """Send an achievement report back for correction (reported → accepted)."""
    if not clean(comment):
        _refuse("Vui lòng ghi rõ nội dung cần bổ sung, chỉnh sửa.")
    check("registration.return_report", scope, registration)
    return transition(registration, State.ACCEPTED, scope=scope, comment=comment,
                      expected_version=expected_version, return_comment=comment)


def send_back(registration: Registration, *, comment: str, scope: Scope,
              expected_version: int | None = None) -> Registration:
    """The committee sends back what the unit sent last: a submitted registration
    (→ returned, to be corrected and sent again) or an achievement report (→ accepted, to
    be reported again)."""
    send = return_report if registration.state == State.REPORTED else return_to_unit
    return send(registration, comment=comment, scope=scope,
                expected_version=expected_version)


def report_sent_back(registration: Registration) -> bool:
    """Is the registration back at "accepted" because its achievement report was sent back
    (so the unit must see the committee's comment)? Uses prefetched transitions if any."""
    last = list(registration.transitions.all())[-1:]
    return (registration.state == State.ACCEPTED and bool(last)
            and last[0].from_state == State.REPORTED)


def withdraw(registration: Registration, *, comment: str = "", scope: Scope,
             expected_version: int | None = None) -> Registration:
    return transition(registration, State.WITHDRAWN, scope=scope, comment=comment,
                      expected_version=expected_version)


def approve_exceptional(registration: Registration, *, approve: bool, comment: str = "",
                        scope: Scope) -> Registration:
    """The secretariat approves (or refuses) an exceptional registration; only an approved
    one can be accepted (workflow.refusal)."""
    actor = scope.user
    check("registration.approve_exceptional", scope, registration)
    if not registration.is_exceptional:
        _refuse("Hồ sơ này không phải đăng ký đặc cách.", 409)
    if registration.exceptional_status != ExceptionalStatus.PENDING:
        _refuse("Đề nghị đặc cách đã được xem xét.", 409)
    status = ExceptionalStatus.APPROVED if approve else ExceptionalStatus.REFUSED
    with transaction.atomic():
        updated = Registration.objects.again(registration).filter(
            version=registration.version, exceptional_status=ExceptionalStatus.PENDING,
        ).update(exceptional_status=status, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            _refuse(STALE, 409)
        history.record(registration, "exceptional", actor=actor, comment=comment,
                       changes={"exceptional_status": [registration.exceptional_status, status]})
        registration.exceptional_status = status
        registration.version += 1
    return registration


def report_achievement(registration: Registration, *, results: dict[int, str],
                       narrative: str, certifier_name: str, certifier_position: str,
                       certified_on: dt.date, scope: Scope,
                       expected_version: int | None = None) -> Registration:
    """Achievement report against the registered targets, certified → REPORTED."""
    if not clean(narrative):
        _refuse("Vui lòng nhập nội dung báo cáo thành tích.")
    if not clean(certifier_name) or not clean(certifier_position):
        _refuse("Báo cáo thành tích phải có xác nhận của cấp ủy hoặc thủ trưởng đơn vị "
                "(họ tên và chức vụ người xác nhận).")
    if not certified_on:
        _refuse("Vui lòng nhập ngày xác nhận.")
    actor = scope.user
    targets = {t.pk: t for t in registration.targets.all()}
    results = {int(k): clean(v)[:100] for k, v in (results or {}).items()}
    stray = set(results) - set(targets)
    if stray:
        _refuse("Kết quả gửi kèm không khớp với tiêu chí đã đăng ký.")
    missing = [t.criterion for pk, t in targets.items() if not results.get(pk)]
    if missing:
        _refuse("Chưa nhập kết quả cho tiêu chí: " + "; ".join(missing) + ".")
    with transaction.atomic():
        transition(registration, State.REPORTED, scope=scope,
                   expected_version=expected_version, return_comment="")
        for pk, value in results.items():
            targets[pk].result = value
        RegistrationTarget.objects.bulk_update(list(targets.values()), ["result"])
        AchievementReport.objects.within(scope).update_or_create(registration=registration, defaults={
            "narrative": narrative.strip(), "certifier_name": clean(certifier_name),
            "certifier_position": clean(certifier_position), "certified_on": certified_on,
            "reported_by": _user(actor)})
    return registration
