"""The annual cycle as plain functions: register, submit, accept/return, report, appraise,
decide, promote; attachments and replication. Every write validates, runs in a transaction
and leaves a history entry. State changes go through workflow.transition().

Messages are Vietnamese (officials read them) and raised as TransitionRefused.
"""
from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone, translation

from dvk.common import history
from dvk.common.formatting import vn_decimal
from dvk.common.text import clean, fold
from dvk.orgs.enums import Role, UnitKind
from dvk.orgs.models import Membership, Unit
from dvk.common.rules import allowed, check
from dvk.orgs.scope import Scope
from dvk.phases.models import AppraisalTeam, Level, Phase, PromotionRule, SteeringCommittee
from dvk.phases.rules import COMMITTEE_ROLES

from .enums import (RUBRIC, RUBRIC_MAX, AppraisalStatus, Conclusion, ConflictStatus,
                    ExceptionalStatus, InitiativeKind, State)
from .models import (AchievementReport, Appraisal, Attachment, Decision, Field, Initiative,
                     Registration, RegistrationTarget, Tag)
from . import rules, workflow
from .workflow import STALE, TransitionRefused, transition

INITIATIVE_FIELDS = ("kind", "title", "field", "sector", "subject", "person_name",
                     "person_position", "description", "start_year", "replicates")


def _refuse(message: str, status: int = 400, code: str = "invalid"):
    raise TransitionRefused(message, status=status, code=code)


def _user(actor):
    return actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None


# --- initiatives ---------------------------------------------------------------------------

def _validate_initiative(ini: Initiative) -> None:
    """Refuse an invalid model; an empty sector becomes the unit's (for creation and
    correction alike)."""
    if ini.sector_id is None and ini.unit_id is not None:
        ini.sector = ini.unit.sector
    if not clean(ini.title):
        _refuse("Vui lòng nhập tên mô hình.")
    if ini.kind not in InitiativeKind.values:
        _refuse("Loại mô hình không hợp lệ.")
    if ini.kind == InitiativeKind.INDIVIDUAL and not clean(ini.person_name):
        _refuse("Điển hình cá nhân phải có họ tên người thực hiện.")
    if ini.field_id is None:
        _refuse("Vui lòng chọn lĩnh vực.")
    if ini.start_year is not None and not (1945 <= int(ini.start_year) <= 2100):
        _refuse("Năm bắt đầu không hợp lệ.")
    if ini.replicates_id and ini.pk and ini.replicates_id == ini.pk:
        _refuse("Mô hình không thể nhân rộng từ chính nó.")


REPLICATES_REFUSED = rules.NOT_REPLICABLE.message


def _check_replicates(scope: Scope, model: Initiative | None) -> None:
    if model is not None:
        check("initiative.replicate", scope, model)


def _set_tags(ini: Initiative, tags) -> None:
    objs = []
    for name in tags or ():
        name = clean(name)[:64]
        if name:
            objs.append(Tag.objects.get_or_create(name=name)[0])
    ini.tags.set(objs)


def create_initiative(*, unit: Unit, kind, title: str, field: Field, sector=None,
                      subject: str = "", person_name: str = "", person_position: str = "",
                      description: str = "", start_year: int | None = None,
                      replicates: Initiative | None = None, tags=(),
                      scope: Scope, request_token: str = "") -> Initiative:
    actor = scope.user
    check("initiative.create", scope, unit)
    _check_replicates(scope, replicates)
    if request_token:
        done = Initiative.objects.filter(request_token=request_token).first()
        if done is not None:  # the same form sent twice (a double click): nothing new
            return done
    ini = Initiative(unit=unit, kind=kind, title=clean(title), field=field,
                     sector=sector, subject=clean(subject),
                     person_name=clean(person_name), person_position=clean(person_position),
                     description=description or "", start_year=start_year,
                     replicates=replicates, created_by=_user(actor),
                     request_token=request_token or None)
    _validate_initiative(ini)
    try:
        with transaction.atomic():
            ini.save()
            _set_tags(ini, tags)
            history.record(ini, "create", actor=actor)
    except IntegrityError:  # the twin request of a double click committed first
        done = Initiative.objects.filter(request_token=request_token).first() \
            if request_token else None
        if done is None:
            raise
        return done
    return ini


def update_initiative(initiative: Initiative, *, scope: Scope,
                      **fields) -> Initiative:
    actor = scope.user
    check("initiative.create", scope, initiative.unit)
    tags = fields.pop("tags", None)
    unknown = set(fields) - set(INITIATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown initiative fields: {sorted(unknown)}")
    if "replicates" in fields and getattr(fields["replicates"], "pk", None) != \
            initiative.replicates_id:
        _check_replicates(scope, fields["replicates"])
    before = history.snapshot(initiative, fields)
    for name, value in fields.items():
        setattr(initiative, name, clean(value) if isinstance(value, str) and name != "description"
                else value)
    _validate_initiative(initiative)
    with transaction.atomic():
        initiative.save()
        if tags is not None:
            _set_tags(initiative, tags)
        history.record(initiative, "update", actor=actor,
                       changes=history.diff(before, history.snapshot(initiative, fields)))
    return initiative


# --- registration ---------------------------------------------------------------------------

def register(*, initiative: Initiative, phase: Phase, level: Level, year: int,
             targets=(), exceptional: bool = False, exceptional_reason: str = "",
             scope: Scope) -> Registration:
    """A DRAFT registration of `initiative` at `level` for `year`, with its targets."""
    actor = scope.user
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
    if Registration.objects.filter(initiative=initiative, level=level, year=year).exists():
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
        if not Registration.objects.filter(pk=registration.pk, version=registration.version,
                                           state__in=EDITABLE).update(
                version=F("version") + 1, updated_at=timezone.now()):
            _refuse(EDIT_CONFLICT, 409, "stale")
        registration.version += 1
        if fields:
            update_initiative(initiative, scope=scope, **fields)
            # A registration keeps the values of its time: for a draft, that is now.
            Registration.objects.filter(pk=registration.pk).update(
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
        updated = Registration.objects.filter(
            pk=registration.pk, version=registration.version,
            exceptional_status=ExceptionalStatus.PENDING,
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
        AchievementReport.objects.update_or_create(registration=registration, defaults={
            "narrative": narrative.strip(), "certifier_name": clean(certifier_name),
            "certifier_position": clean(certifier_position), "certified_on": certified_on,
            "reported_by": _user(actor)})
    return registration


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
    if Appraisal.objects.filter(registration=registration, appraiser=appraiser).exists():
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
        updated = Appraisal.objects.filter(
            pk=appraisal.pk, version=expected_version, status=AppraisalStatus.ASSIGNED,
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
        updated = Appraisal.objects.filter(pk=appraisal.pk, version=appraisal.version,
                                           status=AppraisalStatus.ASSIGNED).update(
            status=AppraisalStatus.COMPLETED, completed_at=timezone.now(),
            version=F("version") + 1)
        if not updated:
            _refuse(STALE, 409)
        appraisal.status = AppraisalStatus.COMPLETED
        appraisal.version += 1
        history.record(appraisal, "complete", actor=actor)
        reg.refresh_from_db()
        others = Appraisal.objects.filter(registration=reg).exclude(pk=appraisal.pk)
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
        n = Appraisal.objects.filter(pk=appraisal.pk, version=appraisal.version).update(
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
        n = Appraisal.objects.filter(pk=appraisal.pk, version=appraisal.version).update(
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


# --- decisions ------------------------------------------------------------------------------

def decide(registrations, *, recognized: bool, decision_number: str,
           decision_date: dt.date, signer: str = "", certificate_prefix: str = "",
           scope: Scope) -> Decision:
    """Recognise (or not) a batch of appraised registrations under one decision.

    All or nothing: if any registration can't be decided, nothing is written and the message
    names each one with its reason.
    """
    from .workflow import refusal

    actor = scope.user
    regs = list(registrations.select_related("initiative", "unit", "level", "phase")
                if isinstance(registrations, QuerySet) else registrations)
    if not regs:
        _refuse("Chưa chọn hồ sơ nào.")
    if not clean(decision_number) or not decision_date:
        _refuse("Vui lòng nhập số và ngày quyết định.")
    target = State.RECOGNIZED if recognized else State.NOT_RECOGNIZED
    problems, statuses = [], set()
    for r in regs:
        reason = refusal(r, target, scope=scope)
        if reason:
            problems.append(f"«{r.initiative.title}» ({r.level} {r.year}): {reason.message}")
            statuses.add(reason.status)
    if len({(r.phase_id, r.level_id) for r in regs}) > 1:
        problems.append("Một quyết định chỉ dành cho hồ sơ cùng giai đoạn và cùng cấp.")
    if problems:
        # 404 when a registration is outside the subtree, 403 when the role or level may
        # not decide, 409 when only the states are wrong.
        status = 404 if 404 in statuses else 403 if 403 in statuses else 409
        _refuse("Không thể ra quyết định:\n" + "\n".join(problems), status)
    unit = scope.unit or regs[0].unit
    now = timezone.now()
    prefix = certificate_prefix or f"{clean(decision_number)}/"
    with transaction.atomic():
        decision = Decision.objects.create(
            kind=Decision.Kind.RECOGNITION, unit=unit, phase=regs[0].phase, level=regs[0].level,
            number=clean(decision_number), date=decision_date, signer=clean(signer),
            title=("Công nhận" if recognized else "Không công nhận") +
            f" mô hình đạt tiêu chí “Dân vận khéo” cấp {regs[0].level}",
            created_by=_user(actor))
        history.record(decision, "create", actor=actor)
        for n, r in enumerate(sorted(regs, key=lambda r: (r.unit.path, r.initiative.sort_key)),
                              start=1):
            transition(r, target, scope=scope, comment=f"Quyết định số {decision.number}",
                       decision=decision, decided_at=now,
                       certificate_number=f"{prefix}{n:04d}" if recognized else "")
    return decision


# --- promotion ------------------------------------------------------------------------------

def promotion_eligible(registration: Registration) -> tuple[bool, str]:
    """May this registration be proposed at the next level of its phase? (ok, reason)

    recognised_below: recognised at this level. two_years: recognised at this level in this
    year and the year before (two consecutive years)."""
    if registration.state != State.RECOGNIZED:
        return False, "Mô hình chưa được công nhận ở cấp này."
    nxt = registration.level.next_level()
    if nxt is None:
        return False, f"Cấp {registration.level} là cấp cao nhất của giai đoạn."
    if registration.phase.promotion_rule == PromotionRule.TWO_YEARS:
        prev = Registration.objects.filter(
            initiative_id=registration.initiative_id, level_id=registration.level_id,
            year=registration.year - 1, state=State.RECOGNIZED).exists()
        if not prev:
            return False, (f"Theo quy định của giai đoạn, mô hình phải được công nhận 2 năm liên "
                           f"tiếp ở cấp {registration.level} (chưa có công nhận năm "
                           f"{registration.year - 1}).")
    if Registration.objects.filter(Q(promoted_from=registration) | Q(
            initiative_id=registration.initiative_id, level=nxt, year=registration.year)).exists():
        return False, f"Mô hình đã được đề nghị đăng ký cấp {nxt} năm {registration.year}."
    return True, ""


def propose_promotion(registration: Registration, *, scope: Scope) -> Registration:
    """Register the model at the next level (same year), straight into that committee's queue."""
    check("registration.promote", scope, registration)
    ok, reason = promotion_eligible(registration)
    if not ok:
        _refuse(reason, 409)
    nxt = registration.level.next_level()
    try:
        with transaction.atomic():
            # Straight into the upper committee's queue, through the workflow's door.
            new = workflow.create(
                scope=scope, state=State.SUBMITTED, initiative_id=registration.initiative_id,
                phase=registration.phase, level=nxt, year=registration.year,
                unit=registration.unit, sector=registration.sector, field=registration.field,
                submitted_at=timezone.now(), promoted_from=registration,
                comment=f"Đề nghị từ cấp {registration.level}", history_action="promote",
                history_changes={"promoted_from": [None, registration.pk]})
            RegistrationTarget.objects.bulk_create([
                RegistrationTarget(registration=new, criterion=t.criterion, baseline=t.baseline,
                                   target=t.target, unit_of_measure=t.unit_of_measure,
                                   result=t.result, order=t.order)
                for t in registration.targets.all()])
            # The evidence goes up with the file (same stored files, new rows).
            Attachment.objects.bulk_create([
                Attachment(registration=new, file=a.file.name, original_name=a.original_name,
                           content_type=a.content_type, size=a.size, uploaded_by=a.uploaded_by)
                for a in registration.attachments.all()])
    except IntegrityError:
        _refuse(f"Mô hình đã được đề nghị đăng ký cấp {nxt} năm {registration.year}.", 409)
    return new


# --- replication ----------------------------------------------------------------------------

def replications_of(initiative: Initiative, queryset=None) -> QuerySet[Initiative]:
    """Initiatives of other units that copy this one (directly), across the tree."""
    qs = queryset if queryset is not None else Initiative.objects.all()
    return qs.filter(replicates=initiative).select_related("unit")


def replication_counts(initiatives) -> dict[int, int]:
    """{initiative id: number of direct replications} in one query (for reports)."""
    ids = [getattr(i, "pk", i) for i in initiatives]
    rows = (Initiative.objects.filter(replicates_id__in=ids).values("replicates_id")
            .annotate(n=Count("id")))
    return {r["replicates_id"]: r["n"] for r in rows}


def replication_count(initiative: Initiative) -> int:
    return Initiative.objects.filter(replicates=initiative).count()


# --- attachments ----------------------------------------------------------------------------

ACCEPTED_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
                  ".docx"}


def sniff(head: bytes, read_all=None) -> str | None:
    """The real content type from the first bytes (never trust the name or the browser)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04") and read_all is not None:
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(read_all())) as z:
                if "word/document.xml" in z.namelist():
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        except zipfile.BadZipFile:
            return None
    return None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB".replace(".", ",")


def add_attachment(*, initiative: Initiative | None = None,
                   registration: Registration | None = None, uploaded_file,
                   scope: Scope) -> Attachment:
    actor = scope.user
    owner = registration or initiative
    if owner is None:
        raise TypeError("initiative or registration is required")
    check("attachment.add", scope, owner)
    limit = settings.DVK_ATTACHMENT_MAX_BYTES
    name = os.path.basename(getattr(uploaded_file, "name", "") or "tep")
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        _refuse(f"Tệp «{name}» quá lớn ({_mb(size)}); tối đa {_mb(limit)}.")
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        _refuse(f"Tệp «{name}» quá lớn; tối đa {_mb(limit)}.")
    ctype = sniff(data[:16], read_all=lambda: data)
    if ctype is None:
        _refuse(f"Tệp «{name}» không được chấp nhận: chỉ nhận ảnh JPEG, PNG, tệp PDF hoặc "
                "Word (.docx).")
    with transaction.atomic():
        att = Attachment(initiative=initiative if registration is None else None,
                         registration=registration, original_name=name[:255],
                         content_type=ctype, size=len(data), uploaded_by=_user(actor))
        stem = os.path.splitext(name)[0] or "tep"
        att.file.save(stem + ACCEPTED_TYPES[ctype], ContentFile(data), save=False)
        att.save()
        history.record(owner, "attach", actor=actor, comment=att.original_name)
    return att
