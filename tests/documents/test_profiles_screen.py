"""The document profiles, edited by the system administrator in the app: a preview before
saving, a new version from a date, header texts, signer titles, the numbering pattern and
body names by date reaching the generated documents; nobody else may edit them."""
import datetime as dt
import io

import docx
import pytest
from django.urls import reverse

from dvk.reports.models import DocumentProfile
from dvk.reports.profiles import PARTY_DECISION, get_profile

pytestmark = pytest.mark.django_db


def _form(**changes):
    profile = get_profile(PARTY_DECISION, on=dt.date(2026, 1, 1))
    data = {"valid_from": "01/01/2026", "unit": "", "note": "", "national_title":
            profile.national_title, "motto": profile.motto, "parent_body": "",
            "issuing_body": "", "place": "", "number_pattern": "",
            "number_template": profile.number_template, "doc_type": profile.doc_type,
            "signature_on_behalf": profile.signature_on_behalf,
            "signature_title": profile.signature_title, "signer_name": "",
            "recipients": "\n".join(profile.recipients),
            "body_names": "| Ban Dân vận\n01/07/2025 | Ban Tuyên giáo và Dân vận"}
    data.update(changes)
    return data


def test_the_list_previews_every_profile_in_force(client_as):
    page = client_as("quantri").get(reverse("profiles:list")).content.decode()
    for code in ("party-report", "party-decision", "party-award-decision", "proposal",
                 "state-decision"):
        assert f'id="profile-preview-{code}"' in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    assert "TỈNH ỦY KIÊN GIANG" in page  # the issuing body derived from the root unit


@pytest.mark.parametrize("who", ["tinh.thuky", "tinh.lanhdao", "dinhhoa.thuky"])
def test_only_the_system_administrator_edits_profiles(client_as, who):
    c = client_as(who)
    assert c.get(reverse("profiles:list")).status_code == 403
    resp = c.post(reverse("profiles:new", args=["party-decision"]), _form(save="1"))
    assert resp.status_code == 403 and not DocumentProfile.objects.exists()


def test_preview_then_save_a_new_version(client_as):
    c = client_as("quantri")
    data = _form(issuing_body="Ban Chỉ đạo Phong trào thi đua “Dân vận khéo”",
                 parent_body="Đảng bộ tỉnh Kiên Giang", number_pattern="{number}-QĐ/BCĐ",
                 signature_title="Phó Trưởng ban", note="Theo 05-HD/VPTW")
    page = c.post(reverse("profiles:new", args=["party-decision"]),
                  {**data, "preview": "1"}).content.decode()
    preview = page.split('id="profile-preview"')[1]
    assert "ĐẢNG BỘ TỈNH KIÊN GIANG" in preview
    assert "BAN CHỈ ĐẠO PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO”" in preview
    assert "Số 125-QĐ/BCĐ" in preview and "PHÓ TRƯỞNG BAN" in preview
    assert not DocumentProfile.objects.exists()  # a preview saves nothing
    resp = c.post(reverse("profiles:new", args=["party-decision"]), {**data, "save": "1"})
    assert resp.status_code == 302
    row = DocumentProfile.objects.get()
    assert (row.code, row.version, row.valid_from) == ("party-decision", 1, dt.date(2026, 1, 1))
    # only what differs from the defaults is stored
    assert row.overrides == {"issuing_body": "Ban Chỉ đạo Phong trào thi đua “Dân vận khéo”",
                             "parent_body": "Đảng bộ tỉnh Kiên Giang",
                             "number_pattern": "{number}-QĐ/BCĐ",
                             "signature_title": "Phó Trưởng ban"}
    assert get_profile(PARTY_DECISION, on=dt.date(2026, 3, 1)).signature_title == \
        "Phó Trưởng ban"
    assert get_profile(PARTY_DECISION, on=dt.date(2025, 12, 31)).signature_title == \
        "TRƯỞNG BAN"  # older documents keep the version of their time
    # a correction of the same version
    resp = c.post(reverse("profiles:edit", args=[row.pk]),
                  {**data, "signature_title": "TRƯỞNG BAN", "save": "1"})
    row.refresh_from_db()
    assert row.version == 1 and "signature_title" not in row.overrides
    from dvk.common.history import history_of
    assert sorted(e.action for e in history_of(row)) == ["create", "update"]


def test_a_broken_body_names_line_is_refused_with_its_line(client_as):
    page = client_as("quantri").post(reverse("profiles:new", args=["party-decision"]),
                                     _form(body_names="31/13/2025 | Ban mới", save="1"))
    assert page.status_code == 200
    assert "Dòng 1: ngày “31/13/2025” không đúng dạng dd/mm/yyyy." in page.content.decode()
    assert not DocumentProfile.objects.exists()


def test_the_recognition_decision_reads_the_edited_profile(client_as, decided):
    decision, _regs = decided  # 125-QĐ/TCĐ of 12/10/2026 by Định Hòa's committee
    DocumentProfile.objects.create(
        code=PARTY_DECISION, version=1, valid_from=dt.date(2026, 1, 1),
        overrides={"signature_title": "PHÓ TRƯỞNG BAN",
                   "body_names": [{"from": "", "mass_body": "Ban Dân vận"},
                                  {"from": "2026-11-01", "mass_body": "Ban Dân vận mới"}]})
    resp = client_as("dinhhoa.thuky").get(
        reverse("documents:decision_docx", kwargs={"decision_id": decision.pk}))
    document = docx.Document(io.BytesIO(resp.content))
    closing = document.tables[1]
    assert "PHÓ TRƯỞNG BAN" in [p.text for p in closing.cell(0, 1).paragraphs]
    recipients = [p.text for p in closing.cell(0, 0).paragraphs]
    assert "- Ban Dân vận Đảng ủy," in recipients  # the name in force on 12/10/2026


def test_body_names_by_date_around_the_2025_reform():
    profile = get_profile(PARTY_DECISION, on=dt.date(2025, 6, 1))
    assert profile.mass_body(dt.date(2025, 6, 30)) == "Ban Dân vận"
    assert profile.mass_body(dt.date(2025, 7, 1)) == "Ban Tuyên giáo và Dân vận"
    assert profile.mass_body(2020) == "Ban Dân vận"


def test_sample_page_downloads(client_as):
    resp = client_as("quantri").get(reverse("profiles:sample", args=["state-decision", "docx"]),
                                    {"on": "05/01/2026"})
    document = docx.Document(io.BytesIO(resp.content))
    header = document.tables[0]
    assert header.cell(1, 0).text == "Số: 125"
    assert header.cell(1, 1).text.endswith("ngày 05 tháng 01 năm 2026")
