"""Document profiles: the layout and the fixed texts of official documents (CONVENTIONS §1).

Defaults live here, as code; a DocumentProfile row (reports/models.py) overrides any of
these fields for documents dated from its `valid_from` (optionally for one unit only), so
a new formatting guidance or a renamed body is a new row, not a code change, and older
documents keep the profile of their time.

Texts may use {placeholders}, filled per document by `Profile.fill()`:
  {mass_body}  the mass-mobilisation commission's name in that era ("Ban Dân vận" before
               2025, "Ban Tuyên giáo và Dân vận" since — see body_names)
  {committee}  the issuing Party committee ("Tỉnh ủy", "Huyện ủy"…)
  {upper}      the Party committee above it ("Tỉnh ủy" for a district), or "Trung ương"
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

PARTY_REPORT = "party-report"  # Hướng dẫn 36-HD/VPTW (2018)
PARTY_DECISION = "party-decision"  # a Party body's or steering committee's decision
STATE_DECISION = "state-decision"  # a People's Committee's decision (Nghị định 30/2020)
PARTY_AWARD_DECISION = "party-award-decision"  # a Party committee's award decision (giấy khen)
PROPOSAL = "proposal"  # a steering committee's proposal of awards (tờ trình)
#: The profiles a system administrator edits in the app (documents/profile_views.py).
CODES = [PARTY_REPORT, PARTY_DECISION, PARTY_AWARD_DECISION, PROPOSAL, STATE_DECISION]
PARTY, STATE = "party", "state"  # the two header styles of CONVENTIONS §1


@dataclass
class Profile:
    code: str = PARTY_REPORT
    version: int = 0  # 0 = the defaults in code; rows in the database start at 1
    guidance: str = "Hướng dẫn 36-HD/VPTW ngày 03/4/2018"
    # "party": body names left, ĐẢNG CỘNG SẢN VIỆT NAM right, "Số 12-QĐ/BCĐ", dates as
    # written ("ngày 5 tháng 9"); "state": quốc hiệu and tiêu ngữ right, "Số: 12/QĐ-UBND",
    # days below 10 and months 1–2 with a leading 0 (see official.number_line/date_line).
    style: str = PARTY
    # Page (mm) and type
    page_width_mm: float = 210
    page_height_mm: float = 297
    margin_top_mm: float = 20
    margin_bottom_mm: float = 20
    margin_left_mm: float = 30
    margin_right_mm: float = 15
    font_name: str = "Times New Roman"
    body_size_pt: float = 14
    first_line_indent_cm: float = 1.27
    space_after_pt: float = 6
    line_spacing: float = 1.0
    # Header block
    national_title: str = "ĐẢNG CỘNG SẢN VIỆT NAM"
    national_size_pt: float = 15
    motto: str = ""           # the State tiêu ngữ, under the quốc hiệu
    motto_size_pt: float = 14
    body_header_size_pt: float = 14
    parent_body: str = ""     # empty = derived from the unit (see documents/bodies.py)
    issuing_body: str = ""    # empty = derived from the unit
    number_template: str = "Số       -BC/{number_suffix}"
    number_suffix: str = ""   # empty = derived from the unit (TU, HU, ĐU…)
    # A registry number entered as a bare sequence number ("125") is written with this
    # pattern ("{number}-QĐ/BCĐ" → "125-QĐ/BCĐ"); empty = as entered.
    number_pattern: str = ""
    place: str = ""           # empty = derived from the unit
    date_template: str = "{place}, ngày      tháng      năm {year}"
    # Title
    doc_type: str = "BÁO CÁO"
    doc_type_size_pt: float = 15
    summary_size_pt: float = 14
    phase_summary: str = "tổng kết Phong trào thi đua “Dân vận khéo” giai đoạn {start} - {end}"
    year_summary: str = "kết quả thực hiện Phong trào thi đua “Dân vận khéo” năm {year}"
    # Closing
    recipients_title: str = "Nơi nhận:"
    recipients_size_pt: float = 12
    recipients: list[str] = field(default_factory=lambda: [
        "- {mass_body} {upper},",
        "- Thường trực {committee},",
        "- Ban Chỉ đạo Phong trào thi đua “Dân vận khéo” các cấp,",
        "- Các cơ quan, đơn vị trực thuộc,",
        "- Lưu Văn phòng {committee}.",
    ])
    signature_on_behalf: str = "T/M BAN THƯỜNG VỤ"
    signature_title: str = "PHÓ BÍ THƯ"
    signer_name: str = ""
    # Body names by era: the name in force on the document's date ("from": an ISO date;
    # older rows may say "from_year").
    body_names: list[dict] = field(default_factory=lambda: [
        {"from": "", "mass_body": "Ban Dân vận"},
        {"from": "2025-07-01", "mass_body": "Ban Tuyên giáo và Dân vận"},
    ])
    blank: str = "………"
    # Appendix tables
    table_size_pt: float = 12

    def mass_body(self, when: int | dt.date) -> str:
        """The commission's name on a date (a bare year: its last day)."""
        day = when if isinstance(when, dt.date) else dt.date(int(when), 12, 31)
        name = ""
        for start, era in sorted(((era_start(e), e) for e in self.body_names),
                                 key=lambda pair: pair[0]):
            if day >= start:
                name = era.get("mass_body", name)
        return name

    def full_number(self, number: str) -> str:
        """"125" → "125-QĐ/BCĐ" by `number_pattern`; a number already written out stays."""
        number = (number or "").strip()
        if number.isdigit() and self.number_pattern:
            return self.number_pattern.format(number=number)
        return number

    def with_overrides(self, overrides: dict, version: int | None = None) -> "Profile":
        known = {f.name for f in dataclasses.fields(self)}
        values = {k: v for k, v in overrides.items() if k in known and k not in ("code",)}
        if version is not None:
            values["version"] = version
        return dataclasses.replace(self, **values)


#: What each profile changes in the defaults above (then DocumentProfile rows override these).
DEFAULTS: dict[str, dict] = {
    PARTY_REPORT: {},
    PARTY_DECISION: {
        "doc_type": "QUYẾT ĐỊNH", "doc_type_size_pt": 15,
        "number_template": "Số {number}",
        "signature_on_behalf": "T/M BAN CHỈ ĐẠO", "signature_title": "TRƯỞNG BAN",
        "recipients": ["- Thường trực {committee},", "- {mass_body} {committee},",
                       "- Như Điều 3,", "- Lưu {issuer_short}."],
    },
    PARTY_AWARD_DECISION: {
        "doc_type": "QUYẾT ĐỊNH", "doc_type_size_pt": 15,
        "number_template": "Số {number}",
        "signature_on_behalf": "T/M BAN THƯỜNG VỤ", "signature_title": "BÍ THƯ",
        "recipients": ["- Như Điều 3,", "- {mass_body} {committee},", "- Lưu Văn phòng."],
    },
    PROPOSAL: {
        "doc_type": "TỜ TRÌNH", "doc_type_size_pt": 15,
        "number_template": "Số {number}",
        "signature_on_behalf": "T/M BAN CHỈ ĐẠO", "signature_title": "TRƯỞNG BAN",
        "recipients": ["- Như kính gửi,", "- {mass_body} {committee},", "- Lưu {issuer_short}."],
    },
    STATE_DECISION: {
        "style": STATE, "guidance": "Nghị định 30/2020/NĐ-CP ngày 05/3/2020",
        "margin_top_mm": 20, "margin_bottom_mm": 20, "margin_left_mm": 30,
        "margin_right_mm": 15,
        "national_title": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "national_size_pt": 13,
        "motto": "Độc lập - Tự do - Hạnh phúc", "motto_size_pt": 14,
        "body_header_size_pt": 13,
        "doc_type": "QUYẾT ĐỊNH", "doc_type_size_pt": 14,
        "number_template": "Số: {number}",
        "signature_on_behalf": "TM. ỦY BAN NHÂN DÂN", "signature_title": "CHỦ TỊCH",
        "recipients_size_pt": 11,
        "recipients": ["- Như Điều 3;", "- Lưu: VT."],
    },
}


def era_start(era: dict) -> dt.date:
    """When a body-name era starts: "from" (ISO or dd/mm/yyyy), else 1 January of
    "from_year", else the beginning of time."""
    text = str(era.get("from") or "").strip()
    if text:
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                pass
    year = int(era.get("from_year") or 0)
    return dt.date(year, 1, 1) if year > 0 else dt.date.min


def unknown_keys(overrides: dict) -> list[str]:
    known = {f.name for f in dataclasses.fields(Profile)}
    return sorted(k for k in overrides if k not in known)


def get_profile(code: str = PARTY_REPORT, *, on: dt.date | None = None, unit=None) -> Profile:
    """The profile in force on a date: the defaults, overridden by the newest DocumentProfile
    row valid on that date (a row for the unit itself wins over a row for every unit)."""
    from .models import DocumentProfile

    from django.utils import timezone

    on = on or timezone.localdate()  # Vietnam's date, not the server's (UTC) one
    profile = Profile(code=code).with_overrides(DEFAULTS.get(code, {}))
    rows = (DocumentProfile.objects.filter(code=code, valid_from__lte=on)
            .filter(unit__isnull=True).order_by("-valid_from", "-version"))
    general = rows.first()
    if general is not None:
        profile = profile.with_overrides(general.overrides, version=general.version)
    if unit is not None:
        own = (DocumentProfile.objects.filter(code=code, valid_from__lte=on, unit=unit)
               .order_by("-valid_from", "-version").first())
        if own is not None:
            profile = profile.with_overrides(own.overrides, version=own.version)
    return profile
