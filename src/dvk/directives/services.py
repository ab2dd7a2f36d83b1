"""Publishing a directive, acknowledging one from above, assigning members their areas.

Every function takes the acting scope, asks the rule book, refuses bad input with a
Vietnamese message naming the field (`Refused`, 400), and writes the history log."""
from __future__ import annotations

import datetime as dt
import os

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from dvk.common.history import record
from dvk.common.rules import Refused, check
from dvk.initiatives.services.attachments import FileTooLarge, mb, read_checked
from dvk.phases.models import CommitteeMember, SteeringCommittee

from .models import (NUMBER, NUMBER_MAX, TITLE_MAX, Acknowledgement, Directive,
                     DirectiveKind, MemberArea)
from .queries import area_choices

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACCEPTED = {PDF: ".pdf", DOCX: ".docx"}


def _bad(message: str):
    raise Refused(message, status=400, code="invalid")


def clean_number(value: str) -> str:
    """`02-KH/BCĐ` (Party) or `15/QĐ-UBND` (State), written with or without «Số»."""
    number = " ".join((value or "").split())
    if number[:3].lower() in ("số ", "số:"):
        number = number[3:].lstrip(" :")
    number = number.replace(" ", "").upper()
    if not number:
        _bad("Số văn bản: vui lòng nhập số văn bản, ví dụ 02-KH/BCĐ.")
    if len(number) > NUMBER_MAX:
        _bad(f"Số văn bản: dài quá {NUMBER_MAX} ký tự.")
    if not NUMBER.match(number):
        _bad(f"Số văn bản «{number}» không đúng dạng: số, gạch ngang, loại văn bản / cơ quan "
             "ban hành, ví dụ 02-KH/BCĐ (hoặc 15/QĐ-UBND).")
    return number


def read_file(uploaded) -> tuple[str, str, bytes]:
    """(name, content type, bytes) of a PDF or Word (.docx) file within the size limit,
    judged by its content (never by its name)."""
    if uploaded is None:
        _bad("Tệp văn bản: vui lòng chọn tệp PDF hoặc Word (.docx).")
    name = os.path.basename(getattr(uploaded, "name", "") or "van-ban")[:255]
    try:
        data, ctype = read_checked(uploaded)
    except FileTooLarge as big:
        _bad(f"Tệp văn bản «{name}» quá lớn; tối đa {mb(big.limit)}.")
    if ctype not in ACCEPTED:
        _bad(f"Tệp văn bản «{name}» không được chấp nhận: chỉ nhận tệp PDF hoặc Word (.docx).")
    return name, ctype, data


def _check_fields(*, kind, title, signer, issued_on, committee, responds_to):
    if kind not in DirectiveKind.values:
        _bad("Loại văn bản: vui lòng chọn Kế hoạch, Hướng dẫn, Chỉ thị/Công văn hoặc Quy chế.")
    if not title:
        _bad("Trích yếu: vui lòng nhập trích yếu nội dung văn bản.")
    if len(title) > TITLE_MAX:
        _bad(f"Trích yếu: dài quá {TITLE_MAX} ký tự.")
    if not signer:
        _bad("Người ký: vui lòng nhập người ký văn bản.")
    if len(signer) > 255:
        _bad("Người ký: dài quá 255 ký tự.")
    if not isinstance(issued_on, dt.date):
        _bad("Ngày ban hành: vui lòng nhập ngày dạng dd/mm/yyyy.")
    if issued_on > timezone.localdate():
        _bad("Ngày ban hành: không được sau ngày hôm nay.")
    if issued_on.year < committee.phase.start_year - 1:
        _bad(f"Ngày ban hành: trước giai đoạn {committee.phase.code}.")
    if responds_to is not None:
        unit = committee.unit
        if responds_to.phase_id != committee.phase_id or responds_to.unit_id == unit.pk or \
                not unit.path.startswith(responds_to.unit.path):
            _bad("Văn bản thực hiện: chỉ chọn được văn bản của Ban Chỉ đạo cấp trên trong "
                 "cùng giai đoạn.")
        if issued_on < responds_to.issued_on:
            _bad("Ngày ban hành: văn bản thực hiện không thể ban hành trước văn bản cấp trên "
                 f"({responds_to.issued_on:%d/%m/%Y}).")


def publish(*, scope, committee: SteeringCommittee, kind: str, number: str,
            issued_on: dt.date, signer: str, title: str, uploaded_file,
            responds_to: Directive | None = None) -> Directive:
    """Publish a committee's document to the units of its subtree. Filing it in answer to a
    directive from above (`responds_to`) also acknowledges that directive."""
    check("directive.publish", scope, committee)
    number = clean_number(number)
    title, signer = " ".join((title or "").split()), " ".join((signer or "").split())
    _check_fields(kind=kind, title=title, signer=signer, issued_on=issued_on,
                  committee=committee, responds_to=responds_to)
    if Directive.objects.within(scope).filter(committee=committee, number=number).exists():
        _bad(f"Số văn bản: Ban Chỉ đạo đã có văn bản số {number}.")
    name, ctype, data = read_file(uploaded_file)
    now = timezone.now()
    try:
        with transaction.atomic():
            d = Directive(committee=committee, unit=committee.unit, phase=committee.phase,
                          kind=kind, number=number, issued_on=issued_on, signer=signer,
                          title=title, original_name=name, content_type=ctype, size=len(data),
                          responds_to=responds_to, published_at=now,
                          published_by=scope.user if getattr(scope.user, "pk", None) else None)
            stem = os.path.splitext(name)[0][:80] or "van-ban"
            d.file.save(stem + ACCEPTED[ctype], ContentFile(data), save=False)
            d.save()
            record(d, "directive.publish", actor=scope.user,
                   comment=f"{number} · {d.get_kind_display()}")
            if responds_to is not None:
                _acknowledge(responds_to, committee.unit, scope, now)
    except IntegrityError:
        _bad(f"Số văn bản: Ban Chỉ đạo đã có văn bản số {number}.")
    return d


def _acknowledge(directive: Directive, unit, scope, now) -> Acknowledgement | None:
    ack, created = Acknowledgement.objects.within(scope).get_or_create(
        directive=directive, unit=unit,
        defaults={"by": scope.user if getattr(scope.user, "pk", None) else None, "at": now})
    if not created:
        return None
    record(directive, "directive.acknowledge", actor=scope.user, comment=unit.name[:200])
    return ack


def acknowledge(directive: Directive, *, scope) -> Acknowledgement:
    """The acting unit (a committee below the issuer) has received the directive."""
    check("directive.acknowledge", scope, directive)
    with transaction.atomic():
        ack = _acknowledge(directive, scope.unit, scope, timezone.now())
    if ack is None:
        raise Refused("Đơn vị đã xác nhận nhận văn bản này.", status=409, code="state")
    return ack


def set_areas(member: CommitteeMember, units, *, scope) -> list:
    """The areas `member` follows become exactly `units` (units directly below the
    committee's unit)."""
    committee = member.committee
    check("committee.assign_areas", scope, committee)
    allowed = {u.pk: u for u in area_choices(committee)}
    wanted = {}
    for u in units:
        if u.pk not in allowed:
            _bad(f"Địa bàn phụ trách: «{u.name}» không phải đơn vị trực thuộc "
                 f"{committee.unit.name}.")
        wanted[u.pk] = u
    with transaction.atomic():
        current = {a.unit_id: a for a in MemberArea.objects.within(scope).filter(member=member)
                   .select_related("unit")}
        if set(current) == set(wanted):
            return list(wanted.values())
        MemberArea.objects.within(scope).filter(member=member).exclude(
            unit_id__in=list(wanted)).delete()
        MemberArea.objects.bulk_create([MemberArea(member=member, unit_id=pk)
                                        for pk in wanted if pk not in current])
        record(member, "committee.areas", actor=scope.user, changes={"areas": [
            ", ".join(sorted(a.unit.name for a in current.values())),
            ", ".join(sorted(u.name for u in wanted.values()))]})
    return list(wanted.values())
