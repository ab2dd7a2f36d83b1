"""Dates right everywhere (the decision's own date; Vietnam's local date, never UTC) and a
code for every model, so that exports and re-imports name it."""
import datetime as dt
import importlib
import io

import docx
import pytest
from django.http import QueryDict
from django.urls import reverse
from freezegun import freeze_time
from tests.acting import acting, command_line

from dvk.initiatives.codes import code_for, fill_codes
from dvk.initiatives.enums import State
from dvk.initiatives.models import Initiative, Registration

pytestmark = pytest.mark.django_db

# 18:30 on 1 December in UTC is already 01:30 on 2 December in Vietnam (UTC+7).
BOUNDARY = dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.timezone.utc)


def test_form1_prints_the_day_it_was_sent_in_vietnam(at_state, client_as):
    reg = at_state(State.SUBMITTED)
    Registration.objects.filter(pk=reg.pk).update(submitted_at=BOUNDARY)
    resp = client_as("dinhhoa.thuky").get(
        reverse("documents:form1", kwargs={"registration_id": reg.pk, "fmt": "docx"}))
    header = docx.Document(io.BytesIO(resp.content)).tables[0].rows[0].cells[1].text
    assert "ngày 02 tháng 12 năm 2026" in header, header


@freeze_time(BOUNDARY + dt.timedelta(days=30))  # 31/12/2026 18:30 UTC = 01/01/2027 in Vietnam
def test_undated_documents_take_vietnams_year(at_state, client_as, decided):
    from dvk.documents.official import date_line
    from dvk.reports.profiles import get_profile
    from dvk.reports.models import DocumentProfile

    at_state(State.ACCEPTED)
    resp = client_as("gq.thuky").get(
        reverse("documents:form2", kwargs={"unit_code": "KG-GQ-02", "fmt": "docx"})
        + "?phase=2026-2030&year=2026")
    header = docx.Document(io.BytesIO(resp.content)).tables[0].rows[0].cells[1].text
    assert "năm 2027" in header, header
    assert date_line("Kiên Giang", None) == "Kiên Giang, ngày      tháng      năm 2027"
    # A profile row valid from 1 January 2027 is already in force in Vietnam.
    DocumentProfile.objects.create(code="party-decision", version=1,
                                   valid_from=dt.date(2027, 1, 1),
                                   overrides={"signature_title": "PHÓ TRƯỞNG BAN"})
    assert get_profile("party-decision").signature_title == "PHÓ TRƯỞNG BAN"


def test_export_shows_the_decisions_own_date(decided, at_state, scope_of):
    from dvk.reports.exports import REGISTRATION_COLUMNS, format_date, registrations_export

    decision, regs = decided  # decided on 12/10/2026 …
    # … and recorded later, on 02/12 in Vietnam
    Registration.objects.filter(pk__in=[r.pk for r in regs]).update(decided_at=BOUNDARY)
    imported = at_state(State.APPRAISED, title="Khéo vận động nhân dân trồng cây xanh")
    Registration.objects.filter(pk=imported.pk).update(state=State.RECOGNIZED,
                                                       decided_at=BOUNDARY)  # no decision row
    export = registrations_export(scope_of("gq.thuky"), QueryDict("phase=2026-2030&year=2026"))
    col = [c[0] for c in REGISTRATION_COLUMNS].index("Ngày quyết định")
    code_col = [c[0] for c in REGISTRATION_COLUMNS].index("Mã mô hình")
    rows = {row[code_col]: row for row in export.rows()}
    for reg in regs:
        assert rows[reg.initiative.code][col] == dt.date(2026, 10, 12)
    assert format_date(rows[imported.initiative.code][col]) == "02/12/2026"


def test_models_created_in_the_app_get_a_code(new_initiative):
    ini = new_initiative("Khéo vận động hội viên cựu chiến binh hòa giải ở cơ sở")
    assert ini.code == code_for(ini.pk) == f"MH-{ini.pk:07d}"
    assert Initiative.objects.get(pk=ini.pk).code == ini.code


def test_a_code_a_file_already_used_is_not_taken_twice(new_initiative):
    ini = new_initiative("Khéo vận động hội viên cựu chiến binh hòa giải ở cơ sở")
    other = new_initiative("Khéo vận động đoàn viên thanh niên")
    Initiative.objects.filter(pk=ini.pk).update(code=None)
    Initiative.objects.filter(pk=other.pk).update(code=code_for(ini.pk))  # as if imported
    assert fill_codes(Initiative.objects.filter(pk=ini.pk)) == 1
    assert Initiative.objects.get(pk=ini.pk).code == f"{code_for(ini.pk)}-2"


def test_the_migration_fills_every_missing_code(new_initiative):
    from django.apps import apps

    inis = [new_initiative(f"Khéo vận động số {i}") for i in range(3)]
    Initiative.objects.filter(pk__in=[i.pk for i in inis]).update(code=None)
    Initiative.objects.filter(pk=inis[2].pk).update(code="")
    migration = importlib.import_module("dvk.initiatives.migrations.0008_fill_initiative_codes")
    migration.fill(apps, None)
    assert not Initiative.objects.filter(code__isnull=True).exists()  # demo ones included
    assert [Initiative.objects.get(pk=i.pk).code for i in inis] == [code_for(i.pk) for i in inis]


def test_an_export_imports_again_naming_the_same_models(decided, tmp_path, scope_of):
    """The export's "Mã mô hình" identifies each model: importing the export creates nothing."""
    from dvk.imports.registrations import import_registrations
    from dvk.reports.exports import registrations_export, write_csv

    _, regs = decided
    export = registrations_export(scope_of("gq.thuky"),
                                  QueryDict("phase=2026-2030&year=2026&unit=KG-GQ-02"))
    path = tmp_path / "dang-ky.csv"
    with open(path, "wb") as fh:
        write_csv(export, fh)
    assert all(r.initiative.code in path.read_text(encoding="utf-8-sig") for r in regs)
    before = Initiative.objects.count()
    result = import_registrations(path, phase_code="2026-2030", scope=command_line())
    assert (result.initiatives_created, result.registrations_created) == (0, 0)
    assert Initiative.objects.count() == before


def test_an_import_without_codes_codes_its_new_models(tmp_path):
    from dvk.imports.registrations import import_registrations

    path = tmp_path / "moi.csv"
    path.write_text("Tên mô hình,Loại,Mã đơn vị,Lĩnh vực,Cấp,Năm,Kết quả\n"
                    "Khéo vận động nhân dân làm kênh thủy lợi,Mô hình,KG-GQ-02,Kinh tế,Cơ sở,"
                    "2017,Công nhận\n", encoding="utf-8")
    result = import_registrations(path, phase_code="2016-2020", scope=command_line())
    assert result.initiatives_created == 1
    ini = Initiative.objects.get(title="Khéo vận động nhân dân làm kênh thủy lợi")
    assert ini.code == code_for(ini.pk)
