"""The phase report draft (and the annual report) in the Party document format."""
import datetime as dt
import io
import shutil
import subprocess

import docx
import pytest
from django.core.management import call_command

from dvk.common.formatting import vn_int
from dvk.reports.documents import phase_report_docx
from dvk.reports.models import DocumentProfile
from dvk.reports.profiles import Profile, get_profile
from dvk.reports.summary import build_summary


def all_text(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@pytest.fixture
def report(phase, unit):
    return docx.Document(io.BytesIO(phase_report_docx(phase, unit("KG"))))


def test_page_layout_follows_the_profile(report):
    first, appendix = report.sections[0], report.sections[-1]
    profile = Profile()
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (first.top_margin, first.bottom_margin, first.left_margin,
                                  first.right_margin)] == [20, 20, 30, 15]
    assert profile.margin_left_mm == 30
    assert first.different_first_page_header_footer
    assert "PAGE" in first.header._element.xml and "PAGE" not in first.first_page_header._element.xml
    assert (round(appendix.page_width.mm), round(appendix.page_height.mm)) == (297, 210)


def test_fonts_are_times_new_roman(report):
    assert report.styles["Normal"].font.name == "Times New Roman"
    names = {r.font.name for p in report.paragraphs for r in p.runs}
    for table in report.tables:
        for cell in table._cells:
            names |= {r.font.name for p in cell.paragraphs for r in p.runs}
    assert names == {"Times New Roman"}


def test_header_title_and_closing(report):
    header = report.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert "TỈNH ỦY KIÊN GIANG" in left.text and "*" in left.text
    national = right.paragraphs[0].runs[0]
    assert national.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and national.bold and national.underline
    assert national.font.size.pt == 15
    assert header.cell(1, 0).text.startswith("Số ") and header.cell(1, 0).text.endswith("-BC/TU")
    assert ":" not in header.cell(1, 0).text
    date = header.cell(1, 1).paragraphs[0].runs[0]
    assert date.italic and date.text.startswith("Kiên Giang, ngày") and date.text.endswith("năm 2020")
    title = next(p for p in report.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].bold and title.runs[0].font.size.pt == 15
    assert any(p.text == "tổng kết Phong trào thi đua “Dân vận khéo” giai đoạn 2016 - 2020"
               for p in report.paragraphs)
    closing = report.tables[1]
    assert closing.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
    assert closing.cell(0, 0).paragraphs[0].runs[0].underline
    assert closing.cell(0, 0).paragraphs[-1].text.startswith("- Lưu")
    assert closing.cell(0, 0).paragraphs[1].runs[0].font.size.pt == 12
    assert [p.text for p in closing.cell(0, 1).paragraphs[:2]] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]


def test_body_sentences_carry_the_figures(phase, unit):
    from dvk.initiatives.models import Registration

    late = Registration.objects.filter(phase=phase, level__order=3).first()
    Registration.objects.filter(pk=late.pk).update(is_exceptional=True)
    report = docx.Document(io.BytesIO(phase_report_docx(phase, unit("KG"))))
    summary = build_summary(phase, unit("KG"))
    assert summary["levels"][2]["exceptional"] >= 1
    g, d, p = summary["levels"]
    text = all_text(report)
    assert (f"Kết quả 5 năm có {vn_int(g['registered'])} mô hình đăng ký cấp cơ sở, trong đó "
            f"{vn_int(d['registered'])} mô hình đăng ký cấp huyện, {vn_int(p['registered'])} "
            f"mô hình đăng ký cấp tỉnh (trong đó {p['exceptional']} mô hình đặc cách)") in text
    assert f"cấp cơ sở {vn_int(g['recognized'])} mô hình, đạt tỷ lệ" in text
    assert "Lực lượng Công an đăng ký" in text
    assert "so tổng số mô hình được công nhận" in text
    award = summary["awards"][0]
    assert f"cấp cơ sở tặng {vn_int(award['count'])} giấy khen" in text
    assert "……… lớp tập huấn" in text and "……… tác phẩm dự thi" in text
    assert "Ban Dân vận Tỉnh ủy" in text and "Ban Tuyên giáo" not in text
    body = next(p for p in report.paragraphs if p.text.startswith("Kết quả 5 năm"))
    assert body.paragraph_format.first_line_indent.cm == pytest.approx(1.27, abs=0.01)
    assert body.paragraph_format.space_after.pt >= 6
    assert body.runs[0].font.size.pt == 14


def test_body_names_follow_the_era(unit):
    from dvk.phases.models import Phase

    later = docx.Document(io.BytesIO(phase_report_docx(Phase.objects.get(code="2021-2025"), unit("KG"))))
    text = all_text(later)
    assert "Ban Tuyên giáo và Dân vận Tỉnh ủy" in text
    assert "giai đoạn 2021 - 2025" in text


def test_annual_report_of_a_district(phase, unit):
    document = docx.Document(io.BytesIO(phase_report_docx(phase, unit("KG-GQ"), year=2018)))
    text = all_text(document)
    summary = build_summary(phase, unit("KG-GQ"), year=2018)
    assert f"Năm 2018 có {vn_int(summary['levels'][0]['registered'])} mô hình đăng ký" in text
    header = document.tables[0]
    assert header.cell(0, 0).paragraphs[0].text == "ĐẢNG BỘ TỈNH KIÊN GIANG"
    assert header.cell(0, 0).paragraphs[1].text == "HUYỆN ỦY GÒ QUAO"
    assert header.cell(1, 0).text.endswith("-BC/HU")
    assert header.cell(1, 1).text.startswith("Gò Quao, ngày")
    assert "kết quả thực hiện Phong trào thi đua “Dân vận khéo” năm 2018" in text


def test_profile_rows_override_defaults_by_date(phase, unit):
    DocumentProfile.objects.create(version=2, valid_from=dt.date(2026, 1, 1),
                                   overrides={"margin_top_mm": 25, "signature_title": "BÍ THƯ"},
                                   note="Hướng dẫn mới")
    assert get_profile(on=dt.date(2020, 12, 31)).margin_top_mm == 20
    newer = get_profile(on=dt.date(2026, 3, 1))
    assert (newer.margin_top_mm, newer.signature_title, newer.version) == (25, "BÍ THƯ", 2)
    old_report = docx.Document(io.BytesIO(phase_report_docx(phase, unit("KG"))))
    assert round(old_report.sections[0].top_margin.mm) == 20
    document = docx.Document(io.BytesIO(phase_report_docx(phase, unit("KG"), profile=newer)))
    assert round(document.sections[0].top_margin.mm) == 25
    assert "BÍ THƯ" in document.tables[1].cell(0, 1).text


def test_profile_rejects_unknown_settings(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        DocumentProfile(valid_from=dt.date(2026, 1, 1), overrides={"margn_top": 5}).full_clean()


def test_phase_report_command_writes_the_file(db, tmp_path):
    path = tmp_path / "bao-cao.docx"
    call_command("phase_report", "--phase", "2016-2020", "--unit", "KG-GQ", "--year", "2019",
                 "--output", str(path), stdout=io.StringIO())
    assert "HUYỆN ỦY GÒ QUAO" in all_text(docx.Document(str(path)))


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_report_renders_to_pdf_with_numbered_pages(phase, unit, tmp_path):
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(phase_report_docx(phase, unit("KG")))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "bao-cao.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pages[0] and "BÁO CÁO" in pages[0]
    assert pages[1].strip().splitlines()[0].strip() == "2"  # page number on top, not on page 1
    assert "PHỤ LỤC TỔNG HỢP" in "".join(pages[2:])
