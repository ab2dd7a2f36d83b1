"""The phase report fills seed 004's sentences from the activities (1.362, 470, 123, 33),
and where a figure is missing keeps the blank and says so."""
import io

import docx
import pytest

from dvk.reports.documents import phase_report_docx
from tests.reports.test_documents import all_text

pytestmark = pytest.mark.django_db


def test_the_phase_report_prints_seed_004s_figures(seed004, unit):
    text = all_text(docx.Document(io.BytesIO(phase_report_docx(seed004, unit("KG")))))
    assert ("Ban Chỉ đạo phối hợp tổ chức 20 lớp tập huấn hướng dẫn nội dung, phương thức "
            "thực hiện Phong trào thi đua và xây dựng mô hình, điển hình “Dân vận khéo”, có "
            "1.362 lượt cán bộ tập huấn.") in text
    assert ("Ban Chỉ đạo tổ chức 2 cuộc kiểm tra, khảo sát trực tiếp 35 lượt ban chỉ đạo, cơ "
            "quan, đơn vị (kiểm tra 15, khảo sát 20); ban chỉ đạo các cấp thành lập 37 tổ "
            "thẩm định.") in text
    assert ("Kết quả có 470 tác phẩm dự thi (báo in 111, báo hình 123, báo nói 41, báo điện tử "
            "195); trong đó có 123 tác phẩm đủ điều kiện dự thi cấp toàn quốc, 3 tác phẩm được "
            "vào vòng chung kết; 33 tác phẩm đạt giải cấp tỉnh.") in text
    assert ("Về sơ kết: có 19/20 đơn vị trực thuộc tổ chức hội nghị sơ kết, riêng Đảng ủy Bộ "
            "đội Biên phòng tỉnh báo cáo sơ kết (không tổ chức hội nghị).") in text
    assert "Về tổng kết: ………/20 đơn vị trực thuộc tổ chức tổng kết (chưa có số liệu tổng kết " \
           "trong hệ thống)." in text
    assert "……… lớp tập huấn" not in text and "……… tác phẩm" not in text


def test_missing_figures_stay_blank_and_say_so(db, unit):
    from dvk.phases.models import Phase

    text = all_text(docx.Document(io.BytesIO(phase_report_docx(
        Phase.objects.get(code="2016-2020"), unit("KG")))))
    assert ("tổ chức ……… lớp tập huấn hướng dẫn nội dung, phương thức thực hiện Phong trào thi "
            "đua và xây dựng mô hình, điển hình “Dân vận khéo”, có ……… lượt cán bộ tập huấn "
            "(chưa có số liệu tập huấn trong hệ thống).") in text
    assert "(chưa có số liệu kiểm tra, khảo sát trong hệ thống)" in text
    assert "(chưa có số liệu cuộc thi báo chí trong hệ thống)." in text


def test_field_names_inside_sentences_keep_vietnamese_case(db, unit):
    from dvk.phases.models import Phase

    text = all_text(docx.Document(io.BytesIO(phase_report_docx(
        Phase.objects.get(code="2016-2020"), unit("KG")))))
    assert "lĩnh vực văn hóa - xã hội" in text and "lĩnh vực quốc phòng - an ninh" in text
    assert "Xã hội" not in text.split("Theo lĩnh vực", 1)[1].split(".", 1)[0]
