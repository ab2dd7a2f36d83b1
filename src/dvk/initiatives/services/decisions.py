"""Recognition decisions and promotion to the level above."""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from dvk.common import history
from dvk.common.rules import check
from dvk.common.text import clean
from dvk.orgs.scope import Scope
from dvk.phases.models import PromotionRule

from .. import workflow
from ..enums import State
from ..models import Attachment, Decision, Registration, RegistrationTarget
from ..workflow import transition
from ._common import _refuse, _user

# --- decisions ------------------------------------------------------------------------------

def decide(registrations, *, recognized: bool, decision_number: str,
           decision_date: dt.date, signer: str = "", certificate_prefix: str = "",
           scope: Scope) -> Decision:
    """Recognise (or not) a batch of appraised registrations under one decision.

    All or nothing: if any registration can't be decided, nothing is written and the message
    names each one with its reason.
    """
    from ..workflow import refusal

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
    longest = f"{prefix}{len(regs):04d}"
    limit = Registration._meta.get_field("certificate_number").max_length
    if len(longest) > limit:  # PostgreSQL would refuse it with a server error
        shown = longest if len(longest) <= 80 else longest[:76] + "…"
        _refuse(f"Số quyết định (hoặc tiền tố số giấy chứng nhận) quá dài: số giấy chứng "
                f"nhận «{shown}» dài {len(longest)} ký tự, vượt giới hạn {limit} ký tự. "
                "Hãy rút ngắn số quyết định.")
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
        prev = registration.initiative.registrations.filter(level_id=registration.level_id,
            year=registration.year - 1, state=State.RECOGNIZED).exists()
        if not prev:
            return False, (f"Theo quy định của giai đoạn, mô hình phải được công nhận 2 năm liên "
                           f"tiếp ở cấp {registration.level} (chưa có công nhận năm "
                           f"{registration.year - 1}).")
    if Registration.objects.unscoped("whether this model was already sent up").filter(
            Q(promoted_from=registration) | Q(initiative_id=registration.initiative_id,
                                              level=nxt, year=registration.year)).exists():
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
