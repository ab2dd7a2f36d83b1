"""The recognition decision (Quyết định công nhận mô hình, điển hình đạt tiêu chí “Dân vận
khéo”) with its appendix list, built from a Decision and its registrations through the
document profiles: the Party format for a steering committee or Party body, the State
format when a People's Committee issues it.

`DecisionPapers` gathers what the documents need, read through the visibility functions
of the acting scope; `recognition_document()` turns it into an `OfficialDocument`
(documents/official.py), which `official_docx()` lays out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dvk.initiatives.enums import InitiativeKind, State
from dvk.reports.documents import bodies
from dvk.reports.profiles import PARTY_DECISION, STATE_DECISION, Profile, get_profile

from .official import Appendix, OfficialDocument, official_docx, short_date

MOVEMENT = "Phong trào thi đua “Dân vận khéo”"
LIST_HEADERS = ["STT", "Tên mô hình, điển hình", "Chủ thể", "Đơn vị", "Lĩnh vực",
                "Số giấy chứng nhận"]
LIST_WIDTHS = [1.3, 6.2, 3.2, 3.0, 2.2, 2.6]


@dataclass
class DecisionPapers:
    """A decision and what its documents show: its registrations (recognised or not, in
    certificate order) and the committee that issued it (None: a Party or State body)."""

    decision: object
    registrations: list = field(default_factory=list)
    committee: object | None = None

    @property
    def recognized(self) -> list:
        return [r for r in self.registrations if r.state == State.RECOGNIZED]

    @property
    def is_recognition(self) -> bool:
        return bool(self.recognized) or not self.registrations


def papers_for(scope, decision) -> DecisionPapers:
    """The decision's registrations and committee as `scope` sees them."""
    from dvk.initiatives.queries import registrations_for
    from dvk.phases.queries import committees_for

    regs = list(registrations_for(scope).filter(decision=decision)
                .select_related("initiative", "unit", "level", "field")
                .order_by("certificate_number", "unit__path", "initiative__sort_key", "pk"))
    committee = committees_for(scope).filter(unit_id=decision.unit_id,
                                             phase_id=decision.phase_id).first()
    return DecisionPapers(decision=decision, registrations=regs, committee=committee)


def level_phrase(level) -> str:
    """"Cơ sở" → "cấp cơ sở"."""
    name = getattr(level, "name", "") or ""
    return f"cấp {name[:1].lower()}{name[1:]}" if name else ""


def years_phrase(registrations) -> str:
    years = sorted({r.year for r in registrations})
    if not years:
        return ""
    return f"năm {years[0]}" if len(years) == 1 else f"các năm {', '.join(map(str, years))}"


def committee_title(committee, unit) -> str:
    """The issuing body's own name: "Ban Chỉ đạo Phong trào thi đua “Dân vận khéo”" out of
    "Ban Chỉ đạo Phong trào thi đua “Dân vận khéo” Tỉnh Kiên Giang (2026-2030)"."""
    if committee is None:
        return bodies.committee_name(unit)
    name = re.sub(r"\s*\(\d{4}\s*-\s*\d{4}\)\s*$", "", committee.name).strip()
    quote = name.find("”")
    return name[:quote + 1] if quote > 0 else name


def is_state_body(unit) -> bool:
    """A People's Committee issues in the State format."""
    return (unit.name or "").lower().startswith(("ủy ban nhân dân", "ubnd"))


def subject_of(ini) -> str:
    if ini.kind == InitiativeKind.INDIVIDUAL and ini.person_name:
        return ", ".join(x for x in (ini.person_name, ini.person_position) if x)
    return ini.subject or ""


def _fill(text: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)


def recognition_document(papers: DecisionPapers, *, profile: Profile | None = None
                         ) -> OfficialDocument:
    """The decision as an OfficialDocument: header, "Căn cứ…", three articles, the list."""
    decision, unit = papers.decision, papers.decision.unit
    state = is_state_body(unit)
    profile = profile or get_profile(STATE_DECISION if state else PARTY_DECISION,
                                     on=decision.date, unit=unit)
    recognised = papers.is_recognition
    listed = papers.recognized if recognised else papers.registrations
    level = level_phrase(decision.level)
    years = years_phrase(listed)
    committee = papers.committee
    body = committee_title(committee, unit)
    issuer = profile.issuing_body or body  # the profile's text, when the admin set one
    parent = profile.parent_body or ("" if state else bodies.committee_name(unit)
                                     if committee is not None else bodies.parent_body(unit))
    what = "công nhận" if recognised else "không công nhận"
    summary = (f"về việc {what} mô hình, điển hình đạt tiêu chí “Dân vận khéo” {level} "
               f"{years}").strip()
    n = len(listed)
    party = bodies.committee_short(unit)
    values = {"committee": party, "mass_body": profile.mass_body(decision.date),
              "issuer_short": "Tổ Thư ký" if committee is not None else "VT",
              "upper": bodies.upper_committee(unit)}
    preamble = []
    if committee is not None and committee.decision_number:
        date = f" ngày {short_date(committee.decision_date)}" if committee.decision_date else ""
        preamble.append(f"- Căn cứ Quyết định số {committee.decision_number}{date} về việc "
                        f"thành lập {body} {unit.name};")
    preamble += [f"- Căn cứ kế hoạch thực hiện {MOVEMENT} giai đoạn "
                 f"{decision.phase.start_year} - {decision.phase.end_year};",
                 "- Căn cứ kết quả thẩm định của Tổ thẩm định;",
                 "- Xét đề nghị của Tổ Thư ký," if committee is not None else
                 "- Xét đề nghị của cơ quan thường trực,"]
    appendix_title = (f"DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH ĐẠT TIÊU CHÍ “DÂN VẬN KHÉO” "
                      f"{level.upper()} {years.upper()}" if recognised else
                      f"DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH KHÔNG ĐƯỢC CÔNG NHẬN {level.upper()} "
                      f"{years.upper()}").strip()
    subtitle = (f"(Kèm theo Quyết định số {decision.number} ngày {short_date(decision.date)} "
                f"của {issuer} {unit.name})")
    rows = [[i, r.initiative.title, subject_of(r.initiative), r.unit.name, r.field.name,
             r.certificate_number] for i, r in enumerate(listed, start=1)]
    kind_counts = _kind_counts(listed)
    if recognised:
        article1 = (f"Công nhận {n} {kind_counts} đạt tiêu chí “Dân vận khéo” {level} {years} "
                    "(có danh sách kèm theo).")
        article2 = ("Các mô hình, điển hình có tên tại Điều 1 được cấp Giấy chứng nhận đạt "
                    f"tiêu chí “Dân vận khéo” {level}, tiếp tục duy trì, nhân rộng và được "
                    "xem xét biểu dương, khen thưởng theo quy định.")
    else:
        article1 = (f"Không công nhận {n} {kind_counts} đạt tiêu chí “Dân vận khéo” {level} "
                    f"{years} (có danh sách kèm theo).")
        article2 = ("Các đơn vị có mô hình, điển hình tại Điều 1 tiếp tục chỉ đạo khắc phục "
                    "hạn chế theo ý kiến của Tổ thẩm định.")
    article3 = ("Tổ Thư ký Ban Chỉ đạo, các cơ quan, đơn vị có liên quan và các tập thể, cá "
                "nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này. Quyết định có "
                "hiệu lực kể từ ngày ký.")
    return OfficialDocument(
        profile=profile, parent_body=parent, issuing_body=issuer, number=decision.number,
        date=decision.date, place=profile.place or bodies.place_of(unit),
        summary=summary, preamble=preamble,
        authority=f"{issuer.upper()}\nQUYẾT ĐỊNH:",
        articles=[("Điều 1.", article1), ("Điều 2.", article2), ("Điều 3.", article3)],
        recipients=[_fill(r, values) for r in profile.recipients],
        signer_name=decision.signer,
        appendices=[Appendix(title=appendix_title, subtitle=subtitle, headers=LIST_HEADERS,
                             widths_cm=LIST_WIDTHS, rows=rows, center_columns=(0, 5),
                             total_line=f"Tổng cộng: {n} {kind_counts}.")])


def _kind_counts(registrations) -> str:
    individual = sum(1 for r in registrations if r.initiative.kind == InitiativeKind.INDIVIDUAL)
    collective = len(registrations) - individual
    if individual and collective:
        return f"mô hình, điển hình (gồm {collective} mô hình, {individual} điển hình)"
    return "điển hình" if individual else "mô hình"


def recognition_decision_docx(papers: DecisionPapers, *, profile: Profile | None = None) -> bytes:
    return official_docx(recognition_document(papers, profile=profile))


def decision_filename(decision, ext: str) -> str:
    stem = re.sub(r"[^0-9A-Za-z]+", "-", _ascii(decision.number)).strip("-") or str(decision.pk)
    return f"quyet-dinh-{stem}.{ext}" if ext == "docx" else f"giay-chung-nhan-{stem}.{ext}"


def _ascii(text: str) -> str:
    from dvk.common.text import fold

    return fold(text)
