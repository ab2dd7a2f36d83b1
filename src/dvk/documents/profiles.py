"""Editing the document profiles (reports.profiles) from the app: the texts a system
administrator changes, saved as a DocumentProfile row's overrides (only what differs from the
code's defaults, so a later change of a default still reaches rows that did not set it), and
a preview of the header block, number and date lines and signature a document would print.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import transaction
from django.db.models import Max

from dvk.common import history
from dvk.reports.documents import bodies
from dvk.reports.models import DocumentProfile
from dvk.reports.profiles import DEFAULTS, STATE, Profile, era_start, get_profile

from .official import date_line, number_line

#: The settings the screen edits; every other override of a row is kept as it is.
TEXT_FIELDS = ["national_title", "motto", "parent_body", "issuing_body", "place",
               "number_pattern", "number_template", "doc_type", "signature_on_behalf",
               "signature_title", "signer_name"]
LIST_FIELDS = ["recipients", "body_names"]
SAMPLE_NUMBER = "125"


def defaults(code: str) -> Profile:
    return Profile(code=code).with_overrides(DEFAULTS.get(code, {}))


def body_names_text(eras: list[dict]) -> str:
    """One era a line: "01/07/2025 | Ban Tuyên giáo và Dân vận" (no date: from the start)."""
    lines = []
    for era in sorted(eras, key=era_start):
        start = era_start(era)
        day = "" if start == dt.date.min else f"{start:%d/%m/%Y}"
        lines.append(f"{day} | {era.get('mass_body', '')}".strip())
    return "\n".join(lines)


def parse_body_names(text: str) -> tuple[list[dict], list[str]]:
    """The eras of the textarea, and the Vietnamese problems of its lines."""
    eras, problems = [], []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        day, sep, name = line.partition("|")
        if not sep:
            day, name = "", line
        day, name = day.strip(), name.strip()
        if not name:
            problems.append(f"Dòng {n}: thiếu tên cơ quan sau dấu “|”.")
            continue
        iso = ""
        if day:
            try:
                iso = dt.datetime.strptime(day, "%d/%m/%Y").date().isoformat()
            except ValueError:
                problems.append(f"Dòng {n}: ngày “{day}” không đúng dạng dd/mm/yyyy.")
                continue
        eras.append({"from": iso, "mass_body": name})
    return eras, problems


def form_values(profile: Profile) -> dict:
    """The screen's initial values for a profile."""
    values = {name: getattr(profile, name) for name in TEXT_FIELDS}
    values["recipients"] = "\n".join(profile.recipients)
    values["body_names"] = body_names_text(profile.body_names)
    return values


def overrides_from(code: str, cleaned: dict, keep: dict | None = None) -> dict:
    """The row's overrides: what the screen's values change in the code's defaults, plus
    the settings the screen does not show (`keep`: the edited row's other overrides)."""
    base = defaults(code)
    out = {k: v for k, v in (keep or {}).items() if k not in TEXT_FIELDS + LIST_FIELDS}
    for name in TEXT_FIELDS:
        value = (cleaned.get(name) or "").strip()
        if value != getattr(base, name):
            out[name] = value
    recipients = [x.strip() for x in (cleaned.get("recipients") or "").splitlines() if x.strip()]
    if recipients != base.recipients:
        out["recipients"] = recipients
    eras = cleaned.get("body_names_parsed")
    if eras is not None and eras != base.body_names:
        out["body_names"] = eras
    return out


def save_profile(*, scope, code: str, valid_from: dt.date, unit, note: str, overrides: dict,
                 row: DocumentProfile | None = None) -> DocumentProfile:
    """A new version (row None) or a corrected one; a history entry either way."""
    with transaction.atomic():
        if row is None:
            top = (DocumentProfile.objects.filter(code=code, unit=unit)
                   .aggregate(top=Max("version"))["top"] or 0)
            row = DocumentProfile.objects.create(code=code, version=top + 1,
                                                 valid_from=valid_from, unit=unit,
                                                 overrides=overrides, note=note)
            history.record(row, "create", actor=scope.user,
                           comment=f"{code} v{row.version} từ {valid_from:%d/%m/%Y}")
            return row
        before = {"valid_from": row.valid_from, "note": row.note, "overrides": row.overrides}
        row.valid_from, row.note, row.overrides = valid_from, note, overrides
        row.save(update_fields=["valid_from", "note", "overrides"])
        after = {"valid_from": row.valid_from, "note": row.note, "overrides": row.overrides}
        history.record(row, "update", actor=scope.user,
                       changes=history.diff(before, after))
        return row


def with_values(profile: Profile, overrides: dict) -> Profile:
    known = {f.name for f in dataclasses.fields(Profile)}
    return profile.with_overrides({k: v for k, v in overrides.items() if k in known})


@dataclasses.dataclass
class Preview:
    """What the top and the bottom of a document of this profile print."""

    profile: Profile
    day: dt.date
    state: bool
    left: list[tuple[str, bool]]  # (line, bold)
    right: list[str]
    number: str
    date: str
    doc_type: str
    signature: list[str]
    signer: str
    recipients: list[str]
    mass_body: str


def preview(profile: Profile, *, unit, day: dt.date) -> Preview:
    """The header block of a document dated `day` of `unit` (e.g. the root), as printed."""
    state = profile.style == STATE
    if state:
        parent = profile.parent_body or "Ủy ban nhân dân"
        issuer = profile.issuing_body or unit.name
        left = [(parent.upper(), True), (issuer.upper(), True), ("________", False)]
        right = [profile.national_title.upper(), profile.motto]
    else:
        parent = profile.parent_body or bodies.parent_body(unit)
        issuer = profile.issuing_body or bodies.committee_name(unit)
        left = ([(parent.upper(), False)] if parent else []) + [(issuer.upper(), True),
                                                                ("*", False)]
        right = [profile.national_title.upper()]
    mass_body = profile.mass_body(day)
    values = {"committee": bodies.committee_short(unit), "mass_body": mass_body,
              "issuer_short": "Tổ Thư ký", "upper": bodies.upper_committee(unit),
              "number_suffix": profile.number_suffix or bodies.number_suffix(unit)}
    from .decisions import _fill

    return Preview(
        profile=profile, day=day, state=state, left=left, right=[x for x in right if x],
        number=_fill(number_line(profile, SAMPLE_NUMBER), values),
        date=date_line(profile.place or bodies.place_of(unit), day),
        doc_type=profile.doc_type.upper(),
        signature=[profile.signature_on_behalf.upper(), profile.signature_title.upper()],
        signer=profile.signer_name, recipients=[_fill(r, values) for r in profile.recipients],
        mass_body=mass_body)


def in_force(code: str, *, on: dt.date, unit=None) -> Profile:
    return get_profile(code, on=on, unit=unit)


def sample_document(profile: Profile, *, unit, day: dt.date):
    """A one-page sample of the profile (header, title, a paragraph, signature), for the
    PDF preview."""
    from .official import OfficialDocument

    p = preview(profile, unit=unit, day=day)
    parent = p.left[0][0] if len(p.left) == 3 else ""
    issuer = p.left[-2][0]
    return OfficialDocument(
        profile=profile, parent_body=parent, issuing_body=issuer, number=SAMPLE_NUMBER,
        date=day, place=profile.place or bodies.place_of(unit),
        summary="(Trang mẫu của hồ sơ văn bản)",
        paragraphs=[f"Trang mẫu theo hồ sơ “{profile.code}” phiên bản {profile.version}, "
                    f"áp dụng cho văn bản ngày {day:%d/%m/%Y}. Tên cơ quan dân vận ngày đó: "
                    f"{p.mass_body}."],
        recipients=p.recipients, signer_name=profile.signer_name or "Nguyễn Văn A")
