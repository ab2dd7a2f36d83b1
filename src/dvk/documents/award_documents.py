"""The award decision (with its list of recipients and money) and the proposal (tờ trình,
with its list), built from the awards app's data through the document profiles and laid out
by documents/official.py.

The award decision is in the State format (Nghị định 30/2020, CONVENTIONS §1) when the
provincial People's Committee issues it (bằng khen, cờ thi đua), in the Party format when a
Party committee does (giấy khen). The proposal is the steering committee's own document, so
always in the Party format. Dates are the documents' own (a `DateField`, no time zone), and
a blank date is filled with Vietnam's year, never the server's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dvk.awards.enums import Authority, Occasion, RecipientType
from dvk.common.formatting import vn_int
from dvk.orgs.enums import UnitKind
from dvk.reports.documents import bodies
from dvk.reports.profiles import (PARTY_AWARD_DECISION, PROPOSAL, STATE_DECISION, Profile,
                                  get_profile)

from .decisions import MOVEMENT, _ascii, _fill, committee_title, level_phrase, subject_of
from .official import Appendix, OfficialDocument, official_docx, short_date

LIST_HEADERS = ["STT", "Tên tập thể, cá nhân", "Đơn vị", "Hình thức khen thưởng",
                "Số tiền (đồng)"]
LIST_WIDTHS = [1.2, 7.0, 3.6, 2.8, 2.4]
PEOPLES_COMMITTEE = "Ủy ban nhân dân"


@dataclass
class Line:
    """One row of a list: who, of which unit, which award, how much."""

    name: str
    unit: str
    kind: str
    amount: int | None = None


@dataclass
class AwardPapers:
    """What the award documents show, read through the acting scope's visibility functions."""

    unit: object
    phase: object
    level: object
    year: int
    occasion: str
    authority: str
    committee: object | None = None
    lines: list[Line] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.amount or 0 for line in self.lines)


def _line(recipient_type, registration, unit, person_name, person_position, kind, amount):
    if recipient_type == RecipientType.MODEL and registration is not None:
        ini = registration.initiative
        who = subject_of(ini)
        name = f"{ini.title} ({who})" if who and who != ini.title else ini.title
    elif recipient_type == RecipientType.PERSON:
        name = ", ".join(x for x in (person_name, person_position) if x)
    else:
        name = unit.name
    return Line(name=name, unit=unit.name, kind=kind.name, amount=amount)


def _committee(scope, unit, phase):
    from dvk.phases.queries import committees_for

    return committees_for(scope).filter(unit_id=unit.pk, phase_id=phase.pk).first()


def decision_papers(scope, award_decision) -> AwardPapers:
    """An award decision and its awards, as `scope` sees them."""
    from dvk.awards.queries import awards_for

    d = award_decision.decision
    awards = (awards_for(scope).filter(decision_id=d.pk)
              .select_related("registration__initiative").order_by("unit__path", "id"))
    lines = [_line(a.recipient_type, a.registration, a.unit, a.recipient_name,
                   a.recipient_position, a.kind, a.amount) for a in awards]
    year = next((a.year for a in awards if a.year), d.date.year)
    return AwardPapers(unit=d.unit, phase=d.phase, level=d.level, year=year,
                       occasion=award_decision.occasion, authority=award_decision.authority,
                       committee=_committee(scope, d.unit, d.phase), lines=lines)


def proposal_papers(scope, proposal) -> AwardPapers:
    from dvk.awards.queries import proposal_items_for

    items = proposal_items_for(scope).filter(proposal=proposal).order_by("order", "id")
    lines = [_line(i.recipient_type, i.registration, i.unit, i.person_name, i.person_position,
                   i.kind, i.amount) for i in items]
    return AwardPapers(unit=proposal.unit, phase=proposal.phase, level=proposal.level,
                       year=proposal.year, occasion=proposal.occasion,
                       authority=proposal.authority,
                       committee=_committee(scope, proposal.unit, proposal.phase), lines=lines)


# --- words ----------------------------------------------------------------------------------

def occasion_phrase(occasion: str, phase, year: int) -> str:
    """What the awards are for, as the decision's summary says it."""
    span = f"giai đoạn {phase.start_year} - {phase.end_year}"
    return {
        Occasion.COMMEMORATION: f"năm {year} (biểu dương nhân Ngày truyền thống công tác "
                                f"dân vận 15/10)",
        Occasion.INTERIM: f"sơ kết {span}",
        Occasion.FINAL: f"tổng kết {span}",
        Occasion.AD_HOC: f"năm {year} (khen thưởng đột xuất)",
    }.get(occasion, f"năm {year}")


def kinds_phrase(lines: list[Line]) -> str:
    """"Bằng khen", "Giấy khen và Cờ thi đua" — the kinds the list gives, in list order."""
    kinds = list(dict.fromkeys(line.kind for line in lines)) or ["khen thưởng"]
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " và " + kinds[-1]


def money(n: int) -> str:
    return f"{vn_int(n)} đồng"


def province_of(unit):
    node = unit
    while node is not None and node.kind != UnitKind.PROVINCE:
        node = node.parent
    return node or unit


def peoples_committee(unit, issued_by: str = "") -> tuple[str, str]:
    """("ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG"): the State header's two lines, from the
    recorded issuing body when it names a People's Committee, else the unit's province."""
    text = (issued_by or "").strip()
    if text.lower().startswith(PEOPLES_COMMITTEE.lower()):
        rest = text[len(PEOPLES_COMMITTEE):].strip()
        if rest:
            return PEOPLES_COMMITTEE, rest
    return PEOPLES_COMMITTEE, province_of(unit).name


def _list(papers: AwardPapers, title: str, subtitle: str) -> Appendix:
    rows = [[i, line.name, line.unit, line.kind,
             vn_int(line.amount) if line.amount else "–"]
            for i, line in enumerate(papers.lines, start=1)]
    n = len(papers.lines)
    return Appendix(title=title, subtitle=subtitle, headers=LIST_HEADERS,
                    widths_cm=LIST_WIDTHS, rows=rows, center_columns=(0,),
                    total_line=f"Tổng cộng: {n} tập thể, cá nhân; tổng số tiền: "
                               f"{money(papers.total)}.")


# --- the award decision -------------------------------------------------------------------------

def award_decision_document(award_decision, papers: AwardPapers, *,
                            profile: Profile | None = None) -> OfficialDocument:
    d, unit = award_decision.decision, papers.unit
    state = papers.authority == Authority.PEOPLES_COMMITTEE
    profile = profile or get_profile(STATE_DECISION if state else PARTY_AWARD_DECISION,
                                     on=d.date, unit=unit)
    kinds = kinds_phrase(papers.lines)
    what = occasion_phrase(papers.occasion, papers.phase, papers.year)
    n = len(papers.lines)
    proposal = award_decision.proposal
    proposer = committee_title(papers.committee, unit) + f" {unit.name}"
    request_ref = ""
    if proposal is not None and proposal.number:
        when = f" ngày {short_date(proposal.date)}" if proposal.date else ""
        request_ref = f" tại Tờ trình số {proposal.number}{when}"
    if state:
        parent, issuer = peoples_committee(unit, award_decision.issued_by)
        parent, issuer = profile.parent_body or parent, profile.issuing_body or issuer
        authority = f"CHỦ TỊCH {parent.upper()} {issuer.upper()}"
        preamble = ["Căn cứ Luật Tổ chức chính quyền địa phương;",
                    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                    f"Xét đề nghị của {proposer}{request_ref}."]
        place = profile.place or bodies.place_of(province_of(unit))
        issuer_line = f"{parent} {issuer}"
    else:
        committee = bodies.committee_name(unit)
        parent = profile.parent_body or bodies.parent_body(unit)
        issuer = profile.issuing_body or committee
        body = (award_decision.issued_by or f"Ban Thường vụ {committee}").strip()
        authority = body.upper()
        preamble = [f"- Căn cứ Điều lệ Đảng Cộng sản Việt Nam và Quy chế làm việc của "
                    f"{committee};",
                    f"- Căn cứ kế hoạch thực hiện {MOVEMENT} giai đoạn "
                    f"{papers.phase.start_year} - {papers.phase.end_year};",
                    f"- Xét đề nghị của {proposer}{request_ref},"]
        place = profile.place or bodies.place_of(unit)
        issuer_line = issuer
    values = {"committee": bodies.committee_short(unit), "mass_body": profile.mass_body(d.date),
              "issuer_short": "VT", "upper": bodies.upper_committee(unit)}
    article1 = (f"Tặng {kinds} cho {n} tập thể, cá nhân có thành tích xuất sắc trong "
                f"{MOVEMENT} {what} (có danh sách kèm theo).")
    article2 = (f"Kèm theo {kinds} là tiền thưởng theo quy định; tổng số tiền: "
                f"{money(papers.total)}." if papers.total else
                f"Các tập thể, cá nhân có tên tại Điều 1 được nhận {kinds} theo quy định.")
    article3 = (f"{'Chánh Văn phòng' if state else 'Văn phòng'}, {proposer}, các cơ quan, đơn "
                "vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm "
                "thi hành Quyết định này. Quyết định có hiệu lực kể từ ngày ký.")
    return OfficialDocument(
        profile=profile, parent_body=parent, issuing_body=issuer, number=d.number, date=d.date,
        place=place, summary=f"Về việc tặng {kinds} trong {MOVEMENT} {what}" if state
        else f"về việc tặng {kinds} trong {MOVEMENT} {what}",
        preamble=preamble, authority=f"{authority}\nQUYẾT ĐỊNH:",
        articles=[("Điều 1.", article1), ("Điều 2.", article2), ("Điều 3.", article3)],
        recipients=[_fill(r, values) for r in profile.recipients], signer_name=d.signer,
        appendices=[_list(papers,
                          f"DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG {kinds.upper()}",
                          f"(Kèm theo Quyết định số {profile.full_number(d.number)} ngày "
                          f"{short_date(d.date)} của {issuer_line})")])


def award_decision_docx(award_decision, papers: AwardPapers) -> bytes:
    return official_docx(award_decision_document(award_decision, papers))


# --- the proposal (tờ trình) ----------------------------------------------------------------

def proposal_document(proposal, papers: AwardPapers, *, profile: Profile | None = None
                      ) -> OfficialDocument:
    unit = papers.unit
    profile = profile or get_profile(PROPOSAL, on=proposal.date, unit=unit)
    committee = papers.committee
    body = committee_title(committee, unit)
    issuer = profile.issuing_body or body
    parent = profile.parent_body or (bodies.committee_name(unit) if committee is not None
                                     else bodies.parent_body(unit))
    to = proposal.addressed_to or (
        f"{PEOPLES_COMMITTEE} {province_of(unit).name.lower()}"
        if proposal.authority == Authority.PEOPLES_COMMITTEE
        else f"Ban Thường vụ {bodies.committee_name(unit)}")
    kinds = kinds_phrase(papers.lines)
    what = occasion_phrase(papers.occasion, papers.phase, papers.year)
    n = len(papers.lines)
    level = level_phrase(papers.level)
    values = {"committee": bodies.committee_short(unit),
              "mass_body": profile.mass_body(proposal.date or papers.year),
              "issuer_short": "Tổ Thư ký" if committee is not None else "VT",
              "upper": bodies.upper_committee(unit)}
    paragraphs = [
        f"Kính gửi: {to}.",
        f"Thực hiện {MOVEMENT} giai đoạn {papers.phase.start_year} - {papers.phase.end_year}, "
        f"{issuer} {unit.name} đã chỉ đạo đăng ký, thẩm định và công nhận các mô hình, điển "
        f"hình “Dân vận khéo” {level} năm {papers.year}.",
        f"Căn cứ kết quả thực hiện, {issuer} kính đề nghị {to} xem xét tặng {kinds} cho "
        f"{n} tập thể, cá nhân có thành tích xuất sắc trong {MOVEMENT} {what} (có danh "
        f"sách kèm theo); tổng số tiền thưởng đề nghị: {money(papers.total)}.",
        f"Kính trình {to} xem xét, quyết định.",
    ]
    return OfficialDocument(
        profile=profile, parent_body=parent, issuing_body=issuer, number=proposal.number,
        date=proposal.date, place=profile.place or bodies.place_of(unit),
        summary=f"đề nghị tặng {kinds} trong {MOVEMENT} {what}",
        paragraphs=paragraphs,
        recipients=[_fill(r, values) for r in profile.recipients],
        appendices=[_list(papers, f"DANH SÁCH ĐỀ NGHỊ TẶNG {kinds.upper()}",
                          f"(Kèm theo Tờ trình số {profile.full_number(proposal.number) or '…'}"
                          f"{' ngày ' + short_date(proposal.date) if proposal.date else ''} "
                          f"của {issuer} {unit.name})")])


def proposal_docx(proposal, papers: AwardPapers) -> bytes:
    return official_docx(proposal_document(proposal, papers))


def filename(prefix: str, number: str, pk: int) -> str:
    """"quyet-dinh-khen-thuong-120-qd-ubnd" (no extension)."""
    stem = re.sub(r"[^0-9A-Za-z]+", "-", _ascii(number or "")).strip("-") or str(pk)
    return f"{prefix}-{stem}"
